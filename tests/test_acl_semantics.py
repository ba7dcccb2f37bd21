"""What each vendor's access lists mean where they are applied: the use, its direction, what
passes when no line matches, and how masks and port operators select packets.

One small configuration per platform names a list on an interface, on the login lines and
on SNMP (IOS also in a route-map, Junos on lo0), so each vendor's default for unmatched
packets is read per use: the implicit deny of Cisco and Junos, the default permit of a
Huawei ``traffic-filter`` and an H3C ``packet-filter`` (deny after ``packet-filter default
deny``), the deny of a Huawei/H3C login or SNMP list.
"""

from __future__ import annotations

import ipaddress

import pytest

from scanner.aclfacts import AccessFacts
from scanner.headerspace import SYN
from scanner.network.acl.lines import decide
from scanner.platforms import get_platform
from tests.aclconfigs import COMMANDS
from tests.scanhelpers import text_snapshot

FULL = (1 << 32) - 1

CONFIGS = {
    "cisco_ios": """hostname r1
ip access-list extended EDGE
 permit tcp 10.30.0.0 0.0.255.255 any range 8000 8010
 deny   tcp any any lt 1024
 permit udp any gt 1023 any eq 53
 permit tcp 10.30.0.0 0.0.255.255 any neq 3389
access-list 10 permit 10.99.0.0 0.0.0.255
access-list 11 permit 10.99.0.5
snmp-server community S3cretCommunity RO 11
route-map RM permit 10
 match ip address EDGE
interface Vlan10
 ip address 10.20.10.1 255.255.255.0
 ip access-group EDGE in
line vty 0 4
 access-class 10 in
end
""",
    "cisco_nxos": """!Command: show running-config
version 9.3(8) Bios:version 05.45
hostname r1
feature interface-vlan
ip access-list EDGE
  10 permit tcp 10.30.0.0/16 any range 8000 8010
  20 deny tcp any any lt 1024
  30 permit udp any gt 1023 any eq 53
  40 permit tcp 10.30.0.0/16 any neq 3389
ip access-list MGMT
  10 permit ip 10.99.0.0/24 any
snmp-server community S3cretCommunity group network-operator
snmp-server community S3cretCommunity use-ipv4acl MGMT
interface Vlan10
  no shutdown
  ip address 10.20.10.1/24
  ip access-group EDGE in
line console
line vty
  access-class MGMT in
boot nxos bootflash:/nxos.9.3.8.bin
""",
    "arista_eos": """! device: r1 (DCS-7050SX-64, EOS-4.28.3M)
hostname r1
ip access-list EDGE
   10 permit tcp 10.30.0.0/16 any range 8000 8010
   20 deny tcp any any lt 1024
   30 permit udp any gt 1023 any eq domain
   40 permit tcp 10.30.0.0 0.0.255.255 any neq 3389
ip access-list standard MGMT
   10 permit 10.99.0.0/24
snmp-server community S3cretCommunity ro MGMT
interface Vlan10
   ip address 10.20.10.1/24
   ip access-group EDGE in
ip routing
management ssh
   ip access-group MGMT in
end
""",
    "huawei": """!Software Version V200R019C10SPC500
#
sysname r1
#
acl number 2000
 rule 5 permit source 10.99.0.0 0.0.0.255
#
acl number 2001
 rule 5 permit source 10.99.0.5 0
#
acl number 3000
 rule 5 permit tcp source 10.30.0.0 0.0.255.255 destination-port range 8000 8010
 rule 10 deny tcp destination-port lt 1024
 rule 15 permit udp source-port gt 1023 destination-port eq dns
 rule 20 permit tcp source 10.30.0.0 0.0.255.255 destination-port neq 3389
#
interface Vlanif10
 ip address 10.20.10.1 255.255.255.0
 traffic-filter inbound acl 3000
#
snmp-agent community read cipher %^%#abcdefghijklmnopqrstu%^%# acl 2001
#
user-interface vty 0 4
 acl 2000 inbound
 authentication-mode aaa
 protocol inbound ssh
#
return
""",
    "hp_comware": """#
 version 7.1.070, Release 6555P01
#
 sysname r1
#
acl basic 2000
 rule 5 permit source 10.99.0.0 0.0.0.255
#
acl basic name SNMP-MGR
 rule 5 permit source 10.99.0.5 0
#
acl advanced 3000
 rule 5 permit tcp source 10.30.0.0 0.0.255.255 destination-port range 8000 8010
 rule 10 deny tcp destination-port lt 1024
 rule 15 permit udp source-port gt 1023 destination-port eq 53
 rule 20 permit tcp source 10.30.0.0 0.0.255.255 destination-port neq 3389
#
interface Vlan-interface10
 ip address 10.20.10.1 255.255.255.0
 packet-filter 3000 inbound
#
 snmp-agent community read simple S3cretCommunity acl name SNMP-MGR
#
line vty 0 63
 authentication-mode scheme
 protocol inbound ssh
 acl 2000 inbound
#
return
""",
    "juniper_junos": """set version 21.4R3
set system host-name r1
set interfaces irb unit 10 family inet address 10.20.10.1/24
set interfaces irb unit 10 family inet filter input EDGE
set interfaces lo0 unit 0 family inet filter input PROTECT-RE
set firewall family inet filter EDGE term RANGE from source-address 10.30.0.0/16
set firewall family inet filter EDGE term RANGE from protocol tcp
set firewall family inet filter EDGE term RANGE from destination-port 8000-8010
set firewall family inet filter EDGE term RANGE then accept
set firewall family inet filter EDGE term LOW from protocol tcp
set firewall family inet filter EDGE term LOW from destination-port 0-1023
set firewall family inet filter EDGE term LOW then discard
set firewall family inet filter EDGE term DNS from protocol udp
set firewall family inet filter EDGE term DNS from source-port 1024-65535
set firewall family inet filter EDGE term DNS from destination-port domain
set firewall family inet filter EDGE term DNS then accept
set firewall family inet filter EDGE term NOT-RDP from source-address 10.30.0.0/16
set firewall family inet filter EDGE term NOT-RDP from protocol tcp
set firewall family inet filter EDGE term NOT-RDP from destination-port-except 3389
set firewall family inet filter EDGE term NOT-RDP then accept
set firewall family inet filter PROTECT-RE term SSH from source-address 10.99.0.0/24
set firewall family inet filter PROTECT-RE term SSH then accept
""",
}
CONFIGS["cisco_xe"] = CONFIGS["cisco_ios"]
# The interface list's name, and its binding, per platform.
EDGE = {
    "cisco_ios": ("EDGE", "Vlan10"),
    "cisco_xe": ("EDGE", "Vlan10"),
    "cisco_nxos": ("EDGE", "Vlan10"),
    "arista_eos": ("EDGE", "Vlan10"),
    "huawei": ("3000", "Vlanif10"),
    "hp_comware": ("3000", "Vlan-interface10"),
    "juniper_junos": ("EDGE", "irb.10"),
}
# (list, context, direction, what an unmatched packet meets) for every filtering use.
USES = {
    "cisco_ios": {("EDGE", "interface", "in", "deny"), ("10", "login", "in", "deny"), ("11", "snmp", None, "deny")},
    "cisco_nxos": {
        ("EDGE", "interface", "in", "deny"),
        ("MGMT", "login", "in", "deny"),
        ("MGMT", "snmp", None, "deny"),
    },
    "arista_eos": {
        ("EDGE", "interface", "in", "deny"),
        ("MGMT", "login", "in", "deny"),
        ("MGMT", "snmp", None, "deny"),
    },
    # A Huawei traffic-filter passes what no rule matches; the login and SNMP lists refuse it.
    "huawei": {("3000", "interface", "in", "permit"), ("2000", "login", "in", "deny"), ("2001", "snmp", None, "deny")},
    "hp_comware": {
        ("3000", "interface", "in", "permit"),
        ("2000", "login", "in", "deny"),
        ("SNMP-MGR", "snmp", None, "deny"),
    },
    "juniper_junos": {("EDGE", "interface", "in", "deny"), ("PROTECT-RE", "control-plane", "in", "deny")},
}
USES["cisco_xe"] = USES["cisco_ios"]
PLATFORMS = sorted(CONFIGS)


