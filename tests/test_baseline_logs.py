"""Issue 16: time.ntp, logging.timestamps, services.ssh_version and logging.config_changes on every platform."""

from __future__ import annotations

import pytest

from tests.verdicthelpers import COMWARE5, COMWARE7, comware, eos, finding, huawei, ios, iosxe, junos, nxos, policy

NTP, STAMPS, SSH, CHANGES = "time.ntp", "logging.timestamps", "services.ssh_version", "logging.config_changes"
IOS_AUTH = "ntp authentication-key 1 md5 0822455D0A16 7\nntp authenticate\nntp trusted-key 1\n"

# (platform, configuration, status, words the message must hold, a line the fix must hold)
NTP_CASES = [
    ("cisco_ios", ios("ntp server 10.10.99.26\nntp server 10.10.99.27\n"), "pass", "2 NTP server(s)", ""),
    ("cisco_ios", ios(""), "fail", "0 NTP server(s) configured, at least 1", "ntp server <ntp-server>"),
    # The device's own clock is no time server.
    (
        "cisco_ios",
        ios("ntp master 3\nntp server 127.127.1.1\n"),
        "fail",
        "127.127.1.1 is the device's own clock, not a time server; line 22: 'ntp master'",
        "",
    ),
    # A server, but NTP dropped on the interface it is sourced from.
    (
        "cisco_ios",
        ios(
            "interface Loopback0\n ip address 10.30.255.1 255.255.255.255\n ntp disable\n!\n"
            "ntp source Loopback0\nntp server 10.10.99.26\n"
        ),
        "fail",
        "NTP is not running (ntp disable)",
        " no ntp disable",
    ),
    ("cisco_ios", ios(IOS_AUTH + "ntp server 10.10.99.26 key 1\n"), "pass", "all authenticated", ""),
    ("cisco_xe", iosxe("ntp server vrf Mgmt-vrf 10.10.99.26\n"), "pass", "10.10.99.26 (vrf Mgmt-vrf)", ""),
    ("cisco_xe", iosxe(""), "fail", "0 NTP server(s) configured, at least 1", "ntp server <ntp-server>"),
    ("cisco_nxos", nxos("ntp server 10.10.99.26 use-vrf management\n"), "pass", "(vrf management)", ""),
    ("cisco_nxos", nxos(""), "fail", "0 NTP server(s)", "ntp server <ntp-server> use-vrf management"),
    ("arista_eos", eos("ntp server vrf MGMT 10.10.99.26 iburst\n"), "pass", "10.10.99.26 (vrf MGMT)", ""),
    ("arista_eos", eos(""), "fail", "0 NTP server(s)", "ntp server <ntp-server>"),
    ("huawei", huawei("ntp-service unicast-server 10.10.99.26\n"), "pass", "10.10.99.26", ""),
    # A server configured, the client turned off elsewhere.
    (
        "huawei",
        huawei("undo ntp-service enable\nntp-service unicast-server 10.10.99.26\n"),
        "fail",
        "NTP is not running (undo ntp-service enable): the 1 configured server(s) are not used",
        "ntp-service enable",
    ),
    # Comware 7 runs no NTP client until it is enabled: the servers are decoration.
    (
        "hp_comware",
        comware(COMWARE7, " ntp-service unicast-server 10.10.99.26\n#\n"),
        "fail",
        "Comware 7 default: the NTP service is off until 'ntp-service enable'",
        "ntp-service enable",
    ),
    (
        "hp_comware",
        comware(COMWARE7, " ntp-service enable\n ntp-service unicast-server 10.10.99.26\n#\n"),
        "pass",
        "",
        "",
    ),
    ("hp_comware", comware(COMWARE5, " ntp-service unicast-server 10.10.99.26\n#\n"), "pass", "10.10.99.26", ""),
    # Comware 5 has no "ntp-service enable": its fix names only the server.
    ("hp_comware", comware(COMWARE5, ""), "fail", "0 NTP server(s)", "ntp-service unicast-server <ntp-server>"),
    ("juniper_junos", junos("set system ntp server 10.10.99.26\n"), "pass", "10.10.99.26", ""),
    (
        "juniper_junos",
        junos("set system ntp server 10.10.99.26\ndeactivate system ntp\n"),
        "fail",
        "0 NTP server(s)",
        "set system ntp server <ntp-server>",
    ),
]


@pytest.mark.parametrize(("platform", "config", "status", "words", "fix"), NTP_CASES)
def test_ntp(platform: str, config: str, status: str, words: str, fix: str) -> None:
    found = finding(platform, config, NTP)
    assert found.status.value == status, found.message
    assert words in found.message
    if fix:
        assert fix in found.remediation, found.remediation


