"""Spreadsheets in and out, with no knowledge of what the rows mean.

In: pasted text, CSV and .xlsx files as (line number, cells), read within bounds whatever size a
file declares. Out: every row the project writes to a workbook goes through `append_row`, so that
text someone typed (a payment reference, a name) is never run as a formula by Excel."""

import csv
import io
import unicodedata
from decimal import Decimal

# Text beginning with one of these is taken for a formula (or a DDE call) by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class UnreadableWorkbook(Exception):
    """The file is not an .xlsx workbook openpyxl can read."""


class SheetTooLarge(Exception):
    """The sheet has a cell beyond the column bound or a row beyond the line bound."""

    def __init__(self, line):
        super().__init__(line)
        self.line = line


def normalize(value):
    # NFKC folds full-width digits, letters and commas (common with Chinese input methods).
    return unicodedata.normalize("NFKC", str(value)).strip()


def split_line(line):
    """One pasted line's cells: tab-separated (from a spreadsheet) or comma-separated."""
    line = normalize(line)
    delimiter = "\t" if "\t" in line else ","
    return next(csv.reader([line], delimiter=delimiter), [])


def decode(data):
    """The text of a CSV file's bytes, or None if it is neither UTF-8 nor GBK."""
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK.
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def csv_records(text):
    """(line, cells) of CSV text, tab- or comma-separated as its first line is."""
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return ((reader.line_num, cells) for cells in reader)


def cell_text(value):
    """A workbook cell's value as the text a person typed."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        # Amounts typed as numbers; ID numbers must be text cells (a number loses digits).
        return format(Decimal(repr(value)).normalize(), "f")
    return value


def xlsx_records(data, *, max_lines, max_columns):
    """(line, cells) of the first sheet of an .xlsx file: its rows as stored, at most `max_lines`
    of them with `max_columns` cells each. Raises UnreadableWorkbook, or SheetTooLarge before a
    cell is read if the sheet declares a larger size, or at the first row or cell beyond them."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged or foreign file
        raise UnreadableWorkbook from err
    try:
        sheet = book.worksheets[0]
        if (sheet.max_row or 0) > max_lines or (sheet.max_column or 0) > max_columns:
            raise SheetTooLarge(1)
        sheet.reset_dimensions()  # rows as stored: not padded to the declared width and height
        records = []
        # One cell beyond the bound is read: a value in it refuses the sheet.
        rows = sheet.iter_rows(max_col=max_columns + 1, values_only=True)
        for n, cells in enumerate(rows, start=1):
            if n > max_lines or cells[max_columns] is not None:
                raise SheetTooLarge(n)
            records.append((n, list(cells[:max_columns])))
        return records
    finally:
        book.close()


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
