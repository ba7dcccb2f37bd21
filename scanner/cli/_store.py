"""What the store-reading commands (runs, report, diff) share: --db/--policy, opening the store, the
report options a stored diff gives (failures new since the last run)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from reports import RenderOptions
from scanner.cli import ScanAbort
from scanner.cli._policy import load_policy
from scanner.model import ScanResult
from scanner.policy import Policy, PolicyError
from scanner.store import DB_ENV, Store, StoreError, resolve_url
from scanner.store.diff import RunDiff, diff_runs

DB_HELP = (
    f"Results database: a path to an SQLite file or an SQLAlchemy URL (postgresql://...). "
    f"Default: ${DB_ENV}, else the policy's store.database, else netcomply.db in the user's data folder."
)


def store_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--db", "db", metavar="URL|PATH", help=DB_HELP)(func)
    func = click.option(
        "--policy",
        "-p",
        "policy_path",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Policy YAML whose store.database names the database.",
    )(func)
    return func


def policy_database(policy: Policy) -> str | None:
    try:
        return policy.section("store").get("database")
    except KeyError:
        return None


def open_store(db: str | None, policy_path: Path | None) -> Store:
    try:
        policy = load_policy(policy_path)
        return Store(resolve_url(db, policy_database(policy)))
    except (PolicyError, StoreError) as exc:
        raise ScanAbort(str(exc)) from None


def options_from_diff(diff: RunDiff | None, base: RenderOptions | None = None) -> RenderOptions:
    base = base or RenderOptions()
    if diff is None or diff.old_run is None:
        return base
    return replace(base, new_since_last=diff.new_pairs, previous_run=diff.old_run)


def render_options_for(store: Store, result: ScanResult, base: RenderOptions | None = None) -> RenderOptions:
    previous = store.previous(result.run.id)
    if previous is None:
        return base or RenderOptions()
    return options_from_diff(diff_runs(store.load(previous), result), base)