@pytest.mark.parametrize(
    ("platform", "config", "detail"),
    [
        ("cisco_ios", ios("ntp authenticate\nntp server 10.10.99.26 key 1\n"), "key 1 is not a trusted key"),
        ("cisco_ios", ios("ntp trusted-key 1\nntp server 10.10.99.26 key 1\n"), "'ntp authenticate' is not configured"),
        ("huawei", huawei("ntp-service unicast-server 10.10.99.26\n"), "no authentication-keyid"),
        (
            "juniper_junos",
            junos("set system ntp server 10.10.99.26 key 1\nset system ntp trusted-key 1\n"),
            "key 1 has no authentication-key",
        ),
    ],
)
def test_ntp_authentication_is_reported_and_can_be_required(platform: str, config: str, detail: str) -> None:
    reported = finding(platform, config, NTP)
    assert reported.status.value == "pass" and detail in reported.message
    required = finding(platform, config, NTP, policy("time:\n  ntp:\n    require_authentication: true\n"))
    assert required.status.value == "fail" and detail in required.message
    assert required.remediation


def test_authenticated_servers_pass_when_authentication_is_required() -> None:
    config = junos(
        'set system ntp authentication-key 1 type md5 value "$9$Hk.Tz36A0Ic"\nset system ntp trusted-key 1\n'
        "set system ntp server 10.10.99.26 key 1\n"
    )
    found = finding("juniper_junos", config, NTP, policy("time:\n  ntp:\n    require_authentication: true\n"))
    assert found.status.value == "pass" and "all authenticated" in found.message


def test_the_number_of_servers_comes_from_the_policy() -> None:
    config = ios("ntp server 10.10.99.26\n")
    two = finding("cisco_ios", config, NTP, policy("time:\n  ntp:\n    min_servers: 2\n"))
    assert two.status.value == "fail" and "1 NTP server(s) configured, at least 2 required" in two.message
    none = finding("cisco_ios", ios(""), NTP, policy("time:\n  ntp:\n    min_servers: 0\n"))
    assert none.status.value == "not_applicable"


# ---- log time stamps ---------------------------------------------------------------------------

STAMP_CASES = [
    ("cisco_ios", ios(""), "pass", "service timestamps log datetime msec", ""),
    (
        "cisco_ios",
        ios("").replace("service timestamps log datetime msec\n", ""),
        "fail",
        "IOS default puts no time stamp on log messages",
        "service timestamps log datetime msec localtime show-timezone",
    ),
    (
        "cisco_ios",
        ios("").replace("service timestamps log datetime msec\n", "service timestamps log uptime\n"),
        "fail",
        "time since boot (uptime)",
        "service timestamps log datetime msec localtime show-timezone",
    ),
    (
        "cisco_ios",
        ios("no service timestamps\n"),
        "fail",
        "no service timestamps: log messages carry no time stamp",
        "",
    ),
    ("cisco_xe", iosxe(""), "pass", "datetime", ""),
    # As IOS-XE prints it once log time stamps are turned off.
    (
        "cisco_xe",
        iosxe("").replace("service timestamps log datetime msec\n", "no service timestamps log\n"),
        "fail",
        "log: no service timestamps log: log messages carry no time stamp",
        "service timestamps log datetime msec localtime show-timezone",
    ),
    ("cisco_nxos", nxos(""), "pass", "decided by vendor default: NX-OS default", ""),
    ("arista_eos", eos(""), "pass", "decided by vendor default: EOS default", ""),
    ("huawei", huawei(""), "pass", "decided by vendor default", ""),
    (
        "huawei",
        huawei("info-center timestamp log boot\n"),
        "fail",
        "log: info-center timestamp log boot",
        "info-center timestamp log date",
    ),
    (
        "huawei",
        huawei("info-center timestamp trap boot\n"),
        "fail",
        "trap: info-center timestamp trap boot",
        "info-center timestamp trap date",
    ),
    ("huawei", huawei("info-center timestamp log format-date precision-time millisecond\n"), "pass", "format-date", ""),
    (
        "hp_comware",
        comware(COMWARE7, " info-center timestamp loghost none\n#\n"),
        "fail",
        "loghost: info-center timestamp loghost none",
        "info-center timestamp loghost date",
    ),
    (
        "hp_comware",
        comware(COMWARE7, " info-center timestamp boot\n#\n"),
        "fail",
        "log: info-center timestamp boot",
        "info-center timestamp date",
    ),
    (
        "hp_comware",
        comware(COMWARE5, " info-center timestamp loghost iso\n#\n"),
        "pass",
        "info-center timestamp loghost iso",
        "",
    ),
    ("juniper_junos", junos(""), "pass", "decided by vendor default: Junos default", ""),
]


