"""Complexity tiers: simple, ordinary or complex, chosen by the tier rules (`TierRule` rows, the
first that matches wins) when a petition is recorded, chosen again when facts are linked unless
someone changed it by hand, and changed by hand with a reason. The clock to a first result and
the queue's order follow the tier (`deadlines.follow_tier`, `queues.zone_queue`)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import translation
from django.utils.translation import gettext as _

from casework.access import has_role_at
from casework.events import EventName
from casework.exceptions import Conflict
from casework.models import Petition
from casework.roles import SUPERVISOR_ROLES
from casework.services import record_event

from . import deadlines, queues
from .models import TierRule
from .services import open_task


def facts(petition):
    """What the tier rules look at."""
    totals = petition.claims.aggregate(workers=Count("pk"), amount=Sum("claimed_amount"))
    return {
        "workers": totals["workers"],
        "amount": totals["amount"] or Decimal(0),
        "owner_missing": petition.owner_missing,
        "is_group": petition.is_group,
        "category": petition.category,
    }


def matches(rule, known):
    """Whether every condition the rule sets holds for the facts `known`."""
    return all(
        (
            rule.workers_at_least is None or known["workers"] >= rule.workers_at_least,
            rule.workers_at_most is None or known["workers"] <= rule.workers_at_most,
            rule.amount_at_least is None or known["amount"] >= rule.amount_at_least,
            rule.amount_at_most is None or known["amount"] <= rule.amount_at_most,
            rule.owner_missing is None or known["owner_missing"] == rule.owner_missing,
            rule.is_group is None or known["is_group"] == rule.is_group,
            not rule.category or known["category"] == rule.category,
        )
    )


def choose(petition):
    """(tier, the rule that chose it, or None for the default: ordinary)."""
    known = facts(petition)
    for rule in TierRule.objects.all():
        if matches(rule, known):
            return rule.tier, rule
    return Petition.Tier.ORDINARY, None


def describe(rule):
    """The rule's conditions, as people read them."""
    if rule is None:
        return [_("No rule matched: ordinary")]
    parts = []
    if rule.workers_at_least is not None:
        parts.append(_("workers ≥ %(n)s") % {"n": rule.workers_at_least})
    if rule.workers_at_most is not None:
        parts.append(_("workers ≤ %(n)s") % {"n": rule.workers_at_most})
    if rule.amount_at_least is not None:
        parts.append(_("claimed ≥ %(n)s yuan") % {"n": rule.amount_at_least})
    if rule.amount_at_most is not None:
        parts.append(_("claimed ≤ %(n)s yuan") % {"n": rule.amount_at_most})
    if rule.owner_missing is not None:
        parts.append(_("owner missing") if rule.owner_missing else _("owner present"))
    if rule.is_group is not None:
        parts.append(_("group petition") if rule.is_group else _("not a group petition"))
    if rule.category:
        parts.append(rule.get_category_display())
    return ["; ".join(str(part) for part in parts)]


def _set_tier(petition, tier):
    Petition.objects.filter(pk=petition.pk).update(tier=tier)
    petition.tier = tier
    deadlines.follow_tier(petition)


def _record_chosen(petition, actor, rule):
    # Stored in the site's language, as every reader of the timeline reads it.
    with translation.override(settings.LANGUAGE_CODE):
        rules = describe(rule)
    record_event(
        petition, EventName.TIER_SET, actor=actor, data={"tier": petition.tier, "rules": rules}
    )


def set_on_intake(petition, actor):
    """Inside the intake's transaction: the tier the rules choose, and its first-result clock."""
    tier, rule = choose(petition)
    if tier != petition.tier:
        Petition.objects.filter(pk=petition.pk).update(tier=tier)
        petition.tier = tier
    _record_chosen(petition, actor, rule)
    deadlines.open_first_result(petition)


def changed_by_hand(petition):
    return petition.events.filter(transition=EventName.TIER_CHANGED).exists()


def choose_again(petition, actor):
    """Inside the transaction that linked new facts: the rules choose again, unless someone
    changed the tier by hand (their judgement stands)."""
    if changed_by_hand(petition):
        return
    tier, rule = choose(petition)
    if tier != petition.tier:
        _set_tier(petition, tier)
        _record_chosen(petition, actor, rule)


def may_change(user, petition):
    """Whoever may act on the petition's open task (its holder, or anyone who may take it from
    the queue), or a supervisor of its unit; only while it is open."""
    if not petition.is_open:
        return False
    task = open_task(petition)
    if task is not None and queues.may_act(user, task):
        return True
    return has_role_at(user, petition.org_unit, SUPERVISOR_ROLES)


@transaction.atomic
def change_tier(petition, *, actor, tier, reason, expected=None):
    """Change the tier by hand, saying why; the first-result clock is counted again.
    `expected`: the tier the actor saw; Conflict if someone changed it meanwhile."""
    if tier not in Petition.Tier.values:
        raise ValidationError({"tier": _("Choose one of the tiers.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the tier changes.")})
    petition = Petition.objects.select_for_update().select_related("org_unit").get(pk=petition.pk)
    if not may_change(actor, petition):
        raise PermissionDenied(_("Only who handles this petition, or a supervisor, may."))
    previous = petition.tier
    if expected is not None and expected != previous:
        raise Conflict(_("Someone else changed the tier meanwhile; look at it again."))
    if tier == previous:
        raise ValidationError({"tier": _("The petition is already of this tier.")})
    _set_tier(petition, tier)
    record_event(
        petition,
        EventName.TIER_CHANGED,
        actor=actor,
        reason=reason.strip(),
        data={"from": previous, "to": tier},
    )
    return petition