def access(platform: str, text: str) -> AccessFacts:
    facts = get_platform(platform).parse(text_snapshot("r1", COMMANDS[platform], text, platform))
    assert facts.config_incomplete is None, facts.config_incomplete
    assert facts.access is not None
    return facts.access


def packet(src: str, dst: str, protocol: int, dport: int, sport: int = 40000) -> tuple[int, ...]:
    s, d = int(ipaddress.ip_address(src)), int(ipaddress.ip_address(dst))
    return (protocol, protocol, s, FULL, d, FULL, sport, sport, dport, dport, 8, 8, 0, 0, SYN, 0x3F)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_each_use_has_its_vendors_default_for_unmatched_packets(platform: str) -> None:
    found = access(platform, CONFIGS[platform])
    uses = {(u.name, u.context, u.direction, u.default) for u in found.uses if u.filters}
    assert uses == USES[platform]
    for use in found.uses:
        assert found.get(use.name, use.family) is not None, f"{use.name} is defined"
        assert use.default_basis or not use.filters, "a filter's default is explained"
        assert "S3cretCommunity" not in use.evidence.text, "SNMP evidence is masked"
    name, interface = EDGE[platform]
    (bound,) = [u for u in found.uses if u.context == "interface"]
    assert bound.name == name and bound.target == interface


