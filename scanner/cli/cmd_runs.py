"""``netcomply runs``: the runs in the store, newest first."""

from __future__ import annotations

import json
from pathlib import Path

import click

from scanner.cli._store import open_store, store_options


@click.command("runs")
@store_options
@click.option("--limit", "-n", type=click.IntRange(min=1), default=20, show_default=True, help="Show this many runs.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def command(db: str | None, policy_path: Path | None, limit: int, as_json: bool) -> None:
    """List stored scan runs: id, when, what was scanned, counts and exit status.

    Give a run id (or a unique prefix, or `latest` / `previous`) to `netcomply report`
    and `netcomply diff`.
    """
    with open_store(db, policy_path) as store:
        rows = store.runs(limit=limit)
        description = store.description
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "started": r.started.isoformat(),
                        "finished": r.finished.isoformat() if r.finished else None,
                        "scope": r.scope,
                        "hosts": r.hosts,
                        "checks": r.checks,
                        "findings": r.findings,
                        "by_status": r.by_status,
                        "exit_code": r.exit_code,
                    }
                    for r in rows
                ],
                indent=2,
            )
        )
        return
    if not rows:
        click.echo(f"no runs in {description} yet: `netcomply scan` saves one")
        return
    click.echo(f"{'run':<27} {'started (UTC)':<20} {'hosts':>5} {'pass':>5} {'fail':>5} {'error':>5}  exit  scanned")
    for r in rows:
        s = r.by_status
        click.echo(
            f"{r.id:<27} {r.started.strftime('%Y-%m-%d %H:%M:%S'):<20} {r.hosts:>5} {s.get('pass', 0):>5} "
            f"{s.get('fail', 0):>5} {s.get('error', 0):>5}  {r.exit_code:>4}  {r.scope}"
        )
