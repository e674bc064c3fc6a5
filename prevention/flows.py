"""The warning flow: one human task, handle the warning (visit, talk to the employer, record what
was done), finished by closing the warning or turning it into a petition. The task goes to the
mediator of the enterprise's grid area, or waits in that area's queue when it has none.

`prevention.services` starts a path when a warning opens and completes the task inside the
transaction of the close or the conversion.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from casework import access
from casework.models import Membership
from casework.roles import MEDIATION_ROLES, Role

from .models import WarningProcess, WarningTask


class WarningStep(flow.View):
    """The warning's human task: for a mediator (or supervisor) of the enterprise's grid area or
    above; only its holder finishes it, and the service that does checks the same."""

    def __init__(self, *, title):
        super().__init__(view=None)
        self.roles = frozenset(MEDIATION_ROLES)
        self.task_title = title

    def may_take(self, user, task):
        return access.has_role_at(user, task.warning.enterprise.grid_area, self.roles)

    def can_assign(self, user, task):
        return task.owner_id is None and user.is_authenticated and self.may_take(user, task)

    def can_unassign(self, user, task):
        return task.owner_id is not None and task.owner_id == user.pk

    def can_execute(self, user, task):
        return task.owner_id == user.pk


class WarningFlow(flow.Flow):
    """Early warning of wage arrears

    From the report or visit that opened it, through the grid mediator's visit to the employer,
    to its closure or the petition it turned into.
    """

    process_class = WarningProcess
    task_class = WarningTask
    # Waiting, not NOWAIT, for the reason given on `workflows.flows.PetitionFlow.lock_impl`.
    lock_impl = lock.SelectForUpdateLock(nowait=False)

    start = flow.StartHandle(this.begin).Next(this.handle)
    handle = (
        WarningStep(title=_("Handle the early warning")).Assign(this.grid_mediator).Next(this.end)
    )
    end = flow.End()

    def begin(self, activation, warning):
        activation.process.warning = warning
        activation.process.artifact = warning

    def grid_mediator(self, activation):
        """The first active mediator of the enterprise's own grid area, or None (the queue)."""
        grid = activation.process.warning.enterprise.grid_area
        members = Membership.objects.filter(role=Role.MEDIATOR, org_unit=grid).values("user")
        users = get_user_model().objects.filter(pk__in=members, is_active=True)
        return users.order_by("pk").first()


def start_warning_path(warning):
    """Start the warning's flow (when it opens), in the caller's transaction."""
    return WarningFlow.start.run(warning=warning)
