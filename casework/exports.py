"""Spreadsheet exports: every row the project writes to a workbook goes through `append_row`, so
that text someone typed (a payment reference, a name) is never run as a formula by Excel."""

# Text beginning with one of these is taken for a formula (or a DDE call) by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def append_row(sheet, values):
    """Append `values` to the openpyxl `sheet`: numbers stay numbers; text is written as text
    (never a formula or an error code), marked so that editing it in Excel keeps it text."""
    sheet.append(values)
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            cell = sheet.cell(sheet.max_row, column)
            cell.data_type = "s"
            if value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True
