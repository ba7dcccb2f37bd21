"""Issue 16: access.management_acl on every platform: lists that exist and name their sources.

Each case is a configuration a careful, a careless or a hostile administrator writes: the
list bound and restricted, no list, a list named but never defined, a list that permits any
source (also after a token deny), a second vty range left open.
"""

from __future__ import annotations

import pytest

from checks import get_check
from scanner.model import Finding
from scanner.platforms import get_platform
from tests.scanhelpers import scan, text_snapshot
from tests.verdicthelpers import COMWARE5, COMWARE7, comware, eos, finding, huawei, ios, iosxe, junos, line_of, nxos

CHECK = "access.management_acl"

IOS_MGMT = "ip access-list standard VTY-MGMT\n permit 10.10.99.0 0.0.0.255\n deny   any log\n!\n"
NXOS_MGMT = "ip access-list VTY-MGMT\n  10 permit tcp 10.10.99.0/24 any eq 22\n  20 deny ip any any log\n"
HUAWEI_MGMT = "acl number 2000\n rule 5 permit source 10.10.99.0 0.0.0.255\n rule 100 deny\n#\n"
RE_FILTER = (
    "set interfaces lo0 unit 0 family inet filter input PROTECT-RE\n"
    "set firewall family inet filter PROTECT-RE term SSH from source-address 10.10.99.0/24\n"
    "set firewall family inet filter PROTECT-RE term SSH from protocol tcp\n"
    "set firewall family inet filter PROTECT-RE term SSH from destination-port ssh\n"
    "set firewall family inet filter PROTECT-RE term SSH then accept\n"
    "set firewall family inet filter PROTECT-RE term ICMP from protocol icmp\n"
    "set firewall family inet filter PROTECT-RE term ICMP then accept\n"
    "set firewall family inet filter PROTECT-RE term REST then discard\n"
)

