"""access.management_acl on IOS, NX-OS and EOS: the IPv6 side of each management access point.

These platforms bind one list per address family: ``access-class`` (``ip access-group``,
``use-ipv4acl``, a community's last word) filters IPv4 sessions only, ``ipv6 access-class``
(``ipv6 access-group``, ``use-ipv6acl``, ``ipv6 L6``) IPv6 sessions only. The configurations
are those a careless or hostile administrator writes to look restricted: a narrow IPv4 list on
a device that also speaks IPv6 and binds no IPv6 list, or an IPv6 list that lets everyone in.
A device without IPv6 keeps its IPv4 verdict, and its pass says that no IPv6 reaches it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.configtree import ConfigTree, Line
from scanner.model import Evidence, Finding
from scanner.platforms._mgmt_access import _IPV6_ON, LineEvidence, Reach, cisco_ipv6_reach
from tests.conftest import FIXTURES
from tests.verdicthelpers import eos, finding, ios, iosxe, nxos

CHECK = "access.management_acl"
COMMUNITY = "Zq8vR2xKc0mm"

IOS_MGMT = "ip access-list standard VTY-MGMT\n permit 10.10.99.0 0.0.0.255\n deny   any log\n!\n"
IOS_MGMT6 = "ipv6 access-list VTY-MGMT6\n permit ipv6 2001:db8:99::/64 any\n deny ipv6 any any log\n!\n"
IOS_OPEN6 = "ipv6 access-list OPEN6\n permit ipv6 any any\n!\n"
IOS_V6 = "interface GigabitEthernet0/1\n ipv6 address 2001:db8:30::1/64\n!\n"
IOS_VTY = "line vty 0 4\n access-class VTY-MGMT in\n transport input ssh\n"
IOS_VTY6 = "line vty 0 4\n access-class VTY-MGMT in\n ipv6 access-class VTY-MGMT6 in\n transport input ssh\n"

NXOS_MGMT = "ip access-list VTY-MGMT\n  10 permit tcp 10.10.99.0/24 any eq 22\n  20 deny ip any any log\n"
NXOS_MGMT6 = "ipv6 access-list VTY-MGMT6\n  10 permit tcp 2001:db8:99::/64 any eq 22\n  20 deny ipv6 any any log\n"
NXOS_SNMP = "ip access-list SNMP\n  10 permit udp 10.10.99.0/24 any eq snmp\n"
NXOS_SNMP6 = "ipv6 access-list SNMP6\n  10 permit udp 2001:db8:99::/64 any eq snmp\n"
NXOS_V6 = "interface Ethernet1/1\n  no switchport\n  ipv6 address 2001:db8:40::1/64\n  no shutdown\n"
NXOS_VTY6 = "line vty\n  access-class VTY-MGMT in\n  ipv6 access-class VTY-MGMT6 in\n"

EOS_SSH = "ip access-list standard SSH\n   10 permit 10.10.99.0/24\n!\n"
EOS_SSH6 = "ipv6 access-list standard SSH6\n   10 permit 2001:db8:99::/64\n!\n"
EOS_V6 = "interface Ethernet1\n   no switchport\n   ipv6 address 2001:db8:50::1/64\n!\n"
EOS_ENABLE = "interface Ethernet2\n   no switchport\n   ipv6 enable\n!\n"

# (platform, configuration, status, words the message holds, a line the fix holds)
CASES = [
    # ---- IOS / IOS-XE vty lines ----
    # The hostile one: a narrow IPv4 access-class, an IPv6 address, no ipv6 access-class.
    (
        "cisco_ios",
        ios(IOS_V6 + IOS_MGMT + IOS_VTY),
        "fail",
        "line vty 0 4 over IPv6: no access list (IOS: without 'ipv6 access-class <list> in' every IPv6 "
        "source reaches it, and IPv6 is on: interface GigabitEthernet0/1: ipv6 address 2001:db8:30::1/64)",
        " ipv6 access-class MGMT-ACCESS6 in",
    ),
    # A link-local address is enough for a session from the same segment.
    (
        "cisco_ios",
        ios("interface GigabitEthernet0/2\n ipv6 enable\n!\n" + IOS_MGMT + IOS_VTY),
        "fail",
        "IPv6 is on: interface GigabitEthernet0/2: ipv6 enable",
        "ipv6 access-list MGMT-ACCESS6",
    ),
    (
        "cisco_ios",
        ios("interface GigabitEthernet0/2\n ipv6 address autoconfig\n!\n" + IOS_MGMT + IOS_VTY),
        "fail",
        "ipv6 address autoconfig",
        " ipv6 access-class MGMT-ACCESS6 in",
    ),
    # An IPv6 list that lets every source in fails like an IPv4 one, with the ACL model's fix.
    (
        "cisco_ios",
        ios(IOS_V6 + IOS_MGMT + IOS_OPEN6 + IOS_VTY.replace(" transport", " ipv6 access-class OPEN6 in\n transport")),
        "fail",
        "line vty 0 4 over IPv6: access list OPEN6 permits any source (permit ipv6 any any)",
        " no permit ipv6 any any",
    ),
    # ...even where no interface has IPv6 yet: the list bound for IPv6 restricts nothing.
    (
        "cisco_ios",
        ios(IOS_MGMT + IOS_OPEN6 + IOS_VTY.replace(" transport", " ipv6 access-class OPEN6 in\n transport")),
        "fail",
        "line vty 0 4 over IPv6: access list OPEN6 permits any source",
        " permit ipv6 <mgmt-prefix6> any",
    ),
    (
        "cisco_ios",
        ios(IOS_V6 + IOS_MGMT + IOS_MGMT6 + IOS_VTY6),
        "pass",
        "line vty 0 4: VTY-MGMT (IPv4), VTY-MGMT6 (IPv6)",
        "",
    ),
    (
        "cisco_ios",
        ios(IOS_V6 + IOS_MGMT + IOS_VTY.replace(" transport", " ipv6 access-class GONE6 in\n transport")),
        "fail",
        "line vty 0 4 over IPv6: access list GONE6 is named but not defined, so it filters nothing",
        "",
    ),
    # The second range forgotten on the IPv6 side.
    (
        "cisco_ios",
        ios(IOS_V6 + IOS_MGMT + IOS_MGMT6 + IOS_VTY6 + "line vty 5 15\n access-class VTY-MGMT in\n"),
        "fail",
        "1 management access point(s) open to any source: line vty 5 15 over IPv6: no access list",
        "line vty 5 15",
    ),
    # The IPv6 list named by the IPv4 binding: IOS finds no IPv4 list of that name.
    (
        "cisco_ios",
        ios(IOS_V6 + IOS_MGMT6 + "line vty 0 4\n access-class VTY-MGMT6 in\n ipv6 access-class VTY-MGMT6 in\n"),
        "fail",
        "line vty 0 4 over IPv4: access list VTY-MGMT6 is named but not defined",
        "",
    ),
    # An IPv6 address only on an interface shut down reaches nothing, and the pass says so.
    (
        "cisco_ios",
        ios("interface GigabitEthernet0/3\n ipv6 address 2001:db8:31::1/64\n shutdown\n!\n" + IOS_MGMT + IOS_VTY),
        "pass",
        "line vty 0 4: VTY-MGMT (decided by vendor default: IPv6 is not configured, only IPv4 reaches it: "
        "IPv6 only on an interface shut down (interface GigabitEthernet0/3: ipv6 address 2001:db8:31::1/64))",
        "",
    ),
    # ---- IOS-XE web server ----
    (
        "cisco_xe",
        iosxe(
            IOS_V6 + IOS_MGMT + IOS_MGMT6 + "ip http secure-server\nip http access-class ipv4 VTY-MGMT\n"
            "line vty 0 15\n access-class VTY-MGMT in vrf-also\n ipv6 access-class VTY-MGMT6 in\n"
        ),
        "fail",
        "ip http secure-server over IPv6: no access list (IOS: without 'ip http access-class ipv6 <list>'",
        "ip http access-class ipv6 MGMT-ACCESS6",
    ),
    (
        "cisco_xe",
        iosxe(
            IOS_V6 + IOS_MGMT + IOS_MGMT6 + "ip http secure-server\nip http access-class ipv4 VTY-MGMT\n"
            "ip http access-class ipv6 VTY-MGMT6\nline vty 0 15\n access-class VTY-MGMT in vrf-also\n"
            " ipv6 access-class VTY-MGMT6 in\n"
        ),
        "pass",
        "ip http secure-server: VTY-MGMT (IPv4), VTY-MGMT6 (IPv6)",
        "",
    ),
    # Only the IPv6 web list bound: IPv4 browsers come from anywhere.
    (
        "cisco_xe",
        iosxe(
            IOS_V6 + IOS_MGMT + IOS_MGMT6 + "ip http secure-server\nip http access-class ipv6 VTY-MGMT6\n"
            "line vty 0 15\n access-class VTY-MGMT in vrf-also\n ipv6 access-class VTY-MGMT6 in\n"
        ),
        "fail",
        "ip http secure-server over IPv4: no access list "
        "(only the IPv6 list VTY-MGMT6 is bound, and it filters IPv6 only)",
        "ip http access-class ipv4 MGMT-ACCESS",
    ),
    # ---- IOS SNMP communities ----
    (
        "cisco_ios",
        ios(IOS_V6 + IOS_MGMT + IOS_MGMT6 + f"snmp-server community {COMMUNITY} RO VTY-MGMT\n" + IOS_VTY6),
        "fail",
        "SNMP community 1 over IPv6: no access list (IOS: without 'ipv6 <list>' on the community",
        "snmp-server community <community> RO ipv6 MGMT-ACCESS6 VTY-MGMT",
    ),
    (
        "cisco_ios",
        ios(
            IOS_V6 + IOS_MGMT + IOS_MGMT6 + f"snmp-server community {COMMUNITY} RO ipv6 VTY-MGMT6 VTY-MGMT\n" + IOS_VTY6
        ),
        "pass",
        "SNMP community 1: VTY-MGMT (IPv4), VTY-MGMT6 (IPv6)",
        "",
    ),
    # Only the IPv6 list on the community: its last word is no IPv4 list.
    (
        "cisco_ios",
        ios(IOS_V6 + IOS_MGMT + IOS_MGMT6 + f"snmp-server community {COMMUNITY} RO ipv6 VTY-MGMT6\n" + IOS_VTY6),
        "fail",
        "SNMP community 1 over IPv4: no access list (only the IPv6 list VTY-MGMT6 is bound, and it filters IPv6 only)",
        "snmp-server community <community> RO MGMT-ACCESS",
    ),
    # ---- NX-OS ----
    (
        "cisco_nxos",
        nxos(NXOS_V6 + NXOS_MGMT + "line vty\n  access-class VTY-MGMT in\n"),
        "fail",
        "line vty over IPv6: no access list (NX-OS: without 'ipv6 access-class <list> in' every IPv6 source "
        "reaches it, and IPv6 is on: interface Ethernet1/1: ipv6 address 2001:db8:40::1/64)",
        "  ipv6 access-class MGMT-ACCESS6 in",
    ),
    # The out-of-band port with an IPv6 address is a way in too.
    (
        "cisco_nxos",
        nxos(NXOS_MGMT + "line vty\n  access-class VTY-MGMT in\n").replace(
            "interface mgmt0\n  vrf member management\n",
            "interface mgmt0\n  vrf member management\n  ipv6 address 2001:db8:99::31/64\n",
        ),
        "fail",
        "interface mgmt0: ipv6 address 2001:db8:99::31/64",
        "line vty",
    ),
    (
        "cisco_nxos",
        nxos(NXOS_V6 + NXOS_MGMT + NXOS_MGMT6 + NXOS_VTY6),
        "pass",
        "line vty: VTY-MGMT (IPv4), VTY-MGMT6 (IPv6)",
        "",
    ),
    (
        "cisco_nxos",
        nxos(NXOS_V6 + NXOS_MGMT + "ipv6 access-list VTY-MGMT6\n  10 permit ipv6 any any\n" + NXOS_VTY6),
        "fail",
        "line vty over IPv6: access list VTY-MGMT6 permits any source (10 permit ipv6 any any)",
        "  permit tcp <mgmt-prefix6> any eq 22",
    ),
    (
        "cisco_nxos",
        nxos(
            NXOS_V6 + NXOS_MGMT + NXOS_MGMT6 + NXOS_SNMP + f"snmp-server community {COMMUNITY} group network-operator\n"
            f"snmp-server community {COMMUNITY} use-ipv4acl SNMP\n" + NXOS_VTY6
        ),
        "fail",
        "SNMP community 1 over IPv6: no access list (NX-OS: without 'use-ipv6acl <list>'",
        "snmp-server community <community> use-ipv6acl MGMT-SNMP6",
    ),
    (
        "cisco_nxos",
        nxos(
            NXOS_V6
            + NXOS_MGMT
            + NXOS_MGMT6
            + NXOS_SNMP
            + NXOS_SNMP6
            + f"snmp-server community {COMMUNITY} group network-operator\n"
            f"snmp-server community {COMMUNITY} use-ipv4acl SNMP\nsnmp-server community {COMMUNITY} use-ipv6acl SNMP6\n"
            + NXOS_VTY6
        ),
        "pass",
        "SNMP community 1: SNMP (IPv4), SNMP6 (IPv6)",
        "",
    ),
    # Only use-ipv6acl: the community answers every IPv4 source (it was read as the IPv4 list).
    (
        "cisco_nxos",
        nxos(
            NXOS_MGMT + NXOS_SNMP6 + f"snmp-server community {COMMUNITY} group network-operator\n"
            f"snmp-server community {COMMUNITY} use-ipv6acl SNMP6\nline vty\n  access-class VTY-MGMT in\n"
        ),
        "fail",
        "SNMP community 1 over IPv4: no access list (only the IPv6 list SNMP6 is bound, and it filters IPv6 only)",
        "snmp-server community <community> use-ipv4acl MGMT-SNMP",
    ),
    # ---- EOS ----
    (
        "arista_eos",
        eos(EOS_V6 + EOS_SSH + "management ssh\n   ip access-group SSH in\n"),
        "fail",
        "management ssh over IPv6: no access list (EOS: without 'ipv6 access-group <list> in' under "
        "'management ssh' every IPv6 source reaches it, and IPv6 is on: interface Ethernet1: ipv6 address "
        "2001:db8:50::1/64)",
        "   ipv6 access-group MGMT-ACCESS6 in",
    ),
    (
        "arista_eos",
        eos(EOS_ENABLE + EOS_SSH + "management ssh\n   vrf MGMT\n      ip access-group SSH in\n      no shutdown\n"),
        "fail",
        "IPv6 is on: interface Ethernet2: ipv6 enable",
        "ipv6 access-list standard MGMT-ACCESS6",
    ),
    (
        "arista_eos",
        eos(
            EOS_V6 + EOS_SSH + EOS_SSH6 + "management ssh\n   ip access-group SSH vrf MGMT in\n"
            "   ipv6 access-group SSH6 vrf MGMT in\n   vrf MGMT\n      no shutdown\n"
        ),
        "pass",
        "management ssh: SSH (IPv4), SSH6 (IPv6)",
        "",
    ),
    (
        "arista_eos",
        eos(
            EOS_V6 + EOS_SSH + "ipv6 access-list OPEN6\n   10 permit ipv6 any any\n!\n"
            "management ssh\n   ip access-group SSH in\n   ipv6 access-group OPEN6 in\n"
        ),
        "fail",
        "management ssh over IPv6: access list OPEN6 permits any source (10 permit ipv6 any any)",
        "   permit tcp <mgmt-prefix6> any eq ssh",
    ),
    (
        "arista_eos",
        eos(
            EOS_V6 + EOS_SSH + EOS_SSH6 + f"snmp-server community {COMMUNITY} ro SSH\n"
            "management ssh\n   ip access-group SSH in\n   ipv6 access-group SSH6 in\n"
        ),
        "fail",
        "SNMP community 1 over IPv6: no access list (EOS: without 'ipv6 <list>' on the community",
        "snmp-server community <community> ro ipv6 MGMT-ACCESS6 SSH",
    ),
    (
        "arista_eos",
        eos(
            EOS_V6 + EOS_SSH + EOS_SSH6 + f"snmp-server community {COMMUNITY} ro ipv6 SSH6 SSH\n"
            "management ssh\n   ip access-group SSH in\n   ipv6 access-group SSH6 in\n"
        ),
        "pass",
        "SNMP community 1: SSH (IPv4), SSH6 (IPv6)",
        "",
    ),
    # eAPI (management api http-commands) is a way in: it was never read before.
    (
        "arista_eos",
        eos(
            EOS_SSH + "management api http-commands\n   no shutdown\n   vrf MGMT\n      no shutdown\n!\n"
            "management ssh\n   ip access-group SSH in\n"
        ),
        "fail",
        "1 management access point(s) open to any source: management api http-commands: no access list",
        "      ip access-group MGMT-ACCESS",
    ),
    (
        "arista_eos",
        eos(
            EOS_V6 + EOS_SSH + EOS_SSH6 + "management api http-commands\n   no shutdown\n   vrf MGMT\n"
            "      no shutdown\n      ip access-group SSH\n!\n"
            "management ssh\n   ip access-group SSH in\n   ipv6 access-group SSH6 in\n"
        ),
        "fail",
        "management api http-commands over IPv6: no access list (EOS: without 'ipv6 access-group <list>' in a 'vrf'",
        "      ipv6 access-group MGMT-ACCESS6",
    ),
]


def _shown(found: Finding) -> str:
    return found.message + "".join(e.text for e in found.evidence) + "\n".join(found.remediation)


@pytest.mark.parametrize(("platform", "config", "status", "words", "fix"), CASES)
def test_ipv6_side_of_management_access(platform: str, config: str, status: str, words: str, fix: str) -> None:
    found = finding(platform, config, CHECK)
    assert found.status.value == status, found.message
    assert words in found.message, found.message
    if fix:
        assert fix in found.remediation, found.remediation
    assert COMMUNITY not in _shown(found), "community values are secret"


def test_the_failure_shows_the_access_point_and_the_ipv6_address() -> None:
    """The vty's binding (IPv4 only) and the line that gives the device IPv6."""
    found = finding("cisco_ios", ios(IOS_V6 + IOS_MGMT + IOS_VTY), CHECK)
    assert [e.text.strip() for e in found.evidence] == ["access-class VTY-MGMT in", "ipv6 address 2001:db8:30::1/64"]


