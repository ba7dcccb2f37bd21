"""Every check, passing and failing, on each Cisco-family platform (hand-written fixtures)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.model import Status
from tests.conftest import FIXTURES
from tests.scanhelpers import scan_snapshot_dir

PLATFORMS = FIXTURES / "platforms"
PASS, FAIL, NA = Status.PASS, Status.FAIL, Status.NOT_APPLICABLE
# The device baseline of issue 16: every "pass" fixture meets it, every "fail" fixture misses it.
BASELINE = (
    "auth.login_lockout",
    "auth.idle_timeout",
    "access.management_acl",
    "time.ntp",
    "logging.timestamps",
    "services.ssh_version",
    "logging.config_changes",
)

EXPECTED = {
    "cisco_ios": {
        "services.http": (PASS, FAIL),
        "services.ftp": (PASS, FAIL),
        "services.tftp": (PASS, FAIL),
        "services.telnet": (PASS, FAIL),
        "snmp.community_strength": (PASS, FAIL),
        "snmp.community_write": (PASS, FAIL),
        "auth.local_password": (PASS, FAIL),
        "logging.remote": (PASS, FAIL),
        "power.redundant": (PASS, FAIL),
        **dict.fromkeys(BASELINE, (PASS, FAIL)),
    },
    "cisco_nxos": {
        "services.http": (PASS, FAIL),
        "services.ftp": (PASS, PASS),
        "services.tftp": (NA, NA),
        "services.telnet": (PASS, FAIL),
        "snmp.community_strength": (PASS, FAIL),
        "snmp.community_write": (PASS, FAIL),
        "auth.local_password": (PASS, FAIL),
        "logging.remote": (PASS, FAIL),
        "power.redundant": (PASS, FAIL),
        **dict.fromkeys(BASELINE, (PASS, FAIL)),
        # NX-OS speaks SSH 2 only, stamps logs with the date and keeps an accounting log: nothing to fail.
        "services.ssh_version": (PASS, PASS),
        "logging.timestamps": (PASS, PASS),
        "logging.config_changes": (PASS, PASS),
    },
    "arista_eos": {
        "services.http": (PASS, FAIL),
        "services.ftp": (PASS, PASS),
        "services.tftp": (NA, NA),
        "services.telnet": (PASS, FAIL),
        "snmp.community_strength": (PASS, FAIL),
        "snmp.community_write": (PASS, FAIL),
        "auth.local_password": (PASS, FAIL),
        "logging.remote": (PASS, FAIL),
        "power.redundant": (PASS, FAIL),
        **dict.fromkeys(BASELINE, (PASS, FAIL)),
        # EOS speaks SSH 2 only and stamps logs with the date: nothing to fail.
        "services.ssh_version": (PASS, PASS),
        "logging.timestamps": (PASS, PASS),
    },
}

CASES = [
    (platform, check, variant, statuses[i])
    for platform, checks in EXPECTED.items()
    for check, statuses in checks.items()
    for i, variant in enumerate(("pass", "fail"))
]


@pytest.fixture(scope="module")
def findings() -> dict[tuple[str, str], dict]:
    return {
        (platform, variant): scan_snapshot_dir(PLATFORMS / platform / variant, role="core")
        for platform in EXPECTED
        for variant in ("pass", "fail")
    }


@pytest.mark.parametrize(("platform", "check", "variant", "expected"), CASES)
def test_check_verdict(findings, platform: str, check: str, variant: str, expected: Status) -> None:
    finding = findings[(platform, variant)][check]
    assert finding.status is expected, finding.message
    if expected is FAIL:
        # A failure shows the line that causes it, or, for an absent statement, the default that applies.
        assert finding.evidence or check in ("logging.remote", "time.ntp") or "default" in finding.message
        assert finding.remediation, "a failure says how to fix it"


def _line(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def test_evidence_points_at_the_offending_line(findings) -> None:
    config = PLATFORMS / "cisco_ios" / "fail" / "show_running-config.txt"
    http = findings[("cisco_ios", "fail")]["services.http"]
    assert [(e.source, e.line, e.text) for e in http.evidence] == [
        ("show running-config", _line(config, "ip http server"), "ip http server"),
        ("show running-config", _line(config, "ip http secure-server"), "ip http secure-server"),
    ]
    assert http.evidence[0].path is not None and http.evidence[0].path.endswith("show_running-config.txt")
    tftp = findings[("cisco_ios", "fail")]["services.tftp"]
    assert tftp.remediation == ("no tftp-server flash:c2960-lanbasek9-mz.150-2.SE11.bin",)


def test_remediation_is_in_each_vendors_syntax(findings) -> None:
    assert findings[("cisco_ios", "fail")]["services.http"].remediation == (
        "no ip http server",
        "no ip http secure-server",
    )
    assert findings[("cisco_nxos", "fail")]["services.telnet"].remediation == ("no feature telnet",)
    assert findings[("arista_eos", "fail")]["services.telnet"].remediation == ("management telnet", "   shutdown")


def test_type7_passwords_are_decoded_and_measured(findings) -> None:
    auth = findings[("cisco_ios", "fail")]["auth.local_password"]
    assert "admin (stored with a reversible encoding (type7)" in auth.message
    assert "guest (stored in clear text" in auth.message


def test_power_failure_names_the_supply(findings) -> None:
    power = findings[("cisco_ios", "fail")]["power.redundant"]
    assert "1 of 2 power supplies working, 2 required: failed: 1B" in power.message
    assert "No Input Power" in power.message
    assert power.evidence[-1].text.startswith("1B")


def test_power_is_not_required_of_an_access_switch() -> None:
    finding = scan_snapshot_dir(PLATFORMS / "cisco_ios" / "fail", role="access")["power.redundant"]
    assert finding.status is NA


def test_critical_host_needs_dual_power_whatever_its_role() -> None:
    finding = scan_snapshot_dir(PLATFORMS / "cisco_ios" / "fail", role="access", critical=True)["power.redundant"]
    assert finding.status is FAIL
