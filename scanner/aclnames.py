"""The names vendors give protocols, ports and ICMP types in access lists.

Cisco IOS/NX-OS/EOS, Huawei VRP, H3C Comware and Junos share most of these names
(``www``/``http`` 80, ``domain`` 53, ``snmp`` 161); where a name means a different port
for TCP and UDP (512 ``exec``/``biff``, 513 ``login``/``who``, 514 ``cmd``/``syslog``)
the table per protocol decides. A name not listed here is returned as None: the line
is then kept with a wider match and marked inexact, never guessed.
"""

from __future__ import annotations

PROTOCOLS: dict[str, int] = {
    "icmp": 1,
    "igmp": 2,
    "ipinip": 4,
    "ip-in-ip": 4,
    "tcp": 6,
    "egp": 8,
    "igp": 9,
    "udp": 17,
    "rsvp": 46,
    "gre": 47,
    "esp": 50,
    "ahp": 51,
    "ah": 51,
    "icmpv6": 58,
    "icmp6": 58,
    "eigrp": 88,
    "ospf": 89,
    "nos": 94,
    "pim": 103,
    "pcp": 108,
    "vrrp": 112,
    "l2tp": 115,
    "sctp": 132,
}
# Words meaning "any IP protocol" in a protocol position.
ANY_PROTOCOL = frozenset({"ip", "ipv4", "ipv6", "any"})

_COMMON_PORTS: dict[str, int] = {
    "echo": 7,
    "discard": 9,
    "daytime": 13,
    "chargen": 19,
    "ftp-data": 20,
    "ftp": 21,
    "ssh": 22,
    "telnet": 23,
    "smtp": 25,
    "time": 37,
    "nameserver": 42,
    "whois": 43,
    "tacacs": 49,
    "tacacs-ds": 65,
    "domain": 53,
    "dns": 53,
    "gopher": 70,
    "finger": 79,
    "www": 80,
    "http": 80,
    "hostname": 101,
    "pop2": 109,
    "pop3": 110,
    "sunrpc": 111,
    "ident": 113,
    "nntp": 119,
    "ntp": 123,
    "msrpc": 135,
    "netbios-ns": 137,
    "netbios-dgm": 138,
    "netbios-ssn": 139,
    "netbios-ss": 139,
    "imap": 143,
    "imap4": 143,
    "snmp": 161,
    "snmptrap": 162,
    "snmp-trap": 162,
    "xdmcp": 177,
    "bgp": 179,
    "irc": 194,
    "dnsix": 195,
    "ldap": 389,
    "https": 443,
    "mobile-ip": 434,
    "microsoft-ds": 445,
    "isakmp": 500,
    "ike": 500,
    "lpd": 515,
    "printer": 515,
    "talk": 517,
    "rip": 520,
    "ripv6": 521,
    "ripng": 521,
    "uucp": 540,
    "klogin": 543,
    "kshell": 544,
    "ldaps": 636,
    "pim-auto-rp": 496,
    "bootps": 67,
    "bootpc": 68,
    "tftp": 69,
    "kerberos": 88,
    "radius": 1812,
    "radacct": 1813,
    "non500-isakmp": 4500,
    "drip": 3949,
    "onep-plain": 15001,
    "onep-tls": 15002,
    "mysql": 3306,
    "rdp": 3389,
    "modbus": 502,
    "mqtt": 1883,
}
_TCP_PORTS = {**_COMMON_PORTS, "exec": 512, "login": 513, "cmd": 514, "rsh": 514, "syslog": 514}
_UDP_PORTS = {**_COMMON_PORTS, "biff": 512, "who": 513, "syslog": 514}


def port_number(word: str, protocol: int | None) -> int | None:
    """``22``, ``ssh``, ``www`` -> the port; None when the word is neither a number nor a known name."""
    if word.isdigit():
        value = int(word)
        return value if value <= 65535 else None
    table = _UDP_PORTS if protocol == 17 else _TCP_PORTS
    return table.get(word.lower())


def protocol_number(word: str) -> int | None:
    """``tcp`` -> 6, ``47`` -> 47; None for an unknown name (``ip`` and friends are :data:`ANY_PROTOCOL`)."""
    if word.isdigit():
        value = int(word)
        return value if value <= 255 else None
    return PROTOCOLS.get(word.lower())


# ICMP (IPv4) message names: type, or (type, code) for a name that fixes the code too.
ICMP_TYPES: dict[str, tuple[int, int | None]] = {
    "echo-reply": (0, None),
    "unreachable": (3, None),
    "destination-unreachable": (3, None),
    "net-unreachable": (3, 0),
    "host-unreachable": (3, 1),
    "protocol-unreachable": (3, 2),
    "port-unreachable": (3, 3),
    "packet-too-big": (3, 4),
    "source-route-failed": (3, 5),
    "administratively-prohibited": (3, 13),
    "source-quench": (4, None),
    "redirect": (5, None),
    "alternate-address": (6, None),
    "echo": (8, None),
    "echo-request": (8, None),
    "router-advertisement": (9, None),
    "router-solicitation": (10, None),
    "time-exceeded": (11, None),
    "ttl-exceeded": (11, 0),
    "reassembly-timeout": (11, 1),
    "parameter-problem": (12, None),
    "timestamp-request": (13, None),
    "timestamp": (13, None),
    "timestamp-reply": (14, None),
    "information-request": (15, None),
    "info-request": (15, None),
    "information-reply": (16, None),
    "info-reply": (16, None),
    "mask-request": (17, None),
    "mask-reply": (18, None),
    "traceroute": (30, None),
    "conversion-error": (31, None),
}