def test_a_vty_without_any_binding_shows_its_block() -> None:
    found = finding("cisco_ios", ios(IOS_V6 + "line vty 0 4\n transport input ssh\n"), CHECK)
    assert "line vty 0 4 over IPv4: no access list; line vty 0 4 over IPv6: no access list" in found.message
    assert [e.text.strip() for e in found.evidence] == ["line vty 0 4", "ipv6 address 2001:db8:30::1/64"]


def test_the_open_ipv6_line_is_shown_beside_its_binding() -> None:
    config = ios(
        IOS_V6 + IOS_MGMT + IOS_OPEN6 + "line vty 0 4\n access-class VTY-MGMT in\n ipv6 access-class OPEN6 in\n"
    )
    found = finding("cisco_ios", config, CHECK)
    assert [e.text.strip() for e in found.evidence] == [
        "access-class VTY-MGMT in",
        "ipv6 access-class OPEN6 in",
        "permit ipv6 any any",
    ]


def test_the_ipv6_fix_binds_the_list_under_the_vty_block() -> None:
    found = finding("cisco_ios", ios(IOS_V6 + IOS_MGMT + IOS_VTY), CHECK)
    assert found.remediation == (
        "ipv6 access-list MGMT-ACCESS6",
        " permit ipv6 <mgmt-prefix6> any",
        " deny ipv6 any any log",
        "line vty 0 4",
        " ipv6 access-class MGMT-ACCESS6 in",
    )


