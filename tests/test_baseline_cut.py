"""Issue 16 under issue 13's whole-configuration rule: a baseline failure that rests on something
missing (a statement, a vendor default, a stronger mechanism that may follow) is not given on a
configuration cut short; a failure shown by a line that is there still is."""

from __future__ import annotations

import pytest

from tests.verdicthelpers import COMWARE7, comware, eos, finding, ios, nxos


def cut(config: str, after: str) -> str:
    """``config`` as a transfer that stopped right after the line ``after``."""
    head, found, _ = config.partition(after + "\n")
    assert found, f"{after!r} is not a line of the configuration"
    return head + found


# (check, platform, whole configuration, the last line the cut copy keeps)
UNPROVEN = [
    # EOS never ends an idle SSH session by default; its idle-timeout may be the line after the cut.
    (
        "auth.idle_timeout",
        "arista_eos",
        eos("management console\n   idle-timeout 5\n!\nmanagement ssh\n   idle-timeout 5\n"),
        "management ssh",
    ),
    # The access-class of the vty block may be the line after the cut.
    (
        "access.management_acl",
        "cisco_ios",
        ios("ip access-list standard VTY\n permit 10.10.99.0 0.0.0.255\nline vty 0 4\n access-class VTY in\n"),
        "line vty 0 4",
    ),
    # A weak block-for, and the stronger max-fail that follows it.
    (
        "auth.login_lockout",
        "cisco_ios",
        ios("login block-for 60 attempts 10 within 60\naaa new-model\naaa local authentication attempts max-fail 3\n"),
        "login block-for 60 attempts 10 within 60",
    ),
    # Comware 7 leaves NTP off until "ntp-service enable", which may follow.
    (
        "time.ntp",
        "hp_comware",
        comware(COMWARE7, " ntp-service unicast-server 10.10.99.26\n ntp-service enable\n#\n"),
        " ntp-service unicast-server 10.10.99.26",
    ),
    # The archive block whose "log config" / "logging enable" may follow the cut.
    ("logging.config_changes", "cisco_ios", ios("archive\n log config\n  logging enable\n"), "archive"),
]


@pytest.mark.parametrize(("check", "platform", "config", "after"), UNPROVEN)
def test_a_failure_resting_on_what_is_missing_is_an_error_on_a_cut_configuration(
    check: str, platform: str, config: str, after: str
) -> None:
    assert finding(platform, config, check).status.value == "pass", "the whole configuration passes"
    found = finding(platform, cut(config, after), check)
    assert found.status.value == "error", found.message
    assert "not recognisably whole" in found.message


# (check, platform, configuration cut after a line that fails by itself, words of the message)
PROVEN = [
    (
        "auth.idle_timeout",
        "cisco_ios",
        ios("line vty 0 4\n exec-timeout 0 0\n"),
        " exec-timeout 0 0",
        "never times out",
    ),
    (
        "access.management_acl",
        "cisco_ios",
        ios("access-list 11 permit any\nline vty 0 4\n access-class 11 in\n"),
        " access-class 11 in",
        "permits any source",
    ),
    ("time.ntp", "cisco_nxos", nxos("no feature ntp\n"), "no feature ntp", "NTP is not running"),
]


@pytest.mark.parametrize(("check", "platform", "config", "after", "words"), PROVEN)
def test_a_failure_shown_by_a_line_stands_on_a_cut_configuration(
    check: str, platform: str, config: str, after: str, words: str
) -> None:
    found = finding(platform, cut(config, after), check)
    assert found.status.value == "fail", found.message
    assert words in found.message
    assert found.evidence, "the line that fails is shown"
