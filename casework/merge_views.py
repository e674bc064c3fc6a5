"""The merge page: a supervisor names the other petition, chooses which one goes on, sees what
the merge would do to the workers, and confirms (`casework.services.merge`)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import access
from .models import Petition
from .pages import petition_for, run_service
from .services import merge


class MergeForm(forms.Form):
    KEEP_THIS, KEEP_OTHER = "this", "other"

    other = forms.CharField(
        label=gettext_lazy("The other petition's number"),
        max_length=Petition._meta.get_field("number").max_length,
    )
    keep = forms.ChoiceField(
        label=gettext_lazy("Which petition goes on"),
        choices=[
            (KEEP_THIS, gettext_lazy("This one: the other is closed into it")),
            (KEEP_OTHER, gettext_lazy("The other one: this one is closed into it")),
        ],
        initial=KEEP_THIS,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, petition, user, **kwargs):
        self.petition, self.user = petition, user
        super().__init__(*args, **kwargs)

    def clean_other(self):
        number = self.cleaned_data["other"].strip().upper()
        # Another zone's petition reads as one that does not exist.
        other = access.petitions_visible_to(self.user).filter(number=number).first()
        if other is None:
            raise forms.ValidationError(_("No petition with this number in your units."))
        if other.pk == self.petition.pk:
            raise forms.ValidationError(_("This is the petition you are on: name the other one."))
        if not merge.may_merge(self.user, other):
            raise forms.ValidationError(
                _("You are not a supervisor of %(number)s's unit.") % {"number": other.number}
            )
        if refused := merge.not_open(other):
            raise forms.ValidationError(refused)
        if refused := merge.unrelated(self.petition, other):
            raise forms.ValidationError(refused)
        return other

    def clean(self):
        cleaned = super().clean()
        if refused := merge.not_open(self.petition):
            raise forms.ValidationError(refused)
        if "other" in cleaned and "keep" in cleaned:
            for reason in merge.reasons_not_to_close(self.merged):
                self.add_error("keep", reason)
        return cleaned

    @property
    def merged(self):
        keep_this = self.cleaned_data["keep"] == self.KEEP_THIS
        return self.cleaned_data["other"] if keep_this else self.petition

    @property
    def survivor(self):
        keep_this = self.cleaned_data["keep"] == self.KEEP_THIS
        return self.petition if keep_this else self.cleaned_data["other"]


@login_required
def merge_petition(request, pk):
    """GET: the form (`?with=<number>` names the other petition). POST: the preview, or with
    `confirm` the merge itself."""
    petition = petition_for(request.user, pk)
    if not merge.may_merge(request.user, petition):
        raise PermissionDenied(_("Only a supervisor of this petition's unit may merge it."))
    initial = {"other": request.GET.get("with", "")}
    form = MergeForm(request.POST or None, petition=petition, user=request.user, initial=initial)
    status, alert = 200, None
    if request.method == "POST" and "confirm" in request.POST:
        status, alert = run_service(form, lambda data: _merge(request, form))
        if status == 200:
            messages.success(
                request,
                _("%(merged)s was merged into %(survivor)s.")
                % {"merged": form.merged.number, "survivor": form.survivor.number},
            )
            return redirect("casework:petition-detail", pk=form.survivor.pk)
    elif request.method == "POST" and not form.is_valid():
        status = 400
    preview = None
    if form.is_bound and form.is_valid() and status != 409:
        preview = {"merged": form.merged, "survivor": form.survivor}
        preview.update(merge.preview(form.merged, form.survivor))
    context = {
        "nav": "list",
        "petition": petition,
        "form": form,
        "alert": alert,
        "preview": preview,
    }
    return render(request, "casework/merge.html", context, status=status)


def _merge(request, form):
    merge.merge_petitions(
        form.merged, form.survivor, actor=request.user, reason=form.cleaned_data["reason"]
    )
