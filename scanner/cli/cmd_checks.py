"""``netcomply checks``: every check, its severity, platforms and the clauses it covers."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from checks import PluginError
from checks.frameworks import clauses_by_check, frameworks
from checks.rules import rule_clauses
from scanner.checkapi import CheckSpec
from scanner.cli import ScanAbort
from scanner.engine import scan_checks
from scanner.platforms import all_platforms
from scanner.policy import Policy, PolicyError
from scanner.rules import RuleError


def _platforms_of(spec: CheckSpec) -> list[str]:
    """The platforms a check really judges: those it names, of its kind (a host check never runs on a switch)."""
    return sorted(
        p.name for p in all_platforms() if p.kind == spec.kind and (spec.platforms is None or p.name in spec.platforms)
    )


@click.command("checks")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option(
    "--policy",
    "-p",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also list this policy's own rules (its `rules:` section).",
)
def command(as_json: bool, policy: Path | None) -> None:
    """List every check: id, title, severity, platforms, the clauses it covers and where it comes from.

    Shipped checks, checks of installed plugins (entry point group netcomply.checks) and,
    with --policy, the policy's rules.
    """
    try:
        loaded = Policy.load(policy)
        specs = scan_checks(loaded)
    except (PolicyError, RuleError, PluginError) as exc:
        raise ScanAbort(str(exc)) from None
    clauses = {**rule_clauses(loaded.rules), **clauses_by_check()}
    names = {f.id: f.title for f in frameworks()}
    rows = []
    for spec in specs:
        rows.append(
            {
                "id": spec.id,
                "title": spec.title,
                "severity": loaded.severity_for(spec.id, spec.severity).label,
                "scope": spec.scope,
                "platforms": _platforms_of(spec),
                "clauses": {fw: list(items) for fw, items in clauses.get(spec.id, {}).items()},
                "origin": spec.origin or "netcomply",
            }
        )
    if as_json:
        click.echo(json.dumps({"frameworks": names, "checks": rows}, indent=2, ensure_ascii=False))
        return
    console = Console(file=sys.stdout, width=None if sys.stdout.isatty() else 160, highlight=False)
    table = Table(title="netcomply checks", title_justify="left")
    for column in ("id", "title", "severity", "platforms", "covers", "from"):
        table.add_column(column)
    for row in rows:
        covers = "; ".join(f"{fw} {', '.join(items)}" for fw, items in row["clauses"].items())
        table.add_row(row["id"], row["title"], row["severity"], ", ".join(row["platforms"]), covers, row["origin"])
    console.print(table)
    console.print("frameworks: " + "; ".join(f"{k} = {v}" for k, v in names.items()))