# (platform, configuration, status, words the message must hold, a line the fix must hold)
CASES = [
    (
        "cisco_ios",
        ios(IOS_MGMT + "line vty 0 4\n access-class VTY-MGMT in\n transport input ssh\n"),
        "pass",
        "line vty 0 4: VTY-MGMT",
        "",
    ),
    (
        "cisco_ios",
        ios("line vty 0 4\n transport input ssh\n"),
        "fail",
        "line vty 0 4: no access list",
        " access-class MGMT-ACCESS in",
    ),
    # The second range forgotten.
    (
        "cisco_ios",
        ios(IOS_MGMT + "line vty 0 4\n access-class VTY-MGMT in\nline vty 5 15\n transport input ssh\n"),
        "fail",
        "line vty 5 15: no access list",
        "line vty 5 15",
    ),
    # Named, never defined: IOS then filters nothing.
    (
        "cisco_ios",
        ios("line vty 0 4\n access-class MGMT in\n"),
        "fail",
        "access list MGMT is named but not defined",
        "",
    ),
    # A token deny, then everyone.
    (
        "cisco_ios",
        ios("access-list 10 deny   192.0.2.66\naccess-list 10 permit any\nline vty 0 4\n access-class 10 in\n"),
        "fail",
        "access list 10 permits any source (access-list 10 permit any)",
        " no permit any",
    ),
    # The fix is the ACL model's: IOS removes an entry by its text (sequence numbers may not be printed).
    (
        "cisco_ios",
        ios("ip access-list extended VTY\n 10 permit tcp any any eq 22\n!\nline vty 0 4\n access-class VTY in\n"),
        "fail",
        "permits any source",
        " no permit tcp any any eq 22",
    ),
    # Everything after a deny of everything is never reached.
    (
        "cisco_ios",
        ios(
            "access-list 11 permit 10.10.99.0 0.0.0.255\naccess-list 11 deny any\naccess-list 11 permit any\n"
            "line vty 0 4\n access-class 11 in\n"
        ),
        "pass",
        "line vty 0 4: 11",
        "",
    ),
    # A vty range that takes no input is no way in.
    (
        "cisco_ios",
        ios(IOS_MGMT + "line vty 0 4\n access-class VTY-MGMT in\nline vty 5 15\n transport input none\n"),
        "pass",
        "1 management access point(s)",
        "",
    ),
    (
        "cisco_ios",
        ios(
            IOS_MGMT
            + "ip http server\nsnmp-server community N0c4Read2026 RO\nline vty 0 4\n access-class VTY-MGMT in\n"
        ),
        "fail",
        "ip http server: no access list; SNMP community 1: no access list",
        "ip http access-class ipv4 MGMT-ACCESS",
    ),
    ("cisco_xe", iosxe(IOS_MGMT + "line vty 0 15\n access-class VTY-MGMT in vrf-also\n"), "pass", "VTY-MGMT", ""),
    # The web UI (CVE-2023-20198) reachable from anywhere: the HTTPS server runs with no access-class.
    (
        "cisco_xe",
        iosxe(IOS_MGMT + "ip http secure-server\nline vty 0 15\n access-class VTY-MGMT in vrf-also\n"),
        "fail",
        "1 management access point(s) open to any source: ip http secure-server: no access list",
        "ip http access-class ipv4 MGMT-ACCESS",
    ),
    # NX-OS always prints "line vty" (nxos() adds it): without an access-class it is open to all.
    ("cisco_nxos", nxos(""), "fail", "line vty: no access list", "  access-class MGMT-ACCESS in"),
    ("cisco_nxos", nxos(NXOS_MGMT + "line vty\n  access-class VTY-MGMT in\n"), "pass", "line vty: VTY-MGMT", ""),
    (
        "cisco_nxos",
        nxos(
            NXOS_MGMT + "ip access-list SNMP\n  10 permit ip any any\n"
            "snmp-server community N0c4Read2026 group network-operator\n"
            "snmp-server community N0c4Read2026 use-ipv4acl SNMP\nline vty\n  access-class VTY-MGMT in\n"
        ),
        "fail",
        "SNMP community 1: access list SNMP permits any source",
        "",
    ),
    (
        "arista_eos",
        eos(""),
        "fail",
        "EOS default: SSH on; no 'management ssh' block",
        "   ip access-group MGMT-ACCESS in",
    ),
    (
        "arista_eos",
        eos(
            "ip access-list standard SSH\n   10 permit 10.10.99.0/24\n!\nmanagement ssh\n   vrf MGMT\n      "
            "ip access-group SSH in\n      no shutdown\n"
        ),
        "pass",
        "management ssh: SSH",
        "",
    ),
    (
        "arista_eos",
        eos("ip access-list standard SSH\n   10 permit any\n!\nmanagement ssh\n   ip access-group SSH in\n"),
        "fail",
        "access list SSH permits any source",
        " no 10",
    ),
    (
        "huawei",
        huawei(HUAWEI_MGMT + "user-interface vty 0 4\n acl 2000 inbound\n"),
        "pass",
        "user-interface vty 0 4: 2000",
        "",
    ),
    (
        "huawei",
        huawei("user-interface vty 0 4\n authentication-mode aaa\n"),
        "fail",
        "no access list",
        " acl 2999 inbound",
    ),
    (
        "huawei",
        huawei("acl number 2000\n rule 5 permit\n#\nuser-interface vty 0 4\n acl 2000 inbound\n"),
        "fail",
        "access list 2000 permits any source (rule 5 permit)",
        " undo rule 5",
    ),
    (
        "huawei",
        huawei("user-interface vty 0 4\n acl 2001 inbound\n"),
        "fail",
        "access list 2001 is named but not defined",
        "",
    ),
    # The global SNMP list covers a community that names none.
    (
        "huawei",
        huawei(
            HUAWEI_MGMT + "snmp-agent acl 2000\nsnmp-agent community read cipher %^%#Kz4|1VJ)=B4c8!W%^%#\n"
            "user-interface vty 0 4\n acl 2000 inbound\n"
        ),
        "pass",
        "the global 'snmp-agent acl 2000' applies",
        "",
    ),
    (
        "hp_comware",
        comware(
            COMWARE7,
            " ssh server enable\n ssh server acl 2000\n#\nacl basic 2000\n rule 0 permit source "
            "10.10.99.0 0.0.0.255\n#\nline vty 0 63\n authentication-mode scheme\n#\n",
        ),
        "pass",
        "'ssh server acl 2000' restricts its SSH logins",
        "",
    ),
    # Comware 7's fix restricts SSH globally, in its own ACL syntax.
    (
        "hp_comware",
        comware(COMWARE7, " ssh server enable\n#\nline vty 0 63\n authentication-mode scheme\n#\n"),
        "fail",
        "line vty 0 63: no access list",
        "ssh server acl 2999",
    ),
    (
        "hp_comware",
        comware(
            COMWARE5, "acl number 2000\n rule 0 permit source any\n#\nuser-interface vty 0 4\n acl 2000 inbound\n#\n"
        ),
        "fail",
        "access list 2000 permits any source",
        " undo rule 0",
    ),
    # HTTPS bound to the management list while the HTTP server runs unrestricted beside it.
    (
        "hp_comware",
        comware(
            COMWARE7,
            " ssh server enable\n ssh server acl 2000\n ip http enable\n ip https enable\n ip https acl 2000\n#\n"
            "acl basic 2000\n rule 0 permit source 10.10.99.0 0.0.0.255\n#\n"
            "line vty 0 63\n authentication-mode scheme\n#\n",
        ),
        "fail",
        "1 management access point(s) open to any source: HTTP server: no access list",
        "ip http acl 2999",
    ),
    (
        "hp_comware",
        comware(
            COMWARE7,
            " ssh server enable\n ssh server acl 2000\n ip http enable\n ip http acl 2000\n ip https enable\n"
            " ip https acl 2000\n#\nacl basic 2000\n rule 0 permit source 10.10.99.0 0.0.0.255\n#\n"
            "line vty 0 63\n authentication-mode scheme\n#\n",
        ),
        "pass",
        "HTTP server: 2000; HTTPS server: 2000",
        "",
    ),
    # Comware 5 runs its HTTP server unless told otherwise: the default is named.
    (
        "hp_comware",
        comware(
            COMWARE5,
            "acl number 2000\n rule 0 permit source 10.10.99.0 0.0.0.255\n#\n"
            "user-interface vty 0 4\n acl 2000 inbound\n#\n",
        ),
        "fail",
        "HTTP server: no access list (Comware 5 default: HTTP service enabled)",
        "ip http acl 2999",
    ),
    ("juniper_junos", junos(RE_FILTER), "pass", "routing engine (ssh): PROTECT-RE", ""),
    (
        "juniper_junos",
        junos(""),
        "fail",
        "no input filter on lo0",
        "set interfaces lo0 unit 0 family inet filter input PROTECT-RE",
    ),
    # ICMP from anywhere is fine; SSH from anywhere is not.
    (
        "juniper_junos",
        junos(
            RE_FILTER.replace(
                "term SSH from source-address 10.10.99.0/24\n", "term SSH from source-address 0.0.0.0/0\n"
            )
        ),
        "fail",
        "access list PROTECT-RE permits any source",
        "set firewall family inet filter PROTECT-RE term SSH from source-address <mgmt-prefix>",
    ),
    (
        "juniper_junos",
        junos("set interfaces lo0 unit 0 family inet filter input GONE\n"),
        "fail",
        "GONE is named but not defined",
        "",
    ),
    (
        "juniper_junos",
        junos(
            RE_FILTER + "set snmp community N0c4Read2026 authorization read-only\n"
            "set snmp community N0c4Read2026 clients 0.0.0.0/0\n"
        ),
        "fail",
        "SNMP community 1: access list SNMP community 1 clients permits any source",
        "set snmp community <community> clients 0.0.0.0/0 restrict",
    ),
    # Junos takes the longest matching client prefix: the network management subnet in, the rest refused.
    (
        "juniper_junos",
        junos(
            RE_FILTER + "set snmp community N0c4Read2026 authorization read-only\n"
            "set snmp community N0c4Read2026 clients 0.0.0.0/0 restrict\n"
            "set snmp community N0c4Read2026 clients 10.10.99.0/24\n"
        ),
        "pass",
        "SNMP community 1: SNMP community 1 clients",
        "",
    ),
    # lo0 filters run in turn (input-list): the second one's catch-all accept lets every source in.
    (
        "juniper_junos",
        junos(
            RE_FILTER.replace("filter input PROTECT-RE", "filter input-list [ PROTECT-RE OPEN ]").replace(
                "term REST then discard", "term REST then next term"
            )
            + "set firewall family inet filter OPEN term ALL then accept\n"
        ),
        "fail",
        "access list PROTECT-RE+OPEN permits any source",
        "set firewall family inet filter OPEN term ALL from source-address <mgmt-prefix>",
    ),
    (
        "juniper_junos",
        junos(RE_FILTER.replace("filter input PROTECT-RE", "filter input-list [ PROTECT-RE GONE ]")),
        "fail",
        "access list GONE is named but not defined",
        "",
    ),
]

