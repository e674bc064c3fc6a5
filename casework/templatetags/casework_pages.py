"""Labels and small checks the case pages need in templates."""

from django import template
from django.utils.translation import gettext_lazy as _

from casework import access, events
from casework.evidence import EvidenceForm
from casework.roles import INTAKE_ROLES
from lib.money import format_yuan

register = template.Library()


@register.filter
def may_intake(user):
    """Whether the user may record petitions somewhere."""
    return access.holds_role(user, INTAKE_ROLES)


@register.filter
def phone(claim, whole):
    """The claim's worker's phone, whole or masked as `access.claim_phone` decides."""
    return access.claim_phone(claim, whole=whole)


@register.filter
def step_label(name):
    return events.label(name)


@register.filter
def event_data(data):
    """An event's data as (label, value) pairs for people to read."""
    return events.readable_data(data)


@register.filter
def yuan(amount):
    """¥1,234.56: every amount of money on every page."""
    return format_yuan(amount)


@register.filter
def actor_name(user):
    if user is None:
        return _("system")
    return user.get_full_name() or user.get_username()


@register.inclusion_tag("casework/_evidence.html", takes_context=True)
def evidence_card(context, petition):
    """The petition's evidence, and a form to add more for those who may."""
    user = context["user"]
    may_add = access.has_role_at(user, petition.org_unit, INTAKE_ROLES)
    return {
        "petition": petition,
        "evidence": petition.evidence.select_related("uploaded_by"),
        "form": (context.get("evidence_form") or EvidenceForm()) if may_add else None,
        "csrf_token": context.get("csrf_token"),
    }
