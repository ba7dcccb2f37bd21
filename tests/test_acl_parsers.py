"""Each vendor's access-list syntax read into header spaces: the packets a line matches, checked packet by packet."""

from __future__ import annotations

import ipaddress
import random
from dataclasses import FrozenInstanceError

import pytest

from bench.genconfigs import _BUILDERS
from scanner.aclfacts import AccessFacts
from scanner.headerspace import ACK, SYN
from scanner.network.acl.lines import decide
from scanner.platforms import get_platform
from scanner.platforms._acl import cisco
from scanner.platforms._acl.cisco_ace import SIMPLE_MEMO_SIZE, parse_general, parse_simple, simple_entry
from scanner.platforms._acl.groups import ObjectGroups
from tests.aclconfigs import COMMANDS
from tests.scanhelpers import text_snapshot

FULL = (1 << 32) - 1


def packet(src: str, dst: str, protocol: int = 6, dport: int = 0, flags: int = SYN, icmp: int = 8) -> tuple[int, ...]:
    s, d = int(ipaddress.ip_address(src)), int(ipaddress.ip_address(dst))
    return (protocol, protocol, s, FULL, d, FULL, 40000, 40000, dport, dport, icmp, icmp, 0, 0, flags, 0x3F)


def access(platform: str, text: str) -> AccessFacts:
    facts = get_platform(platform).parse(text_snapshot("r1", COMMANDS[platform], text, platform))
    assert facts.access is not None
    return facts.access


def action(found: AccessFacts, name: str, pkt: tuple[int, ...], default: str = "deny") -> tuple[str, str | None]:
    acl = found.get(name)
    assert acl is not None, (name, found.lists)
    decision = decide(acl.lines, pkt, default)  # type: ignore[arg-type]
    return decision.action, decision.line.label if decision.line else None


IOS = """hostname r1
ip access-list extended EDGE
 permit tcp any host 192.0.2.10 eq www 443
 permit tcp 10.1.0.0 0.0.255.255 any range 8000 8010
 deny   tcp any any neq 22
 permit udp any eq domain any
 permit tcp 10.0.0.1 0.255.0.254 any eq 22
 permit icmp any any echo-reply
 permit tcp any any established
 permit ip any any dscp ef
access-list 10 permit 10.5.0.0 0.0.255.255
access-list 10 permit 10.6.0.1
interface GigabitEthernet0/0
 ip address 192.0.2.1 255.255.255.0
 ip access-group EDGE in
end
"""


def test_ios_ports_wildcards_names_and_established() -> None:
    found = access("cisco_ios", IOS)
    assert action(found, "EDGE", packet("203.0.113.5", "192.0.2.10", dport=80)) == ("permit", "#1")
    assert action(found, "EDGE", packet("203.0.113.5", "192.0.2.10", dport=443)) == ("permit", "#1")
    assert action(found, "EDGE", packet("10.1.9.9", "198.51.100.1", dport=8010)) == ("permit", "#2")
    # neq 22 denies every other TCP port; port 22 passes on to the non-contiguous wildcard line.
    assert action(found, "EDGE", packet("10.9.9.9", "198.51.100.1", dport=23)) == ("deny", "#3")
    # 10.0.0.1 0.255.0.254: second octet free, third fixed 0, last bit fixed 1 (odd hosts only).
    assert action(found, "EDGE", packet("10.77.0.9", "198.51.100.1", dport=22)) == ("permit", "#5")
    assert action(found, "EDGE", packet("10.77.1.9", "198.51.100.1", dport=22, flags=SYN))[0] == "deny"
    assert action(found, "EDGE", packet("10.77.0.8", "198.51.100.1", dport=22, flags=ACK)) == ("permit", "#7")
    assert action(found, "EDGE", packet("198.51.100.3", "10.0.0.1", protocol=17, dport=7)) == ("deny", None)
    reply = packet("198.51.100.3", "10.0.0.1", protocol=1, icmp=0)
    assert action(found, "EDGE", reply) == ("permit", "#6")
    dscp = found.get("EDGE").lines[-1]  # type: ignore[union-attr]
    assert not dscp.exact and "dscp ef" in dscp.inexact
    assert action(found, "10", packet("10.6.0.1", "1.1.1.1")) == ("permit", "#2")
    assert action(found, "10", packet("10.6.0.2", "1.1.1.1")) == ("deny", None)


