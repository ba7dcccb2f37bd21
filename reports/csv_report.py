"""CSV: one row per finding, for spreadsheets and ticket imports.

Columns are fixed (:data:`COLUMNS`); several evidence lines or remediation commands
share one cell, one per line. A cell that a spreadsheet would take for a formula
(starting with = + - @ or a control character) is prefixed with a quote
(:func:`scanner.escaping.for_csv`).
"""

from __future__ import annotations

import csv
import io

from reports import RenderOptions, renderer
from scanner.escaping import for_csv
from scanner.model import ScanResult

COLUMNS = (
    "run_id",
    "host",
    "platform",
    "check",
    "title",
    "status",
    "severity",
    "message",
    "evidence",
    "evidence_file",
    "remediation",
    "waiver_reason",
    "waiver_expires",
    "new_since_last_run",
)


@renderer("csv", extension="csv", description="one row per finding (spreadsheets, ticket imports)")
def render_csv(result: ScanResult, options: RenderOptions) -> str:
    titles = {c.id: c.title for c in result.checks}
    new = options.new_since_last
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for f in result.findings:
        paths = list(dict.fromkeys(e.path for e in f.evidence if e.path))
        row = (
            result.run.id,
            f.host,
            f.platform or "",
            f.check,
            titles.get(f.check, ""),
            f.status.value,
            f.severity.label,
            f.message,
            "\n".join(f"{e.where}: {e.text}" for e in f.evidence),
            "\n".join(paths),
            "\n".join(f.remediation),
            f.waiver.reason if f.waiver else "",
            f.waiver.expires.isoformat() if f.waiver else "",
            "" if new is None else ("yes" if (f.host, f.check) in new and f.status.value == "fail" else "no"),
        )
        writer.writerow([for_csv(str(v)) for v in row])
    return buffer.getvalue()
