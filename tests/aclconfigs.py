"""Whole configurations of an L3 switch on each platform, for the ACL tests.

Every platform's switch routes between a production-control VLAN (10.20.10.0/24) and an
office VLAN (10.30.30.0/24), has a management VLAN (10.99.0.0/24, in no zone) with a
management list on it, and an uplink. ``faults`` adds, each in the platform's own
syntax: a management list whose last line permits everything, a list line that two
earlier lines cover together (a /24 after its two /25 halves), and a reference to a list nobody defined (on the uplink).
``filters`` adds the lists that filter the two zones with a default deny (traffic from
the office to the historian's HTTPS only), ``huawei_final_deny`` is the Huawei/H3C
variant without the final deny (their interface filters pass what no rule matches).
"""

from __future__ import annotations

from dataclasses import dataclass

ZONES = {"production-control": ["10.20.0.0/16"], "office": ["10.30.0.0/16"]}
PLATFORMS = ("cisco_ios", "cisco_xe", "cisco_nxos", "arista_eos", "huawei", "hp_comware", "juniper_junos")
COMMANDS = {
    "cisco_ios": "show running-config",
    "cisco_xe": "show running-config",
    "cisco_nxos": "show running-config",
    "arista_eos": "show running-config",
    "huawei": "display current-configuration",
    "hp_comware": "display current-configuration",
    "juniper_junos": "show configuration | display set",
}


@dataclass(frozen=True)
class Variant:
    faults: bool = False
    filters: bool = False
    final_deny: bool = True
    routing: bool = True


def config(platform: str, variant: Variant) -> str:
    return BUILDERS[platform](variant)


def _ios(variant: Variant, xe: bool = False) -> str:
    head = [
        "Building configuration...",
        "",
        "Current configuration : 8123 bytes",
        "!",
        "version 17.9" if xe else "version 15.2",
        "service timestamps debug datetime msec",
        "service password-encryption",
        "!",
        "hostname plant-l3",
        "!",
        "boot-start-marker",
        "boot-end-marker",
        "!",
        "username netadmin privilege 15 secret 9 $9$Xb2V8kQ1mN5pR3$Fh7jK9lM2nB4vC6xZ8aS0dF1gH3jK5lQ7wE9rT1yU3i",
        "no ip domain lookup",
        "ip cef",
    ]
    head.append("ip routing" if variant.routing else "no ip routing")
    if xe:
        head += [
            "!",
            "object-group network OFFICE-DESKS",
            " 10.30.30.0 255.255.255.0",
            "!",
            "object-group service HISTORIAN-WEB",
            " tcp eq 443",
            "!",
        ]
    lists = [
        "!",
        "ip access-list extended MGMT-IN",
        " permit tcp 10.99.0.0 0.0.0.255 any eq 22",
        " permit tcp 10.99.0.0 0.0.0.127 any eq 443",
        " permit tcp 10.99.0.128 0.0.0.127 any eq 443",
    ]
    if variant.faults:
        lists += [" permit tcp 10.99.0.0 0.0.0.255 any eq 443", " permit ip any any"]
    else:
        lists += [" deny ip any any log"]
    if variant.filters:
        if xe:
            lists += [
                "ip access-list extended OFFICE-TO-PC",
                " permit object-group HISTORIAN-WEB object-group OFFICE-DESKS host 10.20.10.5",
            ]
        else:
            lists += ["ip access-list extended OFFICE-TO-PC", " permit tcp 10.30.30.0 0.0.0.255 host 10.20.10.5 eq 443"]
        lists += [
            " deny   ip 10.30.0.0 0.0.255.255 10.20.0.0 0.0.255.255 log",
            " permit ip 10.30.0.0 0.0.255.255 any",
            "ip access-list extended PC-TO-OFFICE",
            " permit tcp host 10.20.10.5 10.30.30.0 0.0.0.255 established",
            " deny   ip any any log",
        ]
    interfaces = [
        "!",
        "interface GigabitEthernet1/0/1",
        " switchport access vlan 10",
        " switchport mode access",
        "!",
        "interface GigabitEthernet1/0/48",
        " description uplink",
        " no switchport",
        " ip address 192.0.2.1 255.255.255.252",
    ]
    if variant.faults:
        interfaces.append(" ip access-group UPLINK-IN in")
    interfaces += ["!", "interface Vlan10", " description historian", " ip address 10.20.10.1 255.255.255.0"]
    if variant.filters:
        interfaces.append(" ip access-group PC-TO-OFFICE in")
    interfaces += ["!", "interface Vlan30", " description office", " ip address 10.30.30.1 255.255.255.0"]
    if variant.filters:
        interfaces.append(" ip access-group OFFICE-TO-PC in")
    interfaces += ["!", "interface Vlan99", " ip address 10.99.0.1 255.255.255.0", " ip access-group MGMT-IN in"]
    tail = ["!", "line con 0", "line vty 0 4", " transport input ssh", "!", "end"]
    return "\n".join(head + lists + interfaces + tail) + "\n"