@pytest.mark.parametrize("seed", range(200))
def test_the_fast_reader_and_the_general_reader_agree(seed: int) -> None:
    rng = random.Random(seed)

    def address() -> str:
        kind = rng.randrange(4)
        octets = ".".join(str(rng.randrange(256)) for _ in range(4))
        if kind == 0:
            return "any"
        if kind == 1:
            return f"host {octets}"
        if kind == 2:
            return f"{octets} 0.0.{rng.choice([0, 3, 255])}.{rng.choice([0, 15, 255])}"
        return f"{octets}/{rng.randrange(8, 33)}"

    def ports() -> str:
        kind = rng.randrange(4)
        if kind == 0:
            return ""
        if kind == 1:
            return f" range {rng.randrange(1000)} {rng.randrange(1000, 65536)}"
        return f" {rng.choice(['eq', 'lt', 'gt', 'neq'])} {rng.randrange(1, 65535)}"

    protocol = rng.choice(["tcp", "udp", "ip", "47"])
    with_ports = protocol in ("tcp", "udp")
    text = (
        f"{rng.choice(['permit', 'deny'])} {protocol} {address()}{ports() if with_ports else ''} "
        f"{address()}{ports() if with_ports else ''}{rng.choice(['', ' log'])}"
    )
    fast = parse_simple(text)
    assert fast is not None, text
    general = parse_general(text.split(), standard=False, groups=ObjectGroups())
    assert fast.action == general.action and fast.match.space() == general.match.space(), text


def test_nxos_address_and_port_groups() -> None:
    text = """!Command: show running-config
hostname r1
feature interface-vlan
object-group ip address SERVERS
  10 host 10.1.1.10
  20 10.1.2.0/24
object-group ip port WEB
  10 eq 80
  20 range 8080 8081
ip access-list IN
  10 permit tcp any addrgroup SERVERS portgroup WEB
  20 deny ip any any
interface Vlan10
  ip address 10.1.1.1/24
  ip access-group IN in
"""
    found = access("cisco_nxos", text)
    assert action(found, "IN", packet("1.1.1.1", "10.1.2.7", dport=8081)) == ("permit", "10")
    assert action(found, "IN", packet("1.1.1.1", "10.1.1.11", dport=80)) == ("deny", "20")
    assert found.routing is not None and found.routing.enabled and found.routing.evidence is not None


def test_ios_xe_object_groups_and_an_undefined_one() -> None:
    text = """version 17.9
hostname r1
object-group network CLIENTS
 10.9.0.0 255.255.0.0
 range 10.8.0.10 10.8.0.12
object-group service MGMT
 tcp eq 22
 udp eq snmp
ip access-list extended IN
 permit object-group MGMT object-group CLIENTS any
 permit tcp object-group NOWHERE any eq 443
 deny ip any any
end
"""
    found = access("cisco_xe", text)
    assert action(found, "IN", packet("10.8.0.12", "1.1.1.1", dport=22))[0] == "permit"
    assert action(found, "IN", packet("10.8.0.13", "1.1.1.1", dport=22)) == ("deny", "#3")
    assert action(found, "IN", packet("10.9.3.3", "1.1.1.1", protocol=17, dport=161))[0] == "permit"
    assert [(r.kind, r.name) for r in found.undefined] == [("network", "NOWHERE")]
    assert not found.get("IN").lines[1].exact  # type: ignore[union-attr]


