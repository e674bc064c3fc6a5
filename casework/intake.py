"""Worker lists for the intake page: typed, pasted or uploaded (CSV, Excel), and the page's forms.

The parsers are pure: they turn text or a file into numbered row dicts in the shape
`services.record_petition` takes (the keys of `WorkerRowForm`) plus errors with line numbers,
so a clerk can fix "line 37" in the spreadsheet instead of hunting for it.
"""

import csv
import functools
import io
import re
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.roles import INTAKE_ROLES
from lib import validators
from lib.spreadsheets import (
    SheetTooLarge,
    UnreadableWorkbook,
    cell_text,
    csv_records,
    decode,
    normalize,
    split_line,
    xlsx_records,
)

from . import access
from .evidence import EvidenceFormMixin, StaffEvidenceMixin
from .forms import WorkerRowForm
from .models import Enterprise, Petition

COLUMNS = ("name", "id_number", "phone", "claimed_amount", "non_local", "is_representative")
_BOOLEAN_COLUMNS = {"non_local", "is_representative"}

# Header cells a spreadsheet may use besides the page's own labels (see `_header_lookup`),
# compared after lower-casing and removing spaces/underscores.
_HEADERS = {
    "name": {"name", "姓名", "职工姓名", "名字", "workername"},
    "id_number": {
        "idnumber",
        "id",
        "idno",
        "idcard",
        "residentidnumber",
        "身份证",
        "身份证号",
        "身份证号码",
        "公民身份号码",
        "身份证件号码",
    },
    "phone": {
        "phone",
        "mobile",
        "tel",
        "telephone",
        "电话",
        "手机",
        "手机号",
        "手机号码",
        "联系电话",
    },
    "claimed_amount": {
        "claimedamount",
        "amount",
        "claim",
        "claimedamount(yuan)",
        "claimed(yuan)",
        "金额",
        "诉求金额",
        "欠薪金额",
        "主张金额",
        "欠薪金额(元)",
        "金额(元)",
        "诉求金额(元)",
    },
    "non_local": {
        "nonlocal",
        "non-local",
        "外地",
        "非本地",
        "是否外地",
        "外地户籍",
        "是否外地户籍",
    },
    "is_representative": {
        "representative",
        "isrepresentative",
        "rep",
        "代表",
        "是否代表",
        "职工代表",
    },
}
# A row-number column (the intake table's "#"): read as a heading, its cells are not kept.
_ROW_NUMBER_HEADERS = {"#", "序号", "no", "no."}
# The help text's hint after a yes/no heading: "外地职工（是/否）".
_YES_NO_HINTS = ("(是/否)", "(yes/no)")
_TRUE = {"是", "1", "yes", "y", "true", "√", "✓"}
_FALSE = {"否", "0", "no", "n", "false", "×", ""}

MAX_ROWS = 2000
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A worker list's sheet: its six columns and some the clerk keeps beside them (a row number,
# notes), and its rows with room for blank ones. Spreadsheet sizes count empty cells and rows
# too, so a sheet is read within these bounds whatever size it declares.
MAX_SHEET_COLUMNS = 30
MAX_SHEET_LINES = 2 * MAX_ROWS + 1


@dataclass
class Parsed:
    """Rows as (line number, row dict) and errors as (line number, message)."""

    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    last_line: int = 0

    def extend(self, other):
        self.rows.extend(other.rows)
        self.errors.extend(other.errors)


# An ID number that went through a number cell: a number from Excel, or its CSV text (4.40524E+17).
_NUMBER_TEXT_RE = re.compile(r"^[0-9]+(\.[0-9]*)?E\+?[0-9]+$", re.IGNORECASE)


def _number_cell_error(cell, id_number, line):
    """The message for an ID number that a number cell has cut short, or None."""
    was_number = isinstance(cell, int | float) or _NUMBER_TEXT_RE.match(id_number)
    if not was_number:
        return None
    try:
        validators.validate_id_number(id_number)
    except ValidationError:
        return gettext(
            "line %(line)d: the ID number is stored as a number, which loses its last digits; "
            "format the ID number column as text and type the numbers again."
        ) % {"line": line}
    return None


def _header_key(cell):
    # NFKC has already folded full-width brackets: "金额（元）" reads as "金额(元)".
    key = normalize(cell).lower().replace(" ", "").replace("_", "")
    for hint in _YES_NO_HINTS:
        key = key.removesuffix(hint)
    return key


