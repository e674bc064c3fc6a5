"""The monthly report (月报) of a unit: the statistics page's figures for one calendar month,
the sentence, the sub-units side by side and the charts' tables, under the names of the unit and
the units above it, with the month and the day it was generated. Nothing is counted here: the
figures are `services.unit_figures` and the tables `charts.charts_for`, as on the page."""

import datetime
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arrears import services as arrears
from arrears.forms import MonthField as ArrearsMonthField
from casework.models import OrgUnit

from . import charts, services
from .forms import UnitChoiceField


def last_month(today=None):
    """The month before `today`'s, as YYYY-MM: the month a report is usually made for."""
    return f"{arrears.last_month(today or timezone.localdate()):%Y-%m}"


def month_bounds(first):
    """The first and last day of the month that begins on `first`."""
    return first, arrears.add_months(first, 1) - datetime.timedelta(days=1)


class MonthField(ArrearsMonthField):
    """A month as YYYY-MM (what `<input type="month">` sends), cleaned to its first day; a month
    after this one has no figures yet and is refused."""

    default_error_messages = {"invalid": _("Give the month as YYYY-MM.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", self.default_error_messages)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and value > timezone.localdate():
            raise ValidationError(_("This month has not begun yet."), code="future")


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
