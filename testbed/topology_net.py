"""Small networks written as real snapshot folders and a Nornir inventory, for topology tests and the bench.

Each device is a Cisco IOS snapshot (show version, show running-config, show cdp
neighbors detail, show lldp neighbors detail) in the contract layout, so the tests
exercise the real parsers (ntc-templates) and the real engine, not hand-made facts.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from scanner.snapshot import slugify

CDP = "show cdp neighbors detail"
LLDP = "show lldp neighbors detail"


@dataclass
class Dev:
    name: str
    zone: str | None = None
    role: str | None = None
    site: str | None = None
    spare: bool = False
    hostname: str | None = None  # the configured hostname, when it is not the inventory name
    serial: str | None = None
    address: str | None = None
    in_inventory: bool = True
    snapshot: bool = True
    config_extra: str = ""


@dataclass
class Report:
    """What ``local`` prints about one neighbour."""

    local_interface: str
    remote_name: str
    remote_interface: str | None
    address: str | None = None
    platform: str = "cisco WS-C3850-48T"


@dataclass
class Net:
    devices: dict[str, Dev] = field(default_factory=dict)
    cdp: dict[str, list[Report]] = field(default_factory=dict)
    lldp: dict[str, list[Report]] = field(default_factory=dict)

    def add(self, name: str, **attrs: object) -> Dev:
        device = Dev(name, **attrs)  # type: ignore[arg-type]
        self.devices[name] = device
        return device

    def report(self, local: str, report: Report, protocol: str = "cdp") -> None:
        (self.cdp if protocol == "cdp" else self.lldp).setdefault(local, []).append(report)

    def link(
        self,
        a: str,
        a_if: str,
        b: str,
        b_if: str,
        *,
        protocol: str = "cdp",
        a_calls_b: str | None = None,
        b_calls_a: str | None = None,
        b_reports_as: str | None = None,
        a_reports_as: str | None = None,
    ) -> None:
        """A cable; each end that has a snapshot reports the other (by name, or as told)."""
        for local, local_if, remote, remote_if, calls, shown_if in (
            (a, a_if, b, b_if, a_calls_b, b_reports_as),
            (b, b_if, a, a_if, b_calls_a, a_reports_as),
        ):
            device = self.devices.get(local)
            if device is None or not device.snapshot:
                continue
            other = self.devices.get(remote)
            name = calls or (other.hostname or other.name if other else remote)
            address = other.address if other else None
            self.report(local, Report(local_if, name, shown_if or remote_if, address), protocol)

    def write(self, root: Path) -> tuple[Path, Path]:
        inventory, snapshots = root / "inventory", root / "snapshots"
        inventory.mkdir(parents=True, exist_ok=True)
        snapshots.mkdir(parents=True, exist_ok=True)
        hosts = {}
        for device in self.devices.values():
            if device.in_inventory:
                hosts[device.name] = _host_entry(device)
            if device.snapshot:
                write_device(snapshots, device, self.cdp.get(device.name, []), self.lldp.get(device.name, []))
        (inventory / "hosts.yaml").write_text(yaml.safe_dump(hosts, sort_keys=False))
        return inventory, snapshots


def _host_entry(device: Dev) -> dict[str, object]:
    data: dict[str, object] = {}
    for key in ("zone", "role", "site"):
        value = getattr(device, key)
        if value is not None:
            data[key] = value
    if device.spare:
        data["spare"] = True
    entry: dict[str, object] = {"platform": "cisco_ios", "data": data}
    if device.address:
        entry["hostname"] = device.address
    return entry


def write_device(snapshots: Path, device: Dev, cdp: list[Report], lldp: list[Report]) -> None:
    folder = snapshots / device.name
    folder.mkdir(parents=True, exist_ok=True)
    hostname = device.hostname or device.name
    outputs = {
        "show version": show_version(hostname, device.serial or f"FOC{zlib.crc32(device.name.encode()):010d}"),
        "show running-config": running_config(hostname, device.config_extra),
        CDP: cdp_detail(cdp),
        LLDP: lldp_detail(lldp),
    }
    for command, text in outputs.items():
        (folder / f"{slugify(command)}.txt").write_text(text)
    (folder / "meta.yaml").write_text("platform: cisco_ios\nsource: topology test network\n")


def show_version(hostname: str, serial: str) -> str:
    return (
        "Cisco IOS Software, Catalyst L3 Switch Software (CAT3K_CAA-UNIVERSALK9-M), Version 16.9.4, "
        "RELEASE SOFTWARE (fc2)\n"
        "Technical Support: http://www.cisco.com/techsupport\n"
        "Copyright (c) 1986-2019 by Cisco Systems, Inc.\n"
        "Compiled Thu 22-Aug-19 18:09 by mcpre\n\n"
        "ROM: IOS-XE ROMMON\n"
        f"{hostname} uptime is 1 year, 2 weeks, 3 days, 4 hours, 5 minutes\n"
        "System returned to ROM by reload\n"
        'System image file is "flash:packages.conf"\n\n'
        "cisco WS-C3850-48T (MIPS) processor (revision AA0) with 797658K/6147K bytes of memory.\n"
        f"Processor board ID {serial}\n"
        "Configuration register is 0x102\n"
    )


def running_config(hostname: str, extra: str = "") -> str:
    return (
        "Building configuration...\n\nCurrent configuration : 200 bytes\n!\nversion 16.9\n"
        "service timestamps log datetime msec\n"
        f"hostname {hostname}\n!\n{extra}"
        "interface GigabitEthernet1/0/1\n no shutdown\n!\n"
        "line vty 0 4\n transport input ssh\n!\nend\n"
    )


def cdp_detail(reports: list[Report]) -> str:
    blocks = []
    for r in reports:
        address = f"  IP address: {r.address}\n" if r.address else ""
        blocks.append(
            "-------------------------\n"
            f"Device ID: {r.remote_name}\n"
            f"Entry address(es): \n{address}"
            f"Platform: {r.platform},  Capabilities: Router Switch IGMP \n"
            f"Interface: {r.local_interface},  Port ID (outgoing port): {r.remote_interface or ''}\n"
            "Holdtime : 150 sec\n\n"
            "Version :\n"
            "Cisco IOS Software, Version 16.9.4, RELEASE SOFTWARE (fc2)\n\n"
            "advertisement version: 2\n"
            "Duplex: full\n"
            f"Management address(es): \n{address}\n"
        )
    return "".join(blocks) + f"\nTotal cdp entries displayed : {len(reports)}\n"


def lldp_detail(reports: list[Report]) -> str:
    blocks = []
    for r in reports:
        address = f"    IP: {r.address}\n" if r.address else " - not advertised\n"
        blocks.append(
            "------------------------------------------------\n"
            f"Local Intf: {r.local_interface}\n"
            "Chassis id: 0011.2233.4455\n"
            f"Port id: {r.remote_interface or ''}\n"
            f"Port Description: {r.remote_interface or ''}\n"
            f"System Name: {r.remote_name}\n\n"
            "System Description: \n"
            "Cisco IOS Software, Version 16.9.4\n\n"
            "Time remaining: 100 seconds\n"
            "System Capabilities: B,R\n"
            "Enabled Capabilities: B,R\n"
            f"Management Addresses:{address}"
            "Auto Negotiation - not supported\n"
            "Physical media capabilities - not advertised\n"
            "Media Attachment Unit type - not advertised\n"
            "Vlan ID: - not advertised\n\n"
        )
    return "".join(blocks) + f"\nTotal entries displayed: {len(reports)}\n"
