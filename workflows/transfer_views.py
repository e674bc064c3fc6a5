"""Transfers between units: the sender's form (on the case page), and the receiving unit's
list of petitions to accept or send back. Until it accepts, the receiving unit sees what it
needs to decide (the summary below), not the case file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import access
from casework.exceptions import Conflict
from casework.pages import refusal, run_service
from casework.roles import INTAKE_ROLES

from . import transfers
from .forms import TransferForm, TransferReturnForm
from .models import Transfer


def _listed(queryset):
    return queryset.select_related(
        "petition__enterprise", "from_unit", "to_unit", "requested_by", "answered_by"
    ).annotate(workers=Count("petition__claims"), claimed=Sum("petition__claims__claimed_amount"))


def _incoming(user):
    """Transfers to a unit where the user answers for the front desk (at it or above)."""
    units = access.units_where(user, INTAKE_ROLES)
    return Transfer.objects.filter(to_unit__in=units)


@login_required
def transfer_list(request):
    pending = Q(state=Transfer.State.PENDING)
    incoming = _incoming(request.user)
    outgoing = Transfer.objects.filter(petition__in=access.petitions_visible_to(request.user))
    context = {
        "nav": "queue",
        "incoming": _listed(incoming.filter(pending)).order_by("answer_by", "pk"),
        "outgoing": _listed(outgoing.filter(pending)).order_by("answer_by", "pk"),
        "answered": _listed((incoming | outgoing).exclude(pending)).order_by("-answered_at")[:30],
        "return_form": TransferReturnForm(),
    }
    return render(request, "workflows/transfers.html", context)


@login_required
def request_transfer(request, pk):
    """The form lists every unit of the tree, so it is a page of its own, not on the case page
    (which names nothing of other zones)."""
    petition = get_object_or_404(
        access.petitions_visible_to(request.user).select_related("org_unit"), pk=pk
    )
    if not transfers.may_transfer(request.user, petition):
        raise PermissionDenied(_("You may not transfer this petition."))
    form = TransferForm(request.POST or None, petition=petition)
    status, alert = 200, None
    if request.method == "POST":
        status, alert = run_service(
            form,
            lambda data: transfers.request_transfer(
                petition, actor=request.user, to_unit=data["to_unit"], reason=data["reason"]
            ),
        )
    if request.method == "POST" and status == 200:
        messages.success(
            request, _("The petition is in transfer until the receiving unit answers.")
        )
        return redirect("casework:petition-detail", pk=petition.pk)
    context = {"nav": "list", "petition": petition, "form": form, "alert": alert}
    return render(request, "workflows/transfer_form.html", context, status=status)


def _answerable(user, pk):
    """A transfer to one of the user's units; a 404 for any other, so that none is confirmed."""
    return get_object_or_404(
        _incoming(user).select_related("petition", "to_unit", "from_unit"), pk=pk
    )


@login_required
@require_POST
def accept_transfer(request, pk):
    transfer = _answerable(request.user, pk)
    try:
        transfers.accept_transfer(transfer, actor=request.user)
    except Conflict as err:
        status, alert = refusal(err)
        return _answer_page(request, transfer, TransferReturnForm(), alert, status)
    messages.success(request, _("Accepted: the petition is in your queue."))
    return redirect("casework:petition-detail", pk=transfer.petition_id)


@login_required
@require_POST
def return_transfer(request, pk):
    transfer = _answerable(request.user, pk)
    form = TransferReturnForm(request.POST)
    status, alert = run_service(
        form,
        lambda data: transfers.return_transfer(transfer, actor=request.user, reason=data["reason"]),
    )
    if status == 200:
        messages.success(request, _("Sent back to %(unit)s.") % {"unit": transfer.from_unit})
        return redirect("workflows:transfers")
    return _answer_page(request, transfer, form, alert, status)


def _answer_page(request, transfer, form, alert, status):
    context = {"nav": "queue", "transfer": transfer, "form": form, "alert": alert}
    return render(request, "workflows/transfer_answer.html", context, status=status)
