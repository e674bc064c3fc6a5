"""Forms of the warning pages. They parse what people type; who may act and what a step needs is
checked by `prevention.services`."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.intake import LinkFactsForm

from .models import ScreeningVisit
from .services import VISIT_FIELDS


class NoteForm(forms.Form):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea({"rows": 3}))


class CloseForm(forms.Form):
    note = forms.CharField(label=_("How the warning ended"), widget=forms.Textarea({"rows": 2}))


class ConvertForm(LinkFactsForm):
    """The petition a warning turns into: what the workers claim and the workers themselves,
    pasted or uploaded in the intake's columns (name, ID number, phone, amount owed...)."""

    owner_missing = forms.BooleanField(label=_("Owner missing"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].label = _("What the workers claim")
        self.fields["workers_text"].label = _("Workers")
        self.fields["workers_text"].help_text = _(
            "One worker a line: name, ID number, phone, amount owed (yuan), non-local (是/否), "
            "representative (是/否), as at intake."
        )

    def clean(self):
        super().clean()
        if not self.workers:
            raise ValidationError(gettext("List at least one worker."))
        return self.cleaned_data


class VisitForm(forms.ModelForm):
    # Left empty when nothing is owed: zero.
    FIGURES = ("months_in_arrears", "workers_affected", "amount_owed")

    class Meta:
        model = ScreeningVisit
        fields = VISIT_FIELDS
        widgets = {
            "visited_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea({"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.FIGURES:
            self.fields[name].required = False

    def clean(self):
        for name in self.FIGURES:
            if self.cleaned_data.get(name) is None and name not in self.errors:
                self.cleaned_data[name] = 0
        return super().clean()
