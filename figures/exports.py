"""The figures as the workbook a federation sends upward: the same rows as the page."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from lib.spreadsheets import append_row

from . import services

MONEY_FORMAT = '"¥"#,##0.00;-"¥"#,##0.00'


def workbook(report):
    """The report as .xlsx bytes: a title, the sentence, then one row per figure with the total
    and each sub-unit in columns. Amounts are numbers formatted as yuan, so they add up."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Figures")[:31]
    append_row(sheet, [report.unit.name, f"{report.start:%Y-%m-%d} – {report.end:%Y-%m-%d}"])
    sheet["A1"].font = Font(bold=True)
    append_row(sheet, [report.sentence])
    append_row(sheet, [])
    append_row(sheet, ["", _("Total"), *(heading for heading, _f in report.columns)])
    for _key, label, kind, values in services.table(report):
        append_row(sheet, [label, *values])
        if kind == "money":
            for column in range(2, len(values) + 2):
                sheet.cell(sheet.max_row, column).number_format = MONEY_FORMAT
    sheet.column_dimensions["A"].width = 48
    out = BytesIO()
    book.save(out)
    return out.getvalue()