def test_a_community_open_on_both_families_keeps_its_new_ipv4_list_in_the_ipv6_statement() -> None:
    """IOS binds a community's two lists in one statement; entered again it replaces the first,
    so the IPv6 fix, which comes last, names the IPv4 list the IPv4 fix creates."""
    found = finding(
        "cisco_ios", ios(IOS_V6 + IOS_MGMT + IOS_MGMT6 + f"snmp-server community {COMMUNITY} RO\n" + IOS_VTY6), CHECK
    )
    assert found.status.value == "fail"
    assert "SNMP community 1 over IPv4: no access list; SNMP community 1 over IPv6: no access list" in found.message
    assert found.message.startswith("1 management access point(s) open to any source")
    statements = [line for line in found.remediation if line.startswith("snmp-server community")]
    assert statements == [
        "snmp-server community <community> RO MGMT-ACCESS",
        "snmp-server community <community> RO ipv6 MGMT-ACCESS6 MGMT-ACCESS",
    ]
    assert COMMUNITY not in _shown(found)


@pytest.mark.parametrize(
    ("platform", "config"),
    [
        ("cisco_ios", ios(IOS_MGMT + IOS_VTY)),
        ("cisco_nxos", nxos(NXOS_MGMT + "line vty\n  access-class VTY-MGMT in\n")),
        ("arista_eos", eos(EOS_SSH + "management ssh\n   ip access-group SSH in\n")),
    ],
)
def test_without_ipv6_the_ipv4_verdict_stands_and_the_pass_says_why(platform: str, config: str) -> None:
    found = finding(platform, config, CHECK)
    assert found.status.value == "pass", found.message
    assert found.message.endswith(
        "(decided by vendor default: IPv6 is not configured, only IPv4 reaches it: "
        "no interface has an IPv6 address or 'ipv6 enable')"
    )


