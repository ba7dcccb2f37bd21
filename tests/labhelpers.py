"""Simulated devices for tests: small snapshot folders made on the fly, and labs that stop by themselves."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import yaml

from scanner.lab import Fault, Lab, load_devices, write_lab_inventory
from scanner.platforms import get_platform
from scanner.snapshot import slugify

# A description with multi-byte UTF-8 (Chinese, as Huawei/H3C users write) and a line that
# carries the prompt text mid-line: neither may confuse the reader of outputs.
CISCO_CONFIG = """Building configuration...

Current configuration : 1024 bytes
!
version 15.2
service password-encryption
hostname {name}
!
enable secret 9 $9$abcdefghijklmn$opqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTU
username admin privilege 15 secret 9 $9$zyxwvutsrqponm$lkjihgfedcba9876543210ZYXWVUTSRQPONMLKJIHGF
!
interface GigabitEthernet0/1
 description 上联核心交换机 uplink to {name}# core (not a prompt)
 ip address 10.0.0.1 255.255.255.0
!
no ip http server
no ip http secure-server
snmp-server community {community} RO
logging host 10.0.0.50
!
line vty 0 4
 transport input ssh
!
end
"""

CISCO_ARP = """Protocol  Address          Age (min)  Hardware Addr   Type   Interface
Internet  10.0.0.1                -   7c21.0e4a.0101  ARPA   GigabitEthernet0/1
Internet  10.0.0.50               4   d4be.d9a1.0050  ARPA   GigabitEthernet0/1
Internet  10.0.0.254              0   7c21.0e4a.02fe  ARPA   GigabitEthernet0/1
"""

CISCO_VERSION = """Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4, RELEASE SOFTWARE (fc2)
{name} uptime is 1 year, 2 weeks, 3 days
System image file is "flash:c2960x-universalk9-mz.152-7.E4.bin"
cisco WS-C2960X-48FPD-L (APM86XXX) processor (revision B0) with 524288K bytes of memory.
"""


def cisco_outputs(name: str, community: str = "Qz7xNetcomply2024", padding: int = 0) -> dict[str, str]:
    """Every command of cisco_ios for one host; ``padding`` adds interface blocks to make the config bigger."""
    config = CISCO_CONFIG.format(name=name, community=community)
    if padding:
        blocks = "".join(
            f"interface GigabitEthernet1/0/{i}\n description access port {i} 接入端口\n switchport mode access\n!\n"
            for i in range(padding)
        )
        config = config.replace("line vty 0 4\n", blocks + "line vty 0 4\n")
    return {
        "show version": CISCO_VERSION.format(name=name),
        "show running-config": config,
        "show inventory": (
            'NAME: "1", DESCR: "WS-C2960X-48FPD-L"\nPID: WS-C2960X-48FPD-L , VID: V05  , SN: FOC1234X0AB\n'
        ),
        "show environment power all": "",
        "show cdp neighbors detail": "",
        "show lldp neighbors detail": "",
        "show ip arp": CISCO_ARP,
    }


def write_host(root: Path, name: str, outputs: Mapping[str, str], platform: str = "cisco_ios", **meta: object) -> Path:
    directory = root / name
    directory.mkdir(parents=True, exist_ok=True)
    for command, text in outputs.items():
        (directory / f"{slugify(command)}.txt").write_bytes(text.encode("utf-8"))
    (directory / "meta.yaml").write_text(yaml.safe_dump({"platform": platform, **meta}))
    return directory


def make_network(root: Path, names: list[str], **meta_by_host: dict[str, object]) -> Path:
    """A snapshot folder of cisco_ios hosts with every command of the platform."""
    for name in names:
        write_host(root, name, cisco_outputs(name), **meta_by_host.get(name, {}))
    return root


def snapshot_files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.glob("*.txt"))}


def platform_commands(platform: str) -> tuple[str, ...]:
    return get_platform(platform).commands.all


@contextmanager
def running_lab(
    snapshots: Path,
    out: Path,
    *,
    inventory: Path | None = None,
    faults: Mapping[str, Fault] | None = None,
    key_login: bool = False,
    state: Path | None = None,
) -> Iterator[Lab]:
    """A started lab on free loopback ports with its inventory written to ``out``; stopped on exit."""
    from scanner.inventory import load_inventory

    hosts = load_inventory(inventory) if inventory is not None else None
    devices = load_devices(snapshots, hosts, faults)
    lab = Lab(devices, state or out / ".lab-state")
    with lab:
        write_lab_inventory(lab, out, inventory, key_file=lab.keys.client_key_path if key_login else None)
        yield lab
