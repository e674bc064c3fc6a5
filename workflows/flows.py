"""The petition flow: who must do what next, for every petition, from intake to closure.

Each human task (a `Step`) is finished by one of the petition's own transitions: the task
completes inside the transition's transaction (see `workflows.receivers`), so a task and the
petition's status can never disagree, and nothing sets a status by assigning a task.
"""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.status import STATUS

from casework import access
from casework.exceptions import Conflict
from casework.models import (
    Membership,
    Petition,
    Role,
    Status,
    mediated_by,
)
from casework.roles import SUPERVISOR_ROLES

from . import assignment, deadlines
from .models import (
    OPEN_TASK_STATUSES,
    PetitionProcess,
    PetitionTask,
)


def _transition_roles():
    field = Petition._meta.get_field("status")
    return {t.name: t.permission.roles for t in field.get_all_transitions(Petition)}


class Step(flow.View):
    """A human task that one of the named petition transitions completes.

    Who may take it is the union of the roles those transitions need, at the petition's unit or
    above; a supervisor there may also move it between people.
    """

    def __init__(self, *transitions, title):
        super().__init__(view=None)
        self.transitions = transitions
        self.task_title = title

    @cached_property
    def roles(self):
        roles = _transition_roles()
        return frozenset().union(*(roles[name] for name in self.transitions))

    def may_take(self, user, task):
        return access.has_role_at(user, task.petition.org_unit, self.roles)

    def due_for(self, task):
        """When a task of this step falls due, in PRC working days (`deadlines.task_due_at`)."""
        return deadlines.task_due_at(task)

    def may_manage(self, user, task):
        return access.has_role_at(user, task.petition.org_unit, SUPERVISOR_ROLES)

    def can_assign(self, user, task):
        return (
            task.owner_id is None
            and user.is_authenticated
            and self.may_take(user, task)
            and not assignment.is_recused(user, task.petition)
        )

    def can_unassign(self, user, task):
        return task.owner_id is not None and (
            task.owner_id == user.pk or self.may_manage(user, task)
        )

    def can_execute(self, user, task):
        return task.owner_id == user.pk


class CallbackStep(Step):
    """The callback: open to the unit's front desk and supervisors, never to the mediator of the
    case, since the rating must be the worker's."""

    def may_take(self, user, task):
        return super().may_take(user, task) and not mediated_by(task.petition, user)


