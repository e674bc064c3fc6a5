"""A new warning tells the mediator whose task it is (or the grid's mediators while it waits
in the queue). A warning that turns red alerts the supervisors and committee liaisons of the
enterprise's zone (and above) at once: stored, and pushed live after the commit. Nobody of
another zone."""

import datetime

import pytest

from casework.models import Role
from notifications import services as notifications
from notifications.models import Kind, Notification

from ..factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def pushed(monkeypatch):
    """The (group, message) pairs handed to the channel layer."""
    sent = []
    monkeypatch.setattr(notifications, "send_now", lambda messages: sent.extend(messages))
    return sent


def told():
    return set(
        Notification.objects.filter(kind=Kind.RED_WARNING).values_list(
            "recipient__username", flat=True
        )
    )


def test_a_red_warning_reaches_the_zones_supervisor_and_liaison_only(
    org, report, supervisor, liaison, mediator, outsider
):
    user_with_role(Role.COMMITTEE_LIAISON, org["zone_b"], username="liaison-b")

    report(wages="late", owner_unreachable=True)

    assert told() == {"supervisor", "liaison"}


def test_the_alert_is_pushed_to_each_recipient_after_the_commit(
    report, supervisor, liaison, pushed
):
    report(wages="late", owner_unreachable=True)

    groups = {group for group, message in pushed if message.get("kind") == Kind.RED_WARNING}
    assert groups == {
        notifications.user_group(supervisor.pk),
        notifications.user_group(liaison.pk),
    }


def test_a_yellow_warning_alerts_nobody(report, supervisor, liaison):
    report(wages="late", workers_affected=12)

    assert told() == set()


def test_a_warning_raised_to_red_alerts_once(report, supervisor, liaison):
    report(month=datetime.date(2026, 9, 1), production_stopped=True)
    report(owner_unreachable=True)
    report(month=datetime.date(2026, 8, 1), workers_affected=50, wages="late")

    assert Notification.objects.filter(kind=Kind.RED_WARNING).count() == 2  # one per person


def to_handle():
    return set(
        Notification.objects.filter(kind=Kind.WARNING_TO_HANDLE).values_list(
            "recipient__username", flat=True
        )
    )


def test_a_new_warning_tells_the_mediator_who_holds_it(report, mediator, supervisor):
    report(production_stopped=True)

    assert to_handle() == {"mediator"}


def test_a_warning_in_the_queue_tells_the_mediators_above_the_grid(org, report):
    user_with_role(Role.MEDIATOR, org["zone_a"], username="zone-mediator")
    user_with_role(Role.MEDIATOR, org["grid_a2"], username="a2-mediator")

    report(production_stopped=True)

    assert to_handle() == {"zone-mediator"}


def test_a_raised_warning_tells_nobody_again(report, mediator):
    report(month=datetime.date(2026, 9, 1), production_stopped=True)
    report(workers_affected=12, wages="late")

    assert Notification.objects.filter(kind=Kind.WARNING_TO_HANDLE).count() == 1