def test_an_ios_route_map_selects_with_a_list_but_filters_nothing() -> None:
    found = access("cisco_ios", CONFIGS["cisco_ios"])
    (selection,) = [u for u in found.uses if u.context == "selection"]
    assert selection.name == "EDGE" and "route-map RM" in selection.target and not selection.filters


def test_h3c_packet_filter_default_deny_turns_the_interface_default_to_deny() -> None:
    text = CONFIGS["hp_comware"].replace(" sysname r1\n#\n", " sysname r1\n#\n packet-filter default deny\n#\n")
    found = access("hp_comware", text)
    (bound,) = [u for u in found.uses if u.context == "interface"]
    assert bound.default == "deny" and "packet-filter default deny" in bound.default_basis


# (packet, the decision, the line label that decides or None for the use's default) on the interface list.
# Lines in every platform, in order: a port range, a 'less than' deny, a source-port 'greater than'
# with an equal destination port, a 'not equal'.
CASES = [
    ("tcp 10.30.1.1 -> 8005", packet("10.30.1.1", "10.20.10.5", 6, 8005), "permit", 0),
    ("tcp 10.30.1.1 -> 8010 (range is inclusive)", packet("10.30.1.1", "10.20.10.5", 6, 8010), "permit", 0),
    ("tcp 10.40.1.1 -> 8005 (source outside)", packet("10.40.1.1", "10.20.10.5", 6, 8005), "default", None),
    ("tcp -> 80 (lt 1024)", packet("10.30.1.1", "10.20.10.5", 6, 80), "deny", 1),
    ("tcp -> 1023 (lt 1024 is below 1024)", packet("10.30.1.1", "10.20.10.5", 6, 1023), "deny", 1),
    ("udp 5000 -> 53 (gt 1023)", packet("10.40.1.1", "10.20.10.5", 17, 53, sport=5000), "permit", 2),
    ("udp 1023 -> 53 (gt is strict)", packet("10.40.1.1", "10.20.10.5", 17, 53, sport=1023), "default", None),
    ("tcp -> 8443 (neq 3389)", packet("10.30.1.1", "10.20.10.5", 6, 8443), "permit", 3),
    ("tcp -> 3389 (neq 3389 does not match)", packet("10.30.1.1", "10.20.10.5", 6, 3389), "default", None),
]


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize(("what", "pkt", "expected", "index"), CASES, ids=[c[0] for c in CASES])
def test_port_operators_and_masks_select_the_same_packets_on_every_vendor(
    platform: str, what: str, pkt: tuple[int, ...], expected: str, index: int | None
) -> None:
    found = access(platform, CONFIGS[platform])
    name, _ = EDGE[platform]
    (bound,) = [u for u in found.uses if u.context == "interface"]
    acl = found.get(name)
    assert acl is not None
    decision = decide(acl.lines, pkt, bound.default)  # type: ignore[arg-type]
    if expected == "default":
        assert decision.line is None, (what, decision.line)
        assert decision.action == bound.default
    else:
        assert decision.line is acl.lines[index], (what, decision.line)
        assert decision.action == expected


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_huawei_interface_filter_passes_what_no_rule_matches_where_cisco_and_junos_deny(platform: str) -> None:
    found = access(platform, CONFIGS[platform])
    (bound,) = [u for u in found.uses if u.context == "interface"]
    acl = found.get(bound.name)
    assert acl is not None
    unmatched = packet("10.40.1.1", "10.20.10.5", 6, 3389)
    decision = decide(acl.lines, unmatched, bound.default)
    assert decision.line is None
    assert decision.action == ("permit" if platform in ("huawei", "hp_comware") else "deny")


