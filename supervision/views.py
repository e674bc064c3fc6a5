"""The supervision pages: issue an order on a case, one order with its replies (reply, close),
and the list of cases under supervision. Views load, call one service in
`supervision.services` and render; the rules of who may are there."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import access
from casework.pages import petition_for, run_service

from . import services
from .forms import CloseForm, IssueForm, ListForm, ReplyForm
from .models import Reply, SupervisionOrder

PAGE_SIZE = 50


def _posted(request):
    return request.POST if request.method == "POST" else None


def _order_for(user, pk):
    """The order if its petition is the user's to see through a role over its unit; a 404
    otherwise, the same as for an order that does not exist."""
    visible = SupervisionOrder.objects.filter(petition__in=access.petitions_visible_to(user))
    order = get_object_or_404(
        visible.select_related("petition__org_unit", "petition__enterprise", "issuing_unit"), pk=pk
    )
    if not services.may_see(user, order.petition):
        raise Http404
    return order


@login_required
def issue(request, pk):
    petition = petition_for(request.user, pk)
    if not services.may_see(request.user, petition):
        raise Http404
    units = services.issuing_units(request.user, petition)
    if not units:
        raise PermissionDenied(_("Only a higher unit's supervisors may put this case under it."))
    form = IssueForm(_posted(request), units=units)
    status, alert = 200, None
    if request.method == "POST":
        status, alert = run_service(
            form,
            lambda data: services.issue_order(
                petition,
                actor=request.user,
                issuing_unit=data["issuing_unit"],
                requirement=data["requirement"],
                due_on=data["due_on"],
            ),
        )
        if status == 200:
            messages.success(request, _("The case is under supervision."))
            return redirect("casework:petition-detail", pk=petition.pk)
    context = {"nav": "supervision", "petition": petition, "form": form, "alert": alert}
    return render(request, "supervision/issue.html", context, status=status)


def _render_order(request, order, *, status=200, alert=None, reply_form=None, close_form=None):
    user = request.user
    replies = order.replies.select_related("replied_by")
    may_reply = order.is_open and services.may_reply(user, order)
    may_close = order.is_open and services.may_close(user, order)
    order.left, order.overdue, order.provisional = services.due_status(order)
    context = {
        "nav": "supervision",
        "order": order,
        "petition": order.petition,
        "replies": replies,
        "alert": alert,
        "reply_form": (reply_form or ReplyForm()) if may_reply else None,
        "close_form": (close_form or CloseForm()) if may_close else None,
    }
    return render(request, "supervision/order.html", context, status=status)


@login_required
def order(request, pk):
    return _render_order(request, _order_for(request.user, pk))


@login_required
@require_POST
def reply(request, pk):
    order = _order_for(request.user, pk)
    if not services.may_reply(request.user, order):
        raise PermissionDenied(_("Only the handling unit replies to this order."))
    form = ReplyForm(request.POST)
    status, alert = run_service(
        form,
        lambda data: services.reply_to_order(
            order, actor=request.user, kind=data["kind"], text=data["text"]
        ),
    )
    if status != 200:
        return _render_order(request, order, status=status, alert=alert, reply_form=form)
    messages.success(request, _("Your reply is recorded."))
    return redirect("supervision:order", pk=order.pk)


@login_required
@require_POST
def close(request, pk):
    order = _order_for(request.user, pk)
    if not services.may_close(request.user, order):
        raise PermissionDenied(_("Only the supervising unit closes this order."))
    form = CloseForm(request.POST)
    status, alert = run_service(
        form, lambda data: services.close_order(order, actor=request.user, reason=data["reason"])
    )
    if status != 200:
        order.refresh_from_db()
        return _render_order(request, order, status=status, alert=alert, close_form=form)
    messages.success(request, _("The supervision order is closed."))
    return redirect("supervision:order", pk=order.pk)


def _listed(user, side, state):
    """The orders of the user's units, issued by them or handled under them; each with its
    replies counted and whether a result came, in the one query."""
    orders = SupervisionOrder.objects.select_related(
        "petition__org_unit", "petition__enterprise", "issuing_unit"
    ).annotate(
        replies_count=Count("replies"),
        results=Count("replies", filter=Q(replies__kind=Reply.Kind.RESULT)),
    )
    if not user.is_superuser:
        units = [pk for pk, _path in access.units_under(user)]
        if side == "issued":
            orders = orders.filter(issuing_unit__in=units)
        else:
            orders = orders.filter(petition__org_unit__in=units).exclude(issuing_unit__in=units)
    if state == "open":
        orders = orders.filter(closed_at=None)
    elif state == "closed":
        orders = orders.exclude(closed_at=None)
    if state == "closed":
        return orders.order_by("-closed_at", "-pk")
    return orders.order_by(F("closed_at").asc(nulls_first=True), "due_on", "pk")


@login_required
def order_list(request):
    if not access.holds_role(request.user, services.READER_ROLES):
        raise PermissionDenied(_("You do not follow cases under supervision."))
    form = ListForm(request.GET)
    if not form.is_valid():
        context = {"nav": "supervision", "form": form, "page": None}
        return render(request, "supervision/list.html", context, status=400)
    side = form.cleaned_data["side"] or "handled"
    state = form.cleaned_data["state"] or "open"
    page = Paginator(_listed(request.user, side, state), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    for row in page:
        row.left, row.overdue, row.provisional = services.due_status(row, today)
    context = {"nav": "supervision", "form": form, "page": page, "side": side, "state": state}
    return render(request, "supervision/list.html", context)
