"""The audit workbook (openpyxl): the form, every finding, the hosts, ready to print on A4 landscape.

Sheet 1 is the self-assessment form as :mod:`reports._audit` words it (序号, 检查项, 检查内容,
核查结果, 证据, 整改建议); sheet 2 every finding with its evidence and fix; sheet 3 the hosts
with their inventory data and counts. Each sheet has a frozen header row with filters,
wrapped text, column widths that add up to one A4 landscape page width (and fit-to-width
printing, header row repeated), in Chinese by default or English (``--lang en``).

A binary format does not pass the text redactor of :func:`reports.render`, so every
string is scrubbed here; and every cell is written as text, so a device line that starts
with ``=`` is never taken for a formula.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Sequence

from checks.frameworks import clauses_by_check
from checks.i18n import message as worded
from checks.i18n import remediation as worded_fix
from checks.i18n import title as check_title
from reports import RenderOptions, renderer
from reports._audit import FORM_ID, FormRow, audit_rows, spec_of
from reports._audit_text import SEVERITY_LABELS, STATUS_LABELS, TEXT, local_time
from scanner.masking import REDACTOR
from scanner.model import Finding, ScanResult, Severity, Status

CELL_LIMIT = 32_000  # Excel holds at most 32,767 characters in a cell
CONCLUSION_FILL = {
    "compliant": "C8E6C9",
    "partial": "FFE0B2",
    "non_compliant": "FFCDD2",
    "not_assessed": "E1BEE7",
    "manual": "BBDEFB",
    "not_applicable": "EEEEEE",
}
# Widths in Excel character units; each sheet adds up to about 140, one A4 landscape page
# width at the default font, and printing is set to fit the width anyway.
FORM_WIDTHS = (8, 14, 30, 11, 45, 32)
FINDING_WIDTHS = (12, 10, 16, 16, 8, 6, 26, 22, 16, 8)
HOST_WIDTHS = (16, 14, 13, 16, 10, 8, 16, 40)


def _clean(text: object) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = REDACTOR.scrub("" if text is None else str(text))
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value if len(value) <= CELL_LIMIT else value[: CELL_LIMIT - 1] + "…"


def _sheet(ws, headers: Sequence[str], rows: Iterable[Sequence[object]], widths: Sequence[int]) -> None:  # type: ignore[no-untyped-def]
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="D9E1F2")
    for column, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=column)
        cell.value = _clean(header)
        cell.data_type = "s"
        cell.font, cell.fill, cell.alignment = bold, head_fill, wrap
    count = 1
    for count, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=count, column=column)
            cell.value = _clean(value)
            cell.data_type = "s"
            cell.alignment = wrap
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "&P / &N"


def _form_rows(rows: list[FormRow], lang: str) -> Iterable[list[str]]:
    for row in rows:
        yield [
            row.id,
            row.name,
            row.criterion,
            row.conclusion_label(lang),
            "\n".join([*row.found, *row.evidence]),
            "\n".join(row.todo),
        ]


def _status_label(f: Finding, lang: str) -> str:
    labels = STATUS_LABELS[lang]
    if f.status is Status.FAIL and f.severity is Severity.INFO:
        return labels["advice"]
    if f.status is Status.NOT_APPLICABLE:
        spec = spec_of(f.check)
        if spec is not None and not spec.assessed(f.status, f.key):
            return labels["not_assessed"]
    return labels[f.status.value]


def _finding_rows(result: ScanResult, lang: str) -> Iterable[list[str]]:
    t = TEXT[lang]
    titles = {c.id: check_title(c.id, lang, c.title) for c in result.checks}
    items = {check: by_fw.get(FORM_ID, ()) for check, by_fw in clauses_by_check().items()}
    for f in sorted(result.findings, key=lambda f: (f.host, f.check)):
        spec = spec_of(f.check)
        evidence = [
            t["evidence_where"].format(host=e.host or f.host, source=e.source, line=e.line, text=e.text.strip())
            for e in f.evidence
        ]
        yield [
            f.host,
            f.platform or "",
            f.check,
            titles.get(f.check, f.check),
            _status_label(f, lang),
            SEVERITY_LABELS[lang][f.severity.label],
            worded(f, lang),
            "\n".join(evidence),
            "\n".join(worded_fix(f, lang, spec.remediation if spec else "")),
            t["sep"].join(items.get(f.check, ())),
        ]


def _host_rows(result: ScanResult, lang: str) -> Iterable[list[str]]:
    t = TEXT[lang]
    counts: dict[str, Counter[str]] = {}
    for f in result.findings:
        counts.setdefault(f.host, Counter())[_status_label(f, lang)] += 1
    for host in sorted(result.hosts, key=lambda h: h.name):
        tally = counts.get(host.name, Counter())
        yield [
            host.name,
            host.platform or "",
            host.role or "",
            host.zone or "",
            host.site or "",
            t["yes"] if host.critical else t["no"],
            host.address or "",
            " · ".join(f"{label} {n}" for label, n in sorted(tally.items(), key=lambda kv: -kv[1])),
        ]


def render_workbook(result: ScanResult, lang: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    t = TEXT[lang]
    rows = audit_rows(result, lang)
    book = Workbook()
    book.properties.title = _clean(t["title"])
    book.properties.subject = _clean(f"netcomply run {result.run.id}")
    book.properties.creator = "netcomply"
    form = book.active
    form.title = t["sheet_form"]
    headers = [t["x_item"], t["x_name"], t["x_criterion"], t["x_conclusion"], t["x_evidence"], t["todo"]]
    _sheet(form, headers, _form_rows(rows, lang), FORM_WIDTHS)
    for index, row in enumerate(rows, start=2):
        cell = form.cell(row=index, column=4)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=CONCLUSION_FILL[row.conclusion])
    form.oddHeader.center.text = _clean(
        f"{t['title']} · {t['run']} {result.run.id} · {t['started']} {local_time(result.run.started)}"
    )
    findings = book.create_sheet(t["sheet_findings"])
    _sheet(
        findings,
        [
            t["col_host"],
            t["col_platform"],
            t["col_check"],
            t["col_check_title"],
            t["col_status"],
            t["col_severity"],
            t["col_message"],
            t["x_evidence"],
            t["todo"],
            t["col_items"],
        ],
        _finding_rows(result, lang),
        FINDING_WIDTHS,
    )
    hosts = book.create_sheet(t["sheet_hosts"])
    _sheet(
        hosts,
        [
            t["col_host"],
            t["col_platform"],
            t["col_role"],
            t["col_zone"],
            t["col_site"],
            t["col_critical"],
            t["col_address"],
            t["col_counts"],
        ],
        _host_rows(result, lang),
        HOST_WIDTHS,
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@renderer(
    "audit-xlsx",
    extension="xlsx",
    binary=True,
    description="the audit workbook: the form, every finding, the hosts (Excel; --lang zh|en, default zh)",
)
def render_audit_xlsx(result: ScanResult, options: RenderOptions) -> bytes:
    return render_workbook(result, options.lang or "zh")
