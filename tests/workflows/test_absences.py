"""A mediator's leave, recorded by a supervisor of their unit: their open tasks go back to the
queue when it starts (at once, or by the timer loop), each with a "task released" event, and the
supervisor is told."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from notifications.models import Kind, Notification
from workflows import absences
from workflows import services as workflow
from workflows.models import MediatorAbsence

from ..clock import fresh_calendar, local  # noqa: F401 - each test's calendar
from ..factories import record, step

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def held(clerk, supervisor, mediator, enterprise):
    """A petition in mediation whose open task the mediator holds."""
    petition = record(clerk, enterprise, workers=3)
    step(petition, "accept", clerk)
    task = workflow.open_task(petition)
    if task.owner_id != mediator.pk:
        workflow.reassign_task(task, actor=supervisor, to_user=mediator, reason="Set up.")
    return petition


def _leave(supervisor, mediator, start, end, reason="Annual leave"):
    return absences.record_absence(
        actor=supervisor, mediator=mediator, starts_on=start, ends_on=end, reason=reason
    )


def test_a_leave_starting_today_releases_the_open_tasks(
    supervisor, mediator, held, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        _leave(supervisor, mediator, today, today + 2 * DAY)
    task = workflow.open_task(held)
    assert task.owner_id is None and task.in_queue
    event = held.events.filter(transition="unassign").last()
    assert event.data["owner"] == mediator.get_username()
    assert "Annual leave" in event.reason and event.actor == supervisor


def test_the_supervisor_is_told_what_went_back(
    supervisor, mediator, held, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        _leave(supervisor, mediator, today, today)
    note = Notification.objects.get(recipient=supervisor, kind=Kind.TASKS_RELEASED)
    assert held.number in note.text


def test_a_leave_to_come_releases_nothing_until_it_starts(supervisor, mediator, held):
    today = timezone.localdate()
    absence = _leave(supervisor, mediator, today + 3 * DAY, today + 5 * DAY)
    assert absences.release_due() == 0
    assert workflow.open_task(held).owner == mediator
    with time_machine.travel(timezone.now() + 3 * DAY, tick=False):
        assert absences.release_due() == 1
        assert absences.release_due() == 0  # once
    assert workflow.open_task(held).owner_id is None
    absence.refresh_from_db()
    assert absence.released_at is not None


def test_a_released_task_may_be_claimed_by_a_colleague(supervisor, mediator, colleague, held):
    today = timezone.localdate()
    _leave(supervisor, mediator, today, today)
    workflow.claim_task(workflow.open_task(held), actor=colleague)
    assert workflow.open_task(held).owner == colleague


def test_the_leave_cannot_end_before_it_starts(supervisor, mediator):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as err:
        _leave(supervisor, mediator, today + DAY, today)
    assert "ends_on" in err.value.message_dict
    assert not MediatorAbsence.objects.exists()


def test_a_leave_needs_a_reason(supervisor, mediator):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as err:
        _leave(supervisor, mediator, today, today, reason=" ")
    assert "reason" in err.value.message_dict


def test_a_mediator_does_not_record_a_colleagues_leave(mediator, colleague):
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        _leave(mediator, colleague, today, today)


def test_a_supervisor_of_another_zone_does_not_record_it(outsider, mediator, held):
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        _leave(outsider, mediator, today, today)
    assert workflow.open_task(held).owner == mediator


# The page.


def _form(mediator, start, end, reason="Sick leave"):
    return {
        "mediator": mediator.get_username(),
        "starts_on": start.isoformat(),
        "ends_on": end.isoformat(),
        "reason": reason,
    }


def test_a_supervisor_records_a_leave_on_the_page(login, supervisor, mediator, held):
    today = timezone.localdate()
    client = login(supervisor)
    response = client.post(reverse("workflows:absences"), _form(mediator, today, today + DAY))
    assert response.status_code == 302
    page = client.get(reverse("workflows:absences"))
    assert "Sick leave" in page.content.decode()
    assert workflow.open_task(held).owner_id is None


def test_the_page_names_the_bad_field(login, supervisor, mediator):
    today = timezone.localdate()
    client = login(supervisor)
    response = client.post(reverse("workflows:absences"), _form(mediator, today, today - DAY))
    assert response.status_code == 400
    assert "The leave cannot end before it starts." in response.content.decode()
    assert not MediatorAbsence.objects.exists()


def test_the_page_offers_only_mediators_of_ones_own_units(login, outsider, mediator):
    today = timezone.localdate()
    response = login(outsider).post(reverse("workflows:absences"), _form(mediator, today, today))
    assert response.status_code == 400
    assert not MediatorAbsence.objects.exists()


@pytest.mark.parametrize("who", ["mediator", "clerk", "auditor"])
def test_only_supervisors_reach_the_page(request, login, who):
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("workflows:absences")).status_code == 403
    assert client.post(reverse("workflows:absences"), {}).status_code == 403


def test_a_leave_recorded_at_the_end_of_a_day_starts_on_that_day(supervisor, mediator, held):
    with time_machine.travel(local(2026, 12, 8, 23, 30), tick=False):
        _leave(supervisor, mediator, datetime.date(2026, 12, 8), datetime.date(2026, 12, 9))
    assert workflow.open_task(held).owner_id is None
