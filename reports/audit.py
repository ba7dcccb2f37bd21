"""The audit form in the self-assessment layout, zh-CN and English, as HTML and as DOCX.

The rows come from :mod:`reports._audit`. The DOCX (python-docx: a Word document any
office suite opens; chosen over PDF because auditors fill in and sign the form) has
the same table in landscape, with the MLPS 2.0 clauses in the last column. A binary
format does not pass the text redactor in :func:`reports.render`, so every string is
scrubbed here before it enters the document.
"""

from __future__ import annotations

import io

from reports import RenderOptions, renderer
from reports._audit import audit_rows
from reports._audit_text import TEXT, local_time
from reports._common import jinja_env
from scanner.masking import REDACTOR
from scanner.model import ScanResult

_CONCLUSION_RGB = {
    "compliant": (0x2E, 0x7D, 0x32),
    "partial": (0xE6, 0x51, 0x00),
    "non_compliant": (0xC6, 0x28, 0x28),
    "not_applicable": (0x75, 0x75, 0x75),
    "manual": (0x15, 0x65, 0xC0),
    "not_assessed": (0x6A, 0x1B, 0x9A),
}


def _html(result: ScanResult, lang: str) -> str:
    return (
        jinja_env()
        .get_template("audit.html.j2")
        .render(
            lang=lang,
            t=TEXT[lang],
            rows=audit_rows(result, lang),
            run=result.run,
            summary=result.summary,
            started=local_time(result.run.started),
        )
    )


def _docx(result: ScanResult, lang: str) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    t = TEXT[lang]
    clean = REDACTOR.scrub
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    normal = document.styles["Normal"]
    normal.font.size = Pt(9)
    normal.font.name = "Arial"
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "SimSun")
    document.core_properties.title = t["title"]
    document.core_properties.subject = f"netcomply run {result.run.id}"
    document.core_properties.author = "netcomply"
    document.add_heading(t["title"], level=1)
    document.add_paragraph(
        clean(
            f"{t['subtitle']} · {t['run']} {result.run.id} · {t['started']} "
            f"{local_time(result.run.started)} · {t['hosts']} {result.summary.hosts}"
        )
    )
    document.add_paragraph(t["legend"])
    headers = [t["item"], t["name"], t["criterion"], t["found"], t["conclusion"], t["todo"], t["mlps"]]
    widths = [Cm(1.4), Cm(2.2), Cm(4.2), Cm(6.0), Cm(2.0), Cm(5.2), Cm(4.0)]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text, width in zip(table.rows[0].cells, headers, widths, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        cell.width = width
    for row in audit_rows(result, lang):
        cells = table.add_row().cells
        cells[0].text = row.id
        cells[1].text = clean(row.name)
        cells[2].text = clean(row.criterion)
        cells[3].text = clean("\n".join([*row.found, *row.evidence]))
        cells[4].text = ""
        label = cells[4].paragraphs[0].add_run(row.conclusion_label(lang))
        label.bold = True
        label.font.color.rgb = RGBColor(*_CONCLUSION_RGB[row.conclusion])
        cells[5].text = clean("\n".join(row.todo))
        cells[6].text = clean("\n".join(f"{clause} {title}" for clause, title in row.mlps))
        for cell, width in zip(cells, widths, strict=True):
            cell.width = width
    document.add_paragraph(t["generated"].format(version=result.run.version))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@renderer("audit-zh", extension="html", description="the self-assessment audit form in Chinese (HTML)")
def render_audit_zh(result: ScanResult, options: RenderOptions) -> str:
    return _html(result, "zh")


@renderer("audit-en", extension="html", description="the self-assessment audit form in English (HTML)")
def render_audit_en(result: ScanResult, options: RenderOptions) -> str:
    return _html(result, "en")


@renderer("audit-zh-docx", extension="docx", binary=True, description="the audit form in Chinese as a Word document")
def render_audit_zh_docx(result: ScanResult, options: RenderOptions) -> bytes:
    return _docx(result, "zh")


@renderer("audit-en-docx", extension="docx", binary=True, description="the audit form in English as a Word document")
def render_audit_en_docx(result: ScanResult, options: RenderOptions) -> bytes:
    return _docx(result, "en")
