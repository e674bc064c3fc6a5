"""Merging two open petitions of the same workers or employer (a repeat, or one dispute filed
twice): the merged petition is closed with a link to the one that goes on (the survivor), its
workers join the survivor, each worker once, and its history shows on the survivor's timeline.

`merge_petitions` is the outermost transaction: it locks both petitions in a fixed order, so
that two supervisors merging A into B and B into A at once give one merge and one conflict.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from .. import hooks, signals
from ..events import EventName
from ..exceptions import Conflict, TransitionRefused
from ..models import CaseEvent, Claim, Evidence, Petition
from ..roles import SUPERVISOR_ROLES, has_role_at
from . import find_open_repeat, record_event


def may_merge(user, petition):
    """A supervisor of the petition's unit (or above) may merge it or merge into it."""
    return has_role_at(user, petition.org_unit, SUPERVISOR_ROLES)


def shares_workers(first, second):
    return first.claims.filter(worker__in=second.claims.values("worker")).exists()


def unrelated(first, second):
    """Why the two may not be merged as one dispute, or None: of the same employer, or
    sharing a worker."""
    if first.enterprise_id == second.enterprise_id or shares_workers(first, second):
        return None
    return _("%(first)s and %(second)s are of different employers and share no worker.") % {
        "first": first.number,
        "second": second.number,
    }


def not_open(petition):
    """Why the petition can take no part in a merge, or None."""
    if petition.merged_into_id is not None:
        return _("%(number)s was already merged into another petition.") % {
            "number": petition.number
        }
    if not petition.is_open:
        return _("%(number)s is finished (%(status)s); only open petitions are merged.") % {
            "number": petition.number,
            "status": petition.get_status_display(),
        }
    return None


def reasons_not_to_close(petition):
    """Why the petition may not be the one closed by a merge (empty when it may): what was
    agreed or paid on it belongs to its own workers' claims."""
    reasons = []
    if petition.agreements.exists():
        reasons.append(
            _("%(number)s has a mediation agreement; merge the other petition into it instead.")
            % {"number": petition.number}
        )
    return reasons + hooks.reasons_not_to_merge(petition)


def repeat_suggestion(petition, user):
    """The open petition this one may repeat (same employer, a worker in common), when the user
    could merge the two; else None."""
    if not petition.is_open or not may_merge(user, petition):
        return None
    id_numbers = petition.claims.values_list("worker__id_number", flat=True)
    repeat = find_open_repeat(petition.enterprise, id_numbers, exclude=petition)
    return repeat if repeat is not None and may_merge(user, repeat) else None


def merged_family(petition):
    """The ids of the petition and of every petition merged into it, directly or through one
    that was merged into it."""
    found, level = [petition.pk], [petition.pk]
    while level:
        level = list(Petition.objects.filter(merged_into__in=level).values_list("pk", flat=True))
        found += level
    return found


def timeline(petition):
    """The petition's events with those of the petitions merged into it, each once, in time
    order (the events stay on their own petition: they are append-only)."""
    family = merged_family(petition)
    return (
        CaseEvent.objects.filter(petition__in=family)
        .select_related("actor", "petition")
        .order_by("at", "id")
    )


def preview(merged, survivor):
    """What a merge would do to the workers: those who move, and those already on both."""
    on_survivor = set(survivor.claims.values_list("worker_id", flat=True))
    claims = list(merged.claims.select_related("worker"))
    return {
        "moving": [c for c in claims if c.worker_id not in on_survivor],
        "on_both": [c for c in claims if c.worker_id in on_survivor],
    }


