"""``netcomply report RUN``: render a stored run in any format."""

from __future__ import annotations

from pathlib import Path

import click

from reports import RenderOptions
from scanner.cli import ScanAbort
from scanner.cli._report_options import report_options
from scanner.cli._store import open_store, render_options_for, store_options
from scanner.output import OutputError, parse_formats, write_reports
from scanner.store import StoreError


@click.command("report")
@click.argument("run", default="latest")
@store_options
@report_options
@click.option("-q", "--quiet", is_flag=True, help="No summary line on stderr.")
def command(
    db: str | None, policy_path: Path | None, run: str, formats: str, output: Path | None, lang: str | None, quiet: bool
) -> None:
    """Render a stored run RUN (an id, a unique prefix, `latest` or `previous`; default: latest).

    The report is the same as the scan wrote: "new since last run" marks compare the
    run with the run of the same inventory before it.
    """
    try:
        wanted = parse_formats(formats)
    except OutputError as exc:
        raise ScanAbort(str(exc)) from None
    with open_store(db, policy_path) as store:
        try:
            result = store.load(run)
            options = render_options_for(store, result, RenderOptions(lang=lang))
        except StoreError as exc:
            raise ScanAbort(str(exc)) from None
    try:
        write_reports(result, wanted, output, quiet=quiet, options=options)
    except OutputError as exc:
        raise ScanAbort(str(exc)) from None
