from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fund.reports import FIRST_DAY, LAST_DAY

PERIOD = [MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)]


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # Indented by depth, so that the list reads as the tree.
        return "\u2003" * (obj.path.count("/") - 1) + obj.name


class PeriodForm(forms.Form):
    """Which unit, and which days: the quick links fill start and end for this month or year."""

    unit = UnitChoiceField(label=_("Unit"), queryset=None, empty_label=None)
    start = forms.DateField(
        label=pgettext_lazy("period", "From"),
        widget=forms.DateInput({"type": "date"}),
        validators=PERIOD,
    )
    end = forms.DateField(
        label=pgettext_lazy("period", "To"),
        widget=forms.DateInput({"type": "date"}),
        validators=PERIOD,
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end comes before the start."))
        return data
