"""User rules judged on real configurations through each platform's own parser.

IOS, Huawei VRP, H3C Comware and Junos (set and brace forms): pass, fail, a missing
section, nested ``within``, evidence lines and fixes; and the configurations a careless
or hostile admin writes to look compliant (the required line in a banner, a
description, an unapplied Junos group, a deactivated statement; a truncated file).
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from scanner.engine import scan_checks
from scanner.model import Finding, Status
from scanner.policy import Policy
from tests.conftest import LAB
from tests.scanhelpers import by_check, scan, scan_folder, text_snapshot

IOS = """\
!
version 15.2
service timestamps debug datetime msec
hostname r1
!
banner motd ^C
no ip source-route
 Authorised access only; ip http server disabled here.
^C
!
interface GigabitEthernet0/1
 description no ip source-route
 ip address 192.0.2.1 255.255.255.0
!
router bgp 65000
 bgp log-neighbor-changes
 address-family ipv4
  neighbor 192.0.2.2 activate
 exit-address-family
!
ip http server
!
line con 0
 exec-timeout 5 0
line vty 0 4
 transport input ssh
line vty 5 15
 transport input telnet ssh
!
end
"""
IOS_LINES = {text.strip(): number for number, text in enumerate(IOS.splitlines(), 1)}

IOS_RULES = """\
rules:
  - id: site.no_source_route
    platforms: [cisco_ios]
    must_contain: '^no ip source-route$'
    fix: no ip source-route
  - id: site.vty_ssh_only
    within: '^line vty'
    must_contain: '^transport input ssh$'
    fix: transport input ssh
  - id: site.aux_locked
    within: '^line aux'
    must_contain: '^no exec$'
  - id: site.aux_present
    within: '^line aux'
    missing_section: fail
    must_contain: '^no exec$'
  - id: site.bgp_v4_activated
    within: ['^router bgp', '^address-family ipv4']
    must_contain: '^neighbor \\S+ activate$'
  - id: site.bgp_v4_route_maps
    within: ['^router bgp', '^address-family ipv4']
    must_contain: '^neighbor \\S+ route-map \\S+ in$'
    fix: neighbor <peer> route-map <policy> in
  - id: site.bgp_v6_required
    within: ['^router bgp', '^address-family ipv6']
    missing_section: fail
    must_contain: 'activate'
  - id: site.no_http
    must_not_contain: '^ip http server'
  - id: site.console_and_no_telnet
    within: '^line '
    must_contain: '^(transport input ssh|exec-timeout 5 0)$'
    must_not_contain: 'telnet'
