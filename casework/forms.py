import math
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib import validators

from . import lockout
from .models import (
    Agreement,
    AgreementLine,
    Callback,
    Claim,
    Closure,
    MediationSession,
    Petition,
    Status,
)

# Transition forms: each step's inputs, validated the same way for the pages, the API and admin.


class TransitionForm(forms.Form):
    reason = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, petition=None, **kwargs):
        self.petition = petition
        super().__init__(*args, **kwargs)

    def event_data(self):
        """What besides the reason goes into the case event."""
        return {k: v for k, v in self.cleaned_data.items() if k != "reason"}

    def apply(self, actor):
        """Write the step's own records (called inside the step's transaction)."""


class ReasonRequiredForm(TransitionForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea({"rows": 2}))


class ReferOutForm(ReasonRequiredForm):
    body = forms.CharField(label=_("Receiving body"), max_length=200)


class ReferralForm(TransitionForm):
    REFERRAL_TYPES = [
        ("arbitration", _("Labor dispute arbitration")),
        ("legal_aid", _("Legal aid")),
        ("labor_inspection", _("Labor inspection")),
        ("payment_order", _("Payment order (Art. 16)")),
    ]
    referral_type = forms.ChoiceField(label=_("Referred to"), choices=REFERRAL_TYPES)
    body = forms.CharField(label=_("Receiving body"), max_length=200)
    reference = forms.CharField(label=_("Their reference"), max_length=100, required=False)

    def clean_referral_type(self):
        kind = self.cleaned_data["referral_type"]
        # Art. 16: a payment order rests on a breached agreement about unpaid wages.
        if kind == "payment_order" and self.petition is not None:
            if self.petition.status != Status.BREACHED:
                raise forms.ValidationError(
                    _("A payment order needs a mediation agreement that was breached.")
                )
            if self.petition.category != Petition.Category.REMUNERATION:
                raise forms.ValidationError(
                    _("A payment order applies only to unpaid wages and similar payments.")
                )
        return kind