# Verdicts the ACL model decides more exactly than the first-line reading it replaced (which
# looked for one permit whose source is "any" before a "deny ip any any").
MODEL_CASES = [
    # Two halves of the address space are every source, though no line says "any".
    (
        "cisco_ios",
        ios(
            "access-list 12 permit 0.0.0.0 127.255.255.255\naccess-list 12 permit 128.0.0.0 127.255.255.255\n"
            "line vty 0 4\n access-class 12 in\n"
        ),
        "fail",
        "access list 12 permits any source (access-list 12 permit 128.0.0.0 127.255.255.255)",
        " no permit 128.0.0.0 127.255.255.255",
    ),
    (
        "huawei",
        huawei(
            "acl number 2000\n rule 5 permit source 0.0.0.0 127.255.255.255\n"
            " rule 10 permit source 128.0.0.0 127.255.255.255\n#\nuser-interface vty 0 4\n acl 2000 inbound\n"
        ),
        "fail",
        "access list 2000 permits any source (rule 10 permit source 128.0.0.0 127.255.255.255)",
        " undo rule 10",
    ),
    # Every SSH and Telnet packet is denied before the permit of everything: nobody logs in through it.
    (
        "cisco_ios",
        ios(
            "ip access-list extended VTY\n 10 deny tcp any any\n 20 permit ip any any\n!\n"
            "line vty 0 4\n access-class VTY in\n transport input ssh\n"
        ),
        "pass",
        "line vty 0 4: VTY",
        "",
    ),
    # ...but a deny of SSH alone leaves Telnet to the vty lines open to every source.
    (
        "cisco_ios",
        ios(
            "ip access-list extended VTY\n 10 deny tcp any any eq 22\n 20 permit ip any any\n!\n"
            "line vty 0 4\n access-class VTY in\n"
        ),
        "fail",
        "access list VTY permits any source (20 permit ip any any)",
        " no permit ip any any",
    ),
    # An SNMP list judged on SNMP: a permit of SSH from anywhere lets no one query the agent.
    (
        "cisco_nxos",
        nxos(
            NXOS_MGMT + "ip access-list SNMP\n  10 permit tcp any any eq 22\n"
            "snmp-server community N0c4Read2026 group network-operator\n"
            "snmp-server community N0c4Read2026 use-ipv4acl SNMP\nline vty\n  access-class VTY-MGMT in\n"
        ),
        "pass",
        "SNMP community 1: SNMP",
        "",
    ),
]


@pytest.mark.parametrize(("platform", "config", "status", "words", "fix"), CASES + MODEL_CASES)
def test_management_acl(platform: str, config: str, status: str, words: str, fix: str) -> None:
    found = finding(platform, config, CHECK)
    assert found.status.value == status, found.message
    assert words in found.message
    if fix:
        assert fix in found.remediation, found.remediation
    assert "N0c4Read2026" not in found.message + "".join(e.text for e in found.evidence), "community values are secret"


def test_the_permit_any_line_is_shown_beside_the_binding() -> None:
    config = ios("access-list 10 deny   192.0.2.66\naccess-list 10 permit any\nline vty 0 4\n access-class 10 in\n")
    found = finding("cisco_ios", config, CHECK)
    assert [e.text.strip() for e in found.evidence] == ["access-class 10 in", "access-list 10 permit any"]


def test_one_list_fixes_two_ranges_once() -> None:
    found = finding(
        "cisco_ios", ios("line vty 0 4\n transport input ssh\nline vty 5 15\n transport input ssh\n"), CHECK
    )
    assert found.remediation == (
        "ip access-list standard MGMT-ACCESS",
        " permit <mgmt-subnet> <wildcard>",
        " deny any log",
        "line vty 0 4",
        " access-class MGMT-ACCESS in",
        "line vty 5 15",
        " access-class MGMT-ACCESS in",
    )


def test_no_management_access_read_is_not_assessed() -> None:
    """Huawei always prints its vty user-interface: none read means the device was not assessed."""
    found = finding("huawei", huawei(""), CHECK)
    assert found.status.value == "not_applicable"
    assert "no vty line or other remote management service read" in found.message
    assert not get_check(CHECK).assessed(found.status, found.key)


# ---- Junos SNMP clients of both address families -------------------------------------------
# Junos takes IPv4 and IPv6 prefixes as clients (the `clients` reference: "the IPv4 or IPv6
# addresses of the SNMP client hosts"); a source is judged by its own family's prefixes, the
# longest that holds it, and refused when none does.

HOSTILE_COMMUNITY = "S3cretCommun1ty"


def _community(*clients: str, extra: str = "") -> str:
    """A read-only community with ``clients`` (each ``P`` or ``P restrict``), behind the protected lo0 filter."""
    lines = [f"set snmp community {HOSTILE_COMMUNITY} authorization read-only\n"]
    lines += [f"set snmp community {HOSTILE_COMMUNITY} clients {client}\n" for client in clients]
    return junos(RE_FILTER + extra + "".join(lines))


