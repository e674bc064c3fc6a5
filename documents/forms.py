"""The documents' forms: a PDF to verify, consent recorded by staff, a paper delivery."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Delivery, DeliveryConsent, Document


class VerifyForm(forms.Form):
    pdf = forms.FileField(label=_("PDF file"))

    def clean_pdf(self):
        upload = self.cleaned_data["pdf"]
        limit = settings.CASEWORK["DOCUMENT_VERIFY_MAX_MB"]
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB.") % {"limit": limit}
            )
        data = upload.read()
        if not data.startswith(b"%PDF-"):
            raise forms.ValidationError(_("This is not a PDF file."))
        return data


class _WorkerChoice(forms.ModelChoiceField):
    def label_from_instance(self, claim):
        return claim.name


class ConsentForm(forms.Form):
    """Consent staff take down: by phone, in person or at intake (the portal records its own)."""

    claim = _WorkerChoice(label=_("Worker"), queryset=None)
    channel = forms.ChoiceField(
        label=_("Given"),
        choices=[
            (value, label)
            for value, label in DeliveryConsent.Channel.choices
            if value != DeliveryConsent.Channel.PORTAL
        ],
    )

    def __init__(self, *args, petition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claim"].queryset = petition.claims.order_by("name", "pk")


class _DocumentChoice(forms.ModelChoiceField):
    def label_from_instance(self, document):
        return document.title


class PaperDeliveryForm(forms.Form):
    document = _DocumentChoice(label=_("Document"), queryset=None)
    claim = _WorkerChoice(label=_("Worker"), queryset=None)
    delivered_on = forms.DateField(
        label=_("Delivered on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    how = forms.CharField(
        label=_("How"),
        max_length=Delivery._meta.get_field("how").max_length,
        help_text=_("Handed over at the office, posted (tracking number), ..."),
    )

    def __init__(self, *args, petition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = petition.documents.filter(
            state=Document.State.READY
        ).exclude(kind=Document.Kind.FUND_APPROVAL)
        self.fields["claim"].queryset = petition.claims.order_by("name", "pk")
        self.fields["delivered_on"].initial = timezone.localdate
