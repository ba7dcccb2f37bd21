"""Issue 16: auth.login_lockout and auth.idle_timeout on every platform (pass, fail, vendor default, hostile)."""

from __future__ import annotations

import pytest

from checks import get_check
from tests.verdicthelpers import COMWARE5, COMWARE7, comware, eos, finding, huawei, ios, iosxe, junos, nxos, policy

LOCKOUT = "auth.login_lockout"
IDLE = "auth.idle_timeout"
IOS_LINES = "line con 0\n exec-timeout 5 0\nline vty 0 4\n transport input ssh\n"


# (platform, configuration, status, words the message must hold, a line the fix must hold)
LOCKOUT_CASES = [
    ("cisco_ios", ios("login block-for 300 attempts 5 within 120\n"), "pass", "after 5 failed", ""),
    (
        "cisco_ios",
        ios("aaa new-model\naaa local authentication attempts max-fail 3\n"),
        "pass",
        "until an administrator",
        "",
    ),
    (
        "cisco_ios",
        ios(IOS_LINES),
        "fail",
        "IOS default: failed logins are not limited",
        "login block-for 300 attempts 5",
    ),
    (
        "cisco_ios",
        ios("login block-for 60 attempts 5 within 60\n"),
        "fail",
        "for 1 minute(s), at least 5",
        "login block-for",
    ),
    # Looks configured, but fifty guesses a minute are allowed.
    (
        "cisco_ios",
        ios("login block-for 900 attempts 50 within 10\n"),
        "fail",
        "50 failed attempts allowed",
        "attempts 5",
    ),
    ("cisco_xe", iosxe("login block-for 600 attempts 3 within 60\n"), "pass", "after 3 failed", ""),
    # The quiet-mode list names the hosts that may still log in during the block: "permit any"
    # leaves a block that blocks no one; a management host alone is what the command is for.
    (
        "cisco_ios",
        ios(
            "ip access-list standard QUIET\n permit any\n"
            "login block-for 300 attempts 3 within 60\nlogin quiet-mode access-class QUIET\n"
        ),
        "fail",
        "'login quiet-mode access-class QUIET' exempts every source from the block (permit any)",
        "no login quiet-mode access-class QUIET",
    ),
    (
        "cisco_ios",
        ios(
            "ip access-list standard QUIET\n permit 10.10.99.5\n"
            "login block-for 300 attempts 3 within 60\nlogin quiet-mode access-class QUIET\n"
        ),
        "pass",
        "after 3 failed",
        "",
    ),
    ("cisco_xe", iosxe(""), "fail", "IOS default: failed logins are not limited", "login block-for 300 attempts 5"),
    ("cisco_nxos", nxos("system login block-for 300 attempts 3 within 60\n"), "pass", "after 3 failed", ""),
    # NX-OS 9 writes "system login block-for" (the fix follows the release in the configuration).
    ("cisco_nxos", nxos(""), "fail", "NX-OS default", "system login block-for 300 attempts 5 within 120"),
    ("cisco_nxos", nxos("aaa authentication rejected 100 in 60 ban 300\n"), "fail", "100 failed attempts", ""),
    ("arista_eos", eos("aaa authentication policy lockout failure 5 duration 600\n"), "pass", "for 10 minute(s)", ""),
    ("arista_eos", eos(""), "fail", "EOS default", "aaa authentication policy lockout failure 5 duration 300"),
    (
        "arista_eos",
        eos("aaa authentication policy lockout failure 3 window 60 duration 30\n"),
        "fail",
        "30 second(s)",
        "",
    ),
    ("huawei", huawei(""), "pass", "decided by vendor default: Huawei default: a local account is locked", ""),
    (
        "huawei",
        huawei("aaa\n undo local-aaa-user wrong-password\n"),
        "fail",
        "turned off",
        "local-aaa-user wrong-password",
    ),
    (
        "huawei",
        huawei("aaa\n local-aaa-user wrong-password retry-interval 5 retry-time 65535 block-time 5\n"),
        "fail",
        "65535 failed attempts",
        " local-aaa-user wrong-password retry-interval 5 retry-time 5 block-time 5",
    ),
    (
        "hp_comware",
        comware(COMWARE7, ""),
        "fail",
        "not enabled (Comware 7 default: no login lockout",
        "password-control enable",
    ),
    # Password control on, the login-attempt default: 3 tries, then only a 1-minute wait.
    ("hp_comware", comware(COMWARE7, " password-control enable\n#\n"), "fail", "1 minute(s), at least 5", ""),
    (
        "hp_comware",
        comware(COMWARE7, " password-control enable\n password-control login-attempt 5 exceed lock-time 10\n#\n"),
        "pass",
        "for 10 minute(s)",
        "",
    ),
    (
        "hp_comware",
        comware(COMWARE5, " password-control enable\n password-control login-attempt 3 exceed lock\n#\n"),
        "pass",
        "until an administrator",
        "",
    ),
    (
        "hp_comware",
        comware(COMWARE7, " password-control enable\n password-control login-attempt 3 exceed unlock\n#\n"),
        "fail",
        "only disconnected",
        "password-control login-attempt 5 exceed lock-time 5",
    ),
    (
        "juniper_junos",
        junos(
            "set system login retry-options tries-before-disconnect 5\n"
            "set system login retry-options lockout-period 10\n"
        ),
        "pass",
        "after 5 failed",
        "",
    ),
    ("juniper_junos", junos(""), "fail", "Junos default", "set system login retry-options lockout-period 5"),
    # A long lockout, but the default 10 tries before it.
    ("juniper_junos", junos("set system login retry-options lockout-period 30\n"), "fail", "10 failed attempts", ""),
]


