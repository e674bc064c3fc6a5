"""Whoever must act next on a release is told once its step has committed."""

from decimal import Decimal

from fund.signals import release_stepped
from notifications.models import Kind, Notification

from .helpers import approved, default_lines, line, submitted, workers_of


def told(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_a_submitted_release_asks_the_supervisors_never_its_drafter(
    wage_petition, mediator, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        release = submitted(wage_petition, mediator)

    note = Notification.objects.get(kind=Kind.RELEASE_AWAITING_APPROVAL)
    assert note.recipient == supervisor
    assert note.data == {"release": release.pk, "amount": "4500.00"}
    assert note.link == "/fund/approvals/"


def test_a_release_above_the_threshold_asks_the_liaison_to_sign_once_approved(
    wage_petition, mediator, supervisor, liaison, finance, django_capture_on_commit_callbacks
):
    first, second, _third = workers_of(wage_petition)
    lines = [
        line(first, amount="2490.00"),
        line(second, amount="2490.00"),
        line(second, "travel_home", "500.00"),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        approved(wage_petition, mediator, supervisor, lines)

    assert told(Kind.RELEASE_AWAITING_APPROVAL) == {"supervisor", "liaison"}
    assert Notification.objects.get(recipient=liaison).link == "/fund/signing/"
    assert not told(Kind.RELEASE_TO_PAY)


def test_an_approved_release_asks_finance_to_pay(
    wage_petition, mediator, supervisor, finance, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        release = approved(wage_petition, mediator, supervisor, default_lines(wage_petition))

    note = Notification.objects.get(kind=Kind.RELEASE_TO_PAY)
    assert note.recipient == finance
    assert (note.data["release"], Decimal(note.data["amount"])) == (release.pk, release.total)


def test_a_step_is_announced_after_its_event_is_written(wage_petition, mediator):
    seen = []

    def listen(sender, release, step, **kwargs):
        seen.append((step, release.petition.events.order_by("at", "id").last().transition))

    release_stepped.connect(listen, dispatch_uid="test-release-after-event")
    try:
        submitted(wage_petition, mediator)
    finally:
        release_stepped.disconnect(dispatch_uid="test-release-after-event")

    assert seen == [("draft", "fund_draft"), ("submit", "fund_submit")]
