"""The complexity tier on the case page: a card in its side column (casework's
petition_detail.html) with the tier, how it was chosen, the first result's due date, and the
form that changes it for whoever may."""

from django import template

from .. import tiers
from ..forms import TierForm
from ..models import Deadline
from ..rules import TIER_DEADLINES

register = template.Library()


@register.inclusion_tag("workflows/_tier_card.html", takes_context=True)
def tier_card(context, petition):
    user = context["user"]
    may_change = tiers.may_change(user, petition)
    first_result = Deadline.objects.filter(
        petition=petition, rule__kind__in=TIER_DEADLINES.values(), closed_at=None
    ).first()
    return {
        "petition": petition,
        "by_hand": tiers.changed_by_hand(petition),
        "first_result": first_result,
        "form": TierForm(
            initial={"current": petition.tier, "tier": petition.tier}, auto_id="id_tier_%s"
        )
        if may_change
        else None,
        "csrf_token": context.get("csrf_token"),
    }