JUNOS_V6_CASES = [
    # The IPv4 clients are narrow; the IPv6 one lets every IPv6 source query the agent.
    (
        _community("10.1.1.0/24", "::/0"),
        "fail",
        "SNMP community 1: access list SNMP community 1 IPv6 clients permits any source",
        ("delete snmp community <community> clients ::/0", "set snmp community <community> clients ::/0 restrict"),
    ),
    # Only IPv6 clients, open to all: IPv4 sources are refused, every IPv6 source answered.
    (
        _community("::/0"),
        "fail",
        "access list SNMP community 1 IPv6 clients permits any source",
        ("delete snmp community <community> clients ::/0",),
    ),
    # Two halves of the IPv6 space are every IPv6 source, though neither says ::/0.
    (
        _community("::/1", "8000::/1"),
        "fail",
        "access list SNMP community 1 IPv6 clients permits any source",
        ("delete snmp community <community> clients 8000::/1",),
    ),
    # ::/0 refused, the management prefix in: the longest match lets only it through.
    (_community("::/0 restrict", "2001:db8:99::/48"), "pass", "SNMP community 1: SNMP community 1 clients", ()),
    # Narrow IPv4 and narrow IPv6 clients: both families restricted.
    (_community("10.10.99.0/24", "2001:db8:99::/48"), "pass", "SNMP community 1: SNMP community 1 clients", ()),
    # A client list holds both families: its IPv6 catch-all is removed from the list itself.
    (
        junos(
            RE_FILTER + "set snmp client-list NMS 10.10.99.0/24\nset snmp client-list NMS ::/0\n"
            f"set snmp community {HOSTILE_COMMUNITY} authorization read-only\n"
            f"set snmp community {HOSTILE_COMMUNITY} client-list-name NMS\n"
        ),
        "fail",
        "access list SNMP community 1 IPv6 clients permits any source",
        ("delete snmp client-list NMS ::/0",),
    ),
]


@pytest.mark.parametrize(("config", "status", "words", "fix"), JUNOS_V6_CASES)
def test_junos_snmp_clients_of_both_families(config: str, status: str, words: str, fix: tuple[str, ...]) -> None:
    found = finding("juniper_junos", config, CHECK)
    assert found.status.value == status, found.message
    assert words in found.message, found.message
    for line in fix:
        assert line in found.remediation, found.remediation
    shown = found.message + "".join(e.text for e in found.evidence) + "".join(found.remediation)
    assert HOSTILE_COMMUNITY not in shown, "community values are secret"


def test_an_open_ipv6_client_is_the_evidence_of_the_failure() -> None:
    """The failure shows the binding and the very `clients ::/0` line that opens the community (masked)."""
    found = finding("juniper_junos", _community("10.1.1.0/24", "::/0"), CHECK)
    texts = [e.text.strip() for e in found.evidence]
    assert texts[-1].endswith(" clients ::/0"), texts
    assert texts[-1].startswith("set snmp community ") and HOSTILE_COMMUNITY not in texts[-1]


def test_a_pass_shows_the_client_lines_of_both_families() -> None:
    found = finding("juniper_junos", _community("10.10.99.0/24", "::/0 restrict", "2001:db8:99::/48"), CHECK)
    assert found.status.value == "pass", found.message
    clients = [e.text.split(" clients ")[-1] for e in found.evidence if " clients " in e.text]
    assert "10.10.99.0/24" in clients, clients
    assert "2001:db8:99::/48" in clients, clients


def test_junos_short_ipv4_prefix_is_read() -> None:
    """`0/0` (Junos' own shorthand, as its SNMP guide writes it) is every IPv4 source, not a line to skip."""
    found = finding("juniper_junos", _community("10.1.1.0/24", "0/0"), CHECK)
    assert found.status.value == "fail", found.message
    assert "access list SNMP community 1 clients permits any source" in found.message
    assert "delete snmp community <community> clients 0/0" in found.remediation


BRACE_CONFIG = """## Last changed: 2026-11-19 02:11:09 UTC
version 21.4R3-S5;
system {
    host-name br-fw2;
    services {
        ssh;
    }
}
interfaces {
    lo0 {
        unit 0 {
            family inet {
                filter {
                    input PROTECT-RE;
                }
            }
        }
    }
}
snmp {
    community "S3cretCommun1ty" {
        authorization read-only;
        clients {
            10.1.1.0/24;
            ::/0;
        }
    }
}
firewall {
    family inet {
        filter PROTECT-RE {
            term SSH {
                from {
                    source-address {
                        10.10.99.0/24;
                    }
                    protocol tcp;
                    destination-port ssh;
                }
                then accept;
            }
            term REST {
                then discard;
            }
        }
    }
}
"""


def test_an_open_ipv6_client_in_a_brace_configuration() -> None:
    """The same hostile community as `show configuration` prints it: the evidence is the `::/0;` line."""
    found = finding("juniper_junos", BRACE_CONFIG, CHECK)
    assert found.status.value == "fail", found.message
    assert "SNMP community 1 IPv6 clients permits any source" in found.message
    lines = BRACE_CONFIG.splitlines()
    assert lines[found.evidence[-1].line - 1].strip() == "::/0;"
    assert HOSTILE_COMMUNITY not in found.message + "".join(e.text for e in found.evidence)


# ---- The Junos routing engine, one lo0 filter per address family -----------------------------
# A Junos firewall filter is of one family (family inet: IPv4, family inet6: IPv6) and lo0 takes
# one input filter per family; a packet of a family with no filter on lo0 reaches the routing
# engine unfiltered. IPv6 is spoken once any interface has family inet6.

IPV6_ADDRESS = "set interfaces ge-0/0/0 unit 0 family inet6 address 2001:db8:30::1/64\n"
RE6_FILTER = (
    "set interfaces lo0 unit 0 family inet6 filter input PROTECT-RE6\n"
    "set firewall family inet6 filter PROTECT-RE6 term SSH from source-address 2001:db8:99::/48\n"
    "set firewall family inet6 filter PROTECT-RE6 term SSH from next-header tcp\n"
    "set firewall family inet6 filter PROTECT-RE6 term SSH from destination-port ssh\n"
    "set firewall family inet6 filter PROTECT-RE6 term SSH then accept\n"
    "set firewall family inet6 filter PROTECT-RE6 term ND from next-header icmp6\n"
    "set firewall family inet6 filter PROTECT-RE6 term ND then accept\n"
    "set firewall family inet6 filter PROTECT-RE6 term REST then discard\n"
)
OPEN_RE = RE_FILTER.replace("source-address 10.10.99.0/24", "source-address 0.0.0.0/0")
OPEN_RE6 = RE6_FILTER.replace("source-address 2001:db8:99::/48", "source-address ::/0")
NO_INET6_FILTER = "no inet6 input filter on lo0: the routing engine accepts IPv6 from any source"


