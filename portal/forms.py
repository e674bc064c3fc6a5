from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.evidence import EvidenceFormMixin
from casework.forms import WorkerRowForm
from casework.intake import check_rows, parse_text
from casework.models import Enterprise, OrgUnit
from lib import validators

from . import services


class LookupForm(forms.Form):
    number = forms.CharField(
        label=_("Case number"),
        max_length=40,
        widget=forms.TextInput({"autocomplete": "off", "autocapitalize": "characters"}),
        help_text=_("As on your acceptance notice or text message, e.g. JS-2026-000123."),
    )
    key = forms.CharField(
        label=_("Phone number or query code"),
        max_length=40,
        widget=forms.TextInput({"autocomplete": "off", "autocapitalize": "characters"}),
        help_text=_("The phone number you gave when filing, or the query code on your notice."),
    )


class GridAreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        zone = unit.parent.name if unit.parent_id else ""
        return f"{zone} · {unit.name}" if zone else unit.name


class FilingForm(EvidenceFormMixin, forms.Form):
    """A petition filed by a worker on their phone: who they are, whom they work for, what is
    owed, their co-workers, and evidence."""

    FILER_FIELDS = ("name", "id_number", "phone", "claimed_amount", "non_local")

    as_representative = forms.TypedChoiceField(
        label=_("I am filing"),
        choices=[
            ("", _("for myself")),
            ("1", _("as a representative of my co-workers")),
        ],
        coerce=bool,
        empty_value=False,
        required=False,
        widget=forms.RadioSelect,
    )
    employer_query = forms.CharField(
        label=_("Employer's name or credit code"),
        max_length=200,
        required=False,
        help_text=_("Type part of the name and press Find, then choose it from the list."),
    )
    employer = forms.ModelChoiceField(
        label=_("Employer"),
        queryset=Enterprise.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
    )
    employer_name = forms.CharField(
        label=_("Employer's name (not in the list)"), max_length=200, required=False
    )
    employer_credit_code = forms.CharField(
        label=_("Its unified social credit code, if you know it"),
        max_length=18,
        required=False,
        validators=[validators.validate_credit_code],
    )
    grid_area = GridAreaChoiceField(
        label=_("Where the work is (district and street)"),
        queryset=OrgUnit.objects.filter(kind=OrgUnit.Kind.GRID)
        .select_related("parent")
        .order_by("path"),
        required=False,
    )
    site = forms.CharField(label=_("Project or work site"), max_length=200, required=False)
    owed_since = forms.DateField(
        label=_("Wages owed since"),
        required=False,
        widget=forms.DateInput({"type": "date"}),
    )
    description = forms.CharField(
        label=_("What happened"),
        max_length=4000,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("What is owed, for which months, what the employer said."),
    )
    coworkers_text = forms.CharField(
        label=_("Co-workers owed wages too"),
        required=False,
        widget=forms.Textarea({"rows": 4, "spellcheck": "false"}),
        help_text=_(
            "One a line: name, ID number, phone, amount owed (yuan), separated by commas or "
            "spaces. You can paste a list."
        ),
    )

    electronic_delivery = forms.BooleanField(
        label=_("Send my documents to my look-up page instead of on paper"),
        required=False,
        help_text=_("Opening a document there counts as receiving it. You can change this later."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The filer's own row: the same fields and checks as a clerk's worker row.
        row = WorkerRowForm()
        for name in self.FILER_FIELDS:
            self.fields[f"filer_{name}"] = row.fields[name]
        self.fields["filer_phone"].required = True
        self.fields["filer_phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["filer_id_number"].widget.attrs.update({"autocomplete": "off"})
        self.fields["filer_claimed_amount"].label = _("Amount owed to me (yuan)")
        self.add_evidence_fields()
        self.matches = []
        query = self.data.get("employer_query", "").strip()
        if query:
            self.matches = services.employers_matching(query)
        chosen = self.data.get("employer")
        self.fields["employer"].queryset = Enterprise.objects.filter(
            pk__in=[e.pk for e in self.matches] + ([chosen] if str(chosen).isdigit() else [])
        )
        self.coworkers = []

    def clean(self):
        super().clean()
        self.clean_evidence()
        data = self.cleaned_data
        if not data.get("employer"):
            if not data.get("employer_name", "").strip():
                self.add_error(
                    "employer_name",
                    gettext("Choose your employer from the list, or type its name."),
                )
            if not data.get("grid_area"):
                self.add_error("grid_area", gettext("Say where the work is."))
        rows, errors = check_rows(parse_text(data.get("coworkers_text")), gettext("Co-workers"))
        for message in errors:
            self.add_error("coworkers_text", message)
        self.coworkers = [row for _label, row in rows]
        return data

    def filer_row(self):
        data = self.cleaned_data
        row = {name: data[f"filer_{name}"] for name in self.FILER_FIELDS}
        row["is_representative"] = bool(data.get("as_representative"))
        return row

    def employer_details(self):
        data = self.cleaned_data
        return {
            "enterprise": data.get("employer"),
            "name": data.get("employer_name", "").strip(),
            "credit_code": validators.normalize_code(data.get("employer_credit_code", "")),
            "grid_area": data.get("grid_area"),
        }

    def petition_description(self):
        data = self.cleaned_data
        parts = []
        if data.get("site"):
            parts.append(gettext("Project or work site: %(site)s") % {"site": data["site"]})
        if data.get("owed_since"):
            parts.append(
                gettext("Wages owed since %(date)s") % {"date": data["owed_since"].isoformat()}
            )
        parts.append(data["description"].strip())
        return "\n".join(parts)
