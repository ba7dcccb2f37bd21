"""Which hosts a scan covers, and the snapshot each one is read from.

Offline, hosts come from the inventory and are matched by name to the snapshot
folder; without an inventory they come from the folder itself. Filters select a
subset the way Nornir users expect (names, group, role, site).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from scanner.model import HostInfo
from scanner.snapshot import HostInput, SnapshotSource, discover


@dataclass(frozen=True)
class HostFilter:
    names: frozenset[str] = frozenset()
    group: str | None = None
    role: str | None = None
    site: str | None = None

    def __call__(self, host: HostInfo) -> bool:
        if self.names and host.name not in self.names:
            return False
        if self.group and self.group not in host.groups:
            return False
        if self.role and host.role != self.role:
            return False
        return not (self.site and host.site != self.site)

    @property
    def active(self) -> bool:
        return bool(self.names or self.group or self.role or self.site)


@dataclass(frozen=True)
class HostLoader:
    """One host of a snapshot folder, read when called: where the scan's step runs (a --jobs or --cluster worker)."""

    host: HostInfo
    source: SnapshotSource | None
    error: str | None = None

    def __call__(self) -> HostInput:
        if self.source is None:
            return HostInput(host=self.host, snapshot=None, error=self.error)
        return _input(self.host, self.source)


def offline_tasks(
    snapshots: Path, inventory: dict[str, HostInfo] | None, selected: HostFilter = HostFilter()
) -> Iterator[HostLoader]:
    """Inventory hosts with their snapshot (an error when there is none), then folder-only hosts."""
    sources = {s.host: s for s in discover(snapshots)}
    if inventory is not None:
        for name, host in inventory.items():
            if not selected(host):
                continue
            source = sources.pop(name, None)
            if source is None:
                yield HostLoader(host, None, f"no snapshot for this host in {snapshots}")
            else:
                yield HostLoader(host, source)
    for name in list(sources):
        source = sources.pop(name)  # handed on, not kept here for the rest of the scan
        host = HostInfo(name=name)
        if selected(host):
            yield HostLoader(host, source)


def offline_inputs(
    snapshots: Path, inventory: dict[str, HostInfo] | None, selected: HostFilter = HostFilter()
) -> Iterator[HostInput]:
    """:func:`offline_tasks`, each host read in turn."""
    return (task() for task in offline_tasks(snapshots, inventory, selected))


def _input(host: HostInfo, source: SnapshotSource) -> HostInput:
    try:
        snapshot = source.load()
    except OSError as exc:
        return HostInput(host=host, snapshot=None, error=f"cannot read {source.path}: {exc.strerror or exc}")
    meta_error = snapshot.meta.get("meta_error")
    if meta_error:
        return HostInput(host=host, snapshot=None, error=str(meta_error))
    return HostInput(host=host, snapshot=snapshot)
