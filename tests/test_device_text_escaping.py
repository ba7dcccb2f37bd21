"""Text a device supplies is escaped for every output (issue 13, section 3).

A rogue box plugged into an access switch advertises an LLDP system name built to
attack whoever reads the report: terminal escape sequences (retitle the window, clear
the screen), HTML, a Markdown link, Graphviz quoting; its port description is a
spreadsheet formula. A host in a flat folder is named like a formula too. The scan is
real (the lab switch's own LLDP output with the rogue neighbour added) and every
format must carry the text inert.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from reports import RenderOptions, render
from scanner.escaping import dot_string, for_csv, for_markdown, for_terminal, strip_controls
from scanner.model import ScanResult
from tests.conftest import LAB, run_cli
from tests.scanhelpers import scan_folder

ROGUE = 'rogue\x1b]0;owned\x07\x1b[2J<img/src=x/onerror=alert(1)>[pwn](javascript:alert(1))"];x[label="y'
FORMULA_HOST = "@SUM(1+1)"
NEIGHBOUR = f"""------------------------------------------------
Local Intf: Gi1/0/47
Chassis id: 0011.2233.4455
Port id: eth0
Port Description: =HYPERLINK("http://198.51.100.7/x","open")
System Name: {ROGUE}

System Description:
Linux rogue 6.1.0

Time remaining: 100 seconds
System Capabilities: B,R
Enabled Capabilities: R
Management Addresses:
    IP: 10.10.99.250
Auto Negotiation - not supported
Physical media capabilities - not advertised
Media Attachment Unit type - not advertised
Vlan ID: 1

"""


@pytest.fixture(scope="module")
def snapshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    snaps = tmp_path_factory.mktemp("rogue") / "snaps"
    shutil.copytree(LAB / "snapshots" / "hq-acc1", snaps / "hq-acc1")
    lldp = snaps / "hq-acc1" / "show_lldp_neighbors_detail.txt"
    lldp.write_text(
        lldp.read_text().replace("\nTotal entries displayed: 2", NEIGHBOUR + "\nTotal entries displayed: 3")
    )
    config = (LAB / "snapshots" / "hq-acc1" / "show_running-config.txt").read_text()
    (snaps / f"{FORMULA_HOST}.cfg").write_text(config.replace("hostname hq-acc1", "hostname acc9"))
    return snaps


@pytest.fixture(scope="module")
def result(snapshots: Path) -> ScanResult:
    scanned = scan_folder(snapshots)
    assert any(ROGUE in f.message for f in scanned.findings), "the rogue name reaches a finding"
    return scanned


def _text(result: ScanResult, name: str, **options: object) -> str:
    rendered = render(name, result, replace(RenderOptions(), **options))  # type: ignore[arg-type]
    assert isinstance(rendered, str)
    return rendered


def test_console_prints_no_escape_sequence_of_the_device(result: ScanResult) -> None:
    plain = _text(result, "console", color=False, width=400)
    assert "\x1b" not in plain and "\x07" not in plain
    assert "rogue]0;owned" not in plain and "rogue<img/src=x" in plain.replace("\n", "")
    coloured = _text(result, "console", color=True, width=400)
    assert "\x1b]0;" not in coloured and "\x1b[2J" not in coloured and "\x07" not in coloured


def test_markdown_shows_the_name_without_making_a_link_or_a_tag(result: ScanResult) -> None:
    text = _text(result, "markdown")
    assert "\x1b" not in text
    # Inside a code span nothing is read as Markdown or HTML, and no backtick of the device closes one.
    outside_code = re.sub(r"`[^`\n]*`", "", re.sub(r"(?s)\n    ```.*?\n    ```", "", text))
    assert "`" not in outside_code.replace("\\`", "")
    assert "[pwn](javascript" not in outside_code and "<img" not in outside_code
    assert r"\[pwn\]\(javascript:alert\(1\)\)" in text and "&lt;img/src=x/onerror=alert\\(1\\)&gt;" in text


def test_csv_neutralises_formulas_from_the_device_and_the_host_name(result: ScanResult) -> None:
    rows = list(csv.DictReader(io.StringIO(_text(result, "csv"))))
    for row in rows:
        for column, value in row.items():
            assert not value.startswith(("=", "+", "-", "@")), (column, value)
    assert any(row["host"] == "'" + FORMULA_HOST for row in rows)
    assert not any("\x1b" in value for row in rows for value in row.values())


def test_html_report_escapes_the_tag_and_stays_well_formed(result: ScanResult) -> None:
    page = _text(result, "html")
    assert "<img/src=x" not in page and "&lt;img/src=x/onerror=alert(1)&gt;" in page
    assert "\x1b" not in page and "\x07" not in page
    tags: list[str] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            tags.append(tag)

    Tags().feed(page)
    assert "img" not in tags


@pytest.mark.parametrize("name", ["junit", "sarif", "json"])
def test_machine_formats_parse_with_the_device_text_inside(result: ScanResult, name: str) -> None:
    text = _text(result, name)
    if name == "junit":
        root = ET.fromstring(text.encode())
        assert any("rogue" in (el.text or "") + " ".join(el.attrib.values()) for el in root.iter())
    else:
        assert "rogue" in json.dumps(json.loads(text))


@pytest.mark.parametrize("fmt", ["svg", "html", "dot"])
def test_topology_drawings_carry_the_rogue_name_inert(snapshots: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"topology.{fmt}"
    proc = run_cli("topology", "-s", str(snapshots), "-f", fmt, "-o", str(out))
    assert proc.returncode in (0, 1), proc.stderr
    drawing = out.read_text()
    assert "\x1b" not in drawing and "\x07" not in drawing
    if fmt == "svg":
        root = ET.fromstring(drawing.encode())  # well-formed: no control character left in it
        assert not [el for el in root.iter() if el.tag.endswith(("script", "img", "foreignObject"))]
        assert "rogue" in drawing
    elif fmt == "html":
        assert "<img/src=x" not in drawing and "&lt;img/src=x" in drawing
    else:
        assert dot_string(strip_controls(ROGUE)) in drawing
        assert '"];x[label="y' not in drawing.replace('\\"', "")


def test_escaping_rules_one_by_one() -> None:
    assert for_terminal("a\x1b[31mred\x1b[0m\x1b]2;title\x07b\u202eevil") == "aredbevil"
    assert for_csv("=1+1") == "'=1+1" and for_csv(" @x") == "' @x" and for_csv("-5") == "'-5"
    assert for_csv("core1") == "core1"
    assert for_markdown("a|b*c*\n<d>") == r"a\|b\*c\*<br>&lt;d&gt;"
    assert dot_string('a"b\\c\nd\x01') == '"a\\"b\\\\c\\nd"'
