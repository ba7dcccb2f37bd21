"""Reproducible, realistic device configurations for the benchmarks (seeded).

Each config is about 1,500 lines: services, AAA and users, VLANs, access and uplink
interfaces, SVIs, ACLs, OSPF/BGP/static routing, SNMP, logging, NTP, banner, lines.
The mix is 70% IOS, 15% NX-OS, 15% EOS, and about a third of the devices carry
violations, so every check does real work. Every device has secrets of its own (salted
hashes, its SNMP community), as a real estate does: a scan that kept every host's
secrets in one pattern would grow with the estate here too.

Every device's faults are its own, at the same rate at any size, so a larger estate
means more of the same work per device, never more per device: in particular each IOS
SVI has an address plan's own /27 (the device's number picks it), and one device in 50
reuses its predecessor's first gateway address, a duplicate for ipam.duplicate_address.
(Random /24s, as before, collided more the larger the estate: 2,795 duplicate findings
at 1,000 devices, 126,905 at 10,000, which measured the collisions, not the scanner.)
"""

from __future__ import annotations

import random
from pathlib import Path

PLATFORM_MIX = (("cisco_ios", 70), ("cisco_nxos", 15), ("arista_eos", 15))
_SALT = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _salt(rng: random.Random, length: int) -> str:
    """Characters of a crypt salt or hash, drawn from the seeded generator."""
    return "".join(rng.choice(_SALT) for _ in range(length))


def _community(rng: random.Random, prefix: str) -> str:
    """A device's own strong community: letters and digits, longer than 8 characters."""
    return f"{prefix}{rng.randint(1000, 9999)}{_salt(rng, 6).replace('.', 'q').replace('/', 'z')}"


def _svi_address(device: int, svi: int) -> str:
    """The gateway of the device's own /27 for its ``svi``-th SVI (10.0.0.0/8 holds 524,288 of them)."""
    if device % 50 == 7 and svi == 0:
        device -= 1  # a planted duplicate: the first gateway of the device before
    network = (10 << 24) | ((device * 20 + svi) % (1 << 19)) << 5
    return ".".join(str(network >> shift & 0xFF) for shift in (24, 16, 8)) + f".{(network & 0xFF) + 1}"


def _ios(rng: random.Random, name: str, bad: bool, device: int = 0) -> list[str]:
    lines = [
        "Building configuration...",
        "",
        f"Current configuration : {rng.randint(40000, 90000)} bytes",
        "!",
        f"! Last configuration change at 0{rng.randint(1, 9)}:12:44 UTC Thu Nov 19 2026 by netops",
        "!",
        "version 15.2",
        "service timestamps debug datetime msec",
        "service timestamps log datetime msec",
        "service password-encryption",
        "!",
        f"hostname {name}",
        "!",
        "boot-start-marker",
        "boot-end-marker",
        "!",
        f"enable secret 9 $9${_salt(rng, 14)}${_salt(rng, 43)}",
        "!",
    ]
    for i in range(rng.randint(3, 8)):
        if bad and i == 0:
            lines.append("username admin privilege 15 password 7 0822455D0A16544541")
        else:
            lines.append(f"username ops{i} privilege 15 secret 9 $9${_salt(rng, 14)}${_salt(rng, 43)}")
    lines += ["aaa new-model", "aaa authentication login default group tacacs+ local", "!"]
    vlans = rng.sample(range(10, 3000), 40)
    for vlan in vlans:
        lines += [f"vlan {vlan}", f" name VLAN_{vlan}_{rng.choice(['USERS', 'VOICE', 'PRINTERS', 'CAMERAS', 'OT'])}"]
    lines.append("!")
    for stack in range(1, 4):
        for port in range(1, 49):
            vlan = rng.choice(vlans)
            lines += [
                f"interface GigabitEthernet{stack}/0/{port}",
                f" description access port {stack}/{port} room {rng.randint(100, 999)}",
                f" switchport access vlan {vlan}",
                " switchport mode access",
                " switchport port-security maximum 2",
                " spanning-tree portfast",
                " spanning-tree bpduguard enable",
                "!",
            ]
    for port in range(1, 5):
        lines += [
            f"interface TenGigabitEthernet1/1/{port}",
            f" description uplink {port}",
            " switchport mode trunk",
            " switchport trunk allowed vlan " + ",".join(str(v) for v in sorted(vlans)[:12]),
            "!",
        ]
    for svi, vlan in enumerate(vlans[:20]):
        lines += [
            f"interface Vlan{vlan}",
            f" ip address {_svi_address(device, svi)} 255.255.255.224",
            " ip helper-address 10.10.99.67",
            " no ip redirects",
            "!",
        ]
    for acl in range(5):
        lines.append(f"ip access-list extended ACL_{acl}")
        for entry in range(40):
            lines.append(
                f" {10 * (entry + 1)} permit tcp 10.{acl}.{entry}.0 0.0.0.255 any eq {rng.choice([22, 443, 161, 514])}"
            )
        lines.append("!")
    lines += ["router ospf 1", " router-id 10.255.0.1", " passive-interface default"]
    for vlan in vlans[:20]:
        lines.append(f" network 10.{vlan % 250}.0.0 0.0.255.255 area 0")
    lines += ["!", "router bgp 65010", " bgp log-neighbor-changes"]
    for n in range(20):
        lines.append(f" neighbor 10.254.{n}.2 remote-as {65100 + n}")
    lines.append("!")
    for n in range(100):
        lines.append(f"ip route 172.{16 + n % 16}.{n}.0 255.255.255.0 10.254.{n % 20}.2")
    lines += ["!", "ip http server" if bad else "no ip http server", "no ip http secure-server", "!"]
    lines.append("snmp-server community public RO" if bad else f"snmp-server community {_community(rng, 'N3tC')} RO 10")
    lines += ["snmp-server location bench", "!"]
    if not bad:
        lines.append("logging host 10.10.99.20")
    lines += ["ntp server 10.10.99.5", "!", "banner motd ^C", " Authorised access only", "^C", "!", "line con 0"]
    lines += ["line vty 0 4", " transport input telnet ssh" if bad else " transport input ssh", "line vty 5 15"]
    lines += [" transport input ssh", "!", "end"]
    return lines


