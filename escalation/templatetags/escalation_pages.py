"""The committee's escalation on other pages: the nav link and the case page's card."""

from django import template

from casework.access import has_role_at, holds_role
from casework.roles import LIAISON_ROLES, SUPERVISOR_ROLES

from .. import services
from ..forms import EscalateForm
from ..models import Escalation, EscalationRule

register = template.Library()


@register.filter
def may_liaise(user):
    """Whether the user is a committee liaison somewhere."""
    return holds_role(user, LIAISON_ROLES)


@register.inclusion_tag("escalation/_card.html", takes_context=True)
def escalation_card(context, petition):
    user = context["user"]
    found = Escalation.objects.filter(petition=petition).first()
    if found is not None:
        found.petition = petition  # already loaded: no second query for it
    may_escalate = (
        found is None
        and petition.is_open
        and has_role_at(user, petition.org_unit, SUPERVISOR_ROLES)
        and EscalationRule.objects.filter(kind=EscalationRule.Kind.DECISION, active=True).exists()
    )
    return {
        "escalation": found,
        "task": services.open_task(found) if found else None,
        "may_open": found is not None and services.may_liaise(user, found),
        "escalate_form": EscalateForm(auto_id="id_escalate_%s") if may_escalate else None,
        "petition": petition,
        "csrf_token": context.get("csrf_token"),
    }
