"""Asking for a deadline's extension and deciding on it. The case page shows both forms; these
views take the posts (and show the form alone again when it comes back with an error)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from casework import access
from casework.pages import run_service

from . import deadlines
from .forms import ExtensionDecisionForm, ExtensionRequestForm
from .models import Deadline, DeadlineExtension


def _deadline_for(user, pk):
    """The deadline if its petition lies in the user's subtree; a 404 otherwise."""
    visible = Deadline.objects.filter(petition__in=access.petitions_visible_to(user))
    return get_object_or_404(visible.select_related("rule", "petition__org_unit"), pk=pk)


def _page(request, deadline, form, heading, *, status=200, alert=None, extension=None):
    context = {
        "nav": "list",
        "deadline": deadline,
        "petition": deadline.petition,
        "form": form,
        "heading": heading,
        "alert": alert,
        "extension": extension,
    }
    return render(request, "workflows/deadlines/extension.html", context, status=status)


@login_required
def request_extension(request, pk):
    deadline = _deadline_for(request.user, pk)
    if not deadlines.may_request_extension(request.user, deadline):
        raise PermissionDenied(_("You may not ask to extend this deadline."))
    form = ExtensionRequestForm(request.POST or None)
    status, alert = 200, None
    if request.method == "POST":
        status, alert = run_service(
            form,
            lambda data: deadlines.request_extension(
                deadline, actor=request.user, reason=data["reason"]
            ),
        )
        if status == 200:
            messages.success(request, _("The extension awaits a supervisor's decision."))
            return redirect("casework:petition-detail", pk=deadline.petition_id)
    heading = _("Ask to extend the deadline")
    return _page(request, deadline, form, heading, status=status, alert=alert)


@login_required
def decide_extension(request, pk):
    visible = DeadlineExtension.objects.filter(
        deadline__petition__in=access.petitions_visible_to(request.user)
    )
    extension = get_object_or_404(visible.select_related("deadline"), pk=pk)
    deadline = _deadline_for(request.user, extension.deadline_id)
    if not deadlines.may_decide_extension(request.user, deadline):
        raise PermissionDenied(_("Only a supervisor of this unit may decide on extensions."))
    form = ExtensionDecisionForm(request.POST or None)
    status, alert = 200, None
    if request.method == "POST":
        status, alert = run_service(
            form,
            lambda data: deadlines.decide_extension(
                extension,
                actor=request.user,
                approve=data["decision"] == "approve",
                note=data["note"],
            ),
        )
        if status == 200:
            messages.success(request, _("Decision recorded."))
            return redirect("casework:petition-detail", pk=deadline.petition_id)
    heading = _("Decide on the extension")
    return _page(request, deadline, form, heading, status=status, alert=alert, extension=extension)
