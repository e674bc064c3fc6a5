"""The figures as the workbook a federation sends upward: the same rows as the page, and each
chart's table on a sheet of its own."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from lib.spreadsheets import append_row

from . import services

MONEY_FORMAT = '"¥"#,##0.00;-"¥"#,##0.00'
# How a chart table's column of each kind is formatted (text and counts as they are).
FORMATS = {"money": MONEY_FORMAT, "percent": '0.0"%"', "days": "0.0", "rating": "0.00"}


def workbook(report, tables=(), preface=()):
    """The report as .xlsx bytes: a title, the sentence, then one row per figure with the total
    and each sub-unit in columns, then a sheet per chart table. Amounts are numbers formatted
    as yuan, so they add up. `preface`: rows written above the title (the monthly report's)."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Figures")[:31]
    for line in preface:
        append_row(sheet, line)
    append_row(sheet, [report.unit.name, f"{report.start:%Y-%m-%d} – {report.end:%Y-%m-%d}"])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    append_row(sheet, [report.sentence])
    append_row(sheet, [])
    append_row(sheet, ["", _("Total"), *(heading for heading, _f in report.columns)])
    for _key, label, kind, values in services.table(report):
        append_row(sheet, [label, *values])
        if kind == "money":
            for column in range(2, len(values) + 2):
                sheet.cell(sheet.max_row, column).number_format = MONEY_FORMAT
    sheet.column_dimensions["A"].width = 48
    for table in tables:
        _table_sheet(book, table)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _table_sheet(book, table):
    sheet = book.create_sheet(table.title[:31])
    append_row(sheet, table.headings)
    sheet.freeze_panes = "A2"
    for row in table.rows:
        append_row(sheet, row)
        for column, kind in enumerate(table.kinds, start=1):
            if kind in FORMATS:
                sheet.cell(sheet.max_row, column).number_format = FORMATS[kind]
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 24