@pytest.mark.parametrize(("platform", "config", "status", "words", "fix"), STAMP_CASES)
def test_log_timestamps(platform: str, config: str, status: str, words: str, fix: str) -> None:
    found = finding(platform, config, STAMPS)
    assert found.status.value == status, found.message
    assert words in found.message
    if fix:
        assert fix in found.remediation, found.remediation


# ---- SSH version 2 -----------------------------------------------------------------------------

SSH_CASES = [
    ("cisco_ios", ios("ip ssh version 2\nline vty 0 4\n transport input ssh\n"), "pass", "version 2 only", ""),
    # SSH accepted, no version set: compatibility mode 1.99.
    (
        "cisco_ios",
        ios("line vty 0 4\n transport input ssh\n"),
        "fail",
        "IOS default: SSH compatibility mode 1.99",
        "ip ssh version 2",
    ),
    (
        "cisco_ios",
        ios("ip ssh version 1\nline vty 0 4\n transport input ssh\n"),
        "fail",
        "ip ssh version 1",
        "ip ssh version 2",
    ),
    ("cisco_ios", ios("line vty 0 4\n transport input telnet\n"), "not_applicable", "no SSH server", ""),
    ("cisco_xe", iosxe("ip ssh version 2\nline vty 0 15\n transport input ssh\n"), "pass", "version 2 only", ""),
    (
        "cisco_xe",
        iosxe("line vty 0 15\n transport input ssh\n"),
        "fail",
        "IOS default: SSH compatibility mode 1.99",
        "ip ssh version 2",
    ),
    ("cisco_nxos", nxos(""), "pass", "NX-OS supports SSH version 2 only", ""),
    ("cisco_nxos", nxos("no feature ssh\n"), "not_applicable", "no feature ssh", ""),
    ("arista_eos", eos(""), "pass", "EOS supports SSH version 2 only", ""),
    ("arista_eos", eos("management ssh\n   shutdown\n"), "not_applicable", "shutdown", ""),
    ("huawei", huawei(""), "pass", "Huawei VRP V200R019 default: the SSH server accepts SSH version 2 only", ""),
    (
        "huawei",
        huawei("ssh server compatible-ssh1x enable\n"),
        "fail",
        "ssh server compatible-ssh1x enable",
        "undo ssh server compatible-ssh1x enable",
    ),
    # An old release: version 1 is accepted unless refused.
    (
        "huawei",
        huawei("").replace("V200R019C10SPC500", "V100R006C05"),
        "fail",
        "Huawei VRP V100R006 default: the SSH server also accepts SSH version 1",
        "undo ssh server compatible-ssh1x enable",
    ),
    ("huawei", huawei("").replace("stelnet server enable\n", ""), "not_applicable", "no SSH server", ""),
    ("hp_comware", comware(COMWARE7, " ssh server enable\n#\n"), "pass", "Comware 7 default", ""),
    (
        "hp_comware",
        comware(COMWARE5, " ssh server enable\n#\n"),
        "fail",
        "Comware 5 default: the SSH server also accepts SSH version 1",
        "undo ssh server compatible-ssh1x",
    ),
    ("hp_comware", comware(COMWARE5, " ssh server enable\n undo ssh server compatible-ssh1x\n#\n"), "pass", "", ""),
    ("hp_comware", comware(COMWARE7, ""), "not_applicable", "no SSH server until 'ssh server enable'", ""),
    ("juniper_junos", junos(""), "pass", "version 2 only", ""),
    (
        "juniper_junos",
        junos("set system services ssh protocol-version v1\n"),
        "fail",
        "protocol-version v1",
        "delete system services ssh protocol-version v1",
    ),
    ("juniper_junos", junos("").replace("set system services ssh\n", ""), "not_applicable", "no SSH server", ""),
]


@pytest.mark.parametrize(("platform", "config", "status", "words", "fix"), SSH_CASES)
def test_ssh_version(platform: str, config: str, status: str, words: str, fix: str) -> None:
    found = finding(platform, config, SSH)
    assert found.status.value == status, found.message
    assert words in found.message
    if fix:
        assert fix in found.remediation, found.remediation


# ---- configuration change log ------------------------------------------------------------------

