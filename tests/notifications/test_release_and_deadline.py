"""Release awaiting approval and deadlines: their recipient rules and texts, called directly
(the fund and deadline modules call these functions)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from casework.roles import LIAISON_ROLES
from notifications import services
from notifications.models import Kind, Notification

from ..factories import record
from .conftest import reads_english


def told(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_a_release_goes_to_the_supervisors_at_or_above_the_petition_never_its_drafter(
    clerk, supervisor, chair, liaison, outsider, mediator, enterprise, committed
):
    petition = record(clerk, enterprise, workers=3)

    committed(
        services.announce_release_awaiting_approval,
        petition,
        release_id=7,
        amount=Decimal("412000.00"),
        drafted_by=supervisor,
    )

    assert told(Kind.RELEASE_AWAITING_APPROVAL) == {"chair"}


def test_neither_the_drafter_nor_the_submitter_is_asked_to_approve(
    clerk, supervisor, chair, mediator, enterprise, committed
):
    petition = record(clerk, enterprise, workers=3)

    committed(
        services.announce_release_awaiting_approval,
        petition,
        release_id=7,
        amount=Decimal("3000"),
        drafted_by=mediator,
        submitted_by=chair,
    )

    assert told(Kind.RELEASE_AWAITING_APPROVAL) == {"supervisor"}


def test_a_release_awaiting_signature_goes_to_the_committee_liaisons(
    clerk, supervisor, liaison, enterprise, committed
):
    petition = record(clerk, enterprise, workers=3)
    reads_english(liaison)

    committed(
        services.announce_release_awaiting_approval,
        petition,
        release_id=9,
        amount=Decimal("150000.5"),
        drafted_by=clerk,
        submitted_by=clerk,
        roles=LIAISON_ROLES,
        link="/fund/releases/9/",
    )

    note = Notification.objects.get()
    assert note.recipient == liaison
    assert note.text == (
        f"A release of 150,000.50 yuan for {petition.number} awaits your decision."
    )
    assert (note.data, note.link) == ({"release": 9, "amount": "150000.50"}, "/fund/releases/9/")


def test_a_near_deadline_tells_the_assignee_and_the_supervisors_of_the_unit_only(
    clerk, supervisor, chair, mediator, outsider, enterprise, committed
):
    petition = record(clerk, enterprise, workers=3)
    reads_english(mediator)
    due = timezone.make_aware(datetime.datetime(2026, 12, 4, 17, 0))

    committed(
        services.announce_deadline,
        petition,
        step="Mediation",
        due_at=due,
        passed=False,
        assignee=mediator,
    )

    assert told(Kind.DEADLINE_NEAR) == {"mediator", "supervisor", "chair"}
    note = Notification.objects.get(recipient=mediator)
    assert note.text.startswith(f"“Mediation” on {petition.number} is due on ")
    assert note.data == {"due_at": due.isoformat()}


def test_a_passed_deadline_without_assignee_tells_the_supervisors(
    clerk, supervisor, mediator, enterprise, committed
):
    petition = record(clerk, enterprise, workers=3)
    reads_english(supervisor)

    committed(
        services.announce_deadline,
        petition,
        step="Acceptance",
        due_at=timezone.now(),
        passed=True,
        data={"deadline": 3},
    )

    note = Notification.objects.get()
    assert (note.recipient, note.kind) == (supervisor, Kind.DEADLINE_PASSED)
    assert "is overdue since" in note.text
    assert note.data["deadline"] == 3