class AgreementForm(TransitionForm):
    """The signed agreement: a due date and, per worker, the agreed amount (blank: as claimed)."""

    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput({"type": "date"}))
    due_date = forms.DateField(
        label=_("Payment due date"), widget=forms.DateInput({"type": "date"})
    )
    terms = forms.CharField(label=_("Terms"), required=False, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.claims = list(self.petition.claims.all()) if self.petition else []
        for claim in self.claims:
            self.fields[f"amount_{claim.pk}"] = forms.DecimalField(
                label=claim.name,
                required=False,
                min_value=Decimal("0"),
                max_digits=12,
                decimal_places=2,
                help_text=_("Claimed %(amount)s") % {"amount": claim.claimed_amount},
            )

    def clean(self):
        data = super().clean()
        signed_on, due_date = data.get("signed_on"), data.get("due_date")
        if signed_on and signed_on > timezone.localdate():
            self.add_error("signed_on", _("An agreement cannot be signed in the future."))
        if signed_on and due_date and due_date < signed_on:
            self.add_error("due_date", _("Payment cannot fall due before the agreement is signed."))
        return data

    def amounts(self):
        return {
            claim: self.cleaned_data.get(f"amount_{claim.pk}") or claim.claimed_amount
            for claim in self.claims
        }

    def event_data(self):
        return {
            "signed_on": self.cleaned_data["signed_on"].isoformat(),
            "due_date": self.cleaned_data["due_date"].isoformat(),
            "agreed_total": str(sum(self.amounts().values(), Decimal("0"))),
        }

    def apply(self, actor):
        agreement = Agreement.objects.create(
            petition=self.petition,
            signed_on=self.cleaned_data["signed_on"],
            due_date=self.cleaned_data["due_date"],
            terms=self.cleaned_data["terms"],
            recorded_by=actor,
        )
        AgreementLine.objects.bulk_create(
            AgreementLine(agreement=agreement, claim=claim, amount=amount)
            for claim, amount in self.amounts().items()
        )


class CallbackForm(TransitionForm):
    """The callback (回访): a worker, or for a group one of its representatives, says whether the
    outcome was carried out and how satisfied they are. A worker who is not satisfied, or whose
    outcome was not carried out, sends the case back to mediation (`CallbackReturnForm`)."""

    settles = True
    claim = forms.ModelChoiceField(label=_("Worker called"), queryset=None)
    carried_out = forms.TypedChoiceField(
        label=_("Was the outcome carried out?"),
        choices=[(True, _("Yes")), (False, _("No"))],
        coerce=lambda value: value in (True, "True", "true", "1"),
        widget=forms.RadioSelect,
    )
    satisfaction = forms.TypedChoiceField(
        label=_("The worker's satisfaction"),
        choices=Callback.Satisfaction.choices,
        coerce=int,
    )
    notes = forms.CharField(
        label=_("What the worker said"), required=False, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        claims = self.petition.claims.all() if self.petition else Claim.objects.none()
        # A group is called through its representatives, when it has named them.
        if self.petition is not None and claims.filter(is_representative=True).exists():
            claims = claims.filter(is_representative=True)
        self.fields["claim"].queryset = claims
        self.fields["claim"].label_from_instance = lambda claim: claim.name

    def clean(self):
        data = super().clean()
        if "carried_out" in data and "satisfaction" in data:
            settles = data["carried_out"] and (
                data["satisfaction"] != Callback.Satisfaction.NOT_SATISFIED
            )
            if settles != self.settles:
                self.add_error(None, self.mismatch)
        return data

    mismatch = _(
        "The worker is not satisfied or the outcome was not carried out: send the case back to "
        "mediation instead."
    )

    def event_data(self):
        data = self.cleaned_data
        return {
            "worker": data["claim"].name,
            "carried_out": data["carried_out"],
            "satisfaction": str(data["satisfaction"]),
        }

    def apply(self, actor):
        data = self.cleaned_data
        Callback.objects.create(
            petition=self.petition,
            claim=data["claim"],
            carried_out=data["carried_out"],
            satisfaction=data["satisfaction"],
            notes=data["notes"],
            called_by=actor,
        )


class CallbackReturnForm(CallbackForm):
    settles = False
    reason = forms.CharField(
        label=_("Why it goes back to mediation"), widget=forms.Textarea({"rows": 2})
    )
    mismatch = _(
        "The worker is satisfied and the outcome was carried out: record the callback instead."
    )


class ClosureForm(TransitionForm):
    """Closing: what the petitioner was told, and their rating of the service."""

    outcome_notice = forms.CharField(
        label=_("Outcome notice to the petitioner"), widget=forms.Textarea({"rows": 3})
    )
    rating = forms.TypedChoiceField(
        label=_("Satisfaction"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Not rated")), *[(i, str(i)) for i in range(1, 6)]],
    )
    comment = forms.CharField(
        label=_("Petitioner's comment"), required=False, widget=forms.Textarea({"rows": 2})
    )

    def event_data(self):
        return {"rating": self.cleaned_data["rating"]}

    def apply(self, actor):
        Closure.objects.create(
            petition=self.petition,
            outcome_notice=self.cleaned_data["outcome_notice"],
            rating=self.cleaned_data["rating"],
            comment=self.cleaned_data["comment"],
            recorded_by=actor,
        )


class MediationSessionForm(forms.ModelForm):
    def clean_held_at(self):
        held_at = self.cleaned_data["held_at"]
        validators.validate_held_at(held_at)
        return held_at

    class Meta:
        model = MediationSession
        fields = ["held_at", "place", "parties_present", "notes", "outcome"]
        widgets = {
            "held_at": forms.DateTimeInput({"type": "datetime-local"}),
            "parties_present": forms.Textarea({"rows": 2}),
            "notes": forms.Textarea({"rows": 3}),
        }


# Intake: one worker row, whether typed, pasted, uploaded or sent through the API.


class WorkerRowForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(
        label=_("Resident ID number"), max_length=18, validators=[validators.validate_id_number]
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=20, required=False, validators=[validators.validate_phone]
    )
    claimed_amount = forms.DecimalField(
        label=_("Claimed amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
    )
    non_local = forms.BooleanField(label=_("Non-local"), required=False)
    is_representative = forms.BooleanField(label=_("Representative"), required=False)

    def clean_id_number(self):
        return validators.normalize_code(self.cleaned_data["id_number"])

    def clean_claimed_amount(self):
        amount = self.cleaned_data["claimed_amount"] or Decimal("0")
        if amount > settings.CASEWORK["MAX_CLAIM_AMOUNT"]:
            raise forms.ValidationError(
                _("More than %(max)s yuan: please check the amount."),
                params={"max": settings.CASEWORK["MAX_CLAIM_AMOUNT"]},
            )
        return amount


class IdNumberSearchForm(forms.Form):
    """A worker's ID number to look up: posted, never put in an address."""

    id_number = forms.CharField(
        label=_("Resident ID number"), max_length=18, validators=[validators.validate_id_number]
    )

    def clean_id_number(self):
        return validators.normalize_code(self.cleaned_data["id_number"])


class SigninForm(AuthenticationForm):
    """The login form, saying so when the user name is locked out after repeated failures."""

    def clean(self):
        seconds = lockout.seconds_left(self.cleaned_data.get("username"))
        if seconds:
            raise forms.ValidationError(
                _("Too many failed sign-ins for this user name: try again in %(minutes)d minutes."),
                code="locked_out",
                params={"minutes": math.ceil(seconds / 60)},
            )
        return super().clean()
