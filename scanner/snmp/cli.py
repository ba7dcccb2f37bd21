"""The command-line side of the SNMP probe: ``netcomply scan --snmp`` and its options."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from scanner.model import HostInfo
from scanner.policy import Policy
from scanner.snapshot import HostInput
from scanner.snmp.settings import SnmpSettings, SnmpSettingsError

if TYPE_CHECKING:
    from scanner.snmp.collect import SnmpRun

log = logging.getLogger("netcomply.snmp")


class SnmpAbort(Exception):
    """The probe cannot start (no inventory, a bad policy value)."""


@dataclass(frozen=True)
class SnmpCliOptions:
    enabled: bool
    port: int | None
    write_test: bool


def snmp_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --snmp, --snmp-port and --snmp-write-test; the command receives ``snmp_options``."""
    options = [
        click.option(
            "--snmp",
            is_flag=True,
            help="Also probe every inventory host's SNMP agent: weak and default communities "
            "(snmp.live_weak_community), and power supplies and LLDP neighbours read with the host's "
            "own credential. Results are saved as snmp_*.json in the host's snapshot folder.",
        ),
        click.option(
            "--snmp-port",
            type=click.IntRange(1, 65535),
            help="UDP port of the agents (default: the policy's snmp.port, 161; a host's own snmp.port wins).",
        ),
        click.option(
            "--snmp-write-test",
            is_flag=True,
            help="For each community that answers, try a harmless SET (sysLocation to its own value) "
            "to tell whether it allows writes.",
        ),
    ]

    @functools.wraps(func)
    def wrapper(*args: Any, snmp: bool, snmp_port: int | None, snmp_write_test: bool, **kwargs: Any) -> Any:
        if (snmp_port is not None or snmp_write_test) and not snmp:
            raise click.UsageError("--snmp-port and --snmp-write-test go with --snmp")
        return func(*args, snmp_options=SnmpCliOptions(snmp, snmp_port, snmp_write_test), **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def run_probe(
    hosts: dict[str, HostInfo] | None, selected: Callable[[HostInfo], bool], policy: Policy, options: SnmpCliOptions
) -> SnmpRun:
    """Probe (and walk) the selected inventory hosts' agents."""
    if hosts is None:
        raise SnmpAbort("--snmp probes the agents of the inventory's hosts: give --inventory")
    try:
        settings = SnmpSettings.from_policy(policy, port=options.port, write_test=options.write_test)
    except SnmpSettingsError as exc:
        raise SnmpAbort(f"{policy.source}: {exc}") from None
    from scanner.snmp.collect import collect_snmp, target_for  # pysnmp: only when probing

    targets = [target_for(host, settings) for host in hosts.values() if selected(host)]
    run = collect_snmp(targets, settings)
    alive = sum(1 for c in run.collections.values() if c.outcome and c.outcome.alive)
    weak = sum(1 for c in run.collections.values() if c.outcome and c.outcome.answered)
    log.info(
        "SNMP: %d agent(s) probed in %.1f s with %d request(s): %d alive, %d answered a weak community",
        len(targets),
        run.seconds,
        run.requests,
        alive,
        weak,
    )
    return run


def snmp_inputs(
    items: Iterable[HostInput], run: SnmpRun, hosts: dict[str, HostInfo] | None, save_root: Path | None
) -> Iterator[HostInput]:
    """Save the probe's files under ``save_root`` first (a collection step), then the scan's inputs with them."""
    from scanner.snmp.collect import save_snmp_run, with_snmp

    root = save_root if save_root is not None and save_root.is_dir() else None
    if root is not None:
        save_snmp_run(run, root, {name: host.platform for name, host in (hosts or {}).items()})
    return with_snmp(items, run, root)
