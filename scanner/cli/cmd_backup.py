"""``netcomply backup``: store device configurations in git, import old backups, show what changed."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from scanner.backup.diff import backup_diff
from scanner.backup.findings import backup_result
from scanner.backup.git import GitError
from scanner.backup.run import BackupReport, Outcome, back_up, open_store
from scanner.backup.settings import BackupSettings
from scanner.backup.store import ConfigStore, StoreError
from scanner.cli import EXIT_INCOMPLETE, ScanAbort, setup_logging
from scanner.cli._policy import load_policy
from scanner.cli._sources import (
    demo_source,
    host_filter_options,
    log_options,
    resolve_hosts,
    source_options,
    split_names,
)
from scanner.collect.cli import CollectAbort, live_options, run_collection
from scanner.collect.cli import live_inputs as collected_inputs
from scanner.collect.options import CollectOptions
from scanner.escaping import for_terminal
from scanner.hostsource import HostFilter, offline_inputs
from scanner.output import OutputError, parse_formats, write_reports
from scanner.platforms import Platform
from scanner.policy import PolicyError
from scanner.snapshot import HostInput, SnapshotError

TEXT = "text"


class _RunByDefault(click.Group):
    """``netcomply backup [OPTIONS]`` is ``netcomply backup run [OPTIONS]``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ctx.help_option_names):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@click.group("backup", cls=_RunByDefault)
def command() -> None:
    """Back device configurations up into a git repository, and show what changed.

    \b
    netcomply backup --inventory DIR --store STORE     back every device up (same as `backup run`)
    netcomply backup --import DIR --store STORE        import an Oxidized/RANCID folder or snapshot folder
    netcomply backup diff HOST [--from REV] [--to REV] what changed between two backups
    netcomply backup log [HOST]                        the backup history

    One commit per run, listing the devices that changed; an unchanged device makes no
    commit. An output that is empty, truncated or much smaller than the last backup is
    refused: the last good backup stays and the host is reported as an error (exit 2).
    The store can be named once in the policy (backup.store) instead of --store.
    """


def _store_option(func: Any) -> Any:
    return click.option(
        "--store",
        type=click.Path(path_type=Path, file_okay=False),
        help="The backup store (a git repository; created on first use). Default: backup.store in the policy.",
    )(func)


def _policy_option(func: Any) -> Any:
    return click.option(
        "--policy", "-p", type=click.Path(path_type=Path, dir_okay=False), help="Policy YAML (its backup: section)."
    )(func)


def _writing_options(func: Any) -> Any:
    for option in reversed(
        [
            click.option(
                "--mask-secrets/--keep-secrets",
                default=None,
                help="Store secrets masked, or as the devices show them (the default: the store is then a restore "
                "source). Chosen when the store is created (policy backup.mask_secrets); its README says which.",
            ),
            click.option(
                "--accept-shrink",
                metavar="HOSTS",
                default="",
                help="Store these hosts (comma-separated) even when their configuration shrank by more than the "
                "policy allows (backup.max_shrink_fraction): for a real, large removal.",
            ),
            click.option(
                "--format",
                "-f",
                "formats",
                default=TEXT,
                show_default=True,
                help="`text` (one line per host), or report format(s) with one backup.current finding per host "
                "(json, console...; see `netcomply formats`).",
            ),
            click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the report to this file."),
        ]
    ):
        func = option(func)
    return log_options(func)


def _settings(policy: Path | None, store: Path | None, mask_secrets: bool | None = None) -> BackupSettings:
    try:
        return BackupSettings.from_policy(load_policy(policy), store, mask_secrets)
    except PolicyError as exc:
        raise ScanAbort(str(exc)) from None


