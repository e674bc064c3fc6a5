"""Forms of the emergency-fund pages. They parse what people type; the rules (caps, purposes,
four eyes, balances) are checked by `fund.services`, once, for the pages and the API alike."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import FundPurpose, JournalEntry
from .reports import FIRST_DAY, LAST_DAY

MONEY_FIELD = {"max_digits": 14, "decimal_places": 2, "min_value": 0}


def _amount(label, **kwargs):
    return forms.DecimalField(label=label, **MONEY_FIELD, **kwargs)


class ReleaseDraftForm(forms.Form):
    """A reason and, per worker and allowed purpose, an amount (blank: nothing for that)."""

    reason = forms.CharField(
        label=_("Why the workers need it now"), widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args, claims, purposes, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for claim in claims:
            cells = []
            for purpose in purposes:
                if purpose == FundPurpose.TRAVEL_HOME and not claim.non_local:
                    cells.append(None)
                    continue
                name = f"amount_{claim.worker_id}_{purpose}"
                self.fields[name] = _amount(
                    f"{claim.name} · {FundPurpose(purpose).label}", required=False
                )
                cells.append(self[name])
            self.rows.append((claim, cells))

    def lines(self):
        return [
            {"worker": int(worker), "purpose": purpose, "amount": amount}
            for name, amount in self.cleaned_data.items()
            if name.startswith("amount_") and amount
            for _prefix, worker, purpose in [name.split("_", 2)]
        ]


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea({"rows": 2}))


class RecoveryForm(forms.Form):
    amount = _amount(_("Amount recovered (yuan)"))
    source = forms.ChoiceField(
        label=_("Recovered from"),
        choices=[
            (JournalEntry.Source.EMPLOYER, JournalEntry.Source.EMPLOYER.label),
            (JournalEntry.Source.EMPLOYER_ASSETS, JournalEntry.Source.EMPLOYER_ASSETS.label),
        ],
    )
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
    memo = forms.CharField(label=_("Memo"), required=False)


class WriteOffForm(forms.Form):
    amount = _amount(_("Amount to write off (yuan)"))
    reason = forms.CharField(
        label=_("Why it cannot be recovered"), widget=forms.Textarea({"rows": 2})
    )


class ContributionForm(forms.Form):
    amount = _amount(_("Amount (yuan)"))
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[
            (s.value, s.label)
            for s in (
                JournalEntry.Source.UNION_DUES,
                JournalEntry.Source.GOVERNMENT,
                JournalEntry.Source.DONATION,
                JournalEntry.Source.OTHER,
            )
        ],
    )
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
    memo = forms.CharField(label=_("Memo"), required=False)


class CorrectionForm(forms.Form):
    reason = forms.CharField(label=_("Why it is reversed"), max_length=500)


class StatementForm(forms.Form):
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=None, empty_label=None)
    start = forms.DateField(
        label=pgettext_lazy("period", "From"),
        widget=forms.DateInput({"type": "date"}),
        validators=[MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)],
    )
    end = forms.DateField(
        label=pgettext_lazy("period", "To"),
        widget=forms.DateInput({"type": "date"}),
        validators=[MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)],
    )

    def __init__(self, *args, funds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end comes before the start."))
        return data
