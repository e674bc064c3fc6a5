import base64
import binascii
import io

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from lib import files

from . import render
from .models import JudicialConfirmation, Signer
from .services import CODE_DIGITS, Drawing

DATA_URL = "data:image/png;base64,"
# A drawing larger than this on a side is no signature pad's.
MOST_PIXELS = 4000


class OpenSigningForm(forms.Form):
    representative = forms.CharField(
        label=_("Employer's representative"),
        max_length=Signer._meta.get_field("name").max_length,
        help_text=_("The name of the person who signs for the employer."),
    )


class SignForm(forms.Form):
    code = forms.CharField(
        label=_("Signing code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}
        ),
    )
    # The canvas's drawing as a PNG data URL, filled by agreements/sign.js when the form is sent.
    signature = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if len(code) != CODE_DIGITS or not code.isdigit():
            raise forms.ValidationError(
                _("The code has %(digits)d digits.") % {"digits": CODE_DIGITS}
            )
        return code

    def clean_signature(self):
        text = self.cleaned_data["signature"]
        if not text:
            raise forms.ValidationError(_("Draw your signature in the box."))
        limit = settings.CASEWORK["SIGNATURE_MAX_KB"] * 1024
        # Base64 is 4 characters for 3 bytes: refuse a larger text before decoding it.
        if not text.startswith(DATA_URL) or len(text) > len(DATA_URL) + limit * 4 // 3 + 4:
            raise forms.ValidationError(
                _("The signature must be a PNG drawing of at most %(kb)d KB.")
                % {"kb": settings.CASEWORK["SIGNATURE_MAX_KB"]}
            )
        try:
            png = base64.b64decode(text[len(DATA_URL) :], validate=True)
            kind = files.sniff(png)
        except (binascii.Error, files.Refused):
            kind = None
        if kind != "image/png" or _too_large(png):
            raise forms.ValidationError(_("The signature is not a PNG drawing of a signature pad."))
        if _blank(png):
            raise forms.ValidationError(_("Draw your signature in the box."))
        return Drawing(png)


def _too_large(png):
    with Image.open(io.BytesIO(png)) as drawn:
        return max(drawn.size) > MOST_PIXELS


def _blank(png):
    """Whether the drawing has no stroke."""
    return ImageOps.invert(render.on_white(png).convert("L")).getbbox() is None


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is the signing cancelled?"), max_length=500)


class PrepareForm(forms.Form):
    court = forms.CharField(
        label=_("Court"),
        max_length=JudicialConfirmation._meta.get_field("court").max_length,
        help_text=_("The basic people's court where the mediation organization is."),
    )


class RulingForm(forms.Form):
    ruling = forms.ChoiceField(label=_("Ruling"), choices=JudicialConfirmation.Ruling.choices)
    number = forms.CharField(
        label=_("Ruling number"),
        max_length=JudicialConfirmation._meta.get_field("ruling_number").max_length,
    )
    ruled_on = forms.DateField(label=_("Ruled on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ruled_on"].initial = timezone.localdate()
