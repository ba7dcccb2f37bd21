"""A policy's `rules:` section: what is accepted, and every refusal with its file, line and reason.

A rule file that cannot be used must stop the scan (exit 2) before any host is read:
a rule silently dropped would make a device look compliant with a standard it was
never checked against.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.engine import scan_checks
from scanner.policy import Policy, PolicyError
from scanner.rules import RuleError
from tests.conftest import run_cli

GOOD = """\
checks:
  severity: {site.no_http: critical}
rules:
  - id: site.no_source_route
    title: IP source routing disabled
    severity: medium
    platforms: [cisco_ios, cisco_xe, juniper, junos]
    must_contain: '^no ip source-route$'
    fix: 'no ip source-route'
    clauses: {form: '5.2.3'}
  - id: site.vty_ssh_only
    within: ['^line vty']
    must_contain: ['^transport input ssh$']
    must_not_contain: '^transport input .*telnet'
    missing_section: fail
    fix:
      cisco_ios: |
        transport input ssh
        exec-timeout 5 0
      huawei_vrp: protocol inbound ssh
  - id: site.no_http
    must_not_contain: '^ip http server'
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site-policy.yaml"
    path.write_text(text)
    return path


def test_a_good_rule_file_gives_one_check_per_rule_with_its_metadata(tmp_path: Path) -> None:
    policy = Policy.load(_write(tmp_path, GOOD))
    specs = {s.id: s for s in scan_checks(policy)}
    source = specs["site.no_source_route"]
    assert source.title == "IP source routing disabled"
    assert source.severity.label == "medium"
    assert source.platforms == ("cisco_ios", "cisco_xe", "juniper_junos"), "aliases name a platform once"
    assert source.origin.endswith("site-policy.yaml:4")
    vty = specs["site.vty_ssh_only"]
    assert vty.title == "site.vty_ssh_only", "the id is the title when none is given"
    assert vty.platforms is None
    rule = next(r for r in policy.rules if r.id == "site.vty_ssh_only")
    assert rule.fix_for("cisco_ios") == ("transport input ssh", "exec-timeout 5 0")
    assert rule.fix_for("huawei") == (), "the policy's own text is kept; the check has the platform's name"
    vty_rule = vty.func.rule  # type: ignore[union-attr]
    assert vty_rule.fix_for("huawei") == ("protocol inbound ssh",), "fix keys by alias resolve (huawei_vrp)"
    assert rule.fix_for("arista_eos") == (), "no fix for a platform the rule gives none"
    assert policy.severity_for("site.no_http", specs["site.no_http"].severity).label == "critical"
    assert "services.http" in specs, "the shipped checks are still there"


def test_rules_belong_to_the_scan_of_their_policy_not_to_the_process(tmp_path: Path) -> None:
    with_rules = scan_checks(Policy.load(_write(tmp_path, GOOD)))
    without = scan_checks(Policy.default())
    assert "site.no_http" in {s.id for s in with_rules}
    assert "site.no_http" not in {s.id for s in without}
    again = scan_checks(Policy.load(_write(tmp_path, GOOD)))
    assert [s.id for s in again] == [s.id for s in with_rules], "loading the same rules twice is no clash"


REFUSED = [
    pytest.param(
        "rules:\n  - id: site.x\n    must_contain: '^ip (http'\n",
        3,
        "must_contain: bad regular expression '^ip (http'",
        id="bad-regex",
    ),
    pytest.param(
        "rules:\n  - id: site.x\n    within: ['^line', '[vty']\n    must_contain: x\n",
        3,
        "within: bad regular expression '[vty'",
        id="bad-regex-in-a-list",
    ),
    pytest.param(
        "rules:\n  - id: site.x\n    must_contian: '^x$'\n",
        3,
        "unknown key 'must_contian' in a rule; did you mean 'must_contain'?",
        id="unknown-key",
    ),
    pytest.param(
        "rules:\n  - id: site.x\n    must_contain: a\n  - id: site.y\n    must_contain: b\n"
        "  - id: site.x\n    must_contain: c\n",
        6,
        "duplicate rule id 'site.x' (first defined at line 2)",
        id="duplicate-id",
    ),
    pytest.param(
        "rules:\n  - id: site.x\n    title: A\n    must_contain: a\n    title: B\n",
        5,
        "key 'title' given twice in one rule (line 3)",
        id="duplicate-key",
    ),
    pytest.param("rules:\n  - id: Site-X\n    must_contain: a\n", 2, "must look like family.name", id="bad-id"),
    pytest.param("rules:\n  - title: no id\n    must_contain: a\n", 2, "a rule needs 'id'", id="no-id"),
    pytest.param("rules:\n  - id: site.x\n    title: nothing\n", 2, "rule site.x checks nothing", id="no-must"),
    pytest.param(
        "rules:\n  - id: site.x\n    severity: urgent\n    must_contain: a\n",
        3,
        "unknown severity 'urgent'",
        id="severity",
    ),
    pytest.param(
        "rules:\n  - id: site.x\n    must_contain: {a: b}\n", 3, "must_contain must be text or a list", id="shape"
    ),
    pytest.param("rules:\n  - id: site.x\n    must_contain: ''\n", 3, "an empty regular expression", id="empty-regex"),
    pytest.param(
        "rules:\n  - id: site.x\n    missing_section: fail\n    must_contain: a\n",
        3,
        "missing_section needs within",
        id="missing-section-without-within",
    ),
    pytest.param("rules:\n  id: site.x\n", 2, "rules must be a list", id="not-a-list"),
    pytest.param("rules:\n  - site.x\n", 2, "a rule must be a mapping", id="not-a-mapping"),
]