@functools.cache
def _header_lookup():
    """Heading key -> column: the aliases, and the intake table's headings (the labels of
    `WorkerRowForm`) in every language of the site, so a list headed as the page reads."""
    lookup = {alias: column for column, aliases in _HEADERS.items() for alias in aliases}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for column, formfield in WorkerRowForm.base_fields.items():
                lookup[_header_key(formfield.label)] = column
    return lookup


def _header_columns(cells):
    """The column for each cell if `cells` is a header row (else None), and the headings that
    name no column."""
    keys = [_header_key(cell) for cell in cells]
    columns = [_header_lookup().get(key) for key in keys]
    if "name" not in columns and "id_number" not in columns:
        return None, []
    unknown = [
        normalize(cell)
        for cell, key, column in zip(cells, keys, columns, strict=True)
        if key and column is None and key not in _ROW_NUMBER_HEADERS
    ]
    return columns, unknown


def _to_bool(value):
    key = normalize(value).lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(key)


def _row_from_cells(cells, columns, line):
    """A row dict from one line's cells, or an error message."""
    if columns is None:
        if len(cells) > len(COLUMNS):
            return None, gettext("line %(line)d: %(count)d columns, expected at most %(max)d.") % {
                "line": line,
                "count": len(cells),
                "max": len(COLUMNS),
            }
        columns = COLUMNS
    row, id_cell = dict.fromkeys(COLUMNS, ""), ""
    for column, cell in zip(columns, cells, strict=False):
        if column is not None:
            row[column] = normalize(cell_text(cell))
            id_cell = cell if column == "id_number" else id_cell
    row["name"] = " ".join(row["name"].split())
    row["id_number"] = row["id_number"].lstrip("'").replace(" ", "").upper()
    error = _number_cell_error(id_cell, row["id_number"], line)
    if error:
        return None, error
    row["phone"] = row["phone"].lstrip("'").replace(" ", "")
    amount = row["claimed_amount"]
    row["claimed_amount"] = amount.replace("¥", "").replace("元", "").replace(",", "")
    for column in _BOOLEAN_COLUMNS:
        try:
            row[column] = _to_bool(row[column])
        except ValueError:
            return None, gettext("line %(line)d: “%(value)s” is not yes or no (是/否).") % {
                "line": line,
                "value": row[column],
            }
    return row, None


def parse_records(records):
    """Parse (line number, cells) pairs; the first non-empty one may be a header row."""
    parsed = Parsed()
    try:
        _read_records(records, parsed)
    except csv.Error:
        # The csv module refuses a cell over its size limit or an unclosed quote, in the record
        # after the last one it gave.
        line = parsed.last_line + 1
        parsed.errors.append(
            (line, gettext("line %(line)d: a cell is too long or a quote is not closed.")
             % {"line": line})
        )  # fmt: skip
    return parsed


def _read_records(records, parsed):
    """Fill `parsed` from the records, up to a header that cannot be read or MAX_ROWS rows."""
    columns, first = None, True
    for line, cells in records:
        parsed.last_line = line
        cells = ["" if cell is None else cell for cell in cells]
        if not any(normalize(cell) for cell in cells):
            continue
        if first:
            first = False
            columns, unknown = _header_columns(cells)
            if unknown:
                headings = ", ".join(f"“{heading}”" for heading in unknown)
                parsed.errors.append(
                    (line, gettext("line %(line)d: unknown column headings %(headings)s; use the "
                                   "headings of the intake table.")
                     % {"line": line, "headings": headings})
                )  # fmt: skip
                return
            if columns is not None:
                if "id_number" not in columns or "name" not in columns:
                    parsed.errors.append(
                        (line, gettext("line %(line)d: the header needs a name and an ID number "
                                       "column.") % {"line": line})
                    )  # fmt: skip
                    return
                continue
        if len(parsed.rows) >= MAX_ROWS:
            parsed.errors.append(
                (line, gettext("More than %(max)d workers: split the list.") % {"max": MAX_ROWS})
            )
            return
        row, error = _row_from_cells(cells, columns, line)
        if error:
            parsed.errors.append((line, error))
        else:
            parsed.rows.append((line, row))