@pytest.mark.parametrize(("platform", "config", "status", "words", "fix"), LOCKOUT_CASES)
def test_login_lockout(platform: str, config: str, status: str, words: str, fix: str) -> None:
    found = finding(platform, config, LOCKOUT)
    assert found.status.value == status, found.message
    assert words in found.message
    if fix:
        assert any(fix in line for line in found.remediation), found.remediation
    if status == "fail" and "default" not in found.message:
        assert found.evidence, "a failure not decided by a default shows its lines"


def test_lockout_thresholds_come_from_the_policy() -> None:
    config = eos("aaa authentication policy lockout failure 10 duration 120\n")
    assert finding("arista_eos", config, LOCKOUT).status.value == "fail"
    loose = policy("thresholds:\n  login_lockout_max_attempts: 10\n  login_lockout_min_minutes: 2\n")
    assert finding("arista_eos", config, LOCKOUT, loose).status.value == "pass"


# ---- idle timeout ------------------------------------------------------------------------------

IDLE_CASES = [
    (
        "cisco_ios",
        ios("line con 0\nline vty 0 4\n transport input ssh\n"),
        "pass",
        "no 'exec-timeout' under 'line vty 0 4': IOS default 10 minutes applies",
        "",
    ),
    # One range compliant, the next never times out: only that one fails, with its own fix.
    (
        "cisco_ios",
        ios("line con 0\n exec-timeout 5 0\nline vty 0 4\n exec-timeout 5 0\nline vty 5 15\n exec-timeout 0 0\n"),
        "fail",
        "line vty 5 15: never times out (exec-timeout 0 0)",
        " exec-timeout 10 0",
    ),
    ("cisco_ios", ios("line con 0\n no exec-timeout\nline vty 0 4\n"), "fail", "line con 0: never times out", ""),
    ("cisco_ios", ios("line con 0\nline vty 0 4\n exec-timeout 30\n"), "fail", "30 minute(s)", ""),
    # A vty range that takes no input starts no session.
    (
        "cisco_ios",
        ios("line con 0\nline vty 0 4\nline vty 5 15\n exec-timeout 0 0\n transport input none\n"),
        "pass",
        "line vty 0 4",
        "",
    ),
    (
        "cisco_xe",
        iosxe("line con 0\n exec-timeout 10 0\nline vty 0 15\n exec-timeout 0 30\n"),
        "pass",
        "30 second(s)",
        "",
    ),
    # The IOS default of 10 minutes on the console, a vty range that never ends a session.
    (
        "cisco_xe",
        iosxe("line con 0\n stopbits 1\nline vty 0 4\n exec-timeout 0 0\n transport input ssh\nline vty 5 15\n"),
        "fail",
        "1 management session type(s) idle longer than 10 minute(s): line vty 0 4: never times out (exec-timeout 0 0)",
        " exec-timeout 10 0",
    ),
    (
        "cisco_nxos",
        nxos(""),
        "fail",
        "line vty: never times out (no 'exec-timeout' under 'line vty': NX-OS default 0 (never) applies)",
        "  exec-timeout 10",
    ),
    ("cisco_nxos", nxos("line console\n  exec-timeout 10\nline vty\n  exec-timeout 5\n"), "pass", "line vty: 5", ""),
    ("arista_eos", eos(""), "fail", "EOS default 0 (never)", "   idle-timeout 10"),
    (
        "arista_eos",
        eos("management console\n   idle-timeout 10\n!\nmanagement ssh\n   idle-timeout 5\n"),
        "pass",
        "management ssh: 5",
        "",
    ),
    # SSH set, the console forgotten.
    ("arista_eos", eos("management ssh\n   idle-timeout 5\n"), "fail", "management console: never", ""),
    ("huawei", huawei("user-interface con 0\nuser-interface vty 0 4\n"), "pass", "Huawei VRP V200R019 default 10", ""),
    (
        "huawei",
        huawei("user-interface vty 0 4\n idle-timeout 5 0\nuser-interface vty 16 20\n idle-timeout 0 0\n"),
        "fail",
        "user-interface vty 16 20: never",
        " idle-timeout 10 0",
    ),
    # The line is fine, the account itself never times out.
    (
        "huawei",
        huawei("aaa\n local-user netops idle-timeout 0 0\n#\nuser-interface vty 0 4\n idle-timeout 5 0\n"),
        "fail",
        "local-user netops (users netops): never",
        " local-user netops idle-timeout 10 0",
    ),
    # Comware 7: the class setting applies to the line that sets none.
    (
        "hp_comware",
        comware(COMWARE7, "line class vty\n idle-timeout 0 0\n#\nline vty 0 63\n authentication-mode scheme\n#\n"),
        "fail",
        "'line class vty' sets it",
        " idle-timeout 10 0",
    ),
    (
        "hp_comware",
        comware(COMWARE7, "line class vty\n idle-timeout 0 0\n#\nline vty 0 63\n idle-timeout 5 0\n#\n"),
        "pass",
        "line vty 0 63: 5",
        "",
    ),
    ("hp_comware", comware(COMWARE5, "user-interface vty 0 4\n idle-timeout 20 0\n#\n"), "fail", "20 minute(s)", ""),
    (
        "juniper_junos",
        junos("set system login user ops uid 2001\nset system login user ops class super-user\n"),
        "fail",
        "predefined class super-user has no idle-timeout",
        "set system login class super-user-idle idle-timeout 10",
    ),
    (
        "juniper_junos",
        junos(
            "set system login class ops-class permissions all\nset system login class ops-class idle-timeout 10\n"
            "set system login user ops class ops-class\n"
        ),
        "pass",
        "login class ops-class: 10",
        "",
    ),
    (
        "juniper_junos",
        junos("set system login class slow idle-timeout 60\nset system login user ops class slow\n"),
        "fail",
        "60 minute(s)",
        "set system login class slow idle-timeout 10",
    ),
]


