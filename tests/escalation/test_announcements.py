"""The committee and the mediators learn of an escalation's steps once they have committed."""

from decimal import Decimal

from casework.models import Role
from escalation import services as escalation
from notifications.models import Kind, Notification
from workflows import deadlines

from ..factories import record, step, user_with_role
from .test_liaison_steps import through_task_force


def test_an_escalated_petition_asks_the_zones_committee_liaisons_to_acknowledge(
    org, clerk, liaison, enterprise, outsider, django_capture_on_commit_callbacks
):
    user_with_role(Role.COMMITTEE_LIAISON, org["zone_b"], username="elsewhere")

    with django_capture_on_commit_callbacks(execute=True):
        petition = record(clerk, enterprise, workers=12)

    note = Notification.objects.get(kind=Kind.ESCALATED)
    assert note.recipient == liaison
    assert note.link == f"/tasks/escalations/{petition.escalation.pk}/"


def test_a_breached_deadline_tells_the_task_holder_and_the_supervisors(
    clerk, mediator, supervisor, enterprise, django_capture_on_commit_callbacks
):
    petition = record(clerk, enterprise, workers=2)
    deadline = petition.deadlines.get(rule__kind="acceptance")

    with django_capture_on_commit_callbacks(execute=True):
        deadlines.announce(deadline, "breach")

    told = Notification.objects.filter(kind=Kind.DEADLINE_PASSED)
    assert {n.recipient.username for n in told} == {"supervisor"}
    assert told.get().data["deadline"] == "acceptance"


def test_recorded_travel_home_costs_tell_the_mediators_to_draft_the_release(
    group, liaison, mediator, django_capture_on_commit_callbacks
):
    step(group, "accept", mediator)
    esc = group.escalation
    through_task_force(esc, liaison)
    escalation.elect_representatives(esc, actor=liaison, claims=list(group.claims.all()[:3]))
    needs = [
        {"claim": claim, "destination": "Shangrao", "amount": Decimal("320.50")}
        for claim in group.claims.filter(non_local=True)
    ]

    with django_capture_on_commit_callbacks(execute=True):
        escalation.record_travel_home(esc, actor=liaison, needs=needs)

    note = Notification.objects.get(kind=Kind.TRAVEL_HOME_RECORDED)
    assert note.recipient == mediator
    assert note.data == {"workers": 6, "total": "1923.00"}
    assert note.link == f"/petitions/{group.pk}/releases/new/"
