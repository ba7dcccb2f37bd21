"""Issue 13, section 2: remote logging, power, community storage, host password age."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.test_linux_offline import scan_host
from tests.verdicthelpers import COMWARE7, comware, eos, findings, huawei, ios, junos, line_of, lines, policy, status

# ---- logging.remote ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "config", "off_line"),
    [
        ("cisco_ios", ios("logging trap informational\nlogging host 10.10.99.20\nno logging on\n"), "no logging on"),
        ("cisco_ios", ios("logging host 10.10.99.20\nno logging trap\n"), "no logging trap"),
        ("arista_eos", eos("logging host 10.10.99.20\nno logging on\n"), "no logging on"),
        ("huawei", huawei("undo info-center enable\ninfo-center loghost 10.10.99.20\n"), "undo info-center enable"),
    ],
)
def test_logging_turned_off_fails_whatever_hosts_are_named(platform: str, config: str, off_line: str) -> None:
    found = findings(platform, config)
    assert status(found, "logging.remote") == "fail"
    assert "turned off" in found["logging.remote"].message
    assert lines(found, "logging.remote")[0] == line_of(config, off_line)


@pytest.mark.parametrize(
    ("platform", "config", "host"),
    [
        ("huawei", huawei("info-center loghost domain syslog.plant.example.net\n"), "syslog.plant.example.net"),
        ("huawei", huawei("info-center loghost 10.20.99.20 vpn-instance MGMT facility local6\n"), "10.20.99.20"),
        ("huawei", huawei("info-center loghost ipv6 2001:db8::20 vpn-instance MGMT\n"), "2001:db8::20"),
        ("hp_comware", comware(COMWARE7, " info-center loghost vpn-instance MGMT 10.20.99.20\n#\n"), "10.20.99.20"),
    ],
)
def test_huawei_and_h3c_log_hosts_by_domain_or_in_a_vpn_instance_pass(platform: str, config: str, host: str) -> None:
    found = findings(platform, config)
    assert status(found, "logging.remote") == "pass", found["logging.remote"].message
    assert found["logging.remote"].message == f"logs are sent to {host}"


@pytest.mark.parametrize(
    ("platform", "config"),
    [
        ("cisco_ios", ios("logging host 127.0.0.1\n")),
        ("arista_eos", eos("logging host ::1\n")),
        ("huawei", huawei("info-center loghost 127.0.0.1\n")),
        ("juniper_junos", junos("set system syslog host localhost any any\n")),
        ("cisco_ios", ios("logging host ipv6 ::ffff:127.0.0.1\n")),
    ],
)
def test_a_log_host_on_the_device_itself_is_not_remote(platform: str, config: str) -> None:
    found = findings(platform, config)
    assert status(found, "logging.remote") == "fail"
    assert "is the device itself" in found["logging.remote"].message


def test_a_remote_host_beside_a_local_one_passes_and_only_it_is_named() -> None:
    found = findings("cisco_ios", ios("logging host 127.0.0.1\nlogging host 10.10.99.20\n"))
    assert found["logging.remote"].message == "logs are sent to 10.10.99.20"


# ---- power.redundant --------------------------------------------------------------------

INVENTORY_TWO_PSU = """\
NAME: "Switch 1", DESCR: "WS-C3850-24P"
PID: WS-C3850-24P      , VID: V07  , SN: FCW1933C1XY

NAME: "Switch 1 - Power Supply A", DESCR: "Switch 1 - Power Supply A"
PID: PWR-C1-715WAC     , VID: V02  , SN: LIT21460XYZ

