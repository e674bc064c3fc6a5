"""Deadlines on the case page and the task lists."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import calendar, deadlines
from ..forms import ExtensionDecisionForm, ExtensionRequestForm
from ..models import DeadlineExtension

register = template.Library()


@register.filter
def time_left(due_at):
    """How long is left in working days ("3 working days left", "due today"), or how late."""
    if due_at is None:
        return ""
    due = timezone.localdate(due_at)
    try:
        left = calendar.working_days_left(due)
    except calendar.CalendarUnknown as err:
        return _("calendar for %(year)d missing") % {"year": err.year}
    if timezone.now() > due_at:
        if left == 0:
            return _("overdue")
        return ngettext("%(n)d working day overdue", "%(n)d working days overdue", -left) % {
            "n": -left
        }
    if left == 0:
        return _("due today") if due == timezone.localdate() else _("no working day left")
    return ngettext("%(n)d working day left", "%(n)d working days left", left) % {"n": left}


@register.filter
def provisional_badge(year):
    """Marks a due date counted on a provisional calendar (`year` is the first such year)."""
    if not year:
        return ""
    why = _(
        "The State Council has not published the %(year)d holiday arrangement yet: counted with "
        "weekends and statutory holidays only, and recomputed once the arrangement is entered."
    ) % {"year": year}
    return format_html(
        ' <span class="badge badge-provisional" title="{}">{}</span>', why, _("provisional")
    )


def _extension_forms(deadline, user):
    pending = next(
        (e for e in deadline.extensions.all() if e.decision == DeadlineExtension.Decision.PENDING),
        None,
    )
    extended = any(
        e.decision == DeadlineExtension.Decision.APPROVED for e in deadline.extensions.all()
    )
    may_request = (
        deadline.is_open
        and deadline.rule.extension_length
        and not extended
        and pending is None
        and deadlines.may_request_extension(user, deadline)
    )
    may_decide = (
        pending is not None
        and pending.requested_by_id != user.pk
        and deadlines.may_decide_extension(user, deadline)
    )
    return {
        "pending": pending,
        "request_form": ExtensionRequestForm(auto_id=f"id_ext{deadline.pk}_%s")
        if may_request
        else None,
        "decision_form": ExtensionDecisionForm(auto_id=f"id_dec{deadline.pk}_%s")
        if may_decide
        else None,
    }


@register.inclusion_tag("workflows/deadlines/_card.html", takes_context=True)
def deadlines_card(context, petition):
    user = context["user"]
    now = timezone.now()
    rows = []
    for deadline in deadlines.deadlines_of(petition):
        overdue = deadlines.is_overdue(deadline, now)
        rows.append(
            {
                "deadline": deadline,
                "overdue": overdue,
                "breach_message": deadlines.BREACH_MESSAGES.get(deadline.rule.kind)
                if overdue
                else None,
                **_extension_forms(deadline, user),
            }
        )
    return {
        "rows": rows,
        "petition": petition,
        "user": user,
        "csrf_token": context.get("csrf_token"),
    }
