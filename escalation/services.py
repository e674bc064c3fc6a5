"""Escalation to the party working committee (党工委): which petitions go up (`EscalationRule`
rows), at most once each, and the committee liaison's steps of `flows.EscalationFlow`.

Each step is the outermost transaction: it locks the escalation, checks the liaison's role at the
petition's unit or above, records, completes the flow task and writes the petition's CaseEvent.
A step that keeps a list (coordination meetings, the task force, job referrals) takes more
entries after its task is done, while the escalation is open; the others happen once.
"""

import logging
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from casework.access import has_role_at, units_where
from casework.exceptions import Conflict, TransitionRefused
from casework.models import Claim
from casework.roles import LIAISON_ROLES, SUPERVISOR_ROLES
from casework.services import record_event
from workflows import deadlines
from workflows.flows import finish_task
from workflows.models import OPEN_TASK_STATUSES, Deadline, DeadlineKind

from . import signals
from .flows import EscalationFlow
from .models import (
    Coordination,
    Department,
    Escalation,
    EscalationRule,
    EscalationTask,
    JobReferral,
    JobVacancy,
    TaskForceMember,
    TravelHomeNeed,
)

logger = logging.getLogger(__name__)
Kind = EscalationRule.Kind


def announce(escalation, step):
    """THE hook for notifications about escalations (`step`: "escalated", "acknowledged",
    "closed"), inside the transaction that records the step, so what receivers store stands or
    falls with it (they push after the commit); receivers of `signals.escalation_announced` get
    the same arguments."""
    logger.info("escalation of %s: %s", escalation.petition.number, step)
    signals.escalation_announced.send(Escalation, escalation=escalation, step=step)


# Which petitions go up.


def _facts(petition):
    totals = Claim.objects.filter(petition=petition).aggregate(
        workers=Count("pk"), claimed=Sum("claimed_amount")
    )
    return totals["workers"], totals["claimed"] or Decimal("0")


def matching_rules(petition, *, breached=None):
    """The kinds of the active rules the petition matches now; `breached`: the kind of a
    deadline that has just passed."""
    workers, claimed = _facts(petition)
    tests = {
        Kind.GROUP: lambda rule: petition.is_group,
        Kind.WORKERS_ABOVE: lambda rule: workers > rule.threshold,
        Kind.OWNER_MISSING: lambda rule: petition.owner_missing,
        Kind.CLAIMED_ABOVE: lambda rule: claimed > rule.threshold,
        Kind.DEADLINE_BREACHED: lambda rule: (
            breached is not None and rule.deadline in ("", breached)
        ),
    }
    rules = EscalationRule.objects.filter(active=True, kind__in=tests)
    return sorted({rule.kind for rule in rules if tests[rule.kind](rule)})


def escalate_if_matching(petition, *, actor=None, breached=None):
    """Escalate the petition if an active rule matches and it has not gone up yet; inside the
    caller's transaction (intake, new facts, a breached deadline). Returns the new escalation."""
    if Escalation.objects.filter(petition=petition).exists():
        return None
    reasons = matching_rules(petition, breached=breached)
    return _escalate(petition, reasons, actor=actor) if reasons else None


@transaction.atomic
def escalate_petition(petition, *, actor, note):
    """A supervisor's decision to report the petition to the committee, saying why."""
    if not has_role_at(actor, petition.org_unit, SUPERVISOR_ROLES):
        raise PermissionDenied(_("Only a supervisor of this unit may escalate a petition."))
    if not EscalationRule.objects.filter(kind=Kind.DECISION, active=True).exists():
        raise TransitionRefused(_("Escalation by decision is switched off in the rules."))
    if not note.strip():
        raise ValidationError({"note": _("Say why the petition goes to the committee.")})
    escalation = _escalate(petition, [Kind.DECISION], actor=actor, note=note.strip())
    if escalation is None:
        raise Conflict(_("This petition has already been escalated."))
    return escalation


