"""How the Huawei, H3C and Junos parsers read the statements each check depends on."""

from __future__ import annotations

import pytest

from scanner.configtree import ConfigTree
from scanner.facts import Facts
from scanner.model import Evidence
from scanner.platforms import get_platform
from scanner.platforms._vrp import flatten_sections, loghost_address, parse_community
from scanner.platforms.hp_comware import expand_interface, parse_power_table
from scanner.platforms.juniper_junos import parse_pem_status
from scanner.snapshot import Snapshot
from tests.conftest import LAB
from tests.scanhelpers import by_check, load_snapshot, scan, text_snapshot

LAB_CORE = LAB / "snapshots" / "plant-core1"


def _ev(line: int, text: str) -> Evidence:
    return Evidence.of("test", line, text)


def _facts(platform: str, config: str) -> Facts:
    name = get_platform(platform)
    return name.parse(Snapshot(host="t", platform=platform, outputs={name.commands.config: config}))


def _config_findings(platform: str, config: str):
    command = get_platform(platform).commands.config
    return by_check(scan(text_snapshot("t", command, config, platform), platform=platform))


HUAWEI_HEAD = "#\nsysname sw1\n#\n"


@pytest.mark.parametrize(
    ("body", "status", "lines"),
    [
        ("undo telnet server enable\n#\nuser-interface vty 0 4\n protocol inbound all\n", "pass", []),
        ("telnet server enable\n#\nuser-interface vty 0 4\n protocol inbound ssh\n", "fail", [4]),
        ("user-interface vty 0 4\n protocol inbound telnet\n", "fail", [5]),
        ("user-interface vty 0 4\n authentication-mode aaa\n protocol inbound ssh\n", "pass", []),
    ],
)
def test_huawei_telnet_needs_the_server_and_a_vty_that_accepts_it(body: str, status: str, lines: list[int]) -> None:
    finding = _config_findings("huawei", HUAWEI_HEAD + body + "#\nreturn\n")["services.telnet"]
    assert finding.status.value == status, finding.message
    if status == "fail":
        assert [e.line for e in finding.evidence] == lines


def test_comware_global_commands_indented_under_a_separator_are_top_level() -> None:
    config = (
        "#\n version 7.1.070, Release 6329\n#\n sysname SW1\n#\ninterface GigabitEthernet1/0/1\n"
        " port link-mode bridge\n#\n telnet server enable\n ftp server enable\n#\nreturn\n"
    )
    flat = flatten_sections(config)
    assert len(flat.splitlines()) == len(config.splitlines())
    tree = ConfigTree.parse(flat, "#")
    assert [(line.lineno, line.text) for line in tree.roots()] == [
        (2, "version 7.1.070, Release 6329"),
        (4, "sysname SW1"),
        (6, "interface GigabitEthernet1/0/1"),
        (9, "telnet server enable"),
        (10, "ftp server enable"),
        (12, "return"),
    ]
    facts = _facts("hp_comware", config)
    assert facts.hostname == "SW1"
    stated = sorted((s.name, s.enabled, s.evidence.line) for s in facts.services if not s.default)
    assert stated == [("ftp", True, 10), ("telnet", True, 9)]


def test_comware_password_control_counts_only_when_enabled() -> None:
    user = (
        "#\nlocal-user ops class manage\n password hash $h$6$abc$def\n"
        " authorization-attribute user-role network-admin\n"
    )
    assert _facts("hp_comware", "#\n password-control length 6\n" + user).password_policy is None
    policy = _facts("hp_comware", "#\n password-control enable\n" + user).password_policy
    assert policy is not None
    assert (policy.min_length, policy.max_age_days, [e.line for e in policy.evidence]) == (10, 90, [2])
    finding = _config_findings("hp_comware", "#\n sysname sw\n#\n password-control enable\n" + user + "#\nreturn\n")
    assert finding["auth.local_password"].status.value == "pass"
    assert "requires at least 10 characters" in finding["auth.local_password"].message