@command.command("run")
@source_options
@click.option(
    "--import",
    "import_dir",
    type=click.Path(path_type=Path, exists=True),
    help="Import this folder instead (same as `netcomply backup import DIR`).",
)
@_store_option
@_policy_option
@host_filter_options
@click.option("--live", is_flag=True, help="Collect over SSH even when the inventory has a snapshots/ folder.")
@live_options
@_writing_options
def run_command(
    inventory: Path | None,
    snapshots: Path | None,
    demo: bool,
    import_dir: Path | None,
    store: Path | None,
    policy: Path | None,
    selected: HostFilter,
    live: bool,
    collect_options: CollectOptions,
    **writing: Any,
) -> None:
    """Back up every device of the inventory: collected over SSH like `netcomply scan` (only the
    configuration command), or read from saved snapshots (--snapshots, or the inventory's
    snapshots/ folder)."""
    inventory = demo_source(inventory, snapshots, demo, live=live)
    if import_dir is not None:
        if inventory is not None or snapshots is not None or live:
            raise ScanAbort("--import reads its own folder: give --import or --inventory/--snapshots, not both")
        _import(import_dir, store, policy, **writing)
        return
    if live and snapshots is not None:
        raise ScanAbort("--live collects over SSH: give --snapshots or --live, not both")
    settings = _settings(policy, store, writing["mask_secrets"])
    if settings.store is None:
        raise ScanAbort("no backup store: give --store DIR or set backup.store in the policy")
    setup_logging(writing["verbose"], writing["quiet"])
    items, source = _inventory_inputs(inventory, snapshots, selected, live, collect_options, writing)
    _back_up(settings, items, source, **writing)


@command.command("import")
@click.argument("folder", type=click.Path(path_type=Path, exists=True))
@_store_option
@_policy_option
@_writing_options
def import_command(folder: Path, store: Path | None, policy: Path | None, **writing: Any) -> None:
    """Import FOLDER as one commit: an Oxidized/RANCID folder of flat configs (<host>, <host>.cfg...)
    or a snapshot folder (<host>/show_running-config.txt + meta.yaml). Platforms come from
    meta.yaml or are detected from the text; the safety rules of a backup run apply."""
    _import(folder, store, policy, **writing)


def _import(folder: Path, store: Path | None, policy: Path | None, **writing: Any) -> None:
    settings = _settings(policy, store, writing["mask_secrets"])
    _back_up(settings, offline_inputs(folder, None), f"import of {folder.resolve()}", **writing)


def _inventory_inputs(
    inventory: Path | None,
    snapshots: Path | None,
    selected: HostFilter,
    live: bool,
    collect_options: CollectOptions,
    writing: dict[str, Any],
) -> tuple[Iterator[HostInput], str]:
    """The hosts to back up, the way `netcomply scan` finds them, and a line saying where they came from."""
    found = resolve_hosts(inventory, snapshots, live=live)
    inventory, snapshots, hosts = found.inventory, found.snapshots, found.hosts
    if found.live:
        assert inventory is not None
        return live_inputs(inventory, selected, collect_options, writing["verbose"], writing["quiet"])
    assert snapshots is not None
    source = f"snapshots {snapshots.resolve()}"
    if inventory is not None:
        source += f" (inventory {inventory.resolve()})"
    return offline_inputs(snapshots, hosts, selected), source


def config_command(platform: Platform) -> tuple[str, ...]:
    return (platform.commands.config,)


def live_inputs(
    inventory: Path, selected: HostFilter, options: CollectOptions, verbose: int, quiet: bool
) -> tuple[Iterator[HostInput], str]:
    """Collect each device's configuration over SSH with the collector `netcomply scan` uses."""
    try:
        run = run_collection(
            inventory,
            selected,
            dataclasses.replace(options, commands=config_command),
            verbose=verbose,
            quiet=quiet,
            log_failures=False,
        )
    except CollectAbort as exc:
        raise ScanAbort(str(exc)) from None
    return collected_inputs(run), f"live collection over SSH (inventory {inventory.resolve()})"