def _escalate(petition, reasons, *, actor, note=""):
    try:
        with transaction.atomic():
            escalation = Escalation.objects.create(
                petition=petition,
                reasons=list(reasons),
                note=note,
                escalated_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:  # someone else escalated it meanwhile: once is enough
        return None
    _event(escalation, "escalate", actor=escalation.escalated_by, reason=note, rules=reasons)
    deadlines.open_deadline(petition, DeadlineKind.ESCALATION_ACK, start=escalation.escalated_at)
    EscalationFlow.start.run(escalation=escalation)
    announce(escalation, "escalated")
    return escalation


def _event(escalation, name, *, actor, reason="", **data):
    return record_event(escalation.petition, name, actor=actor, reason=reason, data=data)


# The liaison's steps.


def may_liaise(user, escalation):
    return has_role_at(user, escalation.petition.org_unit, LIAISON_ROLES)


def escalations_for(user):
    """Escalations of petitions where the user is a committee liaison (or above)."""
    return Escalation.objects.filter(
        petition__org_unit__in=units_where(user, LIAISON_ROLES)
    ).select_related("petition__enterprise", "petition__org_unit")


def open_task(escalation):
    return (
        EscalationTask.objects.filter(
            escalation=escalation, flow_task_type="HUMAN", status__in=OPEN_TASK_STATUSES
        )
        .select_related("owner")
        .first()
    )


def done_steps(escalation):
    return {
        task.flow_task.name
        for task in EscalationTask.objects.filter(escalation=escalation, status=STATUS.DONE)
    }


def _locked(escalation, actor):
    locked = (
        Escalation.objects.select_for_update()
        .select_related("petition__org_unit")
        .get(pk=escalation.pk)
    )
    if not may_liaise(actor, locked):
        raise PermissionDenied(_("Only a committee liaison of this unit may do this."))
    if not locked.is_open:
        raise Conflict(_("This escalation has been closed."))
    return locked


def _step(escalation, step, actor, *, complete=True, again=False):
    """Check that `step` is the escalation's current task (or, with `again`, one already done)
    and, with `complete`, finish that task as `actor`."""
    task = open_task(escalation)
    if task is not None and task.flow_task.name == step:
        if complete:
            _complete(task, actor)
        return
    if step in done_steps(escalation):
        if again:
            return
        raise Conflict(_("This step has already been done."))
    current = task.flow_task.task_title if task else ""
    raise TransitionRefused(_("Finish “%(step)s” first.") % {"step": current})


def _complete(task, actor):
    finish_task(
        EscalationFlow,
        task,
        actor,
        busy=_("Someone else is working on this escalation; try again."),
    )


def _require_group(escalation):
    if not escalation.petition.is_group:
        raise TransitionRefused(_("This step is for group petitions only."))


@transaction.atomic
def acknowledge_escalation(escalation, *, actor, note=""):
    escalation = _locked(escalation, actor)
    _step(escalation, "acknowledge", actor)
    escalation.acknowledged_at, escalation.acknowledged_by = timezone.now(), actor
    escalation.save(update_fields=["acknowledged_at", "acknowledged_by"])
    deadlines.close_deadlines(escalation.petition, "acknowledge_escalation")
    _event(escalation, "escalation_acknowledged", actor=actor, reason=note.strip())
    announce(escalation, "acknowledged")
    return escalation


@transaction.atomic
def record_coordination(escalation, *, actor, held_on, departments, decisions):
    """A meeting the committee convened: the departments that came and what they decided."""
    escalation = _locked(escalation, actor)
    errors = {}
    if not departments or not set(departments) <= set(Department.values):
        errors["departments"] = _("Choose the departments convened.")
    if not decisions.strip():
        errors["decisions"] = _("Say what was decided.")
    if errors:
        raise ValidationError(errors)
    _step(escalation, "coordinate", actor, again=True)
    coordination = Coordination.objects.create(
        escalation=escalation,
        held_on=held_on,
        departments=[d for d in Department.values if d in departments],
        decisions=decisions.strip(),
        recorded_by=actor,
    )
    _event(
        escalation,
        "coordination_recorded",
        actor=actor,
        reason=coordination.decisions,
        held_on=held_on.isoformat(),
        departments=coordination.departments,
    )
    return coordination


@transaction.atomic
def form_task_force(escalation, *, actor, members):
    """The task force's members: dicts of name, organization and position (one leader)."""
    escalation = _locked(escalation, actor)
    members = [m for m in members if m.get("name")]
    if not members:
        raise ValidationError({"members": _("Name at least one member.")})
    leaders = sum(1 for m in members if m["position"] == TaskForceMember.Position.LEADER)
    already = escalation.task_force.filter(position=TaskForceMember.Position.LEADER).count()
    if leaders + already != 1:
        raise ValidationError({"members": _("The task force has exactly one leader.")})
    _step(escalation, "form_task_force", actor, again=True)
    TaskForceMember.objects.bulk_create(
        TaskForceMember(escalation=escalation, **m) for m in members
    )
    _event(
        escalation,
        "task_force_formed",
        actor=actor,
        reason="、".join(f"{m['name']}（{m['organization']}）" for m in members),
        members=len(members),
    )


@transaction.atomic
def elect_representatives(escalation, *, actor, claims):
    """The workers the group elected to speak for it (at most MAX_REPRESENTATIVES)."""
    escalation = _locked(escalation, actor)
    _require_group(escalation)
    limit = settings.CASEWORK["MAX_REPRESENTATIVES"]
    ids = {claim.pk for claim in claims}
    if not ids or len(ids) > limit:
        raise ValidationError(
            {"claims": _("Choose one to %(limit)d representatives.") % {"limit": limit}}
        )
    on_case = Claim.objects.filter(petition=escalation.petition)
    if on_case.filter(pk__in=ids).count() != len(ids):
        raise ValidationError({"claims": _("Choose workers of this petition.")})
    _step(escalation, "elect_representatives", actor)
    on_case.exclude(pk__in=ids).filter(is_representative=True).update(is_representative=False)
    on_case.filter(pk__in=ids).update(is_representative=True)
    names = on_case.filter(pk__in=ids).values_list("name", flat=True)
    _event(escalation, "representatives_elected", actor=actor, reason="、".join(names))


@transaction.atomic
def record_travel_home(escalation, *, actor, needs):
    """What each non-local worker needs to travel home: dicts of claim, destination, amount.
    They prefill the petition's next emergency-fund release (`travel_costs`);
    `signals.travel_home_recorded` tells the mediators it can be drafted."""
    escalation = _locked(escalation, actor)
    _require_group(escalation)
    needs = list(needs)
    claims = {claim.pk for claim in Claim.objects.filter(petition=escalation.petition)}
    if not needs:
        raise ValidationError({"needs": _("List the workers who need to travel home.")})
    for need in needs:
        if need["claim"].pk not in claims or not need["claim"].non_local:
            raise ValidationError({"needs": _("Only non-local workers of this petition.")})
        if need["amount"] <= 0:
            raise ValidationError({"needs": _("A cost is more than zero.")})
    _step(escalation, "travel_home", actor)
    rows = TravelHomeNeed.objects.bulk_create(
        TravelHomeNeed(escalation=escalation, **need) for need in needs
    )
    total = sum((row.amount for row in rows), Decimal("0"))
    _event(escalation, "travel_home_recorded", actor=actor, workers=len(rows), total=str(total))
    signals.travel_home_recorded.send(Escalation, escalation=escalation, needs=rows, actor=actor)
    return rows


def travel_costs(petition):
    """{worker id: yuan} the committee recorded for the petition's travel home, or None if it
    recorded none: what a new emergency-fund release is prefilled with."""
    needs = TravelHomeNeed.objects.filter(escalation__petition=petition)
    costs = dict(needs.values_list("claim__worker_id", "amount"))
    return costs or None


@transaction.atomic
def add_vacancy(escalation, *, actor, employer, positions, openings):
    escalation = _locked(escalation, actor)
    _require_group(escalation)
    _step(escalation, "refer_jobs", actor, complete=False, again=True)
    return JobVacancy.objects.create(
        escalation=escalation, employer=employer, positions=positions, openings=openings
    )


@transaction.atomic
def record_referral(escalation, *, actor, vacancy, claim, result):
    """Refer a worker to a partner employer's vacancy, or record how it went."""
    escalation = _locked(escalation, actor)
    _require_group(escalation)
    if vacancy.escalation_id != escalation.pk or claim.petition_id != escalation.petition_id:
        raise ValidationError({"claim": _("Choose a worker and a vacancy of this escalation.")})
    _step(escalation, "refer_jobs", actor, complete=False, again=True)
    hired = vacancy.referrals.filter(result=JobReferral.Result.HIRED).exclude(claim=claim)
    if result == JobReferral.Result.HIRED and hired.count() >= vacancy.openings:
        raise ValidationError({"result": _("Every opening of this vacancy is filled.")})
    referral, _created = JobReferral.objects.update_or_create(
        vacancy=vacancy, claim=claim, defaults={"result": result}
    )
    return referral


@transaction.atomic
def finish_job_referrals(escalation, *, actor):
    escalation = _locked(escalation, actor)
    referrals = JobReferral.objects.filter(vacancy__escalation=escalation)
    if not referrals.exists():
        raise ValidationError({"referrals": _("Refer at least one worker first.")})
    _step(escalation, "refer_jobs", actor)
    _event(
        escalation,
        "job_referrals_recorded",
        actor=actor,
        employers=escalation.vacancies.count(),
        referred=referrals.values("claim").distinct().count(),
        hired=referrals.filter(result=JobReferral.Result.HIRED).count(),
    )


@transaction.atomic
def close_escalation(escalation, *, actor, outcome):
    """Close with the outcome; it shows on the petition's timeline."""
    escalation = _locked(escalation, actor)
    if not outcome.strip():
        raise ValidationError({"outcome": _("Say how the escalation ended.")})
    _step(escalation, "close", actor)
    escalation.outcome = outcome.strip()
    escalation.closed_at, escalation.closed_by = timezone.now(), actor
    escalation.save(update_fields=["outcome", "closed_at", "closed_by"])
    _event(escalation, "escalation_closed", actor=actor, reason=escalation.outcome)
    announce(escalation, "closed")
    return escalation


def acknowledgement_deadline(escalation):
    return (
        Deadline.objects.filter(
            petition_id=escalation.petition_id, rule__kind=DeadlineKind.ESCALATION_ACK
        )
        .select_related("rule")
        .last()
    )