def parse_text(text):
    """Rows pasted into a text box: tab-separated (from a spreadsheet) or comma-separated."""
    lines = (text or "").splitlines()
    return parse_records((n, split_line(line)) for n, line in enumerate(lines, start=1))


def parse_csv(data):
    text = decode(data)
    if text is None:
        return Parsed(errors=[(1, gettext("The file is neither UTF-8 nor GBK text."))])
    return parse_records(csv_records(text))


def _sheet_too_large(line):
    return Parsed(
        errors=[
            (line, gettext("line %(line)d: a worker list has at most %(lines)d lines and "
                           "%(columns)d columns; copy the list alone into a new sheet.")
             % {"line": line, "lines": MAX_SHEET_LINES, "columns": MAX_SHEET_COLUMNS})
        ]
    )  # fmt: skip


def parse_xlsx(data):
    try:
        records = xlsx_records(data, max_lines=MAX_SHEET_LINES, max_columns=MAX_SHEET_COLUMNS)
    except UnreadableWorkbook:
        return Parsed(errors=[(1, gettext("The file could not be read as an Excel workbook."))])
    except SheetTooLarge as err:
        return _sheet_too_large(err.line)
    return parse_records(records)


def parse_upload(upload):
    """A CSV or .xlsx upload with the same columns as the paste box."""
    name = (upload.name or "").lower()
    if upload.size > MAX_UPLOAD_BYTES:
        return Parsed(errors=[(1, gettext("The file is larger than 5 MB."))])
    data = upload.read()
    if name.endswith(".xlsx"):
        return parse_xlsx(data)
    if name.endswith((".csv", ".txt", ".tsv")):
        return parse_csv(data)
    return Parsed(errors=[(1, gettext("Upload a .csv or .xlsx file."))])


def check_rows(parsed, source):
    """Validate parsed rows with WorkerRowForm.

    Returns [(label, cleaned row)] and messages, in line order, naming the source and line.
    """
    cleaned, errors = [], []
    for line, message in parsed.errors:
        errors.append(
            (line, gettext("%(source)s, %(message)s") % {"source": source, "message": message})
        )
    for line, row in parsed.rows:
        where = gettext("%(source)s, line %(line)d") % {"source": source, "line": line}
        form = WorkerRowForm(data=row)
        if form.is_valid():
            cleaned.append((where, form.cleaned_data))
            continue
        for name, field_errors in form.errors.items():
            for message in field_errors:
                params = {"where": where, "field": form.fields[name].label, "message": message}
                errors.append((line, gettext("%(where)s: %(field)s: %(message)s") % params))
    return cleaned, [message for _line, message in sorted(errors, key=lambda e: e[0])]


def rows_to_text(rows):
    """Cleaned rows as tab-separated text with a header, parseable again by `parse_text`.

    Carries rows through a page round trip (a repeat petition, a form error) without re-upload.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(
            [
                row["name"],
                row["id_number"],
                row.get("phone") or "",
                row.get("claimed_amount") or "0",
                "1" if row.get("non_local") else "0",
                "1" if row.get("is_representative") else "0",
            ]
        )
    return out.getvalue()


# The page forms.


class TypedWorkerRowForm(WorkerRowForm):
    """A worker row typed into the intake table: labels come from the table head."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, formfield in self.fields.items():
            formfield.widget.attrs.update({"aria-label": formfield.label, "class": f"w-{name}"})
        self.fields["id_number"].widget.attrs.update({"autocomplete": "off", "maxlength": 18})
        self.fields["phone"].widget.attrs["inputmode"] = "tel"
        self.fields["claimed_amount"].widget.attrs["step"] = "0.01"


class WorkerListMixin:
    """Collects a form's workers from its paste box and its upload (or the upload's rows kept
    from the previous post, so a page shown again after an error needs no re-upload)."""

    def _collect_lists(self):
        labelled, errors = check_rows(
            parse_text(self.cleaned_data.get("workers_text")), gettext("Pasted list")
        )
        upload = self.cleaned_data.get("upload")
        self.kept_upload = ("", "")
        if upload:
            source = gettext("File %(name)s") % {"name": upload.name}
            rows, file_errors = check_rows(parse_upload(upload), source)
            if not file_errors:
                self.kept_upload = (rows_to_text([row for _label, row in rows]), upload.name)
        else:
            kept, name = self.cleaned_data.get("carried"), self.cleaned_data.get("carried_name")
            source = gettext("File %(name)s") % {"name": name}
            rows, file_errors = check_rows(parse_text(kept), source)
            if kept and not file_errors:
                self.kept_upload = (kept, name)
        return labelled + rows, errors + file_errors


