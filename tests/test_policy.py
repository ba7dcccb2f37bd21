"""The policy file: thresholds, enabled checks, severity overrides, waivers, and bad files."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from scanner.model import Severity, Status
from scanner.policy import Policy, PolicyError
from tests.conftest import FIXTURES, run_cli
from tests.scanhelpers import scan_snapshot_dir

FAIL_IOS = FIXTURES / "platforms" / "cisco_ios" / "fail"
PASS_IOS = FIXTURES / "platforms" / "cisco_ios" / "pass"


def test_default_policy_matches_the_form() -> None:
    policy = Policy.default()
    assert policy.threshold("snmp_community_min_length") == 9, "more than 8 characters"
    assert policy.threshold("password_min_length_admin") == 9
    assert policy.threshold("password_min_length_user") == 7
    assert "public" in policy.weak_words and "cisco" in policy.weak_words


def test_a_stricter_threshold_fails_a_community_that_passed(tmp_path: Path) -> None:
    strict = Policy.from_text("thresholds:\n  snmp_community_min_length: 16\n", "strict.yaml")
    assert scan_snapshot_dir(PASS_IOS)["snmp.community_strength"].status is Status.PASS
    finding = scan_snapshot_dir(PASS_IOS, policy=strict)["snmp.community_strength"]
    assert finding.status is Status.FAIL
    assert "at least 16 required" in finding.message


def test_disabled_checks_do_not_run() -> None:
    policy = Policy.from_text("checks:\n  disable: ['services.*']\n", "p.yaml")
    findings = scan_snapshot_dir(FAIL_IOS, policy=policy)
    assert not [c for c in findings if c.startswith("services.")]
    assert "snmp.community_write" in findings


def test_severity_override_changes_the_exit_code(tmp_path: Path) -> None:
    host = tmp_path / "snaps" / "sw"
    host.mkdir(parents=True)
    config = (PASS_IOS / "show_running-config.txt").read_text().replace("logging host 10.10.99.20\n", "")
    (host / "show_running-config.txt").write_text(config)
    (host / "meta.yaml").write_text("platform: cisco_ios\n")
    policy = tmp_path / "p.yaml"
    policy.write_text("checks:\n  severity:\n    logging.remote: info\n")
    assert run_cli("scan", "-s", str(tmp_path / "snaps")).returncode == 1
    proc = run_cli("scan", "-s", str(tmp_path / "snaps"), "--policy", str(policy))
    assert proc.returncode == 0, proc.stdout


def _waiver_policy(expires: date) -> Policy:
    return Policy.from_text(
        "waivers:\n"
        "  - host: sw*\n"
        "    check: services.http\n"
        "    reason: web UI needed until the migration, CHG-2291\n"
        f"    expires: {expires.isoformat()}\n",
        "waivers.yaml",
    )


def test_waiver_reports_waived_until_it_expires(tmp_path: Path) -> None:
    host = tmp_path / "sw9"
    host.mkdir()
    for item in FAIL_IOS.iterdir():
        (host / item.name).write_bytes(item.read_bytes())
    active = scan_snapshot_dir(host, policy=_waiver_policy(date(2999, 1, 1)))["services.http"]
    assert active.status is Status.WAIVED
    assert active.waiver is not None and "CHG-2291" in active.message
    expired = scan_snapshot_dir(host, policy=_waiver_policy(date(2020, 1, 1)))["services.http"]
    assert expired.status is Status.FAIL
    assert "waiver expired on 2020-01-01" in expired.message
    assert scan_snapshot_dir(host, policy=_waiver_policy(date(2999, 1, 1)))["services.ftp"].status is Status.FAIL


def test_waived_failures_do_not_fail_the_run(tmp_path: Path) -> None:
    host = tmp_path / "snaps" / "sw1"
    host.mkdir(parents=True)
    # The web server is on (waived), and restricted to the management hosts (access.management_acl).
    config = (PASS_IOS / "show_running-config.txt").read_text()
    config = config.replace("no ip http server", "ip http server\nip http access-class ipv4 VTY-MGMT")
    (host / "show_running-config.txt").write_text(config)
    (host / "meta.yaml").write_text("platform: cisco_ios\n")
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "waivers:\n  - {host: sw1, check: services.http, reason: vendor tool needs it, expires: 2999-12-31}\n"
    )
    out = tmp_path / "r.json"
    proc = run_cli("scan", "-s", str(tmp_path / "snaps"), "-p", str(policy), "-f", "json", "-o", str(out))
    assert proc.returncode == 0
    http = next(f for f in json.loads(out.read_text())["findings"] if f["check"] == "services.http")
    assert http["status"] == "waived" and http["waiver"]["expires"] == "2999-12-31"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "thresholds:\n  snmp_comunity_min_length: 12\n",
            "p.yaml, line 2: thresholds.snmp_comunity_min_length: unknown key "
            "(did you mean 'snmp_community_min_length'?)",
        ),
        ("thresholds:\n  snmp_community_min_length: twelve\n", "must be a whole number"),
        ("checks:\n  severity: {services.http: urgent}\n", "unknown severity 'urgent'"),
        ("waivers:\n  - {host: a, check: b, reason: c}\n", "missing expires"),
        ("waivers:\n  - {host: a, check: b, reason: c, expires: soon}\n", "must be a date"),
        ("- just\n- a list\n", "must be a mapping"),
        ("thresholds: [\n", "not valid YAML"),
    ],
)
def test_bad_policies_are_rejected_with_the_path_to_the_problem(text: str, message: str) -> None:
    with pytest.raises(PolicyError, match=re.escape(message)):
        Policy.from_text(text, "p.yaml")


def test_bad_policy_on_the_command_line_exits_2(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text("thresholds:\n  snmp_comunity_min_length: 12\n")
    proc = run_cli("scan", "-s", str(FAIL_IOS.parent), "--policy", str(policy))
    assert proc.returncode == 2
    assert "unknown key" in proc.stderr and "Traceback" not in proc.stderr


def test_policy_command_prints_a_default_that_loads() -> None:
    proc = run_cli("policy")
    assert proc.returncode == 0
    assert Policy.from_text(proc.stdout, "printed").threshold("snmp_community_min_length") == 9


def test_severity_parse() -> None:
    assert Severity.parse("HIGH") is Severity.HIGH
    with pytest.raises(ValueError, match="unknown severity"):
        Severity.parse("urgent")
