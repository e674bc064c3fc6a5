"""Forms of the escalation pages. They parse what people type; the rules (who, when, how many)
are checked by `escalation.services`."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Department, JobReferral, JobVacancy, TaskForceMember


class EscalateForm(forms.Form):
    note = forms.CharField(
        label=_("Why the committee must take it up"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CoordinationForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    departments = forms.MultipleChoiceField(
        label=_("Departments convened"),
        choices=Department.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    decisions = forms.CharField(
        label=_("Decisions taken"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()


class TaskForceForm(forms.Form):
    """A few rows of name, organization and position; empty rows are skipped."""

    ROWS = 6

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(self.ROWS):
            self.fields[f"name_{i}"] = forms.CharField(
                label=_("Name"), required=False, max_length=50
            )
            self.fields[f"organization_{i}"] = forms.CharField(
                label=_("Organization"), required=False, max_length=100
            )
            self.fields[f"position_{i}"] = forms.ChoiceField(
                label=_("Position"),
                choices=TaskForceMember.Position.choices,
                initial=TaskForceMember.Position.MEMBER,
            )

    def rows(self):
        return [
            (self[f"name_{i}"], self[f"organization_{i}"], self[f"position_{i}"])
            for i in range(self.ROWS)
        ]

    def clean(self):
        data = super().clean()
        for i in range(self.ROWS):
            if data.get(f"name_{i}") and not data.get(f"organization_{i}"):
                self.add_error(f"organization_{i}", _("Say which organization."))
        return data

    def members(self):
        data = self.cleaned_data
        return [
            {
                "name": data[f"name_{i}"],
                "organization": data[f"organization_{i}"],
                "position": data[f"position_{i}"],
            }
            for i in range(self.ROWS)
            if data.get(f"name_{i}")
        ]


class ClaimChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, claim):
        return claim.name


class RepresentativesForm(forms.Form):
    claims = ClaimChoiceField(
        label=_("Representatives"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, petition, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["claims"]
        field.queryset = petition.claims.order_by("name")
        field.help_text = _("At most %(limit)d.") % {
            "limit": settings.CASEWORK["MAX_REPRESENTATIVES"]
        }
        field.initial = [c.pk for c in field.queryset if c.is_representative]


class TravelHomeForm(forms.Form):
    """One destination and cost per non-local worker; a row left without a cost is skipped."""

    def __init__(self, *args, claims, **kwargs):
        super().__init__(*args, **kwargs)
        self.claims = list(claims)
        for claim in self.claims:
            self.fields[f"destination_{claim.pk}"] = forms.CharField(
                label=_("Destination"), required=False, max_length=100
            )
            self.fields[f"amount_{claim.pk}"] = forms.DecimalField(
                label=_("Cost (yuan)"), required=False, min_value=0.01, decimal_places=2
            )

    def rows(self):
        return [
            (claim, self[f"destination_{claim.pk}"], self[f"amount_{claim.pk}"])
            for claim in self.claims
        ]

    def clean(self):
        data = super().clean()
        for claim in self.claims:
            amount, destination = (
                data.get(f"amount_{claim.pk}"),
                data.get(f"destination_{claim.pk}"),
            )
            if amount and not destination:
                self.add_error(f"destination_{claim.pk}", _("Say where to."))
        return data

    def needs(self):
        data = self.cleaned_data
        return [
            {
                "claim": claim,
                "destination": data[f"destination_{claim.pk}"],
                "amount": data[f"amount_{claim.pk}"],
            }
            for claim in self.claims
            if data.get(f"amount_{claim.pk}")
        ]


class VacancyForm(forms.ModelForm):
    class Meta:
        model = JobVacancy
        fields = ["employer", "positions", "openings"]


class ReferralForm(forms.Form):
    vacancy = forms.ModelChoiceField(label=_("Vacancy"), queryset=None)
    claim = forms.ModelChoiceField(label=_("Worker"), queryset=None)
    result = forms.ChoiceField(label=_("Result"), choices=JobReferral.Result.choices)

    def __init__(self, *args, escalation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vacancy"].queryset = escalation.vacancies.all()
        self.fields["claim"].queryset = escalation.petition.claims.order_by("name")
        self.fields["claim"].label_from_instance = lambda claim: claim.name


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 4}))