def re_verdict(config: str) -> Finding:
    """access.management_acl on ``config`` scanned as a Junos core device (other checks may give several findings)."""
    snapshot = text_snapshot("t", get_platform("juniper_junos").commands.config, config, "juniper_junos")
    return next(found for found in scan(snapshot, platform="juniper_junos").findings if found.check == CHECK)


# (configuration, status, words the message must hold, lines the fix must hold)
JUNOS_RE_FAMILY_CASES = [
    # A narrow inet filter, IPv6 on an interface and no inet6 filter: SSH over IPv6 is open to all.
    (
        junos(RE_FILTER + IPV6_ADDRESS),
        "fail",
        f"routing engine (ssh) over IPv6: no access list ({NO_INET6_FILTER})",
        (
            "set firewall family inet6 filter PROTECT-RE6 term MGMT from source-address <mgmt-prefix-v6>",
            "set interfaces lo0 unit 0 family inet6 filter input PROTECT-RE6",
        ),
    ),
    # family inet6 without an address still gives the interface IPv6.
    (
        junos(RE_FILTER + "set interfaces ge-0/0/1 unit 0 family inet6\n"),
        "fail",
        NO_INET6_FILTER,
        ("set interfaces lo0 unit 0 family inet6 filter input PROTECT-RE6",),
    ),
    # Only an inet6 filter: IPv4 reaches the routing engine unfiltered.
    (
        junos(RE6_FILTER + IPV6_ADDRESS),
        "fail",
        "routing engine (ssh) over IPv4: no access list (no inet input filter on lo0: "
        "the routing engine accepts IPv4 from any source)",
        ("set interfaces lo0 unit 0 family inet filter input PROTECT-RE",),
    ),
    # A narrow inet filter and an inet6 filter that accepts SSH from ::/0, in either order.
    (
        junos(RE_FILTER + OPEN_RE6 + IPV6_ADDRESS),
        "fail",
        "over IPv6: access list PROTECT-RE6 permits any source",
        ("set firewall family inet6 filter PROTECT-RE6 term SSH from source-address <mgmt-prefix-v6>",),
    ),
    (
        junos(OPEN_RE6 + RE_FILTER + IPV6_ADDRESS),
        "fail",
        "over IPv6: access list PROTECT-RE6 permits any source",
        ("set firewall family inet6 filter PROTECT-RE6 term SSH from source-address <mgmt-prefix-v6>",),
    ),
    # A narrow inet6 filter first, an inet filter open to 0.0.0.0/0 after it.
    (
        junos(RE6_FILTER + OPEN_RE + IPV6_ADDRESS),
        "fail",
        "over IPv4: access list PROTECT-RE permits any source",
        ("set firewall family inet filter PROTECT-RE term SSH from source-address <mgmt-prefix>",),
    ),
    # The inet6 binding names the inet filter: Junos keeps filter names per family, so no inet6
    # filter of that name exists and IPv6 is filtered by nothing.
    (
        junos(RE_FILTER + "set interfaces lo0 unit 0 family inet6 filter input PROTECT-RE\n" + IPV6_ADDRESS),
        "fail",
        "over IPv6: access list PROTECT-RE is named but not defined",
        ("set interfaces lo0 unit 0 family inet6 filter input PROTECT-RE6",),
    ),
    # An inet6 input-list whose second filter accepts everything.
    (
        junos(
            RE_FILTER
            + RE6_FILTER.replace("filter input PROTECT-RE6", "filter input-list [ PROTECT-RE6 OPEN6 ]").replace(
                "term REST then discard", "term REST then next term"
            )
            + "set firewall family inet6 filter OPEN6 term ALL then accept\n"
            + IPV6_ADDRESS
        ),
        "fail",
        "over IPv6: access list PROTECT-RE6+OPEN6 permits any source",
        ("set firewall family inet6 filter OPEN6 term ALL from source-address <mgmt-prefix-v6>",),
    ),
    # No lo0 filter at all on a dual-stack device: both families fail, both skeletons are the fix.
    (
        junos(IPV6_ADDRESS),
        "fail",
        f"over IPv4: no access list (no input filter on lo0: the routing engine accepts its services "
        f"from any source); routing engine (ssh) over IPv6: no access list ({NO_INET6_FILTER})",
        (
            "set interfaces lo0 unit 0 family inet filter input PROTECT-RE",
            "set interfaces lo0 unit 0 family inet6 filter input PROTECT-RE6",
        ),
    ),
    # Narrow filters in both families.
    (
        junos(RE_FILTER + RE6_FILTER + IPV6_ADDRESS),
        "pass",
        "routing engine (ssh): PROTECT-RE (inet), PROTECT-RE6 (inet6)",
        (),
    ),
    # No IPv6 anywhere: the inet filter alone decides, and the pass says why IPv6 was not judged.
    (
        junos(RE_FILTER),
        "pass",
        "routing engine (ssh): PROTECT-RE (decided by vendor default: "
        "no interface has family inet6: IPv6 is not configured",
        (),
    ),
]


@pytest.mark.parametrize(("config", "status", "words", "fix"), JUNOS_RE_FAMILY_CASES)
def test_junos_routing_engine_per_address_family(config: str, status: str, words: str, fix: tuple[str, ...]) -> None:
    found = re_verdict(config)
    assert found.status.value == status, found.message
    assert words in found.message, found.message
    for line in fix:
        assert line in found.remediation, found.remediation


def test_an_unfiltered_ipv6_path_is_shown_by_the_lo0_line_and_an_ipv6_address() -> None:
    found = re_verdict(junos(RE_FILTER + IPV6_ADDRESS))
    assert [e.text for e in found.evidence] == [
        "set interfaces lo0 unit 0 family inet filter input PROTECT-RE",
        IPV6_ADDRESS.strip(),
    ]


