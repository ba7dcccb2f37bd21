"""A scanner words each (check, message key, params) once (Scanner._wording): what must still differ.

The message and params of a finding may be remembered across hosts, but never its host, its
waiver (a waiver names hosts) or a severity from another scan's policy; and values that are
equal but format differently (``1``, ``True``, ``1.0``, ``Decimal("1.00")``) are worded apart.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from scanner import engine
from scanner.checkapi import CheckSpec, Context, Result
from scanner.engine import Scanner, ScanOptions
from scanner.facts import Facts
from scanner.model import Finding, HostInfo, Severity, Status
from scanner.policy import Policy
from scanner.snapshot import HostInput
from tests.conftest import FIXTURES
from tests.scanhelpers import load_snapshot

PASS_IOS = FIXTURES / "platforms" / "cisco_ios" / "pass"


def _echo(facts: Facts, ctx: Context) -> Result:
    return Result.fail("seen", value=ctx.host.data["value"])


ECHO = CheckSpec(
    id="test.echo",
    title="echo",
    severity=Severity.LOW,
    rationale="fails with the host's own value",
    func=_echo,
    messages={"seen": "value {value}"},
)


def _scan(policy: Policy, values: dict[str, Any]) -> dict[str, Finding]:
    """One scanner, one host per value (same configuration): each host's finding."""
    scanner = Scanner(ScanOptions(policy=policy), checks=[ECHO])
    snapshot = load_snapshot(PASS_IOS)
    found = {}
    for name, value in values.items():
        [finding] = scanner.scan_host(HostInput(HostInfo(name=name, data={"value": value}), snapshot))
        found[name] = finding
    return found


@pytest.mark.parametrize("kept", [1024, 2])
def test_equal_values_that_format_differently_are_worded_apart(kept: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "_WORDINGS_KEPT", kept)  # 2: emptied while the hosts are scanned
    values = {"a": 1, "b": True, "c": "1", "d": 1.0, "e": Decimal("1.00"), "f": Decimal("1.0"), "g": 1}
    found = _scan(Policy.default(), values)
    expected = {"a": "1", "b": "True", "c": "1", "d": "1.0", "e": "1.00", "f": "1.0", "g": "1"}
    assert {name: f.message for name, f in found.items()} == {n: f"value {v}" for n, v in expected.items()}
    assert {name: dict(f.params) for name, f in found.items()} == {n: {"value": v} for n, v in expected.items()}


def test_a_waiver_stays_with_its_host() -> None:
    policy = Policy.from_text(
        "waivers:\n  - {host: sw-waived, check: test.echo, reason: CHG-1, expires: 2999-01-01}\n", "waivers.yaml"
    )
    found = _scan(policy, {"sw-a": "x", "sw-waived": "x", "sw-b": "x"})
    assert {name: f.host for name, f in found.items()} == {"sw-a": "sw-a", "sw-waived": "sw-waived", "sw-b": "sw-b"}
    assert found["sw-waived"].status is Status.WAIVED
    assert found["sw-waived"].message == "value x (waived until 2999-01-01: CHG-1)"
    for name in ("sw-a", "sw-b"):
        assert (found[name].status, found[name].message, found[name].waiver) == (Status.FAIL, "value x", None)


def test_each_scan_has_its_own_policys_severity() -> None:
    strict = Policy.from_text("checks:\n  severity:\n    test.echo: critical\n", "strict.yaml")
    assert _scan(Policy.default(), {"sw": "x"})["sw"].severity is Severity.LOW
    assert _scan(strict, {"sw": "x"})["sw"].severity is Severity.CRITICAL
    assert _scan(Policy.default(), {"sw": "x"})["sw"].severity is Severity.LOW


def test_a_server_check_on_switches_is_not_applicable_per_host_and_platform() -> None:
    """The "other kind" verdict is worded once per (check, platform) and made anew for each host."""
    scanner = Scanner(ScanOptions(policy=Policy.default()))
    hosts = {
        "sw1": load_snapshot(PASS_IOS),
        "sw2": load_snapshot(PASS_IOS),
        "leaf1": load_snapshot(FIXTURES / "platforms" / "arista_eos" / "pass"),
    }
    found = {}
    for name, snapshot in hosts.items():
        for finding in scanner.scan_host(HostInput(HostInfo(name=name), snapshot)):
            if finding.check == "host.antivirus":
                found[name] = finding
    assert {name: (f.host, f.status, f.platform) for name, f in found.items()} == {
        "sw1": ("sw1", Status.NOT_APPLICABLE, "cisco_ios"),
        "sw2": ("sw2", Status.NOT_APPLICABLE, "cisco_ios"),
        "leaf1": ("leaf1", Status.NOT_APPLICABLE, "arista_eos"),
    }
    assert "Cisco IOS" in found["sw2"].message and "Arista EOS" in found["leaf1"].message
    assert found["sw1"].message == found["sw2"].message
    assert found["sw1"].params == found["sw2"].params and found["sw1"].params is not found["sw2"].params