def test_a_cut_configuration_reports_no_missing_ipv6_binding_as_a_failure() -> None:
    """The missing ``ipv6 access-class`` may be in the part that was not read: error, not fail."""
    config = ios(IOS_V6 + IOS_MGMT + IOS_VTY).replace("!\nend\n", "")
    found = finding("cisco_ios", config, CHECK)
    assert found.status.value == "error", found.message


def test_a_cut_configuration_still_fails_an_open_ipv6_list_by_its_own_line() -> None:
    config = ios(
        IOS_V6 + IOS_MGMT + IOS_OPEN6 + IOS_VTY.replace(" transport", " ipv6 access-class OPEN6 in\n transport")
    )
    found = finding("cisco_ios", config.replace("!\nend\n", ""), CHECK)
    assert found.status.value == "fail", found.message
    assert "line vty 0 4 over IPv6: access list OPEN6 permits any source" in found.message


def _reach_by_walking_every_interface(tree: ConfigTree, evidence: LineEvidence) -> Reach:
    """The reference: each interface block in order, its children walked for the first IPv6 statement."""
    texts, shut = tree.texts, None
    for index in tree.top_indices():
        if not texts[index].startswith("interface "):
            continue
        children = tree.child_indices(index)
        first = next((c for c in children if texts[c].startswith(_IPV6_ON)), None)
        if first is None:
            continue
        described = f"{texts[index]}: {texts[first]}"
        if any(texts[c] == "shutdown" for c in children):
            shut = shut or described
            continue
        return evidence(Line(tree, first)), described
    if shut is not None:
        return None, f"IPv6 only on an interface shut down ({shut})"
    return None, "no interface has an IPv6 address or 'ipv6 enable'"


