"""Console: a summary table per host, then every failure with its evidence and fix."""

from __future__ import annotations

import io
from collections import defaultdict

from rich.console import Console
from rich.table import Table
from rich.text import Text

from reports import RenderOptions, renderer
from reports._common import exit_reason
from scanner.escaping import for_terminal
from scanner.model import Finding, ScanResult, Status

_STYLE = {
    Status.PASS: "green",
    Status.FAIL: "red",
    Status.ERROR: "magenta",
    Status.NOT_APPLICABLE: "dim",
    Status.WAIVED: "yellow",
}


@renderer("console", extension="txt", description="tables for a terminal (colour only on a TTY)")
def render_console(result: ScanResult, options: RenderOptions) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=options.color,
        no_color=not options.color,
        width=options.width or 160,
        highlight=False,
        emoji=False,
    )
    summary = result.summary
    console.print(
        f"[bold]netcomply[/bold] run {result.run.id}: {summary.hosts} host(s), {summary.checks} check(s), "
        f"{summary.findings} finding(s)"
    )
    console.print(_host_table(result))
    failures = [f for f in result.findings if f.status is Status.FAIL]
    errors = [f for f in result.findings if f.status is Status.ERROR]
    waived = [f for f in result.findings if f.status is Status.WAIVED]
    if failures:
        console.print(_finding_table(f"Failures ({len(failures)})", failures, with_fix=True))
    if errors:
        console.print(_error_table(errors))
    if waived:
        console.print(_finding_table(f"Waived ({len(waived)})", waived, with_fix=False))
    for note in summary.notes:
        console.print(_text(f"note: {note}"))
    counts = summary.by_status
    console.print(
        Text.assemble(
            ("pass ", ""),
            (str(counts["pass"]), "green"),
            ("  fail ", ""),
            (str(counts["fail"]), "red"),
            ("  error ", ""),
            (str(counts["error"]), "magenta"),
            ("  not applicable ", ""),
            (str(counts["not_applicable"]), "dim"),
            ("  waived ", ""),
            (str(counts["waived"]), "yellow"),
            (f"  -> exit {summary.exit_code} (fail-on {result.fail_on.label})", "bold"),
            (exit_reason(result), ""),
        )
    )
    return buffer.getvalue()


def _host_table(result: ScanResult) -> Table:
    table = Table(title="Hosts", title_justify="left", show_lines=False)
    table.add_column("host")
    table.add_column("platform")
    table.add_column("role")
    table.add_column("zone")
    for status in Status:
        table.add_column(status.value.replace("_", " "), justify="right")
    counts: dict[str, dict[Status, int]] = defaultdict(lambda: defaultdict(int))
    for finding in result.findings:
        counts[finding.host][finding.status] += 1
    for host in result.hosts:
        row = counts.get(host.name, {})
        table.add_row(
            _text(host.name),
            _text(host.platform or "?"),
            _text(host.role or ""),
            _text(host.zone or ""),
            *[Text(str(row.get(s, 0)), style=_STYLE[s] if row.get(s, 0) else "dim") for s in Status],
        )
    return table


def _finding_table(title: str, findings: list[Finding], *, with_fix: bool) -> Table:
    table = Table(title=title, title_justify="left", show_lines=True)
    table.add_column("host", no_wrap=True)
    table.add_column("check", no_wrap=True)
    table.add_column("sev", no_wrap=True)
    table.add_column("finding and evidence (source:line)", ratio=3)
    if with_fix:
        table.add_column("fix", ratio=2)
    for f in sorted(findings, key=lambda f: (-f.severity, f.host, f.check)):
        body = _text(f.message)
        for e in f.evidence:
            body.append(f"\n{for_terminal(e.where)}  ", style="cyan")
            body.append(for_terminal(e.text), style="")
        cells = [_text(f.host), f.check, f.severity.label, body]
        if with_fix:
            cells.append(_text("\n".join(f.remediation)))
        table.add_row(*cells)
    return table


def _error_table(errors: list[Finding]) -> Table:
    """Errors grouped by host and message: one row per cause, not one per check."""
    table = Table(title=f"Errors ({len(errors)})", title_justify="left")
    table.add_column("host", no_wrap=True)
    table.add_column("checks")
    table.add_column("reason", ratio=3)
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for f in errors:
        grouped[(f.host, f.message)].append(f.check)
    for (host, message), checks in sorted(grouped.items()):
        table.add_row(_text(host), ", ".join(checks) if len(checks) < 4 else f"{len(checks)} checks", _text(message))
    return table


def _text(value: str) -> Text:
    """Device-supplied text as a rich Text: never read as markup, no escape sequence reaches the terminal."""
    return Text(for_terminal(value))
