from django import forms
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Department, Referral

DATE_WIDGET = forms.DateInput({"type": "date"}, format="%Y-%m-%d")


def _date(label, **kwargs):
    return forms.DateField(label=label, widget=DATE_WIDGET, input_formats=["%Y-%m-%d"], **kwargs)


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "kind", "contact_person", "phone", "address"]


class LiaisonForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    name = forms.CharField(label=_("Name"), max_length=150)
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput, strip=False, max_length=128
    )


class EvidenceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_kind_display()} · {obj.original_name}"


class ReferralForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    sent_what = forms.CharField(
        label=_("What was sent"),
        widget=forms.Textarea({"rows": 3}),
        max_length=2000,
        help_text=_("The letter, the materials handed over, what is asked of the department."),
    )
    reference = forms.CharField(
        label=_("Their reference number"),
        max_length=Referral._meta.get_field("reference").max_length,
        required=False,
    )
    evidence = EvidenceChoiceField(
        label=_("Evidence sent"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    known_on = _date(
        _("Worker knew of the infringement on"),
        required=False,
        help_text=_(
            "Arbitration only: the one-year limitation (Art. 27) runs from this day, e.g. the "
            "day wages were first owed."
        ),
    )

    def __init__(self, *args, petition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(
            zone=petition.zone, is_active=True
        )
        self.fields["evidence"].queryset = petition.evidence.order_by("pk")


class ReferenceForm(forms.Form):
    reference = forms.CharField(
        label=_("Their reference number"),
        max_length=Referral._meta.get_field("reference").max_length,
    )


class ReplyForm(forms.Form):
    DECISIONS = [("accepted", _("Accepted")), ("declined", _("Declined"))]

    decision = forms.ChoiceField(label=_("Reply"), choices=DECISIONS, widget=forms.RadioSelect)
    replied_on = _date(
        _("Reply date"),
        help_text=_("For the arbitration committee: the day it accepted the application."),
    )
    result = forms.CharField(label=_("Result"), widget=forms.Textarea({"rows": 3}), max_length=4000)
    reference = forms.CharField(
        label=_("Their reference number"),
        max_length=Referral._meta.get_field("reference").max_length,
        required=False,
    )


class ExtensionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the extension"), widget=forms.Textarea({"rows": 2}), max_length=2000
    )


class AwardForm(forms.Form):
    award_on = _date(_("Award date"))
    award = forms.CharField(label=_("Award"), widget=forms.Textarea({"rows": 3}), max_length=4000)


class HolderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class PartForm(forms.Form):
    asked = forms.CharField(
        label=_("What is asked"),
        widget=forms.Textarea({"rows": 2}),
        max_length=2000,
        help_text=_("E.g. verify the working hours, freeze the employer's assets."),
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    unit = forms.ModelChoiceField(label=_("Or a unit"), queryset=None, required=False)
    holder = HolderChoiceField(label=_("Holder at that unit"), queryset=None, required=False)
    due_on = _date(
        _("Due"),
        required=False,
        help_text=_("Left empty: the default number of working days from today."),
    )

    def __init__(self, *args, petition, **kwargs):
        super().__init__(*args, **kwargs)
        units = services.units_to_ask(petition)
        self.fields["department"].queryset = Department.objects.filter(
            zone=petition.zone, is_active=True
        )
        self.fields["unit"].queryset = units
        self.fields["holder"].queryset = services.holders_at(units)


class FinishForm(forms.Form):
    result = forms.CharField(label=_("Result"), widget=forms.Textarea({"rows": 3}), max_length=4000)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea({"rows": 2}), max_length=2000)