"""


def _policy(text: str) -> Policy:
    return Policy.from_text(text, "rules.yaml")


def _findings(text: str, command: str, platform: str, rules: str) -> dict[str, Finding]:
    snapshot = text_snapshot("dev1", command, text, platform)
    return by_check(scan(snapshot, {}, policy=_policy(rules)))


@pytest.fixture(scope="module")
def ios() -> dict[str, Finding]:
    return _findings(IOS, "show running-config", "cisco_ios", IOS_RULES)


def test_ios_a_required_line_in_a_banner_or_a_description_does_not_count(ios: dict[str, Finding]) -> None:
    finding = ios["site.no_source_route"]
    assert finding.status is Status.FAIL
    assert finding.message == "no line matching '^no ip source-route$' in the global configuration"
    assert finding.remediation == ("no ip source-route",)


def test_ios_the_line_at_the_top_level_passes_with_its_line_as_evidence() -> None:
    text = IOS.replace("ip http server\n", "no ip source-route\n")
    finding = _findings(text, "show running-config", "cisco_ios", IOS_RULES)["site.no_source_route"]
    assert finding.status is Status.PASS
    assert [(e.line, e.text) for e in finding.evidence] == [(IOS_LINES["ip http server"], "no ip source-route")]
    assert finding.evidence[0].source == "show running-config"


def test_ios_within_names_the_section_where_the_line_is_missing(ios: dict[str, Finding]) -> None:
    finding = ios["site.vty_ssh_only"]
    assert finding.status is Status.FAIL
    assert [(e.line, e.text) for e in finding.evidence] == [(IOS_LINES["line vty 5 15"], "line vty 5 15")]
    assert "'line vty 5 15'" in finding.message and "'line vty 0 4'" not in finding.message
    assert finding.remediation == ("line vty 5 15", " transport input ssh"), "the fix goes into that section"


def test_ios_a_missing_section_is_not_applicable_unless_the_rule_requires_it(ios: dict[str, Finding]) -> None:
    assert ios["site.aux_locked"].status is Status.NOT_APPLICABLE
    assert ios["site.aux_locked"].message == "no section matches '^line aux'"
    assert ios["site.aux_present"].status is Status.FAIL
    assert ios["site.aux_present"].message == "no section matches '^line aux'"


def test_ios_nested_within_reads_the_section_inside_the_section(ios: dict[str, Finding]) -> None:
    assert ios["site.bgp_v4_activated"].status is Status.PASS
    assert [e.line for e in ios["site.bgp_v4_activated"].evidence] == [IOS_LINES["neighbor 192.0.2.2 activate"]]
    missing = ios["site.bgp_v4_route_maps"]
    assert missing.status is Status.FAIL
    assert [e.text for e in missing.evidence] == [" address-family ipv4"]
    assert missing.remediation == (
        "router bgp 65000",
        " address-family ipv4",
        "  neighbor <peer> route-map <policy> in",
    )
    absent = ios["site.bgp_v6_required"]
    assert absent.status is Status.FAIL, "missing_section: fail and the inner section is not there"
    assert absent.message == "no section matches '^router bgp' > '^address-family ipv6' under 'router bgp 65000'"
    assert [e.line for e in absent.evidence] == [IOS_LINES["router bgp 65000"]]


def test_ios_a_forbidden_line_fails_and_is_removed_by_its_negation(ios: dict[str, Finding]) -> None:
    finding = ios["site.no_http"]
    assert finding.status is Status.FAIL
    assert [(e.line, e.text) for e in finding.evidence] == [(IOS_LINES["ip http server"], "ip http server")]
    assert finding.remediation == ("no ip http server",)
    clean = _findings(IOS.replace("ip http server\n", "!\n"), "show running-config", "cisco_ios", IOS_RULES)
    assert clean["site.no_http"].status is Status.PASS, "the banner's 'ip http server' text is not configuration"


def test_ios_every_must_of_a_rule_holds_in_every_section(ios: dict[str, Finding]) -> None:
    finding = ios["site.console_and_no_telnet"]
    assert finding.status is Status.FAIL
    assert "'transport input telnet ssh'" in finding.message and "matches 'telnet'" in finding.message
    assert finding.remediation == ("line vty 5 15", " no transport input telnet ssh")
    fixed = IOS.replace("transport input telnet ssh", "transport input ssh")
    assert _findings(fixed, "show running-config", "cisco_ios", IOS_RULES)["site.console_and_no_telnet"].status is (
        Status.PASS
    )


def test_ios_a_cut_off_configuration_never_passes_by_absence() -> None:
    cut = IOS[: IOS.index("line con 0")]
    findings = _findings(cut, "show running-config", "cisco_ios", IOS_RULES)
    no_http = _findings(cut.replace("ip http server\n", ""), "show running-config", "cisco_ios", IOS_RULES)
    assert no_http["site.no_http"].status is Status.ERROR, "no forbidden line seen, but the rest is missing"
    assert "does not end with 'end'" in no_http["site.no_http"].message
    assert findings["site.no_http"].status is Status.FAIL, "a forbidden line that is there fails anyway"
    assert findings["site.no_source_route"].status is Status.ERROR, "the required line may be in the lost part"
    assert findings["site.vty_ssh_only"].status is Status.ERROR, "the vty sections may be in the lost part"
    assert findings["site.bgp_v4_activated"].status is Status.PASS, "a required line that is there passes"


# ---- Huawei VRP and H3C Comware ----------------------------------------------------------

HUAWEI = """\
!Software Version V200R019C10SPC500
#
sysname SW1
#
http server enable
#
aaa
 local-user admin password irreversible-cipher %^%#Kx8f2Lm$w9%^%#
 local-user admin service-type ssh
