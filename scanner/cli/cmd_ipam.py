"""``netcomply ipam``: IP address management; ``ipam export`` lists every address found, for the allocation table."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scanner.cli import ScanAbort, setup_logging
from scanner.cli._sources import demo_source, host_filter_options, log_options, resolve_hosts, source_options
from scanner.collect.cli import CollectAbort, live_inputs, live_options, run_collection
from scanner.collect.options import CollectOptions
from scanner.files import atomic_write
from scanner.hostsource import HostFilter, offline_inputs
from scanner.ipam.export import FORMATS, collect_addresses, render_csv, render_xlsx
from scanner.policy import Policy, PolicyError
from scanner.snapshot import SnapshotError


@click.group("ipam")
def command() -> None:
    """IP address management (form 5.2.4): the addresses the network uses.

    `netcomply scan --ipam FILE` reconciles the network with an allocation table; `netcomply
    ipam export` writes the addresses found, as a first draft of that table.
    """


@command.command("export")
@source_options
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option(
    "--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write here (csv default: stdout)."
)
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="Column headers and words: English, or Chinese (IP地址, 网段, 设备名称...).",
)
@click.option("--policy", "-p", type=click.Path(path_type=Path, dir_okay=False), help="Policy YAML.")
@host_filter_options
@click.option("--live", is_flag=True, help="Collect over SSH even when the inventory has a snapshots/ folder.")
@live_options
@log_options
def export(
    inventory: Path | None,
    snapshots: Path | None,
    demo: bool,
    fmt: str,
    output: Path | None,
    lang: str,
    policy: Path | None,
    selected: HostFilter,
    live: bool,
    collect_options: CollectOptions,
    verbose: int,
    quiet: bool,
) -> None:
    """Write every address found: each interface address (device, interface, VRF, prefix, zone) and each
    other host of the ARP tables (where it was first seen, with its MAC), one row each.

    The headers are those `netcomply scan --ipam` reads, so the file, completed by hand
    (who uses each address, its purpose, the planned prefixes), becomes the allocation table.

    Exit status: 0 written; 2 the inputs cannot be used or some host could not be read.
    """
    setup_logging(verbose, quiet)
    if fmt == "xlsx" and output is None:
        raise ScanAbort("--format xlsx writes a workbook: give --output FILE.xlsx")
    try:
        loaded_policy = Policy.load(policy)
    except PolicyError as exc:
        raise ScanAbort(str(exc)) from None
    source = resolve_hosts(demo_source(inventory, snapshots, demo, live=live), snapshots, live=live)
    try:
        if source.live:
            assert source.inventory is not None
            run = run_collection(source.inventory, selected, collect_options, verbose=verbose, quiet=quiet)
            items = live_inputs(run)
        else:
            assert source.snapshots is not None
            items = offline_inputs(source.snapshots, source.hosts, selected)
        found = collect_addresses(items, loaded_policy, lang)
    except (SnapshotError, CollectAbort) as exc:
        raise ScanAbort(str(exc)) from None
    if not found.hosts:
        raise ScanAbort("no host matched: check the inventory, the snapshot folder and the filters")
    data: str | bytes = render_xlsx(found.rows, lang) if fmt == "xlsx" else render_csv(found.rows, lang)
    if output is None:
        assert isinstance(data, str)
        sys.stdout.write(data)
        sys.stdout.flush()
    else:
        try:
            atomic_write(output, data)
        except OSError as exc:
            raise ScanAbort(f"cannot write {output}: {exc.strerror or exc}") from None
    for name, reason in found.host_errors.items():
        click.echo(f"netcomply ipam export: {name}: {reason}", err=True)
    if not quiet:
        where = f"; wrote {output}" if output is not None else ""
        click.echo(
            f"netcomply ipam export: {found.hosts} host(s), {len(found.rows)} address(es), "
            f"{len(found.host_errors)} host(s) not read{where}",
            err=True,
        )
    sys.exit(2 if found.host_errors else 0)
