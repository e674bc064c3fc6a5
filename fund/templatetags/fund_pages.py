"""The emergency fund's pieces on other pages: the nav link and a petition's releases."""

from django import template

from casework import access
from casework.models import Petition
from casework.roles import FUND_ROLES, MEDIATION_ROLES

from ..models import EmergencyFund

register = template.Library()


@register.filter
def may_use_fund(user):
    """Whether the user holds a fund role somewhere."""
    return access.holds_role(user, FUND_ROLES)


@register.inclusion_tag("fund/_petition_releases.html", takes_context=True)
def petition_releases(context, petition):
    user = context["request"].user
    may_draft = (
        petition.category == Petition.Category.REMUNERATION
        and petition.is_open
        and access.has_role_at(user, petition.org_unit, MEDIATION_ROLES)
        and EmergencyFund.objects.filter(zone_id=petition.zone_id).exists()
    )
    releases = list(petition.releases.order_by("-created_at", "-pk"))
    return {"petition": petition, "releases": releases, "may_draft": may_draft}
