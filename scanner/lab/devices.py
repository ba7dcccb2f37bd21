"""The simulated devices of a lab: one per host of a snapshot folder, answering its saved outputs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scanner.decoding import decode_message
from scanner.lab.faults import Fault, FaultError, parse_fault
from scanner.model import HostInfo
from scanner.platforms.base import Platform
from scanner.platforms.resolve import PlatformError, resolve_platform
from scanner.snapshot import Snapshot, SnapshotSource, discover, slugify

FAULT_META_KEY = "lab_fault"


class LabError(Exception):
    """A lab that cannot be built from the given folders, with a message a user can act on."""


@dataclass
class LabDevice:
    """One host to simulate: its platform, where its outputs live, and the fault it shows (if any)."""

    name: str
    platform: Platform
    snapshot: Snapshot
    host: HostInfo
    fault: Fault | None = None

    def output(self, command: str) -> str | None:
        """What the device prints for ``command`` (whitespace-normalised), or None when it has no such command."""
        text = self.snapshot.outputs.get(command)
        if text is not None:
            return text
        if self.snapshot.directory is None:
            return None
        path = self.snapshot.directory / f"{slugify(command)}.txt"
        try:
            return decode_message(path.read_bytes())
        except (FileNotFoundError, IsADirectoryError):
            return None


def load_devices(
    snapshots: Path,
    inventory: Mapping[str, HostInfo] | None = None,
    faults: Mapping[str, Fault] | None = None,
) -> list[LabDevice]:
    """Every host of ``snapshots`` (restricted to the inventory's hosts when one is given)."""
    faults = dict(faults or {})
    sources = {s.host: s for s in discover(snapshots)}
    if inventory is not None:
        missing = [name for name in inventory if name not in sources]
        if len(missing) == len(inventory):
            raise LabError(f"none of the inventory's hosts has a snapshot in {snapshots}")
        hosts = [(inventory[name], sources[name]) for name in inventory if name in sources]
    else:
        hosts = [(HostInfo(name=name), source) for name, source in sources.items()]
    unknown = sorted(set(faults) - {h.name for h, _ in hosts})
    if unknown:
        raise LabError(f"--fault names host(s) not in the lab: {', '.join(unknown)}")
    devices = [_device(host, source, faults.get(host.name)) for host, source in hosts]
    if not devices:
        raise LabError(f"no host to simulate in {snapshots}")
    return devices


def _device(host: HostInfo, source: SnapshotSource, fault: Fault | None) -> LabDevice:
    snapshot = source.load()
    if snapshot.meta.get("meta_error"):
        raise LabError(f"{host.name}: {snapshot.meta['meta_error']}")
    try:
        platform = resolve_platform(host, snapshot)
    except PlatformError as exc:
        raise LabError(f"{host.name}: {exc}") from None
    if fault is None:
        fault = _meta_fault(host.name, snapshot.meta)
    return LabDevice(name=host.name, platform=platform, snapshot=snapshot, host=host, fault=fault)


def _meta_fault(name: str, meta: Mapping[str, Any]) -> Fault | None:
    spec = meta.get(FAULT_META_KEY)
    if not spec:
        return None
    try:
        return parse_fault(str(spec))
    except FaultError as exc:
        raise LabError(f"{name}: meta.yaml {FAULT_META_KEY}: {exc}") from None
