"""Where a command's hosts come from: one set of options and one rule for every command that scans.

An inventory folder (default: ./inventory) gives the hosts and their data; snapshots
come from --snapshots, else the inventory's snapshots/ folder; with neither, a command
that can collect over SSH does so (live). ``--demo`` is the bundled lab network; without
any of them the command stops and says how to give one (the lab is never a silent
default). :func:`source_options` and :func:`log_options` are the option groups;
:func:`resolve_hosts` applies the rule.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from scanner.cli import NO_INVENTORY, ScanAbort, bundled_lab, default_inventory
from scanner.hostsource import HostFilter
from scanner.inventory import InventoryError, load_inventory
from scanner.model import HostInfo

SNAPSHOTS_IN_INVENTORY = "snapshots"


GENERIC_FOLDERS = frozenset({"inventory", "inv", "snapshots", "snaps", "configs", "nornir"})


@dataclass(frozen=True)
class HostSource:
    inventory: Path | None
    snapshots: Path | None
    hosts: dict[str, HostInfo] | None
    live: bool

    def network_name(self, site: str | None = None) -> str:
        """What the hosts are called in a title: the site, the inventory's folder (or the folder above a
        generically named one), with the sites it spans; never the bare word "inventory"."""
        folder = (self.inventory or self.snapshots or Path("network")).resolve()
        if folder == bundled_lab().resolve():
            name = "netcomply demo lab"
        elif folder.name.lower() in GENERIC_FOLDERS and folder.parent.name:
            name = folder.parent.name
        else:
            name = folder.name
        if site:
            return f"site {site} ({name})"
        sites = sorted({h.site for h in (self.hosts or {}).values() if h.site})
        return f"{name} (site{'s' if len(sites) > 1 else ''} {', '.join(sites)})" if sites else name


def source_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --inventory/-i, --snapshots/-s and --demo; the command receives ``inventory``, ``snapshots``, ``demo``."""
    options = [
        click.option(
            "--inventory",
            "-i",
            type=click.Path(path_type=Path, file_okay=False),
            help="Nornir inventory folder (hosts.yaml, groups.yaml, defaults.yaml, links.yaml): the hosts, their "
            "platform, role, zone and site. Default: ./inventory when present.",
        ),
        click.option(
            "--snapshots",
            "-s",
            type=click.Path(path_type=Path, exists=True),
            help="Saved outputs to read offline: DIR/<host>/<command>.txt (+ meta.yaml), or a flat folder of "
            "<host>.cfg/.conf/.txt configs (RANCID, Oxidized). Default: the inventory's snapshots/ folder.",
        ),
        click.option(
            "--demo",
            is_flag=True,
            help="The bundled demo lab network (15 devices, saved snapshots, deliberate violations).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def log_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add -v/--verbose (count) and -q/--quiet; the command receives ``verbose`` and ``quiet``."""
    func = click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr; no summary line.")(func)
    return click.option(
        "-v", "--verbose", count=True, help="More log detail (-v: per-host progress and timing, -vv: debug)."
    )(func)


def demo_source(inventory: Path | None, snapshots: Path | None, demo: bool, *, live: bool = False) -> Path | None:
    """The inventory a command reads: the bundled lab with --demo (alone), else what was given."""
    if not demo:
        return inventory
    if inventory is not None or snapshots is not None or live:
        raise ScanAbort("--demo reads the bundled lab network: leave out --inventory, --snapshots and --live")
    return bundled_lab()


def resolve_hosts(
    inventory: Path | None, snapshots: Path | None, *, live: bool = False, can_collect: bool = True
) -> HostSource:
    if live and snapshots is not None:
        raise ScanAbort("--live collects over SSH: give --snapshots or --live, not both")
    hosts: dict[str, HostInfo] | None = None
    if inventory is not None or snapshots is None:
        inventory = inventory or default_inventory()
        if inventory is None:
            raise ScanAbort(NO_INVENTORY)
        try:
            hosts = load_inventory(inventory)
        except InventoryError as exc:
            raise ScanAbort(str(exc)) from None
        if snapshots is None:
            candidate = inventory / SNAPSHOTS_IN_INVENTORY
            if not live and candidate.is_dir():
                snapshots = candidate
            elif can_collect:
                live = True
            else:
                raise ScanAbort(f"no --snapshots given and {inventory} has no {SNAPSHOTS_IN_INVENTORY}/ folder")
    return HostSource(inventory=inventory, snapshots=snapshots, hosts=hosts, live=live)


def split_names(value: str | None) -> frozenset[str]:
    """``"a, b,,c"`` -> ``{"a", "b", "c"}``: a comma-separated list of host names."""
    return frozenset(n.strip() for n in (value or "").split(",") if n.strip())


def host_filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --hosts/--group/--role/--site to a command; it receives them as one ``selected`` HostFilter."""
    options = [
        click.option("--hosts", "host_names", help="Only these hosts (comma-separated names)."),
        click.option("--group", help="Only hosts in this inventory group."),
        click.option("--role", help="Only hosts with this role (core, distribution, access, edge, firewall...)."),
        click.option("--site", help="Only hosts at this site."),
    ]

    @functools.wraps(func)
    def wrapper(
        *args: Any, host_names: str | None, group: str | None, role: str | None, site: str | None, **kwargs: Any
    ) -> Any:
        kwargs["selected"] = HostFilter(names=split_names(host_names), group=group, role=role, site=site)
        return func(*args, **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper
