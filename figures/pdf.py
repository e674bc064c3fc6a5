"""The monthly report as a PDF (ReportLab), in the Chinese TrueType font of `lib.pdf`, embedded
in the file. Without that font there is no PDF: `FontMissing`, which the view answers with a page
saying what to install."""

from html import escape
from io import BytesIO

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

# FontMissing is named here too: the view answers it with a page saying what to install.
from lib.pdf import FontMissing as FontMissing
from lib.pdf import font

from .charts import cell_text

# Sub-units per table across an A4 landscape page; more continue in a further table.
COLUMNS_PER_TABLE = 7


def _styles(name):
    body = ParagraphStyle("body", fontName=name, fontSize=9, leading=13, wordWrap="CJK")
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=10),
        "number": ParagraphStyle("number", parent=body, fontSize=8, leading=10, alignment=2),
        "title": ParagraphStyle("title", parent=body, fontSize=16, leading=22, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=body, fontSize=11, leading=16, spaceBefore=8),
    }


def _table(name, rows, widths, kinds):
    """A grid: the first row is the heading; numbers align right."""
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), name),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                *(
                    ("ALIGN", (column, 0), (column, -1), "RIGHT")
                    for column, kind in enumerate(kinds)
                    if kind != "text"
                ),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa5b1")),
            ]
        )
    )
    return table


def _figures(name, monthly, styles, width):
    """The figures, total then each sub-unit, COLUMNS_PER_TABLE sub-units to a table."""
    report = monthly.report
    headings = [heading for heading, _f in report.columns]
    rows = monthly.rows
    chunks = [
        range(i, min(i + COLUMNS_PER_TABLE, len(headings)))
        for i in range(0, max(len(headings), 1), COLUMNS_PER_TABLE)
    ]
    label_width = 62 * mm
    flow = []
    for chunk in chunks:
        columns = len(chunk) + 1
        widths = [label_width] + [(width - label_width) / columns] * columns
        head = [
            "",
            Paragraph(escape(_("Total")), styles["number"]),
            *(Paragraph(escape(headings[i]), styles["number"]) for i in chunk),
        ]
        body = [
            [
                Paragraph(escape(label), styles["cell"]),
                cell_text(values[0], kind),
                *(cell_text(values[i + 1], kind) for i in chunk),
            ]
            for _key, label, kind, values in rows
        ]
        kinds = ["text"] + ["count"] * columns
        flow += [_table(name, [head, *body], widths, kinds), Spacer(0, 4 * mm)]
    return flow


def _chart_table(name, table, styles, width):
    widths = [width / len(table.headings)] * len(table.headings)
    head = [
        Paragraph(escape(h), styles["cell" if kind == "text" else "number"])
        for h, kind in zip(table.headings, table.kinds, strict=True)
    ]
    body = [
        [
            Paragraph(escape(cell), styles["cell"]) if kind == "text" else cell_text(cell, kind)
            for cell, kind in zip(row, table.kinds, strict=True)
        ]
        for row in table.rows
    ]
    if not body:
        body = [["–"] + [""] * (len(head) - 1)]
    title = Paragraph(escape(table.title), styles["h2"])
    return [title, _table(name, [head, *body], widths, table.kinds)]


def monthly_pdf(monthly):
    """The Monthly as PDF bytes. Raises FontMissing."""
    name = font()
    styles = _styles(name)
    out = BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=14 * mm,
        title=f"{monthly.report.unit.name} {monthly.title}",
        author=monthly.names[0] if monthly.names else "",
        initialFontName=name,  # else the page starts in Helvetica, a font not embedded
    )
    report = monthly.report
    generated = monthly.generated_line
    period = f"{report.start:%Y-%m-%d} – {report.end:%Y-%m-%d}"
    story = [
        Paragraph(escape(monthly.above), styles["small"]),
        Paragraph(escape(f"{report.unit.name} {monthly.title}"), styles["title"]),
        Paragraph(escape(f"{period} · {generated}"), styles["small"]),
        Spacer(0, 3 * mm),
        Paragraph(escape(report.sentence), styles["body"]),
        Spacer(0, 4 * mm),
        *_figures(name, monthly, styles, doc.width),
    ]
    for table in monthly.charts.tables:
        story += _chart_table(name, table, styles, doc.width)

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(name, 7)
        canvas.drawString(12 * mm, 7 * mm, f"{report.unit.name} {monthly.title} · {generated}")
        canvas.drawRightString(document.pagesize[0] - 12 * mm, 7 * mm, str(canvas.getPageNumber()))
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
