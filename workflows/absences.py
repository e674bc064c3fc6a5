"""Mediators' leave and recusals, recorded by a supervisor of their unit. While on leave a
mediator is given no new work (`flows.PetitionFlow.pick_mediator`), and when the leave starts
their open tasks go back to the queue, each with a "task released" event on its petition: at
once for a leave starting today, else by the timer loop (`release_due`). A recusal keeps a
mediator from an enterprise's cases: never picked, never claimed, never given."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import access
from casework.events import EventName
from casework.models import Enterprise, Membership, Role
from casework.roles import SUPERVISOR_ROLES
from casework.services import record_event

from .flows import PetitionFlow
from .models import OPEN_TASK_STATUSES, MediatorAbsence, PetitionTask, Recusal
from .services import put_back
from .signals import tasks_released


def _supervised_units(user):
    return access.units_where(user, SUPERVISOR_ROLES)


def mediators_under(user):
    """The active mediators of the units the user supervises, by user name."""
    members = Membership.objects.filter(
        role=Role.MEDIATOR, org_unit__in=_supervised_units(user)
    ).values("user")
    return get_user_model().objects.filter(pk__in=members, is_active=True).order_by("username")


def enterprises_under(user):
    return Enterprise.objects.filter(grid_area__in=_supervised_units(user)).order_by("name")


def may_record(user):
    """Whether the user supervises some unit (no query: memberships are cached)."""
    return access.holds_role(user, SUPERVISOR_ROLES)


def _check_supervises(actor, mediator):
    if not mediators_under(actor).filter(pk=mediator.pk).exists():
        raise PermissionDenied(_("Only a supervisor of the mediator's unit may."))


def absences_seen_by(user):
    """The leave of the mediators the user supervises that has not ended yet."""
    return (
        MediatorAbsence.objects.filter(
            user__in=mediators_under(user), ends_on__gte=timezone.localdate()
        )
        .select_related("user", "recorded_by")
        .order_by("starts_on", "pk")
    )


def recusals_seen_by(user):
    return Recusal.objects.filter(enterprise__in=enterprises_under(user)).select_related(
        "mediator", "enterprise", "recorded_by"
    )


@transaction.atomic
def record_absence(*, actor, mediator, starts_on, ends_on, reason):
    """A supervisor records a mediator's leave; if it starts today (or began already), their
    open tasks go back to the queue now."""
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The leave cannot end before it starts.")})
    if ends_on < timezone.localdate():
        raise ValidationError({"ends_on": _("This leave is over already.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the mediator is away.")})
    _check_supervises(actor, mediator)
    absence = MediatorAbsence.objects.create(
        user=mediator,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason.strip(),
        recorded_by=actor,
    )
    if starts_on <= timezone.localdate():
        _claim_and_release(absence.pk)
    return absence


def _claim_and_release(pk):
    """Release the absent mediator's tasks, once: the absence is claimed by a conditional
    update, so two timer loops (or a loop and the recording) never both release it."""
    if not MediatorAbsence.objects.filter(pk=pk, released_at=None).update(
        released_at=timezone.now()
    ):
        return 0
    absence = MediatorAbsence.objects.select_related("user", "recorded_by").get(pk=pk)
    reason = _("On leave from %(from)s to %(to)s: %(reason)s") % {
        "from": absence.starts_on,
        "to": absence.ends_on,
        "reason": absence.reason,
    }
    released = [
        task
        for task in _open_tasks_of(absence.user)
        if _release(task, holder=absence.user, actor=absence.recorded_by, reason=reason)
    ]
    tasks_released.send(MediatorAbsence, absence=absence, tasks=released)
    return len(released)


def _open_tasks_of(user, **petition):
    """The user's open tasks of the petition flow (the fund's and escalation's flows keep
    tasks of their own, which stay with their holders), of petitions matching `petition`."""
    tasks = PetitionTask.objects.filter(owner=user, is_open=True, flow_task_type="HUMAN").filter(
        **{f"petition__{name}": value for name, value in petition.items()}
    )
    return list(tasks.select_related("petition__org_unit").order_by("pk"))


def _release(task, *, holder, actor, reason):
    """Put one task back into the queue under its flow's lock, if `holder` still holds it. A
    lock not had in time raises: the whole release is tried again on a later pass."""
    with PetitionFlow.lock(task.process_id):
        task.refresh_from_db()
        if task.owner_id != holder.pk or task.status not in OPEN_TASK_STATUSES:
            return False
        put_back(task, task.flow_task.activation_class(task))
        record_event(
            task.petition,
            EventName.UNASSIGN,
            actor=actor,
            reason=reason,
            data={"task": task.flow_task.name, "owner": holder.get_username()},
        )
    return True


def release_due():
    """A timer source (`timers.register_timer_source`): release the tasks of every mediator
    whose leave has started and whose tasks were not released yet. The number released."""
    today = timezone.localdate()
    due = MediatorAbsence.objects.filter(released_at=None, starts_on__lte=today, ends_on__gte=today)
    released = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            released += _claim_and_release(pk)
    return released


@transaction.atomic
def record_recusal(*, actor, mediator, enterprise, reason):
    """A supervisor records a mediator's conflict with an enterprise (回避)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the conflict is.")})
    _check_supervises(actor, mediator)
    if not enterprises_under(actor).filter(pk=enterprise.pk).exists():
        raise PermissionDenied(_("Only a supervisor of the enterprise's unit may."))
    try:
        with transaction.atomic():
            recusal = Recusal.objects.create(
                mediator=mediator, enterprise=enterprise, reason=reason.strip(), recorded_by=actor
            )
    except IntegrityError:
        raise ValidationError({"enterprise": _("This conflict is on record already.")}) from None
    # What the mediator already holds of the enterprise goes back to the queue at once.
    why = _("Recused from %(enterprise)s: %(reason)s") % {
        "enterprise": enterprise,
        "reason": recusal.reason,
    }
    for task in _open_tasks_of(mediator, enterprise=enterprise):
        _release(task, holder=mediator, actor=actor, reason=why)
    return recusal
