"""Pages of the complexity tier (changed from the case page's card) and of who may be given
work: mediators' leave and recusals, kept by the supervisors of their units. Views load, call
one service in `workflows.tiers` or `workflows.absences` and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from casework.pages import petition_for, run_service
from casework.views import render_case

from . import absences, tiers
from .forms import AbsenceForm, RecusalForm, TierForm


@login_required
@require_POST
def change_tier(request, pk):
    petition = petition_for(request.user, pk)
    if not tiers.may_change(request.user, petition):
        raise PermissionDenied(_("Only who handles this petition, or a supervisor, may."))
    form = TierForm(request.POST)
    status, alert = run_service(
        form,
        lambda data: tiers.change_tier(
            petition,
            actor=request.user,
            tier=data["tier"],
            reason=data["reason"],
            expected=data["current"],
        ),
    )
    if status != 200:
        errors = [m for field_errors in form.errors.values() for m in field_errors]
        return render_case(request, petition, status=status, alert=alert or " ".join(errors))
    messages.success(request, _("The complexity tier is changed."))
    return redirect("casework:petition-detail", pk=petition.pk)


def _supervisor_only(user):
    if not absences.may_record(user):
        raise PermissionDenied(_("Only a supervisor may keep mediators' leave and recusals."))


def _page(request, form_class, record, template, rows, done):
    """The list, and the form that adds to it: posted, recorded, and back to the list."""
    form = form_class(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        status, alert = run_service(form, lambda data: record(actor=request.user, **data))
        if status == 200:
            messages.success(request, done)
            return redirect(request.path)
        if alert:
            form.add_error(None, alert)
    context = {"nav": "board", "form": form, "rows": rows}
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def absence_list(request):
    _supervisor_only(request.user)
    return _page(
        request,
        AbsenceForm,
        absences.record_absence,
        "workflows/absences.html",
        absences.absences_seen_by(request.user),
        _("The leave is recorded."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def recusal_list(request):
    _supervisor_only(request.user)
    return _page(
        request,
        RecusalForm,
        absences.record_recusal,
        "workflows/recusals.html",
        absences.recusals_seen_by(request.user),
        _("The recusal is recorded."),
    )
