"""Supervision on other pages: the case page's card (casework's petition_detail.html) and the
nav link (casework's base.html)."""

from django import template

from casework import access
from workflows import calendar
from workflows.templatetags.deadline_pages import time_left

from .. import services
from ..forms import CloseForm, IssueForm, ReplyForm

register = template.Library()


@register.filter
def may_see_supervision(user):
    """Whether the user follows cases under supervision somewhere (the list page)."""
    return access.holds_role(user, services.READER_ROLES)


@register.inclusion_tag("supervision/_card.html", takes_context=True)
def supervision_card(context, petition):
    user = context["user"]
    if not services.may_see(user, petition):
        return {"shown": False}
    orders = list(
        petition.supervision_orders.select_related("issuing_unit", "issued_by").prefetch_related(
            "replies__replied_by"
        )
    )
    for order in orders:
        order.left, order.overdue, order.provisional = services.due_status(order)
        order.may_reply = order.is_open and services.may_reply(user, order)
        order.may_close = order.is_open and services.may_close(user, order)
        prefix = f"id_order{order.pk}_%s"
        order.reply_form = ReplyForm(auto_id=prefix) if order.may_reply else None
        order.close_form = CloseForm(auto_id=prefix) if order.may_close else None
    units = services.issuing_units(user, petition) if petition.is_open else []
    return {
        "shown": bool(orders or units),
        "petition": petition,
        "orders": orders,
        "issue_form": IssueForm(units=units, auto_id="id_supervise_%s") if units else None,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def due_in_working_days(order):
    """The order's due date as working days left or late, as deadlines read everywhere."""
    return time_left(calendar.end_of_day(order.due_on))
