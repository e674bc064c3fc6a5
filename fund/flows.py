"""The release flow: submit -> approve (supervisor) -> sign (committee liaison, above the fund's
threshold) -> disburse (finance; again while lines stay unpaid) -> recover -> end.

`fund.services` starts a path on submission and completes each task inside the transaction of
its own step, as petition steps do; the release's status is its own FSM field.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from casework.exceptions import Conflict
from casework.roles import FINANCE_ROLES, LIAISON_ROLES, SUPERVISOR_ROLES
from workflows.flows import RoleStep, finish_task
from workflows.models import OPEN_TASK_STATUSES

from .models import (
    OPEN_LINE_STATES,
    Release,
    ReleaseLine,
    ReleaseProcess,
    ReleaseStatus,
    ReleaseTask,
)


class ReleaseStep(RoleStep):
    subject = "release"


class ReleaseFlow(flow.Flow):
    """Emergency-fund release

    From the mediator's submission through approval, the committee's signature when the amount
    calls for it, and payment, to the recovery of the advance from the employer.
    """

    process_class = ReleaseProcess
    task_class = ReleaseTask
    # Waiting, not NOWAIT, for the reason given on `workflows.flows.PetitionFlow.lock_impl`.
    lock_impl = lock.SelectForUpdateLock(nowait=False)

    start = flow.StartHandle(this.begin).Next(this.approve)
    approve = ReleaseStep(SUPERVISOR_ROLES, title=_("Approve the release")).Next(this.approved)
    approved = (
        flow.Switch()
        .Case(this.end, this.is_rejected)
        .Case(this.sign, this.awaits_signature)
        .Default(this.disburse)
    )
    sign = ReleaseStep(LIAISON_ROLES, title=_("Sign the release")).Next(this.signed)
    signed = flow.If(this.is_rejected).Then(this.end).Else(this.disburse)
    disburse = ReleaseStep(FINANCE_ROLES, title=_("Pay the release")).Next(this.disbursed)
    disbursed = flow.If(this.has_open_lines).Then(this.disburse).Else(this.recover)
    recover = ReleaseStep(FINANCE_ROLES, title=_("Recover the advance")).Next(this.end)
    end = flow.End()

    def begin(self, activation, release):
        activation.process.release = release
        activation.process.artifact = release

    @staticmethod
    def _release(activation):
        return Release.objects.get(pk=activation.process.release_id)

    def is_rejected(self, activation):
        return self._release(activation).status == ReleaseStatus.REJECTED

    def awaits_signature(self, activation):
        return self._release(activation).status == ReleaseStatus.AWAITING_SIGNATURE

    def has_open_lines(self, activation):
        return ReleaseLine.objects.filter(
            release_id=activation.process.release_id, state__in=OPEN_LINE_STATES
        ).exists()


def start_release_path(release):
    """Start the release's flow (on its submission), in the caller's transaction."""
    return ReleaseFlow.start.run(release=release)


def open_release_task(release):
    return (
        ReleaseTask.objects.filter(
            release=release, flow_task_type="HUMAN", status__in=OPEN_TASK_STATUSES
        )
        .select_related("owner")
        .first()
    )


def complete_release_step(release, step, actor):
    """Finish the release's open task `step` as `actor`, inside the caller's transaction (the
    service has checked who may act). A task that is not the expected one means the flow and
    the status disagree: refused, so the caller's transaction rolls back."""
    task = open_release_task(release)
    if task is None or task.flow_task.name != step:
        raise Conflict(_("The release's task list is not at this step; reload it."))
    finish_task(
        ReleaseFlow, task, actor, busy=_("Someone else is working on this release; try again.")
    )
