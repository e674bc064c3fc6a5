from html import escape

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fund.reports import FIRST_DAY, LAST_DAY

PERIOD = [MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)]


class UnitSelect(forms.Select):
    """The select of units, its options written in one pass: a federation has hundreds of
    units, which the per-option widget templates take tens of milliseconds on."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = "".join(
            f'<option value="{escape(str(v))}"{" selected" if str(v) in chosen else ""}>'
            f"{escape(str(label))}</option>"
            for v, label in self.choices
        )
        attrs = flatatt(self.build_attrs(self.attrs, {**(attrs or {}), "name": name}))
        return mark_safe(f"<select{attrs}>{options}</select>")


class UnitChoiceField(forms.ModelChoiceField):
    widget = UnitSelect

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
