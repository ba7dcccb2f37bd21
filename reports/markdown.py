"""Markdown for tickets and merge requests: summary, failures with evidence and fix, errors, waivers."""

from __future__ import annotations

from reports import RenderOptions, renderer
from reports._common import by_status, exit_reason, grouped, overall_percent
from scanner.escaping import for_markdown, markdown_code, strip_controls
from scanner.model import ScanResult, Status

_cell = for_markdown
_code = markdown_code


FENCE = "`" * 3


def _fenced(line: str) -> str:
    """A line inside a fenced block: one line, and no fence of its own to close the block early."""
    return strip_controls(line, keep="").replace(FENCE, "'" * 3)


# How the markdown names each framework's clauses beside a check.
_FRAMEWORKS = {"form": "self-assessment form", "mlps": "GB/T 22239-2019", "cis": "CIS Cisco IOS"}


def _clauses(clauses: dict[str, tuple[str, ...]]) -> str:
    """``self-assessment form 5.2.3; GB/T 22239-2019 8.1.4.1 b)``: the clauses a check answers."""
    order = [f for f in _FRAMEWORKS if f in clauses] + sorted(set(clauses) - set(_FRAMEWORKS))
    return "; ".join(f"{_FRAMEWORKS.get(f, f)} {', '.join(clauses[f])}" for f in order)


@renderer("markdown", extension="md", description="Markdown for tickets: summary, failures with evidence and fix")
def render_markdown(result: ScanResult, options: RenderOptions) -> str:
    s = result.summary
    counts = s.by_status
    new = options.new_since_last or frozenset()
    score = overall_percent(result)
    out = [
        f"# netcomply report: run {result.run.id}",
        "",
        f"Started {result.run.started.strftime('%Y-%m-%d %H:%M UTC')}; {s.hosts} host(s), {s.checks} check(s); "
        f"score {score if score is not None else '-'}%; exit status {s.exit_code} "
        f"(fail-on {result.fail_on.label}){exit_reason(result)}.",
        "",
        "| pass | fail | error | not applicable | waived |",
        "| ---: | ---: | ---: | ---: | ---: |",
        "| " + " | ".join(str(counts[k]) for k in ("pass", "fail", "error", "not_applicable", "waived")) + " |",
        "",
    ]
    if options.previous_run:
        out += [f"{len(new)} failure(s) new since run {options.previous_run} (marked **NEW**).", ""]
    titles = {c.id: c.title for c in result.checks}
    clauses = {c.id: dict(c.clauses) for c in result.checks}
    failures = by_status(result, Status.FAIL)
    out.append(f"## Failures ({len(failures)})")
    out.append("")
    if not failures:
        out += ["None.", ""]
    for check_id, items in grouped(failures, "check"):
        out += [f"### {_code(check_id)} {titles.get(check_id, '')}", ""]
        if clauses.get(check_id):
            out += [f"Clauses: {_clauses(clauses[check_id])}", ""]
        for f in items:
            mark = " **NEW**" if (f.host, f.check) in new else ""
            out.append(f"- **{_cell(f.host)}** ({f.severity.label}){mark}: {_cell(f.message)}")
            for e in f.evidence:
                out.append(f"  - {_code(e.where)} {_code(e.text)}")
            if f.remediation:
                out.append("  - fix:")
                out.append("")
                out.append("    ```")
                out.extend(f"    {_fenced(r)}" for r in f.remediation)
                out.append("    ```")
                out.append("")
        out.append("")
    errors = by_status(result, Status.ERROR)
    if errors:
        out += [f"## Could not judge ({len(errors)})", "", "| host | check | reason |", "| --- | --- | --- |"]
        out += [f"| {_cell(f.host)} | {_code(f.check)} | {_cell(f.message)} |" for f in errors]
        out.append("")
    waivered = [f for f in result.findings if f.waiver is not None]
    if waivered:
        out += ["## Waivers", "", "| host | check | status | reason | expires |", "| --- | --- | --- | --- | --- |"]
        out += [
            f"| {_cell(f.host)} | {_code(f.check)} | {f.status.value} | {_cell(f.waiver.reason)} | "
            f"{f.waiver.expires.isoformat()} |"
            for f in waivered
            if f.waiver is not None
        ]
        out.append("")
    return "\n".join(out)