def _nxos(rng: random.Random, name: str, bad: bool, device: int = 0) -> list[str]:
    lines = [
        "",
        "!Command: show running-config",
        "!Time: Fri Nov 20 02:00:01 2026",
        "",
        "version 9.3(8) Bios:version 07.69",
        f"hostname {name}",
        "feature lldp",
        "feature interface-vlan",
        "feature nxapi",
    ]
    if bad:
        lines += ["feature telnet", "nxapi http port 80"]
    lines += [
        f"username admin password 5 $5${_salt(rng, 8)}${_salt(rng, 43)}  role network-admin",
        "snmp-server community public group network-operator"
        if bad
        else f"snmp-server community {_community(rng, 'DcAgg')} group network-operator",
    ]
    if not bad:
        lines.append("logging server 10.10.99.20 6 use-vrf management")
    vlans = rng.sample(range(10, 3000), 60)
    for vlan in vlans:
        lines += [f"vlan {vlan}", f"  name VLAN_{vlan}"]
    for port in range(1, 200):
        lines += [
            f"interface Ethernet1/{port}",
            f"  description server {port} rack {rng.randint(1, 40)}",
            "  switchport mode trunk",
            "  switchport trunk allowed vlan " + ",".join(str(v) for v in sorted(vlans)[:8]),
            "  mtu 9216",
            "  no shutdown",
            "",
        ]
    for n in range(100):
        lines.append(f"ip route 172.{16 + n % 16}.{n}.0/24 10.254.{n % 20}.2")
    lines += ["", "vrf context management", "  ip route 0.0.0.0/0 10.10.99.1", "line console", "line vty"]
    return lines


def _eos(rng: random.Random, name: str, bad: bool, device: int = 0) -> list[str]:
    lines = [
        "! Command: show running-config",
        f"! device: {name} (DCS-7050SX3-48YC8, EOS-4.28.3M)",
        "!",
        "transceiver qsfp default-mode 4x10G",
        "!",
        f"hostname {name}",
        "!",
        f"username admin privilege 15 role network-admin secret sha512 $6${_salt(rng, 8)}${_salt(rng, 86)}",
        "!",
        "snmp-server community arista ro" if bad else f"snmp-server community {_community(rng, 'Leaf')} ro SNMP-RO",
        "!",
        "management api http-commands",
        "   protocol http" if bad else "   protocol https",
        "   no shutdown",
        "!",
    ]
    if not bad:
        lines += ["logging vrf MGMT host 10.10.99.20", "!"]
    vlans = rng.sample(range(10, 3000), 60)
    for vlan in vlans:
        lines += [f"vlan {vlan}", f"   name VLAN_{vlan}", "!"]
    for port in range(1, 190):
        lines += [
            f"interface Ethernet{port}",
            f"   description server {port} rack {rng.randint(1, 40)}",
            "   switchport mode trunk",
            "   switchport trunk allowed vlan " + ",".join(str(v) for v in sorted(vlans)[:8]),
            "   mtu 9214",
            "   spanning-tree portfast",
            "!",
        ]
    for n in range(100):
        lines.append(f"ip route 172.{16 + n % 16}.{n}.0/24 10.254.{n % 20}.2")
    lines += ["!", "management telnet", "   no shutdown" if bad else "   shutdown", "!", "end"]
    return lines


_BUILDERS = {"cisco_ios": _ios, "cisco_nxos": _nxos, "arista_eos": _eos}


def generate(folder: Path, count: int, seed: int = 2026) -> list[Path]:
    """Write ``count`` flat configs (``<host>.cfg``) into ``folder``; the same seed gives the same files."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    platforms = [p for p, weight in PLATFORM_MIX for _ in range(weight)]
    paths = []
    for index in range(count):
        platform = rng.choice(platforms)
        name = f"bench-{platform.split('_')[1]}-{index:05d}"
        lines = _BUILDERS[platform](rng, name, bad=rng.random() < 0.35, device=index)
        path = folder / f"{name}.cfg"
        path.write_text("\n".join(lines) + "\n")
        paths.append(path)
    return paths