@pytest.mark.parametrize(("platform", "config", "status", "words", "fix"), IDLE_CASES)
def test_idle_timeout(platform: str, config: str, status: str, words: str, fix: str) -> None:
    found = finding(platform, config, IDLE)
    assert found.status.value == status, found.message
    assert words in found.message
    if fix:
        assert fix in found.remediation, found.remediation


def test_junos_fix_moves_the_users_of_a_predefined_class_to_a_timed_one() -> None:
    config = junos("set system login user ops uid 2001\nset system login user ops class super-user\n")
    assert finding("juniper_junos", config, IDLE).remediation == (
        "set system login class super-user-idle permissions [ all ]",
        "set system login class super-user-idle idle-timeout 10",
        "set system login user ops class super-user-idle",
    )


def test_junos_root_alone_is_not_judged() -> None:
    assert finding("juniper_junos", junos(""), IDLE).status.value == "not_applicable"


def test_idle_limit_comes_from_the_policy() -> None:
    config = huawei("user-interface vty 0 4\n idle-timeout 8 0\n")
    assert finding("huawei", config, IDLE).status.value == "pass"
    strict = policy("thresholds:\n  idle_timeout_max_minutes: 5\n")
    found = finding("huawei", config, IDLE, strict)
    assert found.status.value == "fail" and " idle-timeout 5 0" in found.remediation


def test_no_line_read_is_not_assessed_not_not_applicable() -> None:
    """Every VRP prints its console and vty lines: a configuration without them was not assessed,
    and the audit form must say so (未核查), not that idle timeouts do not apply (不适用)."""
    found = finding("huawei", huawei(""), IDLE)
    assert found.status.value == "not_applicable"
    assert "no console or vty line read" in found.message
    assert not get_check(IDLE).assessed(found.status, found.key)
    junos_found = finding("juniper_junos", junos(""), IDLE)
    assert get_check(IDLE).assessed(junos_found.status, junos_found.key), "root alone is a real not-applicable"
