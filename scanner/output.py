"""Writing rendered reports: to standard output, a file, or a folder for several formats.

Files are written atomically (temporary file, then rename), so a reader or a crash
never sees half a report. In a folder (several formats, or an existing folder) each
format is written twice: a dated copy that is kept (``netcomply-<format>-<run id>.<ext>``,
the run id starts with the UTC start time) and a stable name that always holds the
latest run (``netcomply-<format>-latest.<ext>``), the one to link to or mail; the
latest is replaced only after the dated copy was written.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

import click

from reports import RenderOptions, formats, get_renderer, render
from scanner.files import atomic_write
from scanner.model import ScanResult


class OutputError(Exception):
    pass


def parse_formats(value: str) -> list[str]:
    names = [v.strip() for v in value.split(",") if v.strip()]
    known = formats()
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        raise OutputError(f"unknown report format {', '.join(unknown) or value!r} (known: {', '.join(known)})")
    return list(dict.fromkeys(names))


def folder_targets(result: ScanResult, names: list[str], folder: Path) -> list[tuple[str, list[Path]]]:
    """Per format: the dated file, then the stable ``latest`` file."""
    stamp = result.run.id  # starts with the UTC start time; unique even for two runs in one second
    out = []
    for name in names:
        ext = get_renderer(name).extension
        out.append((name, [folder / f"netcomply-{name}-{stamp}.{ext}", folder / f"netcomply-{name}-latest.{ext}"]))
    return out


def write_reports(
    result: ScanResult,
    names: list[str],
    output: Path | None,
    *,
    quiet: bool = False,
    options: RenderOptions | None = None,
) -> list[Path]:
    """Render ``names`` and write them; returns the files written (none for standard output)."""
    options = options or RenderOptions()
    written: list[Path] = []
    if output is None:
        for name in names:
            color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
            text = render(name, result, replace(options, color=color, width=_terminal_width()))
            if isinstance(text, bytes):
                raise OutputError(f"format {name} is binary: give --output FILE")
            sys.stdout.write(text)
        sys.stdout.flush()
        return written
    targets: list[tuple[str, list[Path]]]
    if len(names) == 1 and not output.is_dir():
        targets = [(names[0], [output])]
    else:
        if output.exists() and not output.is_dir():
            raise OutputError(f"--output {output} must be a folder when writing several formats")
        targets = folder_targets(result, names, output)
    for name, paths in targets:
        data = render(name, result, options)
        for path in paths:
            try:
                atomic_write(path, data)
            except OSError as exc:
                raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
            written.append(path)
    if not quiet:
        summary = result.summary
        counts = summary.by_status
        click.echo(
            f"netcomply: {summary.hosts} host(s): {counts['pass']} pass, {counts['fail']} fail, "
            f"{counts['error']} error, {counts['not_applicable']} n/a, {counts['waived']} waived; "
            f"wrote {', '.join(str(p) for p in written)}",
            err=True,
        )
    return written


def _terminal_width() -> int | None:
    if not sys.stdout.isatty():
        return None
    try:
        return os.get_terminal_size().columns
    except OSError:
        return None
