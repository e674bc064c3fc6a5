"""Which petitions go up to the party working committee: rules as data, once per petition."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from casework import services
from casework.models import CaseEvent
from casework.services import Conflict
from escalation import services as escalation
from escalation.models import Escalation, EscalationRule
from workflows import deadlines
from workflows.models import Deadline, DeadlineKind

from ..concurrency import run_together
from ..factories import record, worker_row
from .conftest import local

pytestmark = pytest.mark.django_db


def escalations(petition):
    return Escalation.objects.filter(petition=petition).count()


def test_a_group_petition_is_escalated_on_intake(group):
    esc = Escalation.objects.get(petition=group)

    assert esc.reasons == ["group"]
    assert esc.escalated_by.username == "clerk"
    assert CaseEvent.objects.filter(petition=group, transition="escalate").count() == 1


def test_a_small_petition_is_not(petition):
    assert escalations(petition) == 0


def test_owner_missing_is_escalated(clerk, enterprise):
    petition = record(clerk, enterprise, workers=2, owner_missing=True)

    assert Escalation.objects.get(petition=petition).reasons == ["owner_missing"]


def test_a_claimed_total_above_the_threshold_is_escalated(clerk, enterprise):
    rows = [worker_row(claimed_amount=Decimal("300000.00")) for _ in range(2)]

    petition = record(clerk, enterprise, workers=rows)

    assert Escalation.objects.get(petition=petition).reasons == ["claimed_above"]


def test_thresholds_are_data(clerk, enterprise):
    EscalationRule.objects.filter(kind="workers_above").update(threshold=2)

    petition = record(clerk, enterprise, workers=3)

    assert Escalation.objects.get(petition=petition).reasons == ["workers_above"]


def test_an_inactive_rule_does_not_escalate(clerk, enterprise):
    EscalationRule.objects.filter(kind="owner_missing").update(active=False)

    petition = record(clerk, enterprise, workers=2, owner_missing=True)

    assert escalations(petition) == 0


def test_a_petition_becoming_a_group_is_escalated_then_once(clerk, petition):
    services.link_facts(
        petition, actor=clerk, description="More came.", workers=[worker_row() for _ in range(7)]
    )
    services.link_facts(
        petition, actor=clerk, description="Still more.", workers=[worker_row() for _ in range(2)]
    )

    assert escalations(petition) == 1
    assert CaseEvent.objects.filter(petition=petition, transition="escalate").count() == 1


def test_a_breached_handling_deadline_escalates(
    clock, clerk, enterprise, django_capture_on_commit_callbacks
):
    clock(local(2026, 6, 1, 9))
    petition = record(clerk, enterprise)
    handling = Deadline.objects.get(petition=petition, rule__kind=DeadlineKind.HANDLING)

    with django_capture_on_commit_callbacks(execute=True):
        deadlines.fire_due_timers(now=handling.due_at + datetime.timedelta(minutes=1))

    assert Escalation.objects.get(petition=petition).reasons == ["deadline_breached"]


def test_a_breached_acceptance_deadline_does_not(clock, clerk, enterprise):
    clock(local(2026, 6, 1, 9))
    petition = record(clerk, enterprise)
    acceptance = Deadline.objects.get(petition=petition, rule__kind=DeadlineKind.ACCEPTANCE)

    deadlines.fire_due_timers(now=acceptance.due_at + datetime.timedelta(minutes=1))

    assert escalations(petition) == 0


def test_a_group_petition_breaching_a_deadline_stays_escalated_once(clock, clerk, enterprise):
    clock(local(2026, 6, 1, 9))
    group = record(clerk, enterprise, workers=10)
    handling = Deadline.objects.get(petition=group, rule__kind=DeadlineKind.HANDLING)

    deadlines.fire_due_timers(now=handling.due_at + datetime.timedelta(minutes=1))

    assert escalations(group) == 1


def test_a_supervisor_may_decide_to_escalate(petition, supervisor):
    esc = escalation.escalate_petition(petition, actor=supervisor, note="Media attention.")

    assert esc.reasons == ["decision"] and esc.note == "Media attention."


def test_a_mediator_may_not_decide_to_escalate(petition, mediator):
    with pytest.raises(PermissionDenied):
        escalation.escalate_petition(petition, actor=mediator, note="Media attention.")


def test_deciding_again_is_a_conflict(group, supervisor):
    with pytest.raises(Conflict):
        escalation.escalate_petition(group, actor=supervisor, note="Again.")


def test_the_acknowledgement_has_its_own_deadline(clock, clerk, enterprise):
    clock(local(2026, 9, 30, 15))
    group = record(clerk, enterprise, workers=10)

    ack = Deadline.objects.get(petition=group, rule__kind=DeadlineKind.ESCALATION_ACK)
    assert ack.due_at.date() == datetime.date(2026, 10, 8)  # the next working day


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_triggers_at_once_escalate_once(petition, supervisor):
    EscalationRule.objects.get_or_create(kind=EscalationRule.Kind.DECISION)

    def decide(barrier):
        barrier.wait()
        return escalation.escalate_petition(petition, actor=supervisor, note="Now.")

    results = run_together(decide, decide)

    assert sorted(type(r).__name__ for r in results) == ["Conflict", "Escalation"], results
    assert escalations(petition) == 1
    assert CaseEvent.objects.filter(petition=petition, transition="escalate").count() == 1
