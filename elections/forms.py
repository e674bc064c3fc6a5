from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import Petition
from lib.validators import mask_id_number

from . import services

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class OpenElectionForm(forms.Form):
    seats = forms.IntegerField(label=_("Seats"), min_value=1)
    closes_at = forms.DateTimeField(
        label=_("Voting closes at"),
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput({"type": "datetime-local"}, format=DATETIME_FORMAT),
    )

    def __init__(self, *args, petition, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.CASEWORK["MAX_REPRESENTATIVES"]
        most = min(limit, petition.claims.count())
        self.fields["seats"].max_value = most
        self.fields["seats"].widget.attrs["max"] = most
        self.fields["seats"].initial = most
        self.fields["seats"].help_text = _("At most %(limit)d representatives.") % {"limit": limit}
        self.fields["closes_at"].initial = timezone.localtime(services.default_closing()).replace(
            second=0, microsecond=0
        )
        self.fields["closes_at"].help_text = _("At most %(hours)d hours from now.") % {
            "hours": settings.CASEWORK["ELECTION_MAX_HOURS"]
        }


class ClaimChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ReissueForm(forms.Form):
    claim = ClaimChoiceField(label=_("Worker"), queryset=None)

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claim"].queryset = services.candidates(election).order_by("name", "pk")


class ResolveTieForm(forms.Form):
    chosen = forms.TypedMultipleChoiceField(
        label=_("Representatives"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, result, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].choices = [(claim.pk, claim.name) for claim in result.tied]
        self.fields["chosen"].help_text = _("Choose %(n)d of them.") % {"n": result.seats_left}


class VoterForm(forms.Form):
    number = forms.CharField(
        label=_("Case number"),
        max_length=Petition._meta.get_field("number").max_length,
        widget=forms.TextInput({"autocomplete": "off", "autocapitalize": "characters"}),
    )
    code = forms.CharField(
        label=_("Your voting code"),
        max_length=20,
        widget=forms.TextInput({"autocomplete": "off", "autocapitalize": "characters"}),
    )


def candidate_label(claim):
    return f"{claim.name} ({mask_id_number(claim.worker.id_number)})"


class BallotForm(forms.Form):
    candidates = forms.TypedMultipleChoiceField(
        label=_("Your representatives"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["candidates"]
        field.choices = [
            (claim.pk, candidate_label(claim))
            for claim in services.candidates(election).order_by("name", "pk")
        ]
        field.help_text = _("Choose up to %(seats)d people.") % {"seats": election.seats}
