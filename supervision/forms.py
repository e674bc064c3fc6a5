from django import forms
from django.utils.translation import gettext_lazy as _

from casework.models import OrgUnit

from . import services
from .models import Reply, SupervisionOrder

DATE_FORMAT = "%Y-%m-%d"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class IssueForm(forms.Form):
    issuing_unit = UnitChoiceField(
        label=_("In the name of"), queryset=OrgUnit.objects.none(), empty_label=None
    )
    requirement = forms.CharField(
        label=_("What is required"),
        max_length=SupervisionOrder._meta.get_field("requirement").max_length,
        widget=forms.Textarea({"rows": 3}),
    )
    due_on = forms.DateField(
        label=_("Reply due by"),
        input_formats=[DATE_FORMAT],
        widget=forms.DateInput({"type": "date"}, format=DATE_FORMAT),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuing_unit"].queryset = OrgUnit.objects.filter(
            pk__in=[unit.pk for unit in units]
        ).order_by("-path")
        self.fields["due_on"].initial = services.default_due()


class ReplyForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of reply"), choices=Reply.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Reply"),
        max_length=Reply._meta.get_field("text").max_length,
        widget=forms.Textarea({"rows": 3}),
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for closing"),
        required=False,
        max_length=SupervisionOrder._meta.get_field("close_reason").max_length,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("Needed only when no result has been reported."),
    )


class ListForm(forms.Form):
    """The list's filters, from the query string."""

    SIDES = [("handled", _("Handled by us")), ("issued", _("Issued by us"))]
    STATES = [("open", _("Open")), ("closed", _("Closed")), ("all", _("All"))]

    side = forms.ChoiceField(label=_("Orders"), choices=SIDES, required=False)
    state = forms.ChoiceField(label=_("State"), choices=STATES, required=False)