def _nxos(variant: Variant) -> str:
    lines = [
        "!Command: show running-config",
        "!Time: Fri Nov 20 02:00:01 2026",
        "",
        "version 9.3(8) Bios:version 07.69",
        "hostname plant-l3",
        "feature ssh",
        "feature interface-vlan",
        "feature lldp",
        "username admin password 5 $5$KfLPBeHd$3Fo8sCIjZP9sWqHKqGEKrNxqXJ0RA5dmeW7bSWlJ1x.  role network-admin",
        "",
        "ip access-list MGMT-IN",
        "  10 permit tcp 10.99.0.0/24 any eq 22",
        "  20 permit tcp 10.99.0.0/25 any eq 443",
        "  30 permit tcp 10.99.0.128/25 any eq 443",
    ]
    if variant.faults:
        lines += ["  40 permit tcp 10.99.0.0/24 any eq 443", "  50 permit ip any any"]
    else:
        lines += ["  40 deny ip any any log"]
    if variant.filters:
        lines += [
            "object-group ip address HISTORIAN",
            "  10 host 10.20.10.5",
            "ip access-list OFFICE-TO-PC",
            "  10 permit tcp 10.30.30.0/24 addrgroup HISTORIAN eq 443",
            "  20 deny ip 10.30.0.0/16 10.20.0.0/16 log",
            "  30 permit ip 10.30.0.0/16 any",
            "ip access-list PC-TO-OFFICE",
            "  10 permit tcp 10.20.10.5/32 10.30.30.0/24 established",
            "  20 deny ip any any log",
        ]
    lines += ["", "vlan 1,10,30,99", "", "interface Vlan10", "  no shutdown", "  ip address 10.20.10.1/24"]
    if variant.filters:
        lines.append("  ip access-group PC-TO-OFFICE in")
    lines += ["", "interface Vlan30", "  no shutdown", "  ip address 10.30.30.1/24"]
    if variant.filters:
        lines.append("  ip access-group OFFICE-TO-PC in")
    lines += ["", "interface Vlan99", "  no shutdown", "  ip address 10.99.0.1/24", "  ip access-group MGMT-IN in"]
    lines += [
        "",
        "interface Ethernet1/1",
        "  switchport access vlan 10",
        "",
        "interface Ethernet1/48",
        "  no switchport",
        "  ip address 192.0.2.1/30",
    ]
    if variant.faults:
        lines.append("  ip access-group UPLINK-IN in")
    lines += ["  no shutdown", "line console", "line vty"]
    return "\n".join(lines) + "\n"