@transaction.atomic
def merge_petitions(merged, survivor, *, actor, reason):
    """Close `merged` into `survivor` and carry its workers over. Returns the survivor's
    MERGED_IN event.

    Raises ValidationError (bad input, per field), PermissionDenied (not a supervisor of both
    units), TransitionRefused (the pair may not be merged, with the reasons) or Conflict (one of
    them changed since the caller read it, e.g. merged by someone else meanwhile).
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the petitions are merged.")})
    if merged.pk == survivor.pk:
        raise ValidationError({"other": _("A petition cannot be merged into itself.")})
    if not (may_merge(actor, merged) and may_merge(actor, survivor)):
        raise PermissionDenied(_("Only a supervisor of both petitions' units may merge them."))
    pair = fresh_merged, fresh_survivor = _lock_both(merged, survivor)
    refused = [r for r in (not_open(fresh_merged), not_open(fresh_survivor), unrelated(*pair)) if r]
    refused += reasons_not_to_close(fresh_merged)
    if refused:
        raise TransitionRefused(" ".join(refused))

    from_status = fresh_merged.status
    moved, on_both, differing = _carry_claims(fresh_merged, fresh_survivor)
    dropped = _limit_representatives(fresh_survivor, moved)
    evidence = Evidence.objects.filter(petition=fresh_merged).update(petition=fresh_survivor)
    _close_merged(fresh_merged, fresh_survivor)
    for petition in (merged, survivor):
        petition.refresh_from_db()

    CaseEvent.objects.create(
        petition=merged,
        actor=actor,
        transition=EventName.MERGE,
        from_status=from_status,
        to_status=merged.status,
        reason=reason,
        data={"merged_into": survivor.number, "workers_moved": len(moved)},
    )
    signals.petition_transitioned.send(
        Petition, petition=merged, actor=actor, transition="merge", from_status=from_status
    )
    was_group = survivor.is_group
    _set_group_flag(survivor)
    event = record_event(
        survivor,
        EventName.MERGED_IN,
        actor=actor,
        reason=reason,
        data={
            "merged_from": merged.number,
            "workers_added": len(moved),
            "workers_on_both": on_both,
            "claims_differ": differing,
            "representatives_dropped": dropped,
            "evidence_moved": evidence,
            "group": survivor.is_group,
        },
    )
    signals.facts_linked.send(
        Petition, petition=survivor, actor=actor, became_group=survivor.is_group and not was_group
    )
    return event


def _lock_both(merged, survivor):
    """Both petitions re-read under their row locks, taken in id order (no deadlock between
    two merges of the same pair); Conflict if either changed since the caller read it."""
    pair = Petition.objects.select_for_update().filter(pk__in=[merged.pk, survivor.pk])
    fresh = {p.pk: p for p in pair.order_by("pk")}
    for given in (merged, survivor):
        now = fresh[given.pk]
        if (now.status, now.merged_into_id) != (given.status, given.merged_into_id):
            raise Conflict(
                _("%(number)s was changed by someone else meanwhile; reload it.")
                % {"number": given.number}
            )
    return fresh[merged.pk], fresh[survivor.pk]


def _carry_claims(merged, survivor):
    """Move the merged petition's claims of workers not on the survivor; a worker on both
    keeps the survivor's claim (the merged one's stays where it was, as its record). Returns
    (moved claim ids, the number on both, "name: amount" of those whose amounts differ)."""
    kept = {c.worker_id: c for c in survivor.claims.all()}
    moved, differing, on_both = [], [], 0
    for claim in merged.claims.all():
        mine = kept.get(claim.worker_id)
        if mine is None:
            moved.append(claim.pk)
            continue
        on_both += 1
        if mine.claimed_amount != claim.claimed_amount:
            differing.append(f"{claim.name}: {claim.claimed_amount}")
    Claim.objects.filter(pk__in=moved).update(petition=survivor)
    return moved, on_both, differing


def _limit_representatives(survivor, moved):
    """The survivor keeps at most MAX_REPRESENTATIVES: if the moved representatives would pass
    it, they stop being representatives (the survivor's group elects again). Returns how many."""
    limit = settings.CASEWORK["MAX_REPRESENTATIVES"]
    if survivor.claims.filter(is_representative=True).count() <= limit:
        return 0
    return Claim.objects.filter(pk__in=moved, is_representative=True).update(
        is_representative=False
    )


def _close_merged(merged, survivor):
    try:
        merged.merge()
        merged.merged_into = survivor
        merged.save(update_fields=["status", "merged_into", "updated_at"])
    except ConcurrentTransition:
        raise Conflict(_("The petition was changed by someone else; reload it.")) from None


def _set_group_flag(petition):
    is_group = petition.claims.count() >= settings.CASEWORK["GROUP_PETITION_MIN_WORKERS"]
    if is_group != petition.is_group:
        # A plain update: the survivor's status is not rewritten.
        Petition.objects.filter(pk=petition.pk).update(is_group=is_group)
        petition.is_group = is_group