@pytest.mark.parametrize(("text", "line", "reason"), REFUSED)
def test_a_bad_rule_is_refused_with_file_line_and_reason(tmp_path: Path, text: str, line: int, reason: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(PolicyError) as caught:
        Policy.load(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert reason in str(caught.value)


SCAN_REFUSED = [
    pytest.param(
        "rules:\n  - id: site.x\n    must_contain: a\n  - id: services.http\n    must_not_contain: '^ip http'\n",
        4,
        "rule id 'services.http' is already the id of a check of netcomply (HTTP/HTTPS management server disabled)",
        id="clash-with-a-shipped-check",
    ),
    pytest.param(
        "rules:\n  - id: site.x\n    platforms:\n      - cisco_ios\n      - cisco_iosxr\n    must_contain: a\n",
        5,
        "cisco_iosxr",
        id="unknown-platform",
    ),
    pytest.param(
        "rules:\n  - id: site.x\n    platforms: [linux]\n    must_contain: a\n",
        3,
        "linux is a host platform",
        id="server-platform",
    ),
    pytest.param(
        "rules:\n  - id: site.x\n    must_contain: a\n    fix:\n      huawei_vrp: x\n      nokia_sros: y\n",
        6,
        "nokia_sros",
        id="unknown-platform-in-fix",
    ),
    pytest.param(
        "rules:\n  - id: site.x\n    must_contain: a\n    clauses: {form: '5.9.9'}\n",
        4,
        "framework form has no item '5.9.9'",
        id="unknown-form-item",
    ),
    pytest.param(
        "rules:\n  - id: site.x\n    must_contain: a\n    clauses:\n      nist: [AC-1]\n",
        5,
        "unknown framework 'nist'",
        id="unknown-framework",
    ),
]


@pytest.mark.parametrize(("text", "line", "reason"), SCAN_REFUSED)
def test_a_rule_the_rest_of_netcomply_refuses_names_its_line(tmp_path: Path, text: str, line: int, reason: str) -> None:
    path = _write(tmp_path, text)
    policy = Policy.load(path)
    with pytest.raises(RuleError) as caught:
        scan_checks(policy)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert reason in str(caught.value)


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        pytest.param(REFUSED[0].values[0], 3, "bad regular expression", id="bad-regex"),
        pytest.param(REFUSED[2].values[0], 3, "unknown key 'must_contian'", id="unknown-key"),
        pytest.param(REFUSED[3].values[0], 6, "duplicate rule id 'site.x'", id="duplicate-id"),
        pytest.param(SCAN_REFUSED[0].values[0], 4, "already the id of a check", id="shipped-id"),
    ],
)
def test_scan_and_policy_check_refuse_a_bad_rule_file_with_exit_2(
    tmp_path: Path, text: str, line: int, reason: str
) -> None:
    path = _write(tmp_path, text)
    for args in (
        ("scan", "--no-store", "-p", str(path)),
        ("policy", "--check", str(path)),
        ("checks", "-p", str(path)),
    ):
        done = run_cli(*args)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert f"{path}:{line}: " in done.stderr and reason in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
        assert "hq-acc1" not in done.stdout, "nothing was scanned"


def test_policy_check_counts_the_rules_of_a_good_file(tmp_path: Path) -> None:
    done = run_cli("policy", "--check", str(_write(tmp_path, GOOD)))
    assert done.returncode == 0, done.stderr
    assert "3 rule(s)" in done.stdout


def _yaml_block_after(path: Path, heading: str) -> str:
    text = path.read_text()
    start = text.index("```yaml\n", text.index(heading)) + len("```yaml\n")
    return text[start : text.index("```", start)]


@pytest.mark.parametrize(("doc", "heading"), [("README.md", "### Your own rules"), ("CONTRIBUTING.md", "## Rules")])
def test_the_documented_rule_examples_are_valid(tmp_path: Path, doc: str, heading: str) -> None:
    from tests.conftest import ROOT

    path = _write(tmp_path, _yaml_block_after(ROOT / doc, heading))
    policy = Policy.load(path)
    assert policy.rules
    assert {r.id for r in policy.rules} <= {s.id for s in scan_checks(policy)}