def test_huawei_password_expire_beyond_six_months_fails() -> None:
    config = (
        HUAWEI_HEAD + "aaa\n local-aaa-user password policy administrator\n  password expire 365\n"
        " local-user ops password irreversible-cipher $1a$abc$def$\n local-user ops privilege level 15\n#\nreturn\n"
    )
    finding = _config_findings("huawei", config)["auth.local_password"]
    assert finding.status.value == "fail"
    assert finding.message == (
        "the device's own password policy is weaker than required: passwords expire after 365 days, at most 180 allowed"
    )
    assert [e.line for e in finding.evidence] == [6]
    assert finding.remediation[-1] == "  password expire 90"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("snmp-agent community read public", ("ro", "clear", True)),
        ("snmp-agent community write cipher %^%#abcdefgh%^%# mib-view iso acl 2000", ("rw", "cipher", False)),
        ("snmp-agent community read cipher $c$3$abcdefgh acl 2001", ("ro", "cipher", False)),
        ("snmp-agent community simple Pub2026x user-role network-admin", ("rw", "clear", True)),
        ("snmp-agent community cipher $c$3$abcdefgh user-role network-operator", ("ro", "cipher", False)),
        ("snmp-agent community complexity-check disable", None),
        ("snmp-agent sys-info version v2c", None),
    ],
)
def test_snmp_agent_community_variants(line: str, expected: tuple[str, str, bool] | None) -> None:
    tree = ConfigTree.parse(line, "#")
    community = parse_community(next(tree.roots()), _ev)
    got = None if community is None else (community.access, community.storage, community.could_encrypt)
    assert got == expected


@pytest.mark.parametrize(
    ("line", "address"),
    [
        ("info-center loghost 10.1.1.1", "10.1.1.1"),
        ("info-center loghost 10.1.1.2 vpn-instance MGMT facility local7", "10.1.1.2"),
        ("info-center loghost vpn-instance internal 192.0.2.132", "192.0.2.132"),
        ("info-center loghost ipv6 2001:db8::1 channel 2", "2001:db8::1"),
        ("info-center loghost source Vlanif99", None),
        ("info-center loghost source M-GigabitEthernet0/0/0", None),
    ],
)
def test_loghost_address(line: str, address: str | None) -> None:
    assert loghost_address(line) == address


def test_junos_statements_out_of_effect_do_not_count() -> None:
    config = "\n".join(
        [
            "set system host-name fw",
            "set groups OLD system services telnet",
            "set groups ON system services ftp",
            "set apply-groups ON",
            "set system services web-management http",
            "deactivate system services web-management",
            "set system syslog host 10.0.0.9 any any",
            "set system login user ops class operator",
            'set system login user ops authentication plain-text-password-value "Ops2026pw"',
            "set system login user tmp class super-user",
            "set system login user tmp authentication plain-text-password",
        ]
    )
    facts = _facts("juniper_junos", config)
    assert [(s.name, s.evidence.line, s.context) for s in facts.services] == [
        ("ftp", 3, "groups ON system services ftp")
    ]
    assert [h.address for h in facts.log_hosts] == ["10.0.0.9"]
    assert [(a.name, a.admin, a.storage, a.evidence.line) for a in facts.accounts] == [("ops", False, "plaintext", 9)]
    assert facts.accounts[0].recovered is not None and facts.accounts[0].recovered.reveal() == "Ops2026pw"
    assert any("plain-text-password" in note for note in facts.notes)
    finding = _config_findings("juniper_junos", config)["auth.local_password"]
    assert finding.message == "1 weak local credential(s): ops (stored in clear text)"


def test_comware_power_tables() -> None:
    comware7 = " Slot 1:\n PowerID State    Mode   Current(A)  Voltage(V)  Power(W)\n 1       Normal   AC  --  --  --\n"
    comware7 += " 2       Absent   --  --  --  --\n Slot 2:\n PowerID State    Mode\n 1       Fault    DC\n"
    assert [(p.name, p.status, p.evidence.line) for p in parse_power_table(comware7, _ev)] == [
        ("Slot 1 PSU 1", "ok", 3),
        ("Slot 1 PSU 2", "absent", 4),
        ("Slot 2 PSU 1", "failed", 7),
    ]
    comware5 = " Unit 1\n power 1\n State    : Normal\n power 2\n State    : Absent\n"
    assert [(p.name, p.status) for p in parse_power_table(comware5, _ev)] == [
        ("Slot 1 PSU 1", "ok"),
        ("Slot 1 PSU 2", "absent"),
    ]
    assert parse_power_table("Some unrelated text\n", _ev) == []


