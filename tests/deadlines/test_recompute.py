"""Provisional and undated deadlines are recomputed by themselves: when the official days of
their year are entered, when a timer process starts on an upgraded calendar package, and by
`manage.py refresh_deadlines`, which also opens the clocks older cases lack."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from casework.models import Status
from workflows import calendar
from workflows.models import CalendarDay, CalendarYear, Deadline, DeadlineKind, DeadlineTimer
from workflows.timers import TimerLoop

from ..factories import drive_to, record, step
from .conftest import local

pytestmark = pytest.mark.django_db
D = datetime.date


def handling(petition):
    return Deadline.objects.get(petition=petition, rule__kind=DeadlineKind.HANDLING, closed_at=None)


def breach_dates(deadline):
    timers = DeadlineTimer.objects.filter(deadline=deadline, kind="breach", fired_at=None)
    return sorted(timezone.localdate(t.for_due_at) for t in timers)


@pytest.fixture
def filed_today(clock, clerk, enterprise):
    clock(local(2026, 12, 2, 9))
    petition = record(clerk, enterprise)
    assert timezone.localdate(handling(petition).due_at) == D(2027, 2, 1)
    return petition


def test_entering_the_official_2027_days_recomputes_the_deadline_and_its_timers(
    filed_today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        CalendarYear.objects.create(year=2027, source="State Council notice for 2027")
    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.create(date=D(2027, 2, 1), note="Spring Festival, official")

    deadline = handling(filed_today)
    assert timezone.localdate(deadline.due_at) == D(2027, 2, 2)
    assert deadline.provisional_year is None
    assert breach_dates(deadline)[-1] == D(2027, 2, 2)


def test_a_timer_process_starting_on_an_upgraded_package_recomputes(filed_today, monkeypatch):
    # The upgraded package knows 2027, with an official day off on Feb 1.
    monkeypatch.setattr(calendar, "PACKAGE_YEARS", range(2004, 2028))
    monkeypatch.setattr(calendar, "PROVISIONAL_YEARS", range(2028, 2101))
    known = calendar.chinese_calendar.is_workday

    def is_workday(day):
        return known(day) if day.year < 2027 else day.weekday() < 5 and day != D(2027, 2, 1)

    monkeypatch.setattr(calendar.chinese_calendar, "is_workday", is_workday)

    TimerLoop(interval=1).catch_up()

    deadline = handling(filed_today)
    assert timezone.localdate(deadline.due_at) == D(2027, 2, 2)
    assert deadline.provisional_year is None


def test_a_timer_process_starting_dates_a_deadline_left_undated(filed_today):
    # As the calendar before the provisional years left it.
    Deadline.objects.filter(pk=handling(filed_today).pk).update(due_at=None, unknown_year=2027)
    DeadlineTimer.objects.all().delete()

    TimerLoop(interval=1).catch_up()

    deadline = handling(filed_today)
    assert timezone.localdate(deadline.due_at) == D(2027, 2, 1)
    assert (deadline.unknown_year, deadline.provisional_year) == (None, 2027)
    assert breach_dates(deadline) == [D(2027, 2, 1)]


def test_refresh_opens_the_clocks_a_case_filed_before_deadlines_lacks(
    clock, clerk, enterprise, capsys
):
    clock(local(2026, 6, 1, 9))
    petition = record(clerk, enterprise)
    Deadline.objects.filter(petition=petition).delete()

    call_command("refresh_deadlines")

    assert "opened 2 missing" in capsys.readouterr().out
    kinds = dict(
        Deadline.objects.filter(petition=petition, closed_at=None).values_list(
            "rule__kind", "due_at"
        )
    )
    assert set(kinds) == {DeadlineKind.ACCEPTANCE, DeadlineKind.HANDLING}
    # 60 days from June 1 is Friday July 31.
    assert timezone.localdate(kinds[DeadlineKind.HANDLING]) == D(2026, 7, 31)


def test_refresh_gives_a_case_reopened_earlier_its_handling_deadline(
    clock, clerk, supervisor, enterprise
):
    clock(local(2026, 6, 1, 9))
    petition = drive_to(record(clerk, enterprise), Status.CLOSED, supervisor)
    clock(local(2026, 8, 3, 9))
    step(petition, "reopen", supervisor)
    Deadline.objects.filter(pk=handling(petition).pk).delete()  # as reopening used to leave it
    clock(local(2026, 8, 5, 9))

    call_command("refresh_deadlines")

    deadline = handling(petition)
    assert deadline.opened_at == local(2026, 8, 3, 9)
    assert timezone.localdate(deadline.due_at) == D(2026, 10, 8)


def test_refresh_opens_nothing_a_case_already_has(clock, clerk, enterprise, capsys):
    clock(local(2026, 12, 2, 9))
    record(clerk, enterprise)

    call_command("refresh_deadlines")

    assert "opened 0 missing" in capsys.readouterr().out


def test_an_administrator_entering_the_year_in_admin_recomputes_its_deadlines(
    filed_today, admin_client, django_capture_on_commit_callbacks
):
    listed = admin_client.get("/admin/workflows/deadline/?provisional_year=2027").content.decode()
    assert filed_today.number in listed

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/workflows/calendaryear/add/",
            {"year": 2027, "source": "State Council notice for 2027"},
        )

    assert response.status_code == 302
    deadline = handling(filed_today)
    assert deadline.provisional_year is None
    listed = admin_client.get("/admin/workflows/deadline/?provisional_year=2027").content.decode()
    assert filed_today.number not in listed
