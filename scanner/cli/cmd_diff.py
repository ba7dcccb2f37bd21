"""``netcomply diff``: what changed between two runs (and, through handlers, other things)."""

from __future__ import annotations

import sys
from typing import Any

import click

from scanner.cli import ScanAbort
from scanner.cli._store import store_options
from scanner.cli.diff_handlers import DiffRequest, dispatch, handlers


def _help() -> str:
    lines = [
        "Show what changed: new failures, fixed ones, still-failing ones.",
        "",
        "With no TARGET, compares the last two runs of the most recent inventory scanned.",
        "Exit status: 0 nothing changed, 1 something changed, 2 cannot compare.",
        "",
        "\b",
        "Targets:",
    ]
    lines.extend(f"  {h.usage}" for h in handlers())
    return "\n".join(lines)


@store_options
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.argument("targets", nargs=-1)
def _diff(targets: tuple[str, ...], **options: Any) -> None:
    request = DiffRequest(targets=targets, options=options)
    handler, asked = dispatch(request)
    if handler is None:
        raise ScanAbort(
            f"cannot compare {' '.join(targets)}: not stored run ids (see `netcomply runs`), "
            f"and no other diff handler claims them (asked: {', '.join(asked)})"
        )
    sys.exit(handler.run(request))


command = click.command("diff", help=_help(), no_args_is_help=False)(_diff)
for _handler in handlers():
    command.params.extend(_handler.params)
