from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import validators
from .models import Petition, Status

# Transition forms: each step's inputs, validated the same way for the pages, the API and admin.


class TransitionForm(forms.Form):
    reason = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, petition=None, **kwargs):
        self.petition = petition
        super().__init__(*args, **kwargs)

    def event_data(self):
        """What besides the reason goes into the case event."""
        return {k: v for k, v in self.cleaned_data.items() if k != "reason"}


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
        return validators.normalize_id_number(self.cleaned_data["id_number"])

    def clean_claimed_amount(self):
        amount = self.cleaned_data["claimed_amount"] or Decimal("0")
        if amount > settings.CASEWORK["MAX_CLAIM_AMOUNT"]:
            raise forms.ValidationError(
                _("More than %(max)s yuan: please check the amount."),
                params={"max": settings.CASEWORK["MAX_CLAIM_AMOUNT"]},
            )
        return amount
