"""HTML: one self-contained file (inline CSS, JS and SVG; no network) for people.

A summary (overall score, a status chart, score per check and per host), failures
grouped by check and by host with their evidence lines and remediation, errors,
waivers with their expiry, "new since last run" marks, and a search box with status
and "new only" filters that work from the file alone.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from reports import RenderOptions, renderer
from reports._common import (
    by_status,
    check_index,
    clause_titles,
    framework_titles,
    grouped,
    jinja_env,
    overall_percent,
    scores_by_check,
    scores_by_host,
)
from scanner.model import ScanResult, Status

STATUS_COLOURS = {
    "pass": "#2e7d32",
    "fail": "#c62828",
    "error": "#8e24aa",
    "not_applicable": "#9e9e9e",
    "waived": "#f9a825",
}


def donut(counts: dict[str, int], radius: float = 60, width: float = 22) -> list[dict[str, object]]:
    """SVG arc paths for a donut chart of ``counts`` (status -> number)."""
    total = sum(counts.values())
    arcs: list[dict[str, object]] = []
    if not total:
        return arcs
    angle = -math.pi / 2
    centre = radius + 4
    for status, value in counts.items():
        if not value:
            continue
        sweep = 2 * math.pi * value / total
        if value == total:
            sweep = 2 * math.pi - 1e-4
        end = angle + sweep
        outer, inner = radius, radius - width
        large = 1 if sweep > math.pi else 0
        x1, y1 = centre + outer * math.cos(angle), centre + outer * math.sin(angle)
        x2, y2 = centre + outer * math.cos(end), centre + outer * math.sin(end)
        x3, y3 = centre + inner * math.cos(end), centre + inner * math.sin(end)
        x4, y4 = centre + inner * math.cos(angle), centre + inner * math.sin(angle)
        path = (
            f"M{x1:.2f},{y1:.2f} A{outer},{outer} 0 {large} 1 {x2:.2f},{y2:.2f} "
            f"L{x3:.2f},{y3:.2f} A{inner},{inner} 0 {large} 0 {x4:.2f},{y4:.2f} Z"
        )
        arcs.append({"status": status, "value": value, "path": path, "colour": STATUS_COLOURS[status]})
        angle = end
    return arcs


@renderer("html", extension="html", description="one self-contained HTML page: summary, chart, failures, filter")
def render_html(result: ScanResult, options: RenderOptions) -> str:
    new = options.new_since_last or frozenset()
    failures = by_status(result, Status.FAIL)
    waived = by_status(result, Status.WAIVED)
    today = datetime.now(UTC).date()
    template = jinja_env().get_template("report.html.j2")
    return template.render(
        result=result,
        run=result.run,
        summary=result.summary,
        overall=overall_percent(result),
        arcs=donut({s.value: result.summary.by_status.get(s.value, 0) for s in Status}),
        colours=STATUS_COLOURS,
        check_scores=scores_by_check(result),
        host_scores=scores_by_host(result),
        checks=check_index(result),
        failures=failures,
        failures_by_check=grouped(failures, "check"),
        failures_by_host=grouped(failures, "host"),
        errors=by_status(result, Status.ERROR),
        waived=waived,
        all_findings=sorted(result.findings, key=lambda f: (f.host, f.check)),
        new=new,
        has_previous=options.previous_run is not None,
        previous_run=options.previous_run,
        clause_titles=clause_titles(),
        framework_titles=framework_titles(),
        today=today,
    )