def test_unreadable_power_output_is_an_error_not_a_single_supply() -> None:
    platform = get_platform("hp_comware")
    snapshot = Snapshot(
        host="t",
        platform="hp_comware",
        outputs={platform.commands.config: "#\n sysname t\n#\nreturn\n", "display power": "garbage\n"},
    )
    finding = by_check(scan(snapshot))["power.redundant"]
    assert finding.status.value == "error"
    assert "no power supply rows recognised" in finding.message


def test_junos_pem_status_forms() -> None:
    blocks = (
        "PEM 0 status:\n  State   Online\n  AC Input:   OK\nPEM 1 status:\n  State   Online\n  AC Input:   Failed\n"
    )
    blocks += "FPC 0 PEM 2 status:\n  State   Empty\n"
    assert [(p.name, p.status, p.detail) for p in parse_pem_status(blocks, _ev)] == [
        ("PEM 0", "ok", "Online"),
        ("PEM 1", "failed", "Online, input Failed"),
        ("FPC 0 PEM 2", "absent", "Empty"),
    ]
    table = "Class Item                           Status     Measurement\nPower Power Supply 0          OK\n"
    table += "      Power Supply 1                 Absent\n"
    assert [(p.name, p.status) for p in parse_pem_status(table, _ev)] == [
        ("Power Supply 0", "ok"),
        ("Power Supply 1", "absent"),
    ]


def test_huawei_display_device_power_rows() -> None:
    text = (
        "S6720-30C-EI-24S-AC's Device status:\n"
        "Slot Sub  Type                   Online    Power    Register     Status   Role\n"
        "-------------------------------------------------------------------------------\n"
        "0    -    S6720-30C-EI-24S       Present   PowerOn  Registered   Normal   Master\n"
        "     PWR1 POWER                  Present   PowerOn  Registered   Normal   NA\n"
        "     PWR2 POWER                  Absent    -        Unregistered -        NA\n"
    )
    facts = Facts(host="t", platform=get_platform("huawei"))
    get_platform("huawei").parse_power("display device", text, facts, _ev)
    assert [(p.name, p.status, p.evidence.line) for p in facts.power_supplies] == [
        ("0/PWR1", "ok", 5),
        ("0/PWR2", "absent", 6),
    ]


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("GE1/0/49", "GigabitEthernet1/0/49"),
        ("XGE1/0/1", "Ten-GigabitEthernet1/0/1"),
        ("BAGG10", "Bridge-Aggregation10"),
        ("GigabitEthernet1/0/2", "GigabitEthernet1/0/2"),
        ("MGE0/0/0", "M-GigabitEthernet0/0/0"),
    ],
)
def test_comware_lldp_interface_names_are_expanded(short: str, full: str) -> None:
    assert expand_interface(short) == full


def test_huawei_evidence_is_masked_and_secrets_are_wrapped() -> None:
    facts = _facts("huawei", HUAWEI_HEAD + "aaa\n local-user admin password simple admin@huawei.com\n#\nreturn\n")
    (account,) = facts.accounts
    assert account.vendor_default and account.admin and account.storage == "plaintext"
    assert "admin@huawei.com" not in account.evidence.text
    assert "admin@huawei.com" not in repr(account)


def test_configuration_archives_of_each_vendor() -> None:
    huawei = _facts("huawei", "#\nsysname a\n#\nset save-configuration interval 60 delay 5\n#\nreturn\n")
    assert [(a.target, a.evidence.line) for a in huawei.archives] == [(None, 4)]
    core = get_platform("huawei").parse(load_snapshot(LAB_CORE))
    (archive, _interval) = core.archives
    assert archive.target == "10.20.99.30"
    assert "%^%#gH4" not in archive.evidence.text and archive.evidence.text.endswith("path /backups/plant-core1")
    statement = "archive configuration location flash:/archive filename-prefix sw"
    comware = _facts("hp_comware", f"#\n sysname sw\n#\n {statement}\n#\nreturn\n")
    assert [(a.target, a.evidence.line) for a in comware.archives] == [("flash:/archive", 4)]
    junos = _facts(
        "juniper_junos",
        'set system archival configuration archive-sites "ftp://bak:Backup2026pw@10.0.0.9/cfg/" password "$9$abcdef"',
    )
    (site,) = junos.archives
    assert site.target == "ftp://bak:Bac***@10.0.0.9/cfg/"
    assert "Backup2026pw" not in site.evidence.text and "$9$abcdef" not in site.evidence.text
