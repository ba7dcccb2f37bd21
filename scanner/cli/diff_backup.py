"""The backup diff handler: `netcomply diff HOST [--from REV] [--to REV]` (same as `netcomply backup diff`)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from scanner.backup.diff import compare_backups
from scanner.backup.git import GitError
from scanner.backup.settings import BackupSettings
from scanner.backup.store import ConfigStore, StoreError, check_host_name
from scanner.cli import ScanAbort
from scanner.cli._policy import load_policy
from scanner.cli.diff_handlers import DiffHandler, DiffRequest, register
from scanner.escaping import for_terminal
from scanner.policy import PolicyError


def _store_path(request: DiffRequest) -> Path | None:
    try:
        policy = load_policy(request.options.get("policy_path"))
        return BackupSettings.from_policy(policy, request.options.get("backup_store")).store
    except PolicyError as exc:
        raise ScanAbort(str(exc)) from None


def _claims(request: DiffRequest) -> bool:
    """One host name, with --from/--to/--backup-store given or a backup of that host in the store."""
    if len(request.targets) != 1:
        return False
    options = request.options
    if options.get("rev_from") or options.get("rev_to") or options.get("backup_store"):
        return True
    try:
        check_host_name(request.targets[0])
    except StoreError:
        return False
    where = _store_path(request)
    if where is None:
        return False
    try:
        return request.targets[0] in ConfigStore.open(where).hosts()
    except (StoreError, GitError):
        return False


def _run(request: DiffRequest) -> int:
    where = _store_path(request)
    if where is None:
        raise ScanAbort("no backup store: give --backup-store DIR or set backup.store in the policy")
    host = request.targets[0]
    try:
        result = compare_backups(
            ConfigStore.open(where), host, request.options.get("rev_from"), request.options.get("rev_to")
        )
    except (StoreError, GitError) as exc:
        raise ScanAbort(str(exc)) from None
    if request.options.get("as_json"):
        click.echo(json.dumps({"host": host, "changed": result.changed, "diff": result.text}, indent=2))
    else:
        click.echo(for_terminal(result.text), nl=False)
    return 1 if result.changed else 0


register(
    DiffHandler(
        name="backups",
        usage="HOST [--from REV] [--to REV]: two configuration backups of HOST (default: its last change); "
        "REV is a commit, HEAD~N or a date YYYY-MM-DD",
        claims=_claims,
        run=_run,
        params=(
            click.Option(
                ["--from", "rev_from"], metavar="REV", help="Backups: the older backup (default: the one before --to)."
            ),
            click.Option(["--to", "rev_to"], metavar="REV", help="Backups: the newer backup (default: the latest)."),
            click.Option(
                ["--backup-store", "backup_store"],
                type=click.Path(path_type=Path, file_okay=False),
                help="Backups: the backup store (default: backup.store in the policy).",
            ),
        ),
    )
)