def test_a_dual_stack_pass_shows_both_bindings_and_both_filters() -> None:
    found = re_verdict(junos(RE_FILTER + RE6_FILTER + IPV6_ADDRESS))
    texts = [e.text for e in found.evidence]
    assert "set interfaces lo0 unit 0 family inet filter input PROTECT-RE" in texts
    assert "set interfaces lo0 unit 0 family inet6 filter input PROTECT-RE6" in texts
    assert any(t.startswith("set firewall family inet6 filter PROTECT-RE6 ") for t in texts), texts


@pytest.mark.parametrize("body", ["", IPV6_ADDRESS, RE_FILTER + IPV6_ADDRESS])
def test_the_junos_fix_applied_protects_the_routing_engine(body: str) -> None:
    """The fix's skeleton filters, their prefixes filled in, pass the check they were given for."""
    found = re_verdict(junos(body))
    assert found.status.value == "fail", found.message
    fixed = "".join(
        line.replace("<mgmt-prefix-v6>", "2001:db8:99::/48").replace("<mgmt-prefix>", "10.10.99.0/24") + "\n"
        for line in found.remediation
    )
    assert "<" not in fixed, fixed
    again = re_verdict(junos(body + fixed))
    assert again.status.value == "pass", again.message


# The narrow inet filter the brace-form configurations below guard lo0 with.
BRACE_FIREWALL_INET = """firewall {
    family inet {
        filter PROTECT-RE {
            term MGMT {
                from {
                    source-address {
                        10.10.99.0/24;
                    }
                }
                then accept;
            }
            term REST {
                then discard;
            }
        }
    }
}
"""
BRACE_DUAL_STACK = (
    """## Last changed: 2026-11-19 02:11:09 UTC
version 21.4R3-S5;
system {
    host-name br-fw2;
    services {
        ssh;
        netconf {
            ssh;
        }
    }
}
interfaces {
    ge-0/0/0 {
        unit 0 {
            family inet {
                address 10.30.2.1/24;
            }
            family inet6 {
                address 2001:db8:30::1/64;
            }
        }
    }
    lo0 {
        unit 0 {
            family inet {
                filter {
                    input PROTECT-RE;
                }
            }
        }
    }
}
"""
    + BRACE_FIREWALL_INET
)
BRACE_RE6 = """    family inet6 {
        filter PROTECT-RE6 {
            term MGMT {
                from {
                    source-address {
                        2001:db8:99::/48;
                    }
                }
                then accept;
            }
            term REST {
                then discard;
            }
        }
    }
}
"""
BRACE_LO0_INET6 = """            family inet6 {
                filter {
                    input PROTECT-RE6;
                }
            }
"""


def _brace_with_inet6_filter() -> str:
    lo0_inet = "                    input PROTECT-RE;\n                }\n            }\n"
    config = BRACE_DUAL_STACK.replace(lo0_inet, lo0_inet + BRACE_LO0_INET6, 1)
    return config[: config.rindex("}\n")] + BRACE_RE6


def test_an_unfiltered_ipv6_path_in_a_brace_configuration() -> None:
    """`show configuration` as printed: the lo0 filter is inet only, ge-0/0/0 has an IPv6 address."""
    found = re_verdict(BRACE_DUAL_STACK)
    assert found.status.value == "fail", found.message
    assert "routing engine (netconf, ssh) over IPv6" in found.message and NO_INET6_FILTER in found.message
    lines = BRACE_DUAL_STACK.splitlines()
    assert [lines[e.line - 1].strip() for e in found.evidence] == ["input PROTECT-RE;", "address 2001:db8:30::1/64;"]


def test_narrow_filters_of_both_families_in_a_brace_configuration() -> None:
    config = _brace_with_inet6_filter()
    found = re_verdict(config)
    assert found.status.value == "pass", found.message
    assert "PROTECT-RE (inet), PROTECT-RE6 (inet6)" in found.message


def test_a_missing_inet6_filter_is_not_claimed_on_a_cut_configuration() -> None:
    """Cut inside lo0, the inet6 filter may be in the part not received: not assessed, not failed."""
    config = _brace_with_inet6_filter()
    cut = config[: config.index(BRACE_LO0_INET6)]
    found = re_verdict(cut)
    assert found.status.value == "error", found.message
    assert "not recognisably whole" in found.message


# ---- Which lo0 unit guards the master instance's routing engine -----------------------------
# A filter on a lo0 unit that a routing instance holds filters that instance's traffic only; the
# master instance's routing engine is guarded by the master's own unit (lo0.0 unless an instance
# claims it), and with none, by no filter ("Configuring Logical Units on the Loopback Interface
# for Routing Instances in Layer 3 VPNs"; JunosBaseline._routing_engine).

NARROW_ON_5 = RE_FILTER.replace("lo0 unit 0", "lo0 unit 5")
LO0_0 = "set interfaces lo0 unit 0 family inet address 10.255.0.1/32\n"
CUST = "set routing-instances CUST instance-type vrf\nset routing-instances CUST interface lo0.5\n"
OPEN_FILTER = "set firewall family inet filter OPEN term ALL then accept\n"

