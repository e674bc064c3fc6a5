from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework import access
from casework.models import Enterprise, OrgUnit, Petition, Status

from . import absences, services

_ANY = [("", "—")]


class TaskFilterForm(forms.Form):
    """The filters of the task pages; each reads the task's petition."""

    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=_ANY + Petition.Category.choices
    )
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"),
        required=False,
        queryset=Enterprise.objects.none(),
        empty_label="—",
    )
    is_group = forms.TypedChoiceField(
        label=_("Group petition"),
        required=False,
        choices=_ANY + [("true", _("Yes")), ("false", _("No"))],
        coerce=lambda value: value == "true",
        empty_value=None,
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_ANY + Status.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = access.enterprises_visible_to(user)

    def condition(self):
        """The filter as a Q on tasks; matches nothing while the form is invalid."""
        if not self.is_valid():
            return Q(pk__in=[])
        data, q = self.cleaned_data, Q()
        if data["category"]:
            q &= Q(petition__category=data["category"])
        if data["enterprise"]:
            q &= Q(petition__enterprise=data["enterprise"])
        if data["is_group"] is not None:
            q &= Q(petition__is_group=data["is_group"])
        if data["status"]:
            q &= Q(petition__status=data["status"])
        return q


class ReassignForm(forms.Form):
    """A supervisor moves a task: to whom, and why."""

    to_user = forms.ModelChoiceField(label=_("Give to"), queryset=None)
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = services.users_who_may_take(task)


# Deadlines: the extension's request and decision (the case page shows both).


class ExtensionRequestForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when refusing."),
    )


class TransferForm(forms.Form):
    """Hand the petition to another unit: up to the federation, across to another zone union,
    down to a grid area."""

    to_unit = forms.ModelChoiceField(
        label=_("Transfer to"), queryset=OrgUnit.objects.none(), empty_label="—"
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, petition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = OrgUnit.objects.exclude(pk=petition.org_unit_id).order_by(
            "path"
        )


class TransferReturnForm(forms.Form):
    reason = forms.CharField(label=_("Why it is sent back"), widget=forms.Textarea({"rows": 2}))


# Complexity tiers, leave and recusals.


class TierForm(forms.Form):
    """A tier changed by hand: to which, why, and the tier the person saw (`current`)."""

    tier = forms.ChoiceField(label=_("Complexity tier"), choices=Petition.Tier.choices)
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    current = forms.ChoiceField(choices=Petition.Tier.choices, widget=forms.HiddenInput)


class AbsenceForm(forms.Form):
    mediator = forms.ModelChoiceField(label=_("Mediator"), queryset=None, to_field_name="username")
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = absences.mediators_under(user)


class RecusalForm(forms.Form):
    mediator = forms.ModelChoiceField(label=_("Mediator"), queryset=None, to_field_name="username")
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=None)
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = absences.mediators_under(user)
        self.fields["enterprise"].queryset = absences.enterprises_under(user)
