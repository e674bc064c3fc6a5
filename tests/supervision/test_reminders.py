"""Reminders climb a ladder, each level once: before the due date the case's holder (or the
grid's mediators), when overdue the handling side's supervisors, and after more working days
the supervising unit. The order issued on Monday 2 March 2026 is due Friday 13 March."""

import pytest

from casework.events import EventName
from casework.models import Role
from notifications.models import Kind, Notification
from supervision import services
from supervision.models import Reminder
from workflows import timers

from ..factories import user_with_role
from .conftest import events, local

pytestmark = pytest.mark.django_db


def on(clock, *day):
    clock(local(2026, 3, *day, 9))


def told(user):
    """The reminder levels the user was sent."""
    sent = Notification.objects.filter(recipient=user, kind=Kind.SUPERVISION_REMINDER)
    return [data["reminder"] for data in sent.order_by("pk").values_list("data", flat=True)]


def levels(petition):
    return [e.data["reminder"] for e in events(petition, EventName.SUPERVISION_REMINDER)]


def test_nothing_is_sent_before_the_reminder_day(order, petition, clock):
    on(clock, 10)  # three working days before

    assert services.send_reminders() == 0
    assert levels(petition) == []


def test_the_grid_mediators_are_reminded_before_the_due_date(
    order, petition, mediator, supervisor, clock
):
    on(clock, 11)  # two working days before (the setting)

    assert services.send_reminders() == 1

    assert levels(petition) == ["due_soon"]
    assert told(mediator) == ["due_soon"]
    assert told(supervisor) == []


def test_the_holder_of_the_open_task_is_reminded_instead(
    order, petition, mediator, colleague, clock
):
    from workflows.services import open_task

    task = open_task(petition)
    task.owner = colleague
    task.save()
    on(clock, 11)

    services.send_reminders()

    assert told(colleague) == ["due_soon"]
    assert told(mediator) == []


def test_each_level_is_sent_once(order, petition, clock):
    on(clock, 11)
    services.send_reminders()
    on(clock, 12)

    assert services.send_reminders() == 0
    assert levels(petition) == ["due_soon"]


def test_overdue_goes_to_the_supervisors_over_the_case(
    order, petition, mediator, supervisor, clock
):
    on(clock, 11)
    services.send_reminders()
    on(clock, 14)  # Saturday after the due Friday

    assert services.send_reminders() == 1

    assert levels(petition) == ["due_soon", "overdue"]
    assert "overdue" in told(supervisor)
    assert told(mediator) == ["due_soon"]


def test_overdue_prefers_the_handling_sides_own_supervisors(
    petition, supervisor, fed_supervisor, org, clock
):
    federal = services.issue_order(
        petition,
        actor=fed_supervisor,
        issuing_unit=org["federation"],
        requirement="Report.",
        due_on=local(2026, 3, 13).date(),
    )
    on(clock, 16)

    services.send_reminders()

    assert federal.reminders.get().level == Reminder.Level.OVERDUE
    assert "overdue" in told(supervisor)
    assert told(fed_supervisor) == []


def test_after_more_working_days_the_supervising_unit_is_told(order, petition, clock, org):
    zone_admin = user_with_role(Role.ADMIN, org["zone_a"])
    on(clock, 17)  # two working days overdue
    services.send_reminders()
    assert levels(petition) == ["overdue"]

    on(clock, 18)  # three (the setting)
    services.send_reminders()

    assert levels(petition) == ["overdue", "issuer"]
    assert told(zone_admin) == ["overdue", "issuer"]


def test_a_timer_back_after_a_stop_sends_only_the_highest_level(order, petition, clock):
    on(clock, 25)

    services.send_reminders()
    services.send_reminders()

    assert levels(petition) == ["issuer"]
    assert list(order.reminders.values_list("level", flat=True)) == ["issuer"]


def test_a_result_reply_stops_the_reminders(order, petition, mediator, clock):
    services.reply_to_order(order, actor=mediator, kind="result", text="Paid.")
    on(clock, 25)

    assert services.send_reminders() == 0


def test_a_progress_reply_does_not(order, petition, mediator, clock):
    services.reply_to_order(order, actor=mediator, kind="progress", text="Meeting on Friday.")
    on(clock, 11)

    assert services.send_reminders() == 1


def test_a_closed_order_is_not_reminded(order, supervisor, clock):
    services.close_order(order, actor=supervisor, reason="Issued in error.")
    on(clock, 25)

    assert services.send_reminders() == 0


def test_the_reminder_days_are_settings(order, petition, clock, settings):
    settings.CASEWORK["SUPERVISION_REMIND_WORKING_DAYS"] = 4
    on(clock, 9)  # four working days before

    assert services.send_reminders() == 1


def test_the_timer_loop_sends_them(order, petition, clock):
    on(clock, 11)

    timers.TimerLoop(interval=1).sweep()

    assert levels(petition) == ["due_soon"]


def test_the_reminder_event_names_its_level_on_the_timeline(
    login, order, petition, supervisor, clock
):
    on(clock, 11)
    services.send_reminders()

    page = login(supervisor).get(f"/petitions/{petition.pk}/").content.decode()

    assert "Supervision order reminder" in page
    assert "Due soon: the case&#x27;s holder" in page