def _eos(variant: Variant) -> str:
    lines = [
        "! Command: show running-config",
        "! device: plant-l3 (DCS-7050SX3-48YC8, EOS-4.28.3M)",
        "!",
        "no aaa root",
        "!",
        "username admin privilege 15 role network-admin secret sha512 $6$Xs0wF3pC$0gXkW9H1I3nTqZ0k2w2bq9a7nYl5D0r8vQ2l",
        "!",
        "hostname plant-l3",
        "!",
        "spanning-tree mode mstp",
        "!",
        "interface Ethernet1",
        "   switchport access vlan 10",
        "!",
        "interface Ethernet48",
        "   no switchport",
        "   ip address 192.0.2.1/30",
    ]
    if variant.faults:
        lines.append("   ip access-group UPLINK-IN in")
    lines += ["!", "interface Vlan10", "   ip address 10.20.10.1/24"]
    if variant.filters:
        lines.append("   ip access-group PC-TO-OFFICE in")
    lines += ["!", "interface Vlan30", "   ip address 10.30.30.1/24"]
    if variant.filters:
        lines.append("   ip access-group OFFICE-TO-PC in")
    lines += [
        "!",
        "interface Vlan99",
        "   ip address 10.99.0.1/24",
        "   ip access-group MGMT-IN in",
        "!",
        "ip access-list MGMT-IN",
        "   10 permit tcp 10.99.0.0/24 any eq ssh",
        "   20 permit tcp 10.99.0.0/25 any eq https",
        "   30 permit tcp 10.99.0.128/25 any eq https",
    ]
    if variant.faults:
        lines += ["   40 permit tcp 10.99.0.0/24 any eq https", "   50 permit ip any any"]
    else:
        lines += ["   40 deny ip any any log"]
    if variant.filters:
        lines += [
            "!",
            "ip access-list OFFICE-TO-PC",
            "   10 permit tcp 10.30.30.0/24 host 10.20.10.5 eq https",
            "   20 deny ip 10.30.0.0/16 10.20.0.0/16 log",
            "   30 permit ip 10.30.0.0/16 any",
            "!",
            "ip access-list PC-TO-OFFICE",
            "   10 permit tcp host 10.20.10.5 10.30.30.0/24 established",
            "   20 deny ip any any log",
        ]
    lines += [
        "!",
        "ip routing" if variant.routing else "no ip routing",
        "!",
        "management ssh",
        "   idle-timeout 10",
        "!",
        "end",
    ]
    return "\n".join(lines) + "\n"


def _vrp(variant: Variant, h3c: bool) -> str:
    svi = "Vlan-interface" if h3c else "Vlanif"

    def bind(name: str) -> str:
        return f" packet-filter {name} inbound" if h3c else f" traffic-filter inbound acl {name}"

    def header(number: str) -> str:
        if not h3c:
            return f"acl number {number}"
        return f"acl {'basic' if number.startswith('2') else 'advanced'} {number}"

    lines = [
        "#",
        " version 7.1.070, Release 6328P03" if h3c else "!Software Version V200R019C10SPC500",
        "#",
        " sysname plant-l3" if h3c else "sysname plant-l3",
        "#",
    ]
    if h3c:
        lines += [" password-control enable", "#", " lldp global enable", "#"]
    else:
        lines += ["drop illegal-mac alarm", "#", "aaa", " authentication-scheme default", "#"]
    lines += [
        "vlan batch 10 30 99",
        "#",
        header("3099"),
        " rule 5 permit tcp source 10.99.0.0 0.0.0.255 destination-port eq 22",
        " rule 10 permit tcp source 10.99.0.0 0.0.0.127 destination-port eq 443",
        " rule 15 permit tcp source 10.99.0.128 0.0.0.127 destination-port eq 443",
    ]
    if variant.faults:
        lines += [" rule 20 permit tcp source 10.99.0.0 0.0.0.255 destination-port eq 443", " rule 25 permit ip"]
    else:
        lines += [" rule 100 deny ip"]
    if variant.filters:
        lines += [
            "#",
            header("3030"),
            " rule 5 permit tcp source 10.30.30.0 0.0.0.255 destination 10.20.10.5 0 destination-port eq 443",
        ]
        if variant.final_deny:
            lines.append(" rule 100 deny ip source 10.30.0.0 0.0.255.255 destination 10.20.0.0 0.0.255.255")
        lines += [
            "#",
            header("3010"),
            " rule 5 permit tcp source 10.20.10.5 0 destination 10.30.30.0 0.0.0.255 established"
            if h3c
            else " rule 5 permit tcp source 10.20.10.5 0 destination 10.30.30.0 0.0.0.255 tcp-flag ack",
        ]
        if variant.final_deny:
            lines.append(" rule 100 deny ip source 10.20.0.0 0.0.255.255 destination 10.30.0.0 0.0.255.255")
    lines += ["#", f"interface {svi}10", " description historian", " ip address 10.20.10.1 255.255.255.0"]
    if variant.filters:
        lines.append(bind("3010"))
    lines += ["#", f"interface {svi}30", " description office", " ip address 10.30.30.1 255.255.255.0"]
    if variant.filters:
        lines.append(bind("3030"))
    lines += ["#", f"interface {svi}99", " ip address 10.99.0.1 255.255.255.0", bind("3099"), "#"]
    uplink = "GigabitEthernet1/0/48" if h3c else "GigabitEthernet0/0/48"
    lines += [
        f"interface {uplink}",
        " port link-mode route" if h3c else " undo portswitch",
        " ip address 192.0.2.1 255.255.255.252",
    ]
    if variant.faults:
        lines.append(bind("3999"))
    lines += [
        "#",
        "interface GigabitEthernet1/0/1" if h3c else "interface GigabitEthernet0/0/1",
        " port access vlan 10" if h3c else " port default vlan 10",
        "#",
    ]
    if h3c:
        lines += ["line vty 0 63", " authentication-mode scheme", " protocol inbound ssh", "#", "return"]
    else:
        lines += ["user-interface vty 0 4", " authentication-mode aaa", " protocol inbound ssh", "#", "return"]
    return "\n".join(lines) + "\n"