#
interface GigabitEthernet0/0/1
 description uplink
 port link-type trunk
#
undo telnet server enable
#
user-interface vty 0 4
 authentication-mode aaa
 protocol inbound ssh
user-interface vty 16 20
 authentication-mode aaa
#
header login information "
Authorised access only.
"
#
return
"""
HUAWEI_LINES = {text.strip(): number for number, text in enumerate(HUAWEI.splitlines(), 1)}
VRP_RULES = """\
rules:
  - id: site.no_telnet
    must_contain: '^undo telnet server enable$'
  - id: site.vty_ssh
    within: '^(user-interface|line) vty'
    must_contain: '^protocol inbound ssh$'
    fix:
      huawei: protocol inbound ssh
      hp_comware: protocol inbound ssh
      cisco_ios: transport input ssh
  - id: site.no_http
    must_not_contain: '^(ip )?http server enable|^ip http enable'
  - id: site.aaa_hashed
    within: ['^aaa$']
    must_contain: '^local-user \\S+ password irreversible-cipher '
  - id: site.ssh_acl
    within: '^ssh server acl'
    must_contain: '.'
"""


@pytest.fixture(scope="module")
def huawei() -> dict[str, Finding]:
    return _findings(HUAWEI, "display current-configuration", "huawei", VRP_RULES)


def test_huawei_blocks_between_hash_lines_are_sections(huawei: dict[str, Finding]) -> None:
    assert huawei["site.no_telnet"].status is Status.PASS
    assert [e.line for e in huawei["site.no_telnet"].evidence] == [HUAWEI_LINES["undo telnet server enable"]]
    assert huawei["site.aaa_hashed"].status is Status.PASS
    vty = huawei["site.vty_ssh"]
    assert vty.status is Status.FAIL
    assert [(e.line, e.text) for e in vty.evidence] == [
        (HUAWEI_LINES["user-interface vty 16 20"], "user-interface vty 16 20")
    ]
    assert vty.remediation == ("user-interface vty 16 20", " protocol inbound ssh"), "the fix given for huawei"
    assert huawei["site.ssh_acl"].status is Status.NOT_APPLICABLE


def test_huawei_a_forbidden_line_is_removed_with_undo(huawei: dict[str, Finding]) -> None:
    finding = huawei["site.no_http"]
    assert finding.status is Status.FAIL
    assert [e.line for e in finding.evidence] == [HUAWEI_LINES["http server enable"]]
    assert finding.remediation == ("undo http server enable",)


def test_huawei_a_required_line_in_a_login_header_does_not_count() -> None:
    text = HUAWEI.replace("undo telnet server enable\n", "").replace(
        "Authorised access only.", "undo telnet server enable"
    )
    finding = _findings(text, "display current-configuration", "huawei", VRP_RULES)["site.no_telnet"]
    assert finding.status is Status.FAIL


def test_huawei_a_configuration_without_return_never_passes_by_absence() -> None:
    cut = HUAWEI[: HUAWEI.index("user-interface vty 0 4")].replace("http server enable\n", "")
    findings = _findings(cut, "display current-configuration", "huawei", VRP_RULES)
    assert findings["site.no_http"].status is Status.ERROR
    assert "does not end with 'return'" in findings["site.no_http"].message
    assert findings["site.no_telnet"].status is Status.PASS


COMWARE = """\
#
 version 7.1.070, Release 6328
#
 sysname H3C-1
#
 ssh server enable
 undo ip http enable
#
interface Vlan-interface99
 ip address 10.0.0.1 255.255.255.0
#
line vty 0 63
 authentication-mode scheme
 protocol inbound ssh