def test_huawei_rules_host_wildcard_zero_and_match_order_auto() -> None:
    text = """#
sysname r1
#
acl number 3001 match-order auto
 rule 5 permit ip source 10.0.0.0 0.255.255.255
 rule 10 deny tcp source 10.1.1.1 0 destination-port eq 23
#
acl number 2001
 rule 5 permit source 10.2.0.0 0.0.255.255
#
return
"""
    found = access("huawei", text)
    # Depth first: the host rule (narrower) is matched before rule 5, whatever the numbers say.
    assert action(found, "3001", packet("10.1.1.1", "1.1.1.1", dport=23)) == ("deny", "10")
    assert action(found, "3001", packet("10.1.1.2", "1.1.1.1", dport=23)) == ("permit", "5")
    assert found.get("3001").auto_order  # type: ignore[union-attr]
    assert action(found, "2001", packet("10.2.3.4", "1.1.1.1", protocol=17)) == ("permit", "5")


def test_h3c_object_group_and_port_range() -> None:
    text = """#
 version 7.1.070, Release 6328P03
#
 sysname r1
#
object-group ip address PLCS
 0 network host address 10.20.1.5
 10 network subnet 10.20.2.0 255.255.255.0
#
acl advanced 3100
 rule 0 permit tcp destination object-group PLCS destination-port range 502 503
 rule 5 deny ip
#
return
"""
    found = access("hp_comware", text)
    assert action(found, "3100", packet("1.1.1.1", "10.20.2.9", dport=503)) == ("permit", "0")
    assert action(found, "3100", packet("1.1.1.1", "10.20.3.9", dport=503)) == ("deny", "5")


def test_junos_except_prefix_lists_and_port_either_way() -> None:
    text = """set system host-name r1
set policy-options prefix-list ADMINS 192.168.99.0/24
set firewall family inet filter F term A from source-address 10.0.0.0/8
set firewall family inet filter F term A from source-address 10.5.0.0/16 except
set firewall family inet filter F term A from source-address 10.5.5.0/24
set firewall family inet filter F term A then accept
set firewall family inet filter F term B from source-prefix-list ADMINS
set firewall family inet filter F term B from port ssh
set firewall family inet filter F term B then accept
set firewall family inet filter F term C from source-prefix-list MISSING
set firewall family inet filter F term C then accept
set interfaces ge-0/0/0 unit 0 family inet address 192.0.2.1/24
set interfaces ge-0/0/0 unit 0 family inet filter input F
"""
    found = access("juniper_junos", text)
    assert action(found, "F", packet("10.1.1.1", "1.1.1.1")) == ("permit", "A")
    # 10.5/16 is excepted, but 10.5.5/24 inside it is listed again: the longest prefix decides.
    assert action(found, "F", packet("10.5.1.1", "1.1.1.1")) == ("deny", None)
    assert action(found, "F", packet("10.5.5.1", "1.1.1.1")) == ("permit", "A")
    # "port" matches the source or the destination port.
    reply = packet("192.168.99.5", "1.1.1.1", dport=40000)
    reply = (*reply[:6], 22, 22, *reply[8:])
    assert action(found, "F", reply) == ("permit", "B")
    assert [(r.kind, r.name) for r in found.undefined] == [("prefix-list", "MISSING")]


def test_a_huawei_named_acl_answers_to_its_number_too() -> None:
    text = """#
sysname r1
#
acl name EDGE 3999
 rule 5 deny ip
#
interface Vlanif10
 ip address 10.1.1.1 255.255.255.0
 traffic-filter inbound acl 3999
#
return
"""
    found = access("huawei", text)
    assert found.get("3999") is found.get("EDGE") is not None
    assert [u.default for u in found.uses if u.context == "interface"] == ["permit"]


def test_the_junos_prefix_reader_agrees_with_ipaddress() -> None:
    """Junos prefixes are read by hand for speed; :mod:`ipaddress` is the reference."""
    from scanner.platforms._acl.junos import _prefix

    rng = random.Random(5)
    texts = ["0.0.0.0/0", "255.255.255.255", "10.1.2.3/33", "010.1.2.3/8", "256.1.1.1/8", "2001:db8::/32", "10.1"]
    texts += [f"{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(300)}/{rng.randrange(34)}"
              for _ in range(3000)]  # fmt: skip
    for text in texts:
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            expected = None
        else:
            expected = (network.prefixlen, (int(network.network_address), int(network.netmask)))
        assert _prefix(text) == expected, text


