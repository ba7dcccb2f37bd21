"""The --format/--output pair of the commands that write reports (scan, report)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click


def report_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--format, --output and --lang; the command receives ``formats``, ``output`` and ``lang``."""
    func = click.option(
        "--lang",
        type=click.Choice(["zh", "en"]),
        help="Language of the formats that offer one (audit-xlsx; default zh).",
    )(func)
    func = click.option(
        "--output",
        "-o",
        type=click.Path(path_type=Path),
        help="A file (one format) or a folder (several, or an existing folder). Default: standard output.",
    )(func)
    func = click.option(
        "--format",
        "-f",
        "formats",
        default="console",
        show_default=True,
        help="Report format(s), comma-separated (see `netcomply formats`).",
    )(func)
    return func