def _back_up(
    settings: BackupSettings,
    items: Iterator[HostInput],
    source: str,
    *,
    mask_secrets: bool | None,
    accept_shrink: str,
    formats: str,
    output: Path | None,
    verbose: int,
    quiet: bool,
) -> None:
    setup_logging(verbose, quiet)
    wanted = [] if formats == TEXT else _formats(formats)
    now = datetime.now(UTC)
    try:
        store = open_store(settings, now)
        report = back_up(store, items, settings, source=source, now=now, accept_shrink=split_names(accept_shrink))
    except (StoreError, GitError, SnapshotError) as exc:
        raise ScanAbort(str(exc)) from None
    if not report.hosts:
        raise ScanAbort("no host to back up: check the inventory, the folder and the filters")
    if wanted:
        try:
            write_reports(backup_result(report), wanted, output, quiet=quiet)
        except OutputError as exc:
            raise ScanAbort(str(exc)) from None
    else:
        _print(report)
    sys.exit(0 if report.ok else EXIT_INCOMPLETE)


def _formats(value: str) -> list[str]:
    try:
        return parse_formats(value)
    except OutputError as exc:
        raise ScanAbort(str(exc)) from None


def _print(report: BackupReport) -> None:
    for warning in report.warnings:
        click.echo(for_terminal(f"netcomply backup: warning: {warning}"), err=True)
    width = max(len(h.host.name) for h in report.hosts)
    for host in report.hosts:
        detail = host.detail
        if host.outcome is Outcome.CHANGED:
            detail = f"{detail} lines"
        elif host.outcome is Outcome.UNCHANGED and host.previous is not None:
            detail = f"since {host.previous.describe()}"
        click.echo(for_terminal(f"  {host.host.name:<{width}}  {host.outcome.value:<9}  {detail}".rstrip()))
    commit = (
        f"commit {report.revision.short} in {report.store}"
        if report.revision
        else f"nothing changed, no commit in {report.store}"
    )
    click.echo(f"netcomply backup: {report.summary()}; {commit}")


def _open(store: Path | None, policy: Path | None) -> ConfigStore:
    settings = _settings(policy, store)
    if settings.store is None:
        raise ScanAbort("no backup store: give --store DIR or set backup.store in the policy")
    try:
        return ConfigStore.open(settings.store)
    except (StoreError, GitError) as exc:
        raise ScanAbort(str(exc)) from None


@command.command("diff")
@click.argument("host")
@click.option("--from", "rev_from", metavar="REV", help="Older backup: a commit, HEAD~N, a tag or a date YYYY-MM-DD.")
@click.option("--to", "rev_to", metavar="REV", help="Newer backup (default: the latest).")
@_store_option
@_policy_option
def diff_command(host: str, rev_from: str | None, rev_to: str | None, store: Path | None, policy: Path | None) -> None:
    """What changed in HOST's configuration between two backups (default: its last change), secrets masked."""
    opened = _open(store, policy)
    try:
        click.echo(for_terminal(backup_diff(opened, host, rev_from, rev_to)), nl=False)
    except (StoreError, GitError) as exc:
        raise ScanAbort(str(exc)) from None


@command.command("log")
@click.argument("host", required=False)
@click.option("--limit", "-n", type=click.IntRange(min=1), default=20, show_default=True, help="Commits to show.")
@_store_option
@_policy_option
def log_command(host: str | None, limit: int, store: Path | None, policy: Path | None) -> None:
    """The latest backup commits (of HOST only, when given): date, commit, hosts changed."""
    opened = _open(store, policy)
    try:
        entries = opened.log(host, limit)
    except (StoreError, GitError) as exc:
        raise ScanAbort(str(exc)) from None
    if not entries:
        click.echo(f"no backup of {host} in {opened.root}" if host else f"no commit in {opened.root}")
        return
    for entry in entries:
        hosts = ", ".join(entry.hosts) if entry.hosts else "-"
        click.echo(f"{entry.revision.describe()}  {entry.subject}  [{hosts}]")
