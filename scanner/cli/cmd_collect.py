"""``netcomply collect``: pull the command set of every device over SSH and save it as snapshots."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scanner.cli import EXIT_INCOMPLETE, ScanAbort, default_inventory, setup_logging
from scanner.cli._sources import host_filter_options, log_options
from scanner.collect.cli import CollectAbort, live_options, run_collection, save_run
from scanner.collect.options import CollectOptions
from scanner.hostsource import HostFilter


@click.command("collect")
@click.option(
    "--inventory",
    "-i",
    type=click.Path(path_type=Path, file_okay=False),
    help="Nornir inventory folder (hosts.yaml, groups.yaml, defaults.yaml). Default: ./inventory if present.",
)
@click.option(
    "--out",
    "-o",
    "out",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Snapshot folder to write: OUT/<host>/<command>.txt + meta.yaml (what `scan --snapshots` reads).",
)
@host_filter_options
@live_options
@log_options
def command(
    inventory: Path | None,
    out: Path,
    selected: HostFilter,
    collect_options: CollectOptions,
    verbose: int,
    quiet: bool,
) -> None:
    """Collect every device's command set over SSH and save it in the snapshot layout.

    Credentials: the inventory's username; the password from the environment variable
    named by the host's `password_env`, the inventory, NETCOMPLY_PASSWORD, or a prompt
    on a terminal; or an SSH key / ssh-agent. Nothing secret is written anywhere.

    Files are replaced atomically; a host that fails keeps its earlier snapshot.
    Exit status: 0 every host collected, 2 some host failed (each is listed with its reason).
    """
    setup_logging(verbose, quiet)
    inventory = inventory or default_inventory()
    if inventory is None:
        raise ScanAbort("no inventory in this folder (./inventory/hosts.yaml): give --inventory DIR")
    try:
        run = run_collection(inventory, selected, collect_options, verbose=verbose, quiet=quiet)
        if not run.hosts:
            raise ScanAbort("no host matched: check the inventory and the filters")
        saved = save_run(run, out)
    except CollectAbort as exc:
        raise ScanAbort(str(exc)) from None
    if not quiet:
        click.echo(f"netcomply: saved {saved} snapshot(s) in {out}", err=True)
    sys.exit(EXIT_INCOMPLETE if run.failed else 0)