class PetitionFlow(flow.Flow):
    """Petition

    From intake through triage, mediation, the agreement and its fulfilment or a referral, to the
    closing notice.
    """

    process_class = PetitionProcess
    task_class = PetitionTask
    # Two people acting on one petition wait for each other on the process row (PostgreSQL;
    # SQLite serializes writers anyway). Waiting, not NOWAIT: our services hold an outer
    # transaction, and viewflow's NOWAIT retry catches the error inside its savepoint, which
    # leaves that transaction aborted.
    lock_impl = lock.SelectForUpdateLock(nowait=False)

    start = flow.StartHandle(this.begin).Next(this.triage)
    resume = flow.StartHandle(this.begin).Next(this.start_mediation)

    triage = Step("accept", "reject", "refer_out", title=_("Triage")).Next(this.triaged)
    triaged = flow.If(this.is_accepted).Then(this.start_mediation).Else(this.close)

    start_mediation = (
        Step("start_mediation", title=_("Start mediation"))
        .Assign(this.pick_mediator)
        .Next(this.mediate)
    )
    mediate = (
        Step("reach_agreement", "fail_mediation", title=_("Mediate"))
        .Assign(this.start_mediation.owner)
        .Next(this.mediated)
    )
    mediated = flow.If(this.has_agreement).Then(this.check_fulfilment).Else(this.refer)

    check_fulfilment = (
        Step("confirm_fulfilment", "record_breach", title=_("Check fulfilment"))
        .Assign(this.mediate.owner)
        .Next(this.checked)
    )
    checked = flow.If(this.is_fulfilled).Then(this.callback).Else(this.refer)

    # Before a fulfilled case closes, someone other than its mediator calls a worker back.
    callback = CallbackStep("record_callback", "return_to_mediation", title=_("Callback")).Next(
        this.called_back
    )
    called_back = flow.If(this.is_fulfilled).Then(this.close).Else(this.mediate)

    refer = Step("refer", title=_("Refer")).Assign(this.last_owner).Next(this.close)
    close = Step("close", title=_("Close")).Assign(this.last_owner).Next(this.end)
    end = flow.End()

    def begin(self, activation, petition):
        activation.process.petition = petition
        activation.process.artifact = petition

    def is_accepted(self, activation):
        return self._status(activation) == Status.ACCEPTED

    def has_agreement(self, activation):
        return self._status(activation) == Status.AGREEMENT_REACHED

    def is_fulfilled(self, activation):
        return self._status(activation) == Status.FULFILLED

    @staticmethod
    def _status(activation):
        return Petition.objects.values_list("status", flat=True).get(
            pk=activation.process.petition_id
        )

    def pick_mediator(self, activation):
        """The mediator of the petition's grid area (or above) with the lightest load
        (`assignment.load_of_user`), leaving out those on leave today and those recused from
        the petition's enterprise; one query however many mediators there are."""
        petition = activation.process.petition
        candidates = (
            Membership.objects.filter(
                role=Role.MEDIATOR,
                org_unit__path__in=petition.org_unit.ancestor_paths,
                user__is_active=True,
            )
            .exclude(user__in=assignment.absent_on())
            .exclude(user__in=assignment.recused_from(petition.enterprise_id))
            .values("user")
            .annotate(load=assignment.load_of_user())
            .order_by("load", "user")
        )
        first = candidates.first()
        return first and Membership.user.field.related_model.objects.get(pk=first["user"])

    def last_owner(self, activation):
        """Whoever did the petition's last human task in this path keeps it, if they may take
        the new step (a clerk who referred a case out may not close it: it goes to the queue)."""
        done = (
            PetitionTask.objects.filter(
                process=activation.process, flow_task_type="HUMAN", status=STATUS.DONE
            )
            .exclude(owner=None)
            .order_by("-finished", "-pk")
            .select_related("owner")
            .first()
        )
        if done is None:
            return None
        unit = activation.process.petition.org_unit
        return (
            done.owner if access.has_role_at(done.owner, unit, activation.flow_task.roles) else None
        )

    def has_manage_permission(self, user, obj=None):
        # Model-wide "manage" would let a supervisor of one zone move another zone's work.
        if obj is None:
            return False
        return access.has_role_at(user, obj.petition.org_unit, SUPERVISOR_ROLES)


# Steps of the flows above the petition's (fund.flows.ReleaseFlow, escalation's EscalationFlow):
# each task is completed by its own service's step, inside that step's transaction.


class RoleStep(flow.View):
    """A human task for holders of `roles` at the petition's unit or above, reached through the
    task's `subject` (its release, its escalation); only its holder finishes it. The service
    that completes it checks the same, and four eyes where money moves."""

    subject = None

    def __init__(self, roles, *, title):
        super().__init__(view=None)
        self.roles = frozenset(roles)
        self.task_title = title

    def may_take(self, user, task):
        petition = getattr(task, self.subject).petition
        return access.has_role_at(user, petition.org_unit, self.roles)

    def can_assign(self, user, task):
        return task.owner_id is None and user.is_authenticated and self.may_take(user, task)

    def can_unassign(self, user, task):
        return task.owner_id is not None and task.owner_id == user.pk

    def can_execute(self, user, task):
        return task.owner_id == user.pk


def finish_task(flow_class, task, actor, *, busy):
    """Complete `task` as `actor` under the flow's lock, inside the caller's transaction (the
    caller's service has checked who may act). `busy`: the conflict's message when the lock
    cannot be had."""
    try:
        with flow_class.lock(task.process_id):
            task.refresh_from_db()
            if task.status not in OPEN_TASK_STATUSES:
                raise Conflict(_("This task has already been completed."))
            activation = task.flow_task.activation_class(task)
            if task.owner_id is None:
                activation.assign(actor)
            elif task.owner_id != actor.pk:
                activation.reassign(actor)
            if task.status == STATUS.ASSIGNED:
                activation.start(None)
            activation.execute()
    except FlowLockFailed:
        raise Conflict(busy) from None
