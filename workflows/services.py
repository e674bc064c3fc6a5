"""Operations on petition tasks: start a path, claim, unassign, reassign, and complete a task by
firing its transition. Pages and the API call these; the rules live in `flows.Step`."""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.status import PROCESS, STATUS

from casework import access
from casework import services as casework
from casework.exceptions import Conflict, TransitionRefused

from . import assignment
from .flows import PetitionFlow
from .models import OPEN_TASK_STATUSES, Deadline, PetitionProcess, PetitionTask
from .signals import acting_user


def start_path(petition, *, reopened=False):
    """Start the petition's flow: at triage for a new petition, at mediation for a reopened one."""
    node = PetitionFlow.resume if reopened else PetitionFlow.start
    return node.run(petition=petition)


def open_task(petition):
    """The petition's open human task, or None once its path has ended."""
    return (
        PetitionTask.objects.filter(
            petition=petition, flow_task_type="HUMAN", status__in=OPEN_TASK_STATUSES
        )
        .select_related("petition__org_unit", "owner")
        .first()
    )


@contextmanager
def locked_task(task, actor):
    """The task's activation, re-read under its flow's lock and still open; else Conflict.
    Tasks assigned meanwhile are sent with `task_assigned` as given `by` the actor."""
    acting = acting_user.set(actor)
    try:
        with PetitionFlow.lock(task.process_id):
            task.refresh_from_db()
            if task.status not in OPEN_TASK_STATUSES:
                raise Conflict(_("This task has already been completed."))
            yield task.flow_task.activation_class(task)
    except FlowLockFailed:
        raise Conflict(_("Someone else is working on this task; try again.")) from None
    finally:
        acting_user.reset(acting)


def _record(task, actor, name, data, reason=""):
    casework.record_event(
        task.petition, name, actor=actor, reason=reason, data={"task": task.flow_task.name, **data}
    )


@transaction.atomic
def claim_task(task, *, actor):
    """Take an unassigned task from the queue. Conflict if someone claimed it first."""
    with locked_task(task, actor) as activation:
        if task.owner_id is not None:
            raise Conflict(_("Someone else claimed this task first."))
        if assignment.is_recused(actor, task.petition):
            raise PermissionDenied(RECUSED)
        if not task.flow_task.can_assign(actor, task):
            raise PermissionDenied(_("You may not take this task."))
        activation.assign(actor)
        _record(task, actor, "claim", {"owner": actor.get_username()})
    return task


@transaction.atomic
def unassign_task(task, *, actor, reason=""):
    """Put a task back into the queue: its holder, or a supervisor of the petition's unit."""
    with locked_task(task, actor) as activation:
        if task.owner_id is None:
            raise Conflict(_("This task is not assigned."))
        if not task.flow_task.can_unassign(actor, task):
            raise PermissionDenied(_("You may not release this task."))
        previous = task.owner.get_username()
        put_back(task, activation)
        _record(task, actor, "unassign", {"owner": previous}, reason)
    return task


# A recorded conflict with the petition's enterprise (recusal, 回避): said plainly, as the
# people involved know of it.
RECUSED = gettext_lazy(
    "You have a recorded conflict with this enterprise and may not take its cases."
)
RECUSED_OTHER = gettext_lazy("This person has a recorded conflict with this enterprise.")


def put_back(task, activation):
    """Back into the queue, under the caller's lock: no holder, and not started."""
    activation.unassign()
    if task.status == STATUS.STARTED:
        task.status = STATUS.NEW
        task.save(update_fields=["status"])


# One answer for an unknown person and one out of reach, so that names cannot be probed.
NOT_A_TAKER = gettext_lazy("No one by that name may take this task.")


@transaction.atomic
def reassign_task(task, *, actor, to_user, reason):
    """A supervisor moves a task to another person who may take it, saying why."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the task is moved.")})
    with locked_task(task, actor) as activation:
        if not task.flow_task.may_manage(actor, task):
            raise PermissionDenied(_("Only a supervisor of this unit may reassign its tasks."))
        if not task.flow_task.may_take(to_user, task):
            raise ValidationError({"to_user": NOT_A_TAKER})
        if assignment.is_recused(to_user, task.petition):
            raise ValidationError({"to_user": RECUSED_OTHER})
        previous = task.owner.get_username() if task.owner_id else None
        if task.owner_id is None:
            activation.assign(to_user)
        else:
            activation.reassign(to_user)
        _record(task, actor, "reassign", {"from": previous, "to": to_user.get_username()}, reason)
    return task


def complete_task(petition, transition, actor):
    """Finish the open task that `transition` belongs to, as `actor`: called inside the
    transition's transaction, so the task and the status change together or not at all."""
    task = open_task(petition)
    if task is None or transition not in task.flow_task.transitions:
        raise TransitionRefused(_("This petition has no open task for that step."))
    with locked_task(task, actor) as activation:
        if task.owner_id is None:
            if not task.flow_task.can_assign(actor, task):
                raise PermissionDenied(_("You may not take this task."))
            activation.assign(actor)
        elif task.owner_id != actor.pk:
            if not task.flow_task.may_manage(actor, task):
                raise PermissionDenied(
                    _("This task is held by %(owner)s.") % {"owner": task.owner.get_username()}
                )
            activation.reassign(actor)
        if task.status == STATUS.ASSIGNED:
            activation.start(None)
        activation.execute()


def end_path(petition):
    """A petition merged into another ends its path here: its open task is cancelled (nobody did
    it), its process finished as cancelled and its clocks stopped. Its tasks stay its own."""
    task = open_task(petition)
    if task is not None:
        with PetitionFlow.lock(task.process_id):
            task.refresh_from_db()
            if task.status in OPEN_TASK_STATUSES:
                task.flow_task.activation_class(task).cancel()
    for process in PetitionProcess.objects.filter(petition=petition, status=PROCESS.NEW):
        process.status, process.finished = PROCESS.CANCELED, timezone.now()
        process.save(update_fields=["status", "finished"])
    Deadline.objects.filter(petition=petition, closed_at=None).update(closed_at=timezone.now())


def users_who_may_take(task):
    """People to whom a supervisor may move the task."""
    holding = access.users_holding(task.petition.org_unit, task.flow_task.roles)
    recused = assignment.recused_from(task.petition.enterprise_id)
    return holding.exclude(pk__in=recused).order_by("username")