# (configuration, status, words the message must hold, the lines the verdict must show, in order)
JUNOS_LO0_UNIT_CASES = [
    # The hostile one: the narrow filter sits on a VRF's loopback, lo0.0 has none.
    (
        junos(LO0_0 + NARROW_ON_5 + CUST),
        "fail",
        "routing engine (ssh): no access list (no inet input filter on lo0.0, the master instance's loopback: "
        "the filter on lo0.5 guards routing instance CUST only, and the routing engine accepts IPv4 from any source)",
        [
            LO0_0.strip(),
            "set interfaces lo0 unit 5 family inet filter input PROTECT-RE",
            "set routing-instances CUST interface lo0.5",
        ],
    ),
    # The master instance has no lo0 unit at all: nothing guards its routing engine.
    (
        junos(NARROW_ON_5 + CUST),
        "fail",
        "no lo0 unit in the master instance: the filter on lo0.5 guards routing instance CUST only",
        [
            "set system services ssh",
            "set interfaces lo0 unit 5 family inet filter input PROTECT-RE",
            "set routing-instances CUST interface lo0.5",
        ],
    ),
    # lo0.0 itself put in a routing instance: the master's loopback is the unit left, lo0.1.
    (
        junos(
            RE_FILTER
            + "set interfaces lo0 unit 1 family inet address 10.255.1.1/32\n"
            + "set routing-instances CUST interface lo0.0\n"
        ),
        "fail",
        "no inet input filter on lo0.1, the master instance's loopback: the filter on lo0.0 guards routing "
        "instance CUST only",
        [
            "set interfaces lo0 unit 1 family inet address 10.255.1.1/32",
            "set interfaces lo0 unit 0 family inet filter input PROTECT-RE",
            "set routing-instances CUST interface lo0.0",
        ],
    ),
    # A narrow filter on lo0.0 and an open one on a VRF's loopback, written first: lo0.0 decides.
    (
        junos("set interfaces lo0 unit 5 family inet filter input OPEN\n" + OPEN_FILTER + RE_FILTER + CUST),
        "pass",
        "routing engine (ssh): PROTECT-RE",
        ["set interfaces lo0 unit 0 family inet filter input PROTECT-RE"],
    ),
    # A unit no routing instance names is the master's, whatever its number.
    (
        junos(RE_FILTER.replace("lo0 unit 0", "lo0 unit 1")),
        "pass",
        "routing engine (ssh): PROTECT-RE",
        ["set interfaces lo0 unit 1 family inet filter input PROTECT-RE"],
    ),
    # The filter given to every loopback unit by a group, as Juniper advises (apply-groups).
    (
        junos(
            "set groups RE interfaces <lo*> unit <*> family inet filter input PROTECT-RE\n"
            + "set apply-groups RE\n"
            + LO0_0
            + RE_FILTER.replace("set interfaces lo0 unit 0 family inet filter input PROTECT-RE\n", "")
        ),
        "pass",
        "routing engine (ssh): PROTECT-RE",
        ["set groups RE interfaces <lo*> unit <*> family inet filter input PROTECT-RE"],
    ),
]


@pytest.mark.parametrize(("config", "status", "words", "shown"), JUNOS_LO0_UNIT_CASES)
def test_junos_routing_engine_is_guarded_by_the_master_instance_loopback(
    config: str, status: str, words: str, shown: list[str]
) -> None:
    found = re_verdict(config)
    assert found.status.value == status, found.message
    assert words in found.message, found.message
    assert [e.text for e in found.evidence][: len(shown)] == shown


def test_the_fix_binds_the_filter_on_the_master_instance_loopback() -> None:
    """The fix names lo0.0 (not the VRF's unit), and applied, it passes."""
    config = junos(LO0_0 + NARROW_ON_5 + CUST)
    found = re_verdict(config)
    assert "set interfaces lo0 unit 0 family inet filter input PROTECT-RE" in found.remediation
    assert not any("unit 5" in line for line in found.remediation), found.remediation
    fixed = "".join(line.replace("<mgmt-prefix>", "10.10.99.0/24") + "\n" for line in found.remediation)
    again = re_verdict(config + fixed)
    assert again.status.value == "pass", again.message


def test_the_fix_for_a_master_loopback_other_than_unit_0_binds_that_unit() -> None:
    """lo0.0 is a VRF's: the filter goes on lo0.1, the master's, not on the VRF's unit."""
    config = junos(
        RE_FILTER
        + "set interfaces lo0 unit 1 family inet address 10.255.1.1/32\n"
        + "set routing-instances CUST interface lo0.0\n"
    )
    found = re_verdict(config)
    assert found.status.value == "fail", found.message
    assert "set interfaces lo0 unit 1 family inet filter input PROTECT-RE" in found.remediation, found.remediation


BRACE_INSTANCE_LOOPBACK = (
    """## Last changed: 2026-11-19 02:11:09 UTC
version 21.4R3-S5;
system {
    host-name pe1;
    services {
        ssh;
    }
}
interfaces {
    ge-0/0/0 {
        unit 0 {
            family inet {
                address 10.30.2.1/24;
            }
        }
    }
    lo0 {
        unit 0 {
            family inet {
                address 10.255.0.1/32;
            }
        }
        unit 5 {
            family inet {
                filter {
                    input PROTECT-RE;
                }
                address 10.255.5.1/32;
            }
        }
    }
}
"""
    + BRACE_FIREWALL_INET
    + """routing-instances {
    CUST {
        instance-type vrf;
        interface lo0.5;
    }
}
"""
)


def test_a_vrf_loopback_filter_in_a_brace_configuration_does_not_guard_the_master() -> None:
    found = re_verdict(BRACE_INSTANCE_LOOPBACK)
    assert found.status.value == "fail", found.message
    assert "the filter on lo0.5 guards routing instance CUST only" in found.message
    lines = BRACE_INSTANCE_LOOPBACK.splitlines()
    assert [lines[e.line - 1].strip() for e in found.evidence] == [
        "address 10.255.0.1/32;",
        "input PROTECT-RE;",
        "interface lo0.5;",
    ]


def test_the_same_filter_moved_to_lo0_0_in_a_brace_configuration_passes() -> None:
    config = BRACE_INSTANCE_LOOPBACK.replace("        interface lo0.5;\n", "        interface lo0.0;\n").replace(
        "                address 10.255.0.1/32;\n", "                address 10.255.0.9/32;\n"
    )
    # lo0.0 now in CUST, lo0.5 (with the narrow filter) left to the master instance.
    found = re_verdict(config)
    assert found.status.value == "pass", found.message
    assert "routing engine (ssh): PROTECT-RE" in found.message


# ---- A protocol-independent lo0 filter (family any, an MX binds it under the unit) ----------
# Its match conditions hold no address, and bound beside a family's own filter it runs first:
# netcomply does not read family any filters, so a family guarded by it alone is not judged
# (an error that says so), never failed as unfiltered nor passed.

ANY_RE = (
    "set interfaces lo0 unit 0 filter input ANY-RE\n"
    "set firewall family any filter ANY-RE term LIMIT from packet-length 0-1500\n"
    "set firewall family any filter ANY-RE term LIMIT then accept\n"
)
NOT_ANALYSED = "protocol-independent input filter ANY-RE (family any) on lo0.0: netcomply does not read family any"

