"""Escalation to the party working committee (党工委): acknowledge -> record the coordination ->
form the task force -> for a group petition: elect representatives -> travel home -> job
referrals; then close with an outcome. `escalation.services` starts a path when a petition is
escalated and completes each task inside the transaction of its own step.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from casework.models import Petition
from casework.roles import LIAISON_ROLES
from workflows.flows import RoleStep

from .models import EscalationProcess, EscalationTask


class LiaisonStep(RoleStep):
    """A human task of the escalation flow, for a committee liaison."""

    subject = "escalation"

    def __init__(self, *, title):
        super().__init__(LIAISON_ROLES, title=title)


class EscalationFlow(flow.Flow):
    """Escalation to the party working committee

    From the liaison's acknowledgement through the departments convened and the task force (and,
    for a group petition, representatives, travel home and job referrals) to the outcome.
    """

    process_class = EscalationProcess
    task_class = EscalationTask
    # Waiting, not NOWAIT, for the reason given on `workflows.flows.PetitionFlow.lock_impl`.
    lock_impl = lock.SelectForUpdateLock(nowait=False)

    start = flow.StartHandle(this.begin).Next(this.acknowledge)
    acknowledge = LiaisonStep(title=_("Acknowledge the escalation")).Next(this.coordinate)
    coordinate = LiaisonStep(title=_("Record the coordination")).Next(this.form_task_force)
    form_task_force = LiaisonStep(title=_("Form the task force")).Next(this.for_group)
    for_group = flow.If(this.is_group).Then(this.elect_representatives).Else(this.close)
    elect_representatives = LiaisonStep(title=_("Elect representatives")).Next(this.travel_home)
    travel_home = LiaisonStep(title=_("Travel home for non-local workers")).Next(this.refer_jobs)
    refer_jobs = LiaisonStep(title=_("Job referrals")).Next(this.close)
    close = LiaisonStep(title=_("Close with an outcome")).Next(this.end)
    end = flow.End()

    def begin(self, activation, escalation):
        activation.process.escalation = escalation
        activation.process.artifact = escalation.petition

    def is_group(self, activation):
        petition_id = activation.process.escalation.petition_id
        return Petition.objects.filter(pk=petition_id, is_group=True).exists()