# Entries of every shape next to each other: the common one (with and without a sequence
# number, log, ranges, prefixes, a protocol number), and those the common reader must leave
# to the general one (spacing, names, options, groups, ten words, standard and IPv6 lists).
AGREEMENT_LISTS = """hostname r1
object-group network SERVERS
 host 10.1.1.10
ip access-list extended EDGE
 10 permit tcp 10.0.0.0 0.0.0.255 any eq 22
 20 deny udp host 10.0.0.1 10.1.0.0 0.0.255.255 range 1000 2000 log
 permit ip any any
 30 permit tcp 10.0.0.0/24 eq 80 10.9.0.0/16 gt 1023
 40 permit tcp 10.0.0.0 0.0.0.255 eq 80 10.9.0.0 0.0.255.255 eq 443
 50  permit tcp any any eq 22
 60 permit tcp any any eq www
 70 permit tcp any any established
 80 permit 47 any host 10.2.2.2
 90 permit tcp any object-group SERVERS eq 443
 100 deny ip any any log-input
 sequence 110 permit udp any any eq 53
 remark the end
 120 permit tcp any any neq 0
 130 deny tcp 10.0.0.0 0.255.0.255 any lt 1024
ip access-list standard MGMT
 10 permit 10.0.0.0 0.0.0.255
ipv6 access-list V6
 10 permit tcp any any eq 22
access-list 101 permit tcp any host 10.3.3.3 eq 22
access-list 101 deny ip any any
interface Vlan10
 ip address 10.0.0.1 255.255.255.0
 ip access-group EDGE in
"""


@pytest.mark.parametrize("platform", ["cisco_ios", "cisco_nxos", "arista_eos"])
def test_the_common_entry_reader_adds_the_lines_the_general_reader_adds(
    platform: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read with the common-entry shortcut, and without it: the same lists, line for line.

    Labels, evidence and the commands that remove a line included (IOS by text, NX-OS and
    EOS by sequence number), on the entries above and on generated estate configurations.
    """
    rng = random.Random(7)
    texts = [AGREEMENT_LISTS] + ["\n".join(_BUILDERS[platform](rng, f"g{i}", bad=i == 1)) for i in range(3)]
    read = cisco.simple_entry
    calls: list[str] = []

    def counting(text: str) -> object:
        calls.append(text)
        return read(text)

    monkeypatch.setattr(cisco, "simple_entry", counting)
    fast = [access(platform, text) for text in texts]
    monkeypatch.setattr(cisco, "simple_entry", lambda text: None)
    general = [access(platform, text) for text in texts]
    assert fast == general
    taken = sum(1 for text in calls if read(text) is not None)
    lines = sum(len(acl.lines) for found in fast for acl in found.lists.values())
    # Generated IOS configurations hold five lists of forty common entries; the others only the lists above.
    assert taken >= (100 if platform == "cisco_ios" else 5) and lines > taken, (taken, lines)


def test_remembered_entries_are_bounded_and_cannot_be_changed() -> None:
    """The memo of common entries is shared by every host a process reads: bounded, its values immutable."""
    assert simple_entry.cache_info().maxsize == SIMPLE_MEMO_SIZE
    first = simple_entry("permit tcp any any eq 22")
    assert first is not None and simple_entry("permit tcp any any eq 22") is first
    action, space, remove = first
    assert action == "permit"
    with pytest.raises(FrozenInstanceError):
        space.cubes = ()  # type: ignore[misc]
    assert isinstance(space.cubes, tuple) and all(isinstance(c, tuple) for c in space.cubes)
    assert remove == (" no permit tcp any any eq 22",) and isinstance(remove, tuple)
    for port in range(SIMPLE_MEMO_SIZE + 10):
        simple_entry(f"deny udp any any eq {port}")
    assert simple_entry.cache_info().currsize == SIMPLE_MEMO_SIZE