# (configuration, status, words the message must hold, words it must not hold)
JUNOS_ANY_FILTER_CASES = [
    # The MX binding alone: the filter is there, not analysed; no "no input filter" claim.
    (junos(ANY_RE), "error", f"routing engine (ssh): {NOT_ANALYSED}", "no input filter"),
    # The same under family any, as other platforms bind it.
    (
        junos(ANY_RE.replace("unit 0 filter input", "unit 0 family any filter input")),
        "error",
        NOT_ANALYSED,
        "no input filter",
    ),
    # Beside a narrow inet filter: the packet meets both, the inet filter restricts the sources.
    (junos(ANY_RE + RE_FILTER), "pass", "routing engine (ssh): PROTECT-RE", "not analyse"),
    # Beside an inet filter open to every source: it holds no address to narrow them by.
    (junos(ANY_RE + OPEN_RE), "fail", "access list PROTECT-RE permits any source", "not analyse"),
    # Dual stack: IPv4 judged by its inet filter, IPv6 guarded by the family any filter only.
    (
        junos(ANY_RE + RE_FILTER + IPV6_ADDRESS),
        "error",
        f"routing engine (ssh) over IPv6: {NOT_ANALYSED}",
        "over IPv4",
    ),
    # An open SNMP community beside it fails, and the finding says what was not judged.
    (
        junos(
            ANY_RE + "set snmp community N0c4Read2026 authorization read-only\n"
            "set snmp community N0c4Read2026 clients 0.0.0.0/0\n"
        ),
        "fail",
        f"0.0.0.0/0); not judged: routing engine (ssh): {NOT_ANALYSED}",
        "no input filter",
    ),
]


@pytest.mark.parametrize(("config", "status", "words", "absent"), JUNOS_ANY_FILTER_CASES)
def test_junos_protocol_independent_lo0_filter(config: str, status: str, words: str, absent: str) -> None:
    found = re_verdict(config)
    assert found.status.value == status, found.message
    assert words in found.message, found.message
    assert absent not in found.message, found.message
    assert "N0c4Read2026" not in found.message + "".join(e.text for e in found.evidence)


def test_an_unanalysed_filter_is_shown_by_its_binding_line() -> None:
    found = re_verdict(junos(ANY_RE))
    assert [e.text for e in found.evidence] == ["set interfaces lo0 unit 0 filter input ANY-RE"]
    assert found.remediation == (), "no fix is claimed for what was not judged"


BRACE_MX_ANY = """## Last changed: 2026-11-19 02:11:09 UTC
version 21.4R3-S5;
system {
    host-name mx1;
    services {
        ssh;
        netconf {
            ssh;
        }
    }
}
interfaces {
    lo0 {
        unit 0 {
            filter {
                input ANY-RE;
            }
            family inet {
                address 10.255.0.1/32;
            }
        }
    }
}
firewall {
    family any {
        filter ANY-RE {
            term LIMIT {
                from {
                    packet-length 0-1500;
                }
                then accept;
            }
        }
    }
}
"""


def test_a_protocol_independent_filter_in_a_brace_configuration() -> None:
    found = re_verdict(BRACE_MX_ANY)
    assert found.status.value == "error", found.message
    assert "routing engine (netconf, ssh): protocol-independent input filter ANY-RE (family any) on lo0.0" in (
        found.message
    )
    lines = BRACE_MX_ANY.splitlines()
    assert [lines[e.line - 1].strip() for e in found.evidence] == ["input ANY-RE;"]


VTY_LIST = "line vty 0 4\n access-class VTY in\n transport input ssh\n"


@pytest.mark.parametrize(
    ("entries", "status", "words"),
    [
        # An entry the reader cannot analyse before the deny: it may let anyone in. Was a pass.
        (" 10 permit tcp any any range 22\n 20 permit tcp 10.9.9.0 0.0.0.255 any eq 22\n 30 deny ip any any\n",
         "error", "could not be analysed"),
        # After the line that opens the way: the open line decides first, the fail stands.
        (" 10 permit tcp any any eq 22\n 20 permit tcp any any range 22\n", "fail", "permits any source"),
        # Before the line that opens the way: the unread entry may deny first; not judged.
        (" 10 permit tcp any any range 22\n 20 permit tcp any any eq 22\n", "error", "could not be analysed"),
        # Every entry read: restricted.
        (" 10 permit tcp 10.9.9.0 0.0.0.255 any eq 22\n 20 deny ip any any\n", "pass", "restricted"),
    ],
)  # fmt: skip
def test_an_entry_the_reader_cannot_analyse_never_leaves_a_pass(entries: str, status: str, words: str) -> None:
    config = ios(f"ip access-list extended VTY\n{entries}!\n{VTY_LIST}")
    found = finding("cisco_ios", config, CHECK)
    assert (found.status.value, words in found.message) == (status, True), found.message
    if status == "error":
        assert f"the entries at line(s) {line_of(config, ' 10 permit tcp any any range 22')} " in found.message
        assert "does not analyse" in found.message and found.evidence


def test_a_shadowing_pass_names_the_entries_it_could_not_analyse() -> None:
    config = ios("ip access-list extended EDGE\n 10 permit tcp any any range 22\n 20 deny ip any any\n!\n")
    found = finding("cisco_ios", config, "acl.shadowed_rule")
    assert found.status.value == "pass"
    assert f"1 entr(ies) not analysed, at line(s) {line_of(config, ' 10 permit tcp any any range 22')}" in found.message


def test_a_permit_any_pass_names_the_applied_entries_it_could_not_analyse() -> None:
    # The unread entry may be the line that permits everything: the pass says it was not read.
    config = ios(
        "ip access-list extended EDGE\n 10 permit tcp any any range 22\n 20 deny ip any any\n!\n"
        "ip access-list extended SPARE\n 10 permit tcp any any range 80\n!\n"
        "interface GigabitEthernet0/1\n ip address 10.0.0.1 255.255.255.0\n ip access-group EDGE in\n!\n"
    )
    found = finding("cisco_ios", config, "acl.permit_any")
    assert found.status.value == "pass", found.message
    # SPARE is applied nowhere: only EDGE's entry is named.
    assert found.message.endswith(
        f"(1 entr(ies) not analysed, at line(s) {line_of(config, ' 10 permit tcp any any range 22')})"
    ), found.message
