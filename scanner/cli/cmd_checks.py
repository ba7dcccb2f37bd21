"""``netcomply checks``: every check, its severity, platforms and the clauses it covers."""

from __future__ import annotations

import json
import sys

import click
from rich.console import Console
from rich.table import Table

from checks import load_checks
from checks.frameworks import clauses_by_check, frameworks
from scanner.platforms import all_platforms


def _platforms_of(check_id: str, listed: tuple[str, ...] | None) -> list[str]:
    if listed is not None:
        return list(listed)
    return sorted(p.name for p in all_platforms())


@click.command("checks")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def command(as_json: bool) -> None:
    """List every check: id, title, severity, platforms and the framework clauses it covers."""
    clauses = clauses_by_check()
    names = {f.id: f.title for f in frameworks()}
    rows = []
    for spec in load_checks():
        rows.append(
            {
                "id": spec.id,
                "title": spec.title,
                "severity": spec.severity.label,
                "scope": spec.scope,
                "platforms": _platforms_of(spec.id, spec.platforms),
                "clauses": {fw: list(items) for fw, items in clauses.get(spec.id, {}).items()},
            }
        )
    if as_json:
        click.echo(json.dumps({"frameworks": names, "checks": rows}, indent=2, ensure_ascii=False))
        return
    console = Console(file=sys.stdout, width=None if sys.stdout.isatty() else 160, highlight=False)
    table = Table(title="netcomply checks", title_justify="left")
    for column in ("id", "title", "severity", "platforms", "covers"):
        table.add_column(column)
    for row in rows:
        covers = "; ".join(f"{fw} {', '.join(items)}" for fw, items in row["clauses"].items())
        table.add_row(row["id"], row["title"], row["severity"], ", ".join(row["platforms"]), covers)
    console.print(table)
    console.print("frameworks: " + "; ".join(f"{k} = {v}" for k, v in names.items()))