NAME: "Switch 1 - Power Supply B", DESCR: "Switch 1 - Power Supply B"
PID: PWR-C1-715WAC     , VID: V02  , SN: LIT21460XZA
"""
ENVIRONMENT_THREE = """\
SW  PID                 Serial#     Status           Sys Pwr  PoE Pwr  Watts
--  ------------------  ----------  ---------------  -------  -------  -----
1A  PWR-C1-715WAC       LIT21460XYZ  OK              Good     Good     715
1B  PWR-C1-715WAC       LIT21460XZA  No Input Power  Bad      Bad      715
2A  PWR-C1-715WAC       LIT21460XZB  OK              Good     Good     715
"""
PEM_UNREADABLE = "Chassis environment information is being collected, please retry later\n"


def _power(**outputs: str) -> dict:
    return findings("cisco_ios", ios(""), **outputs)


def test_three_supplies_with_one_failed_pass_when_two_work() -> None:
    power = _power(**{"show inventory": INVENTORY_TWO_PSU, "show environment power all": ENVIRONMENT_THREE})[
        "power.redundant"
    ]
    assert power.status.value == "pass", power.message
    assert power.message.startswith("2 of 3 power supplies working (2 required)")
    assert "failed beyond the required number: 1B (PWR-C1-715WAC No Input Power)" in power.message


def test_the_working_count_is_a_policy_threshold() -> None:
    outputs = {"show inventory": INVENTORY_TWO_PSU, "show environment power all": ENVIRONMENT_THREE}
    found = findings("cisco_ios", ios(""), policy("power:\n  min_working_supplies: 3\n"), **outputs)
    assert status(found, "power.redundant") == "fail"
    assert "2 of 3 power supplies working, 3 required: failed: 1B" in found["power.redundant"].message


def test_supplies_whose_state_is_unknown_are_not_working_ones() -> None:
    # The environment command was refused: only the inventory lists the two supplies.
    power = _power(
        **{
            "show inventory": INVENTORY_TWO_PSU,
            "show environment power all": "% Invalid input detected at '^' marker.\n",
        }
    )["power.redundant"]
    assert power.status.value == "fail"
    assert "0 of 2 power supplies working, 2 required: state not reported" in power.message


def test_power_output_that_cannot_be_understood_is_an_error_not_a_single_supply() -> None:
    inventory_without_psu = 'NAME: "Switch 1", DESCR: "WS-C3850-24P"\nPID: WS-C3850-24P      , VID: V07  , SN: FCW1\n'
    power = _power(**{"show inventory": inventory_without_psu, "show environment power all": PEM_UNREADABLE})[
        "power.redundant"
    ]
    assert power.status.value == "error"
    assert "no power supply recognised in the output" in power.message
    assert "show environment power all" in power.message


# ---- snmp.community_strength: one strength rule, storage said beside it -------------------


@pytest.mark.parametrize(
    ("platform", "config", "storage"),
    [
        ("cisco_ios", ios("snmp-server community Pl4ntRo2026x RO 10\n"), False),
        ("arista_eos", eos("snmp-server community Pl4ntRo2026x ro\n"), False),
        ("huawei", huawei("snmp-agent community read simple Pl4ntRo2026x acl 2001\n"), True),
        ("huawei", huawei("snmp-agent community read Pl4ntRo2026x\n"), True),
        ("hp_comware", comware(COMWARE7, " snmp-agent community read simple Pl4ntRo2026x\n#\n"), True),
        ("juniper_junos", junos("set snmp community Pl4ntRo2026x authorization read-only\n"), False),
    ],
)
def test_a_strong_clear_text_community_passes_on_every_vendor(platform: str, config: str, storage: bool) -> None:
    strength = findings(platform, config)["snmp.community_strength"]
    assert strength.status.value == "pass", strength.message
    assert strength.message.startswith("1 SNMP community(ies), all strong")
    assert ("stored in clear text where the device can store cipher text" in strength.message) is storage


@pytest.mark.parametrize(
    ("platform", "config"),
    [
        ("cisco_ios", ios("snmp-server community Plant26 RO\n")),
        ("huawei", huawei("snmp-agent community read simple Plant26\n")),
        ("hp_comware", comware(COMWARE7, " snmp-agent community read simple Plant26\n#\n")),
    ],
)
def test_a_weak_clear_text_community_fails_for_the_same_reasons_on_every_vendor(platform: str, config: str) -> None:
    strength = findings(platform, config)["snmp.community_strength"]
    assert strength.status.value == "fail"
    assert strength.message.startswith("weak SNMP community(ies): Pl*** (7 characters, at least 9 required)")


# ---- host.password_age ------------------------------------------------------------------


def test_pass_max_days_fails_on_its_own_when_shadow_is_unreadable(tmp_path: Path) -> None:
    host = tmp_path / "rocky-user"
    shutil.copytree(FIXTURES / "linux" / "rocky-user", host)
    defs = host / "cat_etc_login_defs.txt"
    defs.write_text(defs.read_text().replace("PASS_MAX_DAYS\t90", "PASS_MAX_DAYS\t365"))
    age = scan_host(host)["host.password_age"]
    assert age.status.value == "fail", age.message
    assert "PASS_MAX_DAYS 365 for new accounts" in age.message
    assert "each account's own aging could not be read" in age.message
    assert age.evidence[0].source.endswith("login.defs")


def test_a_compliant_login_defs_still_waits_for_shadow() -> None:
    age = scan_host(FIXTURES / "linux" / "rocky-user")["host.password_age"]
    assert age.status.value == "error"