CHANGE_CASES = [
    (
        "cisco_ios",
        ios("archive\n log config\n  logging enable\n  notify syslog contenttype plaintext\n  hidekeys\n"),
        "pass",
        "archive log config, kept on the device ('show archive log config all') and sent to syslog",
        "",
    ),
    ("cisco_ios", ios(""), "fail", "IOS default: configuration commands are not logged", "  logging enable"),
    # An archive that keeps configurations but logs no change.
    (
        "cisco_ios",
        ios("archive\n path flash:$h-archive\n maximum 14\n"),
        "fail",
        "archive without 'log config': no change is recorded",
        " log config",
    ),
    ("cisco_ios", ios("archive\n log config\n  hidekeys\n"), "fail", "without 'logging enable'", "  logging enable"),
    ("cisco_xe", iosxe("archive\n path bootflash:archive\n"), "fail", "archive without 'log config'", " log config"),
    (
        "cisco_xe",
        iosxe("aaa new-model\naaa accounting commands 15 default start-stop group ISE\n"),
        "pass",
        "aaa accounting commands 15, sent to the accounting servers (group ISE)",
        "",
    ),
    # Level-1 commands accounted: the configuration commands (level 15) are not.
    (
        "cisco_ios",
        ios("aaa new-model\naaa accounting commands 1 default start-stop group ISE\n"),
        "fail",
        "not logged",
        "",
    ),
    ("cisco_nxos", nxos(""), "pass", "NX-OS default: the accounting log records every configuration command", ""),
    ("arista_eos", eos("aaa accounting commands all default start-stop logging\n"), "pass", "sent to syslog", ""),
    ("arista_eos", eos(""), "fail", "EOS default", "aaa accounting commands all default start-stop logging"),
    ("huawei", huawei(""), "pass", "SHELL/5/CMDRECORD", ""),
    (
        "huawei",
        huawei("info-center filter-id bymodule-alias SHELL CMDRECORD\n"),
        "fail",
        "no change is recorded (info-center filter-id bymodule-alias SHELL CMDRECORD)",
        "undo info-center filter-id bymodule-alias SHELL CMDRECORD",
    ),
    ("huawei", huawei("undo info-center enable\n"), "fail", "(undo info-center enable)", "info-center enable"),
    # Command records kept below every channel's level that would store them.
    (
        "huawei",
        huawei(
            "info-center source SHELL channel loghost log level warning\n"
            "info-center source SHELL channel logbuffer log state off\n"
            "info-center source SHELL channel 9 log level error\n"
        ),
        "fail",
        "no change is recorded",
        "info-center source SHELL channel loghost log level informational",
    ),
    # Only the log host is spared them: the log buffer still keeps them.
    ("huawei", huawei("info-center source SHELL channel loghost log level warning\n"), "pass", "CMDRECORD", ""),
    ("hp_comware", comware(COMWARE7, ""), "pass", "SHELL/6/SHELL_CMD", ""),
    # Dropped from every place that keeps them.
    (
        "hp_comware",
        comware(
            COMWARE7,
            " info-center source SHELL logbuffer deny\n info-center source SHELL logfile deny\n"
            " info-center source SHELL loghost deny\n#\n",
        ),
        "fail",
        "no change is recorded",
        "undo info-center source SHELL loghost",
    ),
    (
        "hp_comware",
        comware(
            COMWARE7,
            " info-center source SHELL logbuffer level warning\n info-center source SHELL logfile deny\n"
            " info-center source SHELL loghost level notification\n#\n",
        ),
        "fail",
        "no change is recorded",
        "undo info-center source SHELL logbuffer",
    ),
    # Only the console hides them: the log buffer still has them.
    ("hp_comware", comware(COMWARE7, " info-center source SHELL console deny\n#\n"), "pass", "SHELL_CMD", ""),
    (
        "juniper_junos",
        junos("set system syslog file interactive-commands interactive-commands any\n"),
        "pass",
        "syslog interactive-commands any, syslog file interactive-commands",
        "",
    ),
    # The factory "any notice" does not carry the change records.
    (
        "juniper_junos",
        junos("set system syslog file messages any notice\n"),
        "fail",
        "no change log is configured",
        "set system syslog file config-changes change-log info",
    ),
    (
        "juniper_junos",
        junos("set system accounting events change-log\nset system accounting destination tacplus\n"),
        "pass",
        "system accounting events",
        "",
    ),
]


@pytest.mark.parametrize(("platform", "config", "status", "words", "fix"), CHANGE_CASES)
def test_config_changes(platform: str, config: str, status: str, words: str, fix: str) -> None:
    found = finding(platform, config, CHANGES)
    assert found.status.value == status, found.message
    assert words in found.message
    if fix:
        assert fix in found.remediation, found.remediation