#
return
"""


def test_comware_indented_global_commands_are_global_lines() -> None:
    rules = VRP_RULES + "  - id: site.ssh_on\n    must_contain: '^ssh server enable$'\n"
    findings = _findings(COMWARE, "display current-configuration", "hp_comware", rules)
    assert findings["site.ssh_on"].status is Status.PASS
    assert findings["site.ssh_on"].evidence[0].line == 6
    assert findings["site.vty_ssh"].status is Status.PASS
    assert findings["site.no_http"].status is Status.PASS, "'undo ip http enable' is not 'ip http enable'"


# ---- Junos ----------------------------------------------------------------------------------

JUNOS_SET = """\
set version 21.4R3-S5.4
set system host-name fw1
set system services ssh protocol-version v2
set system services ssh root-login deny
set system services netconf ssh
set groups legacy system services telnet
set groups spare system services ftp
set apply-groups legacy
set system syslog host 192.0.2.50 any notice
set interfaces ge-0/0/0 description uplink
set interfaces ge-0/0/0 unit 0 family inet address 192.0.2.1/30
set interfaces ge-0/0/1 unit 0 family inet address 192.0.2.5/30
deactivate system services netconf
"""
JUNOS_BRACES = """\
## Last commit: 2026-11-02 10:00:00 UTC by admin
version 21.4R3-S5.4;
groups {
    legacy {
        system {
            services {
                telnet;
            }
        }
    }
    spare {
        system {
            services {
                ftp;
            }
        }
    }
}
apply-groups legacy;
system {
    host-name fw1;
    services {
        ssh {
            protocol-version v2;
            root-login deny;
        }
        inactive: netconf {
            ssh;
        }
    }
    syslog {
        host 192.0.2.50 {
            any notice;
        }
    }
}
interfaces {
    ge-0/0/0 {
        description uplink;
        unit 0 {
            family inet {
                address 192.0.2.1/30;
            }
        }
    }
    ge-0/0/1 {
        unit 0 {
            family inet {
                address 192.0.2.5/30;
            }
        }
    }
}
"""
JUNOS_RULES = """\
rules:
  - id: site.no_telnet
    must_not_contain: '^system services telnet'
  - id: site.no_ftp
    must_not_contain: '^set system services ftp'
  - id: site.ssh_v2
    must_contain: '^set system services ssh protocol-version v2$'
  - id: site.ssh_hardened
    within: ['^system$', '^services$', '^ssh$']
    must_contain: '^protocol-version v2$'
    must_not_contain: '^root-login allow'
  - id: site.netconf
    must_contain: '^system services netconf ssh$'
  - id: site.described
    within: '^interfaces \\S+$'
    must_contain: '^description '
    fix:
      juniper_junos: description "<what it connects>"
  - id: site.ospf_auth
    within: '^protocols ospf'
    must_contain: 'authentication'
