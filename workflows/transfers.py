"""Handing a petition to another unit: another zone union, up to the federation, down to a grid
area, or to the right area when the clue platform or 12351 sent it to the wrong one.

The sender keeps the case until the receiver answers: the receiver accepts it (its open task
joins their queue) or sends it back with a reason, within `TRANSFER_ANSWER_WORKING_DAYS`; one not
answered by then is taken as accepted, so a case is never nobody's.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import services as casework
from casework.access import users_holding
from casework.events import EventName
from casework.exceptions import Conflict, TransitionRefused
from casework.models import FINISHED_STATUSES, Membership, OrgUnit, Petition, Status
from casework.roles import INTAKE_ROLES, has_role_at

from . import calendar
from .models import PetitionTask, Transfer
from .services import locked_task, put_back
from .signals import transfer_announced

# Steps after which a petition stays where it was handled.
NOT_TRANSFERABLE = (*FINISHED_STATUSES, Status.CLOSED)


def may_transfer(user, petition):
    return petition.status not in NOT_TRANSFERABLE and has_role_at(
        user, petition.org_unit, INTAKE_ROLES
    )


def may_answer(user, transfer):
    return transfer.state == Transfer.State.PENDING and has_role_at(
        user, transfer.to_unit, INTAKE_ROLES
    )


def pending(petition):
    return petition.transfers.filter(state=Transfer.State.PENDING).select_related("to_unit").first()


def answer_by(now=None):
    """The end of the last working day the receiver has to answer."""
    today = timezone.localdate(now)
    days = settings.CASEWORK["TRANSFER_ANSWER_WORKING_DAYS"]
    return calendar.end_of_day(calendar.add_working_days(today, days))


def receivers_of(unit):
    """Who answers for `unit`: its own front desk and supervisors (those above it only if it has
    none, so that a zone's transfer does not reach every clerk of the federation)."""
    own = Membership.objects.filter(org_unit=unit, role__in=INTAKE_ROLES, user__is_active=True)
    users = {m.user for m in own.select_related("user")}
    if users:
        return sorted(users, key=lambda user: user.pk)
    return list(users_holding(unit, INTAKE_ROLES))


@transaction.atomic
def request_transfer(petition, *, actor, to_unit, reason):
    """Hand the petition to `to_unit`, saying why. Conflict if it is already in transfer."""
    # Where it is now, read afresh: a transfer accepted meanwhile moved it.
    petition = Petition.objects.select_related("org_unit").get(pk=petition.pk)
    if not has_role_at(actor, petition.org_unit, INTAKE_ROLES):
        raise PermissionDenied(_("You may not transfer this petition."))
    if petition.status in NOT_TRANSFERABLE:
        raise TransitionRefused(
            _("A petition that is “%(status)s” stays where it was handled.")
            % {"status": petition.get_status_display()}
        )
    errors = {}
    if not isinstance(to_unit, OrgUnit) or to_unit.pk == petition.org_unit_id:
        errors["to_unit"] = _("Choose another unit than the one handling the petition now.")
    if not reason.strip():
        errors["reason"] = _("Say why the petition is transferred.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            transfer = Transfer.objects.create(
                petition=petition,
                from_unit=petition.org_unit,
                to_unit=to_unit,
                reason=reason.strip(),
                requested_by=actor,
                answer_by=answer_by(),
            )
    except IntegrityError:
        raise Conflict(_("This petition is already in transfer.")) from None
    casework.record_event(
        petition,
        EventName.TRANSFER_REQUESTED,
        actor=actor,
        reason=transfer.reason,
        data=_data(transfer),
    )
    transfer_announced.send(Transfer, transfer=transfer, step="requested")
    return transfer


def _data(transfer):
    return {
        "from_unit": transfer.from_unit.name,
        "to_unit": transfer.to_unit.name,
        "answer_by": timezone.localdate(transfer.answer_by).isoformat(),
    }


def _answer(transfer, state, *, actor, now, reason=""):
    """Mark the pending transfer answered, once: the second of two answers at once is a
    Conflict (a conditional update, so on SQLite as on PostgreSQL)."""
    answered = Transfer.objects.filter(pk=transfer.pk, state=Transfer.State.PENDING).update(
        state=state, answered_by=actor, answered_at=now, return_reason=reason
    )
    if not answered:
        raise Conflict(_("This transfer has already been answered."))
    transfer.refresh_from_db()


@transaction.atomic
def accept_transfer(transfer, *, actor, now=None):
    """The receiving unit takes the petition: it is theirs from now, and its open task waits in
    their queue. `actor` None: the time to answer ran out (`accept_unanswered`)."""
    now = now or timezone.now()
    if actor is not None and not has_role_at(actor, transfer.to_unit, INTAKE_ROLES):
        raise PermissionDenied(_("Only the receiving unit may accept this transfer."))
    _answer(transfer, Transfer.State.ACCEPTED, actor=actor, now=now)
    petition = Petition.objects.select_for_update().get(pk=transfer.petition_id)
    to_unit = transfer.to_unit
    zone = to_unit.zone() or petition.zone  # the federation handles it within its zone's count
    Petition.objects.filter(pk=petition.pk).update(org_unit=to_unit, zone=zone, updated_at=now)
    petition.org_unit, petition.zone = to_unit, zone
    for task in PetitionTask.objects.filter(petition=petition, is_open=True):
        _move_to_queue(task, to_unit, actor)
    casework.record_event(
        petition,
        EventName.TRANSFER_ACCEPTED,
        actor=actor,
        data={**_data(transfer), "deemed": actor is None},
    )
    transfer_announced.send(Transfer, transfer=transfer, step="accepted")
    return transfer


def _move_to_queue(task, unit, actor):
    with locked_task(task, actor) as activation:
        if task.owner_id is not None:
            put_back(task, activation)
        task.org_unit = unit
        task.save(update_fields=["org_unit"])


@transaction.atomic
def return_transfer(transfer, *, actor, reason, now=None):
    """The receiving unit sends the petition back (退回), saying why, before the answer is due."""
    now = now or timezone.now()
    if not has_role_at(actor, transfer.to_unit, INTAKE_ROLES):
        raise PermissionDenied(_("Only the receiving unit may send this transfer back."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the petition is sent back.")})
    if transfer.state == Transfer.State.PENDING and now > transfer.answer_by:
        raise Conflict(_("The time to send it back has passed: the transfer counts as accepted."))
    _answer(transfer, Transfer.State.RETURNED, actor=actor, now=now, reason=reason.strip())
    casework.record_event(
        transfer.petition,
        EventName.TRANSFER_RETURNED,
        actor=actor,
        reason=transfer.return_reason,
        data=_data(transfer),
    )
    transfer_announced.send(Transfer, transfer=transfer, step="returned")
    return transfer


def accept_unanswered(now=None):
    """Timer source: transfers whose time to answer ran out are taken as accepted."""
    now = now or timezone.now()
    accepted = 0
    due = Transfer.objects.filter(state=Transfer.State.PENDING, answer_by__lt=now)
    for transfer in due.select_related("petition", "to_unit", "from_unit")[:100]:
        try:
            accept_transfer(transfer, actor=None, now=now)
        except Conflict:  # answered meanwhile
            continue
        accepted += 1
    return accepted


def transfer_stops_merge(petition):
    """A petition in transfer is not merged away: the receiving unit may be taking it."""
    transfer = pending(petition)
    if transfer is not None:
        return _("%(number)s is in transfer to %(unit)s; wait for the answer.") % {
            "number": petition.number,
            "unit": transfer.to_unit,
        }
    return None