def _check_duplicates(labelled_rows):
    seen, errors = {}, []
    for label, row in labelled_rows:
        first = seen.setdefault(row["id_number"], label)
        if first != label:
            errors.append(
                gettext("%(label)s: this worker is already listed (%(first)s).")
                % {"label": label, "first": first}
            )
    return errors


class IntakeForm(StaffEvidenceMixin, WorkerListMixin, forms.Form):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none())
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Petition.Channel.choices, initial=Petition.Channel.VISIT
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=Petition.Category.choices,
        initial=Petition.Category.REMUNERATION,
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=Petition.Priority.choices,
        coerce=int,
        initial=Petition.Priority.NORMAL,
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        initial=timezone.now,
        validators=[validators.validate_received_at],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    owner_missing = forms.BooleanField(label=_("Owner missing"), required=False)
    description = forms.CharField(
        label=_("What the workers say"), widget=forms.Textarea(attrs={"rows": 3})
    )
    workers_text = forms.CharField(
        label=_("Paste many workers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        help_text=_(
            "One worker a line, tab- or comma-separated: name, ID number, phone, claimed amount, "
            "non-local (是/否), representative (是/否). A header row is recognised and skipped."
        ),
    )
    upload = forms.FileField(
        label=_("Or upload a CSV or Excel file"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
        help_text=_(
            "The same columns; the first sheet of an .xlsx file, or CSV saved as UTF-8 or GBK. "
            "Keep ID numbers as text cells."
        ),
    )
    carried = forms.CharField(required=False, widget=forms.HiddenInput)
    carried_name = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, typed_rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.typed_rows = typed_rows
        units = access.units_where(user, INTAKE_ROLES)
        self.fields["enterprise"].queryset = Enterprise.objects.filter(
            grid_area__in=units
        ).select_related("grid_area")
        self.fields["enterprise"].label_from_instance = lambda e: f"{e.name} · {e.grid_area.name}"
        self.workers = []
        self.worker_errors = []
        self.add_staff_evidence_fields()

    def clean(self):
        super().clean()
        self.clean_evidence()
        typed = [
            (gettext("Row %(n)d") % {"n": n}, form.cleaned_data)
            for n, form in enumerate(self.typed_rows.forms, start=1)
            if form.is_valid() and form.has_changed()
        ]
        listed, self.worker_errors = self._collect_lists()
        labelled = typed + listed
        self.worker_errors += _check_duplicates(labelled)
        if not labelled and not self.worker_errors and self.typed_rows.is_valid():
            self.worker_errors.append(gettext("List at least one worker."))
        if self.worker_errors or not self.typed_rows.is_valid():
            raise ValidationError(_("Some workers need correcting; see below."))
        self.workers = [row for _label, row in labelled]
        return self.cleaned_data

    def record_kwargs(self):
        data = self.cleaned_data
        keys = ("enterprise", "channel", "category", "description", "received_at", "priority")
        return {
            **{key: data[key] for key in keys},
            "owner_missing": data["owner_missing"],
            "workers": self.workers,
        }


class LinkFactsForm(EvidenceFormMixin, WorkerListMixin, forms.Form):
    """New facts for an open petition: what is new, and any workers who joined (and evidence
    files kept from an intake form that found the petition a repeat)."""

    description = forms.CharField(label=_("What is new"), widget=forms.Textarea(attrs={"rows": 2}))
    workers_text = forms.CharField(
        label=_("Workers to add (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_("Same columns as at intake; workers already on the petition are skipped."),
    )
    upload = forms.FileField(
        label=_("Or upload a CSV or Excel file"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )
    carried = forms.CharField(required=False, widget=forms.HiddenInput)
    carried_name = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_evidence_fields(kinds=[])

    def clean(self):
        super().clean()
        self.clean_evidence()
        labelled, self.worker_errors = self._collect_lists()
        self.worker_errors += _check_duplicates(labelled)
        if self.worker_errors:
            raise ValidationError(self.worker_errors)
        self.workers = [row for _label, row in labelled]
        return self.cleaned_data
