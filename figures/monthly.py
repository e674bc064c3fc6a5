"""The monthly report (月报) of a unit: the statistics page's figures for one calendar month,
the sentence, the sub-units side by side and the charts' tables, under the names of the unit and
the units above it, with the month and the day it was generated. Nothing is counted here: the
figures are `services.unit_figures` and the tables `charts.charts_for`, as on the page."""

import datetime
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import OrgUnit

from . import charts, services
from .forms import UnitChoiceField

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def last_month(today=None):
    """The month before `today`'s, as YYYY-MM: the month a report is usually made for."""
    first = (today or timezone.localdate()).replace(day=1)
    return f"{first - datetime.timedelta(days=1):%Y-%m}"


def month_bounds(first):
    """The first and last day of the month that begins on `first`."""
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


class MonthField(forms.Field):
    """A month as YYYY-MM (what `<input type="month">` sends), cleaned to its first day; a month
    after this one has no figures yet and is refused."""

    widget = forms.TextInput(attrs={"type": "month", "pattern": r"\d{4}-\d{2}"})

    def to_python(self, value):
        value = str(value or "").strip()
        if not value:
            return None
        match = MONTH.match(value)
        try:
            first = datetime.date(int(match[1]), int(match[2]), 1) if match else None
        except ValueError:
            first = None
        if first is None or first.year < 1:
            raise ValidationError(_("Give the month as YYYY-MM."), code="invalid")
        if first > timezone.localdate():
            raise ValidationError(_("This month has not begun yet."), code="future")
        return first


class MonthForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=None, empty_label=None)
    month = MonthField(label=_("Month"))
    measure = charts.ChartsForm.base_fields["measure"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_measure(self):
        return self.cleaned_data["measure"] or charts.DEFAULT_MEASURE


@dataclass
class Monthly:
    report: object  # services.Report of the month
    charts: charts.Charts
    names: list  # the unit's name and those above it, the federation first
    month: datetime.date  # its first day
    generated: datetime.datetime

    @property
    def title(self):
        return _("Monthly report %(month)s") % {"month": f"{self.month:%Y-%m}"}

    @property
    def above(self):
        """The units above the report's, the federation first."""
        return " · ".join(self.names[:-1])

    @property
    def generated_line(self):
        return _("Generated on %(day)s") % {"day": f"{self.generated:%Y-%m-%d %H:%M}"}

    @property
    def rows(self):
        return services.table(self.report)


def monthly_report(unit, month, measure=charts.DEFAULT_MEASURE, now=None):
    """The Monthly of `unit` for the month beginning on `month`."""
    now = now or timezone.now()
    start, end = month_bounds(month)
    report = services.unit_figures(unit, start, end)
    names = list(
        OrgUnit.objects.filter(pk__in=unit.ancestor_ids())
        .order_by("path")
        .values_list("name", flat=True)
    )
    return Monthly(
        report, charts.charts_for(report, measure, now), names, month, timezone.localtime(now)
    )


def preface(monthly):
    """The rows above the workbook's title: the units above, the report's title, the day."""
    return [[monthly.above], [monthly.title], [monthly.generated_line]]