@pytest.mark.parametrize(
    ("platform", "name"), [("cisco_ios", "10"), ("huawei", "2000"), ("hp_comware", "2000"), ("arista_eos", "MGMT")]
)
def test_wildcard_and_prefix_masks_hold_exactly_their_subnet(platform: str, name: str) -> None:
    found = access(platform, CONFIGS[platform])
    acl = found.get(name)
    assert acl is not None
    inside = [packet(f"10.99.0.{host}", "10.20.10.1", 6, 22) for host in (0, 1, 128, 255)]
    outside = [packet(address, "10.20.10.1", 6, 22) for address in ("10.99.1.0", "10.98.255.255", "11.99.0.1")]
    assert all(decide(acl.lines, p, "deny").action == "permit" for p in inside)
    assert all(decide(acl.lines, p, "deny").line is None for p in outside)


@pytest.mark.parametrize(("platform", "name"), [("cisco_ios", "11"), ("huawei", "2001"), ("hp_comware", "SNMP-MGR")])
def test_a_host_written_without_a_mask_or_with_wildcard_zero_is_one_address(platform: str, name: str) -> None:
    found = access(platform, CONFIGS[platform])
    acl = found.get(name)
    assert acl is not None
    assert decide(acl.lines, packet("10.99.0.5", "10.20.10.1", 17, 161), "deny").action == "permit"
    for neighbour in ("10.99.0.4", "10.99.0.6"):
        assert decide(acl.lines, packet(neighbour, "10.20.10.1", 17, 161), "deny").line is None


def test_eos_prefix_and_wildcard_forms_of_one_subnet_match_alike() -> None:
    found = access("arista_eos", CONFIGS["arista_eos"])
    acl = found.get("EDGE")
    assert acl is not None
    prefix_form, wildcard_form = acl.lines[0].space, acl.lines[3].space
    for address in ("10.30.0.0", "10.30.255.255", "10.31.0.0", "10.29.255.255"):
        for port in (8005, 8443):
            point = packet(address, "10.20.10.5", 6, port)
            in_subnet = address.startswith("10.30.")
            assert prefix_form.contains_point(point) == (in_subnet and port == 8005)
            assert wildcard_form.contains_point(point) == in_subnet
