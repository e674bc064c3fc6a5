"""What the task pages need in templates: who sees which entries, and a task's place."""

from django import template
from django.utils.translation import gettext_lazy as _

from casework import access

from .. import queues, transfers
from ..models import Transfer

register = template.Library()


@register.filter
def may_work_tasks(user):
    """Whether the user may take some step of the flow."""
    return access.holds_role(user, set().union(*(node.roles for node in queues.steps())))


@register.filter
def may_supervise(user):
    return getattr(user, "is_authenticated", False) and queues.may_supervise(user)


@register.filter
def holder(task):
    """Who holds the task, or that it waits in the queue."""
    if task.owner_id is None:
        return _("queue")
    owner = task.owner
    return owner.get_full_name() or owner.get_username()


@register.filter
def is_overdue(task, now):
    return bool(task.due_at and task.due_at < now and task.finished is None)


@register.inclusion_tag("workflows/_open_task_card.html")
def open_task_card(task):
    """The case page's card of the petition's open task (none: nothing)."""
    return {"task": task}


@register.inclusion_tag("workflows/_transfer_card.html", takes_context=True)
def transfer_card(context, petition):
    """The case page's transfers: the one waiting for an answer, the earlier ones, the form."""
    user = context["request"].user
    history = list(petition.transfers.select_related("from_unit", "to_unit"))
    pending = next((t for t in history if t.state == Transfer.State.PENDING), None)
    return {
        "petition": petition,
        "pending": pending,
        "history": [t for t in history if t is not pending],
        "may_transfer": pending is None and transfers.may_transfer(user, petition),
    }
