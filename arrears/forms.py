"""Forms of the monthly-report pages. They parse what people type, with the model's own fields;
who may file, for which month, and what a report of unpaid wages must say is checked by
`arrears.services`."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MonthlyReport
from .services import REPORT_FIELDS


class MonthField(forms.DateField):
    """A month as the browser's month input sends it (2026-11): its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m"]

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Month"))
        kwargs.setdefault("error_messages", {"invalid": _("Enter a month as 2026-11.")})
        super().__init__(input_formats=self.input_formats, **kwargs)

    def prepare_value(self, value):
        """As the browser sends it back, whichever widget shows it (a hidden one too)."""
        if isinstance(value, datetime.date):
            return value.strftime("%Y-%m")
        return value


class MonthForm(forms.Form):
    month = MonthField(required=False)


class ZeroReportForm(forms.Form):
    month = MonthField(widget=forms.HiddenInput)


class ReportForm(forms.Form):
    month = MonthField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in REPORT_FIELDS:
            self.fields[name] = MonthlyReport._meta.get_field(name).formfield()
        self.fields["note"].widget = forms.Textarea({"rows": 2})

    def report_data(self):
        return {name: self.cleaned_data[name] for name in REPORT_FIELDS}
