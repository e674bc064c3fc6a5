"""The committee liaison's steps: acknowledge, coordinate, task force, and for a group petition
representatives, travel home and job referrals; then the outcome on the petition's timeline."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casework.models import CaseEvent
from casework.services import Conflict, TransitionRefused
from escalation import services as escalation
from escalation import signals
from escalation.models import Escalation, JobReferral
from workflows.models import Deadline, DeadlineKind

from ..factories import record

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 2)


def current(esc):
    task = escalation.open_task(esc)
    return task.flow_task.name if task else None


def coordinate(esc, liaison):
    escalation.record_coordination(
        esc,
        actor=liaison,
        held_on=TODAY,
        departments=["human_resources", "public_security", "sub_district"],
        decisions="Advance wages from the emergency fund; trace the owner.",
    )


def task_force(esc, liaison):
    escalation.form_task_force(
        esc,
        actor=liaison,
        members=[
            {"name": "Xu", "organization": "Party working committee", "position": "leader"},
            {"name": "Zhu", "organization": "Zone union", "position": "member"},
        ],
    )


def through_task_force(esc, liaison):
    escalation.acknowledge_escalation(esc, actor=liaison)
    coordinate(esc, liaison)
    task_force(esc, liaison)


def test_an_ordinary_escalation_goes_from_acknowledgement_to_outcome(clerk, enterprise, liaison):
    petition = record(clerk, enterprise, workers=2, owner_missing=True)
    esc = petition.escalation
    assert current(esc) == "acknowledge"

    through_task_force(esc, liaison)
    assert current(esc) == "close"  # no group steps
    escalation.close_escalation(esc, actor=liaison, outcome="Wages advanced; owner found.")

    esc.refresh_from_db()
    assert not esc.is_open and current(esc) is None
    closed = CaseEvent.objects.get(petition=petition, transition="escalation_closed")
    assert closed.reason == "Wages advanced; owner found." and closed.actor == liaison


def test_acknowledging_stops_its_clock(group, liaison):
    escalation.acknowledge_escalation(group.escalation, actor=liaison)

    ack = Deadline.objects.get(petition=group, rule__kind=DeadlineKind.ESCALATION_ACK)
    assert ack.closed_at is not None


def test_a_group_petition_has_its_own_steps(group, liaison):
    esc = group.escalation
    through_task_force(esc, liaison)

    assert current(esc) == "elect_representatives"


def test_at_most_five_representatives(group, liaison):
    esc = group.escalation
    through_task_force(esc, liaison)

    with pytest.raises(ValidationError):
        escalation.elect_representatives(esc, actor=liaison, claims=list(group.claims.all()[:6]))
    escalation.elect_representatives(esc, actor=liaison, claims=list(group.claims.all()[:5]))

    assert group.claims.filter(is_representative=True).count() == 5
    assert current(esc) == "travel_home"


def test_travel_home_for_non_local_workers_feeds_a_release(
    group, liaison, django_capture_on_commit_callbacks
):
    esc = group.escalation
    through_task_force(esc, liaison)
    escalation.elect_representatives(esc, actor=liaison, claims=list(group.claims.all()[:3]))
    non_local = list(group.claims.filter(non_local=True))
    local = group.claims.filter(non_local=False).first()
    heard = []

    def listen(sender, needs, **kwargs):
        heard.append(needs)

    signals.travel_home_recorded.connect(listen)

    with pytest.raises(ValidationError):
        escalation.record_travel_home(
            esc,
            actor=liaison,
            needs=[{"claim": local, "destination": "Shangrao", "amount": Decimal("300")}],
        )
    needs = [
        {"claim": c, "destination": "Shangrao", "amount": Decimal("320.50")} for c in non_local
    ]
    with django_capture_on_commit_callbacks(execute=True):
        escalation.record_travel_home(esc, actor=liaison, needs=needs)

    costs = escalation.travel_costs(group)
    assert costs == {c.worker_id: Decimal("320.50") for c in non_local}
    signals.travel_home_recorded.disconnect(listen)
    assert len(heard) == 1 and len(heard[0]) == 6
    assert current(esc) == "refer_jobs"


def test_job_referrals_record_where_and_with_what_result(group, liaison):
    esc = group.escalation
    through_task_force(esc, liaison)
    escalation.elect_representatives(esc, actor=liaison, claims=list(group.claims.all()[:3]))
    claim = group.claims.filter(non_local=True).first()
    escalation.record_travel_home(
        esc,
        actor=liaison,
        needs=[{"claim": claim, "destination": "Yushan", "amount": Decimal("150")}],
    )
    vacancy = escalation.add_vacancy(
        esc, actor=liaison, employer="Jiangshan Lighting", positions="Assembly", openings=1
    )
    first, second = group.claims.all()[:2]

    escalation.record_referral(esc, actor=liaison, vacancy=vacancy, claim=first, result="hired")
    with pytest.raises(ValidationError):  # the one opening is filled
        escalation.record_referral(
            esc, actor=liaison, vacancy=vacancy, claim=second, result="hired"
        )
    escalation.record_referral(esc, actor=liaison, vacancy=vacancy, claim=second, result="declined")
    escalation.finish_job_referrals(esc, actor=liaison)

    assert JobReferral.objects.filter(result="hired").count() == 1
    event = CaseEvent.objects.get(petition=group, transition="job_referrals_recorded")
    assert event.data == {"employers": 1, "referred": 2, "hired": 1}
    assert current(esc) == "close"


def test_steps_keep_their_order(group, liaison):
    with pytest.raises(TransitionRefused):
        coordinate(group.escalation, liaison)


def test_a_done_step_is_not_done_twice(group, liaison):
    escalation.acknowledge_escalation(group.escalation, actor=liaison)

    with pytest.raises(Conflict):
        escalation.acknowledge_escalation(group.escalation, actor=liaison)


def test_lists_take_more_entries_after_their_step(group, liaison):
    esc = group.escalation
    through_task_force(esc, liaison)

    coordinate(esc, liaison)

    assert esc.coordinations.count() == 2


def test_only_a_committee_liaison_of_the_unit_takes_the_steps(group, supervisor, org):
    from casework.models import Role

    from ..factories import user_with_role

    elsewhere = user_with_role(Role.COMMITTEE_LIAISON, org["zone_b"])
    for person in (supervisor, elsewhere):
        with pytest.raises(PermissionDenied):
            escalation.acknowledge_escalation(group.escalation, actor=person)
    assert Escalation.objects.get(pk=group.escalation.pk).acknowledged_at is None


def test_group_steps_refuse_an_ordinary_petition(clerk, enterprise, liaison):
    petition = record(clerk, enterprise, workers=2, owner_missing=True)
    through_task_force(petition.escalation, liaison)

    with pytest.raises(TransitionRefused):
        escalation.elect_representatives(
            petition.escalation, actor=liaison, claims=list(petition.claims.all()[:1])
        )
