"""The configuration tree: structure, line numbers, and agreement with ciscoconfparse."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.configtree import ConfigTree
from scanner.configtree_reference import build_tree
from tests.conftest import FIXTURES

SAMPLE = """\
!
hostname edge
!
interface GigabitEthernet0/1
 description uplink
 ip address 10.0.0.1 255.255.255.0

 ip access-group IN in
  ! a note
!
banner motd ^C
Authorised access only
  (this means you)
^C
line vty 0 4
 transport input ssh
router bgp 65000
 address-family ipv4
  neighbor 10.0.0.2 activate
 exit-address-family
end
"""


def test_parents_children_and_file_line_numbers() -> None:
    tree = ConfigTree.parse(SAMPLE)
    interface = tree.find_first(r"^interface GigabitEthernet0/1$")
    assert interface is not None and interface.lineno == 4
    assert [c.text for c in interface.children] == [
        "description uplink",
        "ip address 10.0.0.1 255.255.255.0",
        "ip access-group IN in",
    ]
    acl = interface.child(r"^ip access-group")
    assert acl is not None and acl.lineno == 8, "the blank line 7 still counts in line numbers"
    neighbor = tree.find_first(r"neighbor 10.0.0.2")
    assert neighbor is not None and neighbor.parent is not None
    assert neighbor.parent.text == "address-family ipv4"
    assert neighbor.parent.parent is not None and neighbor.parent.parent.text == "router bgp 65000"


def test_banner_lines_belong_to_the_banner_not_the_tree() -> None:
    tree = ConfigTree.parse(SAMPLE)
    banner = tree.find_first(r"^banner motd")
    assert banner is not None
    assert [c.text for c in banner.children] == ["Authorised access only", "(this means you)", "^C"]
    line = tree.find_first(r"^line vty")
    assert line is not None and line.parent is None


def test_comments_never_become_parents() -> None:
    tree = ConfigTree.parse("interface a\n ip x\n! comment\n  orphan-looking\n")
    orphan = tree.find_first("orphan-looking")
    assert orphan is not None and orphan.parent is not None and orphan.parent.text == "ip x"
    assert [r.text for r in tree.roots()] == ["interface a"]


def test_roots_skip_comments_and_find_top_only() -> None:
    tree = ConfigTree.parse(SAMPLE)
    assert [r.text for r in tree.roots()][:3] == ["hostname edge", "interface GigabitEthernet0/1", "banner motd ^C"]
    assert [line.lineno for line in tree.find(r"^description", top=True)] == []
    assert [line.lineno for line in tree.find(r"^description")] == [5]


def test_unknown_backend_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown config parser"):
        build_tree("hostname x", backend="nope")


# ---- agreement with the reference parser ------------------------------------------------

_CISCO_STYLE_SUFFIXES = (".ios", ".nxos", ".txt", ".text", ".conf", ".cfg", ".raw")


def _is_cisco_style(text: str) -> bool:
    """Indentation-structured, '!'-commented text; not brace (Junos/F5), set, or '#' (VRP/Comware) syntax."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 5:
        return False
    braces = sum(1 for line in lines if line.rstrip().endswith(("{", "}")))
    hashes = sum(1 for line in lines if line.strip() == "#")
    sets = sum(1 for line in lines if line.startswith("set "))
    return braces < len(lines) / 20 and hashes < 3 and sets < len(lines) / 4


def _reference_inputs(corpus: Path | None) -> list[Path]:
    paths = sorted((FIXTURES / "platforms").rglob("show_running-config.txt"))
    lab = FIXTURES.parent.parent / "scanner" / "lab" / "network" / "snapshots"
    paths += sorted(lab.rglob("show_running-config.txt"))
    if corpus is not None:
        for path in sorted(corpus.rglob("*")):
            if path.is_file() and path.suffix in _CISCO_STYLE_SUFFIXES and "ntc-templates" not in path.parts:
                paths.append(path)
    return paths


def _assert_same_structure(path: Path) -> bool:
    text = path.read_text(encoding="utf-8", errors="replace")
    if not _is_cisco_style(text):
        return False
    tree, reference_tree = ConfigTree.parse(text), build_tree(text, backend="ciscoconfparse")
    # The top level the platforms read (noted as the tree is built): ciscoconfparse's top-level lines.
    reference_tops = [
        i for i, parent in enumerate(reference_tree.parents) if parent < 0 and i not in reference_tree.comments
    ]
    assert tree.top_indices() == reference_tops, path
    ours, reference = tree.structure(), reference_tree.structure()
    for index, (mine, theirs) in enumerate(zip(ours, reference, strict=False)):
        assert mine == theirs, f"{path}: node {index}: ours {mine!r} vs ciscoconfparse {theirs!r}"
    assert len(ours) == len(reference), f"{path}: {len(ours)} nodes vs ciscoconfparse {len(reference)}"
    return True


def test_same_structure_as_ciscoconfparse_on_fixtures() -> None:
    pytest.importorskip("ciscoconfparse", reason="the reference parser is a test dependency (pip install -e '.[test]')")
    compared = [p for p in _reference_inputs(None) if _assert_same_structure(p)]
    assert len(compared) >= 6


def test_same_structure_as_ciscoconfparse_on_the_corpus(corpus: Path) -> None:
    pytest.importorskip("ciscoconfparse", reason="the reference parser is a test dependency (pip install -e '.[test]')")
    compared = [p for p in _reference_inputs(corpus) if _assert_same_structure(p)]
    assert len(compared) >= 30, f"only {len(compared)} Cisco-style configs compared"


def test_reference_backend_keeps_file_line_numbers() -> None:
    pytest.importorskip("ciscoconfparse", reason="the reference parser is a test dependency")
    ours = ConfigTree.parse(SAMPLE)
    reference = build_tree(SAMPLE, backend="ciscoconfparse")
    assert ours.linenos == reference.linenos


@pytest.mark.parametrize("prefix", ["ipv6 ", "interface ", "zone-member security ", "!", " ", "", "no shutdown"])
def test_lines_starting_finds_what_a_test_of_every_line_finds(prefix: str, corpus: Path) -> None:
    """lines_starting searches the joined lines; it answers as str.startswith on each line does."""
    paths = [p for p in corpus.rglob("*") if p.is_file() and p.stat().st_size < 3_000_000]
    paths += list(FIXTURES.rglob("show_running-config.txt"))
    edges = [
        "ipv6 enable",
        "\n\n  ipv6 enable\n\tipv6 x\nipv6\n",
        "interface a\n ipv6 address ::1/128\r\n ipv6 enable\x0bipv6 y",
    ]
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths] + edges
    found = 0
    for text in texts:
        tree = ConfigTree.parse(text)
        expected = [i for i, line in enumerate(tree.texts) if line.startswith(prefix)]
        assert tree.lines_starting(prefix) == expected
        assert tree.lines_starting(prefix) == expected, "asked again, from the joined text kept"
        found += len(expected)
    assert found or prefix in ("zone-member security ", " ")