"""


@pytest.fixture(scope="module", params=["set", "braces"])
def junos(request: pytest.FixtureRequest) -> tuple[str, dict[str, Finding]]:
    text = JUNOS_SET if request.param == "set" else JUNOS_BRACES
    return text, _findings(text, "show configuration | display set", "juniper_junos", JUNOS_RULES)


def _line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if line.strip().startswith(needle))


def test_junos_a_statement_inherited_from_an_applied_group_counts(junos: tuple[str, dict[str, Finding]]) -> None:
    text, findings = junos
    telnet = findings["site.no_telnet"]
    assert telnet.status is Status.FAIL
    assert [e.line for e in telnet.evidence] == [_line_of(text, "set groups legacy" if "set " in text else "telnet")]
    assert telnet.remediation == ("delete groups legacy system services telnet",), "delete where it is written"
    assert findings["site.no_ftp"].status is Status.PASS, "a group that is not applied is not in effect"


def test_junos_rules_match_the_set_form_and_the_path_alike(junos: tuple[str, dict[str, Finding]]) -> None:
    _, findings = junos
    assert findings["site.ssh_v2"].status is Status.PASS
    assert findings["site.ssh_hardened"].status is Status.PASS, "nested within: system > services > ssh"


def test_junos_a_deactivated_statement_is_not_in_effect(junos: tuple[str, dict[str, Finding]]) -> None:
    _, findings = junos
    assert findings["site.netconf"].status is Status.FAIL


def test_junos_a_section_is_a_hierarchy_level(junos: tuple[str, dict[str, Finding]]) -> None:
    text, findings = junos
    described = findings["site.described"]
    assert described.status is Status.FAIL
    assert "'interfaces ge-0/0/1'" in described.message and "ge-0/0/0" not in described.message
    first = "set interfaces ge-0/0/1" if "set " in text else "address 192.0.2.5/30"
    assert [e.line for e in described.evidence] == [_line_of(text, first)]
    assert described.remediation == ('set interfaces ge-0/0/1 description "<what it connects>"',)
    assert findings["site.ospf_auth"].status is Status.NOT_APPLICABLE


def test_junos_brace_and_set_forms_give_the_same_verdicts() -> None:
    verdicts = []
    for text in (JUNOS_SET, JUNOS_BRACES):
        findings = _findings(text, "show configuration | display set", "juniper_junos", JUNOS_RULES)
        verdicts.append({k: (f.status, f.remediation) for k, f in findings.items() if k.startswith("site.")})
    assert verdicts[0] == verdicts[1]
    assert len(verdicts[0]) == 7


def test_junos_braces_cut_off_never_pass_by_absence() -> None:
    cut = JUNOS_BRACES[: JUNOS_BRACES.index("    syslog {")]
    findings = _findings(cut, "show configuration | display set", "juniper_junos", JUNOS_RULES)
    assert findings["site.no_ftp"].status is Status.ERROR
    assert "never closed" in findings["site.no_ftp"].message
    assert findings["site.no_telnet"].status is Status.FAIL
    assert findings["site.ssh_v2"].status is Status.PASS


# ---- every platform, the scan, the policy ---------------------------------------------------

LAB_RULES = """\
rules:
  - id: site.named
    title: The device names itself
    must_contain: '^(hostname|sysname|switchname|system host-name) \\S+'
  - id: site.vty_ssh_only
    platforms: [cisco_ios, cisco_xe]
    within: '^line vty'
    must_contain: '^transport input ssh$'
    fix: transport input ssh
waivers:
  - host: plant-rtr1
    check: site.vty_ssh_only
    reason: console server migration, CHG-12
    expires: 2099-01-01
"""


@pytest.fixture(scope="module")
def lab_findings() -> dict[tuple[str, str], Finding]:
    result = scan_folder(LAB / "snapshots", LAB, policy=_policy(LAB_RULES))
    return {(f.host, f.check): f for f in result.findings}


def test_one_rule_reads_all_seven_platforms_of_the_lab(lab_findings: dict[tuple[str, str], Finding]) -> None:
    named = {host: f for (host, check), f in lab_findings.items() if check == "site.named"}
    platforms = {f.platform for f in named.values()}
    assert platforms == {"cisco_ios", "cisco_xe", "cisco_nxos", "arista_eos", "huawei", "hp_comware", "juniper_junos"}
    assert {h: f.status for h, f in named.items() if f.status is not Status.PASS} == {}
    assert all(len(f.evidence) == 1 for f in named.values())


def test_a_rule_is_waivable_and_limited_to_its_platforms(lab_findings: dict[tuple[str, str], Finding]) -> None:
    assert lab_findings[("plant-rtr1", "site.vty_ssh_only")].status is Status.WAIVED
    assert lab_findings[("hq-acc1", "site.vty_ssh_only")].status is Status.FAIL
    assert lab_findings[("hq-acc2", "site.vty_ssh_only")].status is Status.NOT_APPLICABLE


def test_two_scans_in_one_process_each_have_their_own_rules(tmp_path: Path) -> None:
    first = scan_folder(LAB / "snapshots", LAB, policy=_policy(LAB_RULES))
    second = scan_folder(LAB / "snapshots", LAB, policy=Policy.default())
    assert "site.named" in {c.id for c in first.checks}
    assert "site.named" not in {c.id for c in second.checks}
    assert not [f for f in second.findings if f.check.startswith("site.")]


def test_a_rule_check_travels_to_another_process_intact() -> None:
    spec = next(s for s in scan_checks(_policy(IOS_RULES)) if s.id == "site.vty_ssh_only")
    copy = pickle.loads(pickle.dumps(spec))
    assert copy.func.rule.within[0].pattern == "^line vty"  # type: ignore[union-attr]
    assert copy.origin == spec.origin