REACH_EDGES = [
    "interface Gi1\n ipv6 address 2001:db8::1/64\n shutdown\n!\ninterface Gi2\n ipv6 enable\n!\n",
    "interface Gi1\n shutdown\n ipv6 link-local fe80::1\n!\n",
    "interface Vlan1\n description x\n!\n ipv6 address 2001:db8::1/64\n",  # a stray line after the block's "!"
    "interface Gi1\n vrf forwarding X\n  ipv6 enable\n!\n",  # deeper than the interface's own statements
    "router ospfv3 1\n ipv6 address 2001:db8::9/64\n!\ninterface Gi1\n ip address 10.0.0.1 255.255.255.0\n!\n",
    "interface Gi1\n ipv6 address 2001:db8::1/64\n ipv6 enable\n!\ninterface Gi2\n ipv6 enable\n!\n",
]


def test_the_ipv6_sweep_gives_the_walk_of_every_interface(corpus: Path) -> None:
    """cisco_ipv6_reach finds IPv6 statements in one sweep; it answers as the walk of every block does."""

    def evidence(line: Line) -> Evidence:
        return Evidence("show running-config", line.lineno, line.text)

    paths = [p for p in corpus.rglob("*") if p.is_file() and p.stat().st_size < 3_000_000]
    paths += list(FIXTURES.rglob("show_running-config.txt"))
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths] + REACH_EDGES
    reached = 0
    for text in texts:
        tree = ConfigTree.parse(text)
        expected = _reach_by_walking_every_interface(tree, evidence)
        assert cisco_ipv6_reach(tree, evidence) == expected, text[:200]
        reached += expected[0] is not None
    assert reached >= 8, "IPv6 configurations are among those compared"