def _junos(variant: Variant) -> str:
    lines = [
        "set version 21.4R3-S5.4",
        "set system host-name plant-l3",
        "set system login user netadmin class super-user",
        "set system login user netadmin authentication encrypted-password "
        '"$6$Zq3Tv$1wQe8rTy6uIo4pAs2dFg0hJk9lZx7cVb5nMq3wEr1tYu9iOp7aSd5fGh3jKl1zXc9vBn7mQw5eRt3yUi1oPa/"',
        "set system services ssh",
        "set interfaces ge-0/0/0 unit 0 family ethernet-switching vlan members HISTORIAN",
        "set interfaces ge-0/0/47 unit 0 family inet address 192.0.2.1/30",
        "set interfaces irb unit 10 family inet address 10.20.10.1/24",
        "set interfaces irb unit 30 family inet address 10.30.30.1/24",
        "set interfaces irb unit 99 family inet address 10.99.0.1/24",
        "set interfaces irb unit 99 family inet filter input MGMT-IN",
    ]
    if variant.faults:
        lines.append("set interfaces ge-0/0/47 unit 0 family inet filter input UPLINK-IN")
    if variant.filters:
        lines += [
            "set interfaces irb unit 10 family inet filter input PC-TO-OFFICE",
            "set interfaces irb unit 30 family inet filter input OFFICE-TO-PC",
        ]
    base = "set firewall family inet filter MGMT-IN term"
    lines += [
        f"{base} SSH from source-address 10.99.0.0/24",
        f"{base} SSH from protocol tcp",
        f"{base} SSH from destination-port ssh",
        f"{base} SSH then accept",
        f"{base} WEB-LOW from source-address 10.99.0.0/25",
        f"{base} WEB-LOW from protocol tcp",
        f"{base} WEB-LOW from destination-port https",
        f"{base} WEB-LOW then accept",
        f"{base} WEB-HIGH from source-address 10.99.0.128/25",
        f"{base} WEB-HIGH from protocol tcp",
        f"{base} WEB-HIGH from destination-port https",
        f"{base} WEB-HIGH then accept",
    ]
    if variant.faults:
        lines += [
            f"{base} WEB-ADMIN from source-address 10.99.0.0/24",
            f"{base} WEB-ADMIN from protocol tcp",
            f"{base} WEB-ADMIN from destination-port https",
            f"{base} WEB-ADMIN then accept",
            f"{base} REST then accept",
        ]
    if variant.filters:
        office = "set firewall family inet filter OFFICE-TO-PC term"
        plant = "set firewall family inet filter PC-TO-OFFICE term"
        lines += [
            f"{office} HISTORIAN from source-address 10.30.30.0/24",
            f"{office} HISTORIAN from destination-address 10.20.10.5/32",
            f"{office} HISTORIAN from protocol tcp",
            f"{office} HISTORIAN from destination-port 443",
            f"{office} HISTORIAN then accept",
            f"{office} NO-PLANT from destination-address 10.20.0.0/16",
            f"{office} NO-PLANT then discard",
            f"{office} REST from source-address 10.30.0.0/16",
            f"{office} REST then accept",
            f"{plant} REPLIES from source-address 10.20.10.5/32",
            f"{plant} REPLIES from protocol tcp",
            f"{plant} REPLIES from tcp-established",
            f"{plant} REPLIES then accept",
        ]
    return "\n".join(lines) + "\n"


BUILDERS = {
    "cisco_ios": _ios,
    "cisco_xe": lambda v: _ios(v, xe=True),
    "cisco_nxos": _nxos,
    "arista_eos": _eos,
    "huawei": lambda v: _vrp(v, h3c=False),
    "hp_comware": lambda v: _vrp(v, h3c=True),
    "juniper_junos": _junos,
}
