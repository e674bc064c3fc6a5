"""Reminders and breaches fire by themselves, once each, and a bad timer cannot stop the rest."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from casework.models import CaseEvent, Status
from workflows import deadlines, signals
from workflows.models import Deadline, DeadlineKind, DeadlineTimer
from workflows.timers import start_in_process

from ..factories import drive_to, record, step
from .conftest import local

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def announced():
    """What `deadlines.announce` told the notification layer: [(kind, deadline kind)]."""
    heard = []

    def listen(sender, deadline, kind, **kwargs):
        heard.append((kind, deadline.rule.kind))

    signals.deadline_announced.connect(listen)
    yield heard
    signals.deadline_announced.disconnect(listen)


def fire(now, capture):
    with capture(execute=True):
        return deadlines.fire_due_timers(now=now)[0]


def events(petition, name):
    return list(CaseEvent.objects.filter(petition=petition, transition=name))


def test_reminder_fires_at_80_percent_once(
    clock, clerk, enterprise, announced, django_capture_on_commit_callbacks
):
    clock(local(2026, 6, 1, 9))
    petition = record(clerk, enterprise)
    acceptance = Deadline.objects.get(petition=petition, rule__kind=DeadlineKind.ACCEPTANCE)
    reminder_at = acceptance.opened_at + (acceptance.due_at - acceptance.opened_at) * 0.8

    assert (
        fire(reminder_at - datetime.timedelta(minutes=1), django_capture_on_commit_callbacks) == 0
    )
    assert fire(reminder_at, django_capture_on_commit_callbacks) == 1
    assert fire(reminder_at + datetime.timedelta(hours=1), django_capture_on_commit_callbacks) == 0

    [event] = events(petition, "deadline_reminder")
    assert event.data["deadline"] == "acceptance" and event.actor is None
    assert announced == [("reminder", "acceptance")]


def test_breach_fires_once_at_the_due_time(
    clock, clerk, enterprise, announced, django_capture_on_commit_callbacks
):
    clock(local(2026, 6, 1, 9))
    petition = record(clerk, enterprise)
    due = Deadline.objects.get(petition=petition, rule__kind=DeadlineKind.ACCEPTANCE).due_at

    fire(due, django_capture_on_commit_callbacks)
    fire(due + datetime.timedelta(days=1), django_capture_on_commit_callbacks)

    assert len(events(petition, "deadline_breached")) == 1
    assert announced.count(("breach", "acceptance")) == 1
    assert Deadline.objects.get(rule__kind=DeadlineKind.ACCEPTANCE).breached_at == due


def test_lapsed_mediation_tells_the_parties_they_may_arbitrate(
    clock, login, clerk, supervisor, enterprise, django_capture_on_commit_callbacks
):
    clock(local(2026, 6, 1, 9))
    petition = drive_to(record(clerk, enterprise), Status.IN_MEDIATION, supervisor)
    due = Deadline.objects.get(petition=petition, rule__kind=DeadlineKind.MEDIATION).due_at
    clock(due + datetime.timedelta(hours=1))

    fire(due + datetime.timedelta(hours=1), django_capture_on_commit_callbacks)

    [event] = events(petition, "deadline_breached")
    assert "may now apply for labor dispute arbitration (Art. 14)" in event.reason
    page = login(supervisor).get(f"/petitions/{petition.pk}/").content.decode()
    assert page.count("may now apply for labor dispute arbitration") == 2  # card and timeline
    assert 'class="badge badge-overdue"' in page


def test_a_stopped_clock_does_not_fire(
    clock, clerk, enterprise, django_capture_on_commit_callbacks
):
    clock(local(2026, 6, 1, 9))
    petition = record(clerk, enterprise)
    due = Deadline.objects.get(petition=petition, rule__kind=DeadlineKind.ACCEPTANCE).due_at
    step(petition, "accept", clerk)

    fire(due, django_capture_on_commit_callbacks)

    assert not events(petition, "deadline_breached")
    outcomes = set(
        DeadlineTimer.objects.filter(deadline__rule__kind=DeadlineKind.ACCEPTANCE).values_list(
            "outcome", flat=True
        )
    )
    assert outcomes == {DeadlineTimer.Outcome.SKIPPED}


def test_a_failing_timer_is_pushed_back_and_the_rest_fire(
    clock, clerk, enterprise, monkeypatch, django_capture_on_commit_callbacks
):
    clock(local(2026, 6, 1, 9))
    bad, good = record(clerk, enterprise), record(clerk, enterprise)
    due = Deadline.objects.get(petition=good, rule__kind=DeadlineKind.ACCEPTANCE).due_at
    real_event = deadlines.record_event

    def event(petition, *args, **kwargs):
        if petition.pk == bad.pk:
            raise RuntimeError("disk full")
        return real_event(petition, *args, **kwargs)

    monkeypatch.setattr(deadlines, "record_event", event)

    fire(due, django_capture_on_commit_callbacks)

    assert events(good, "deadline_breached") and not events(bad, "deadline_breached")
    failed = DeadlineTimer.objects.filter(deadline__petition=bad, fired_at=None, attempts=1)
    assert failed.count() == 2  # the reminder and the breach of acceptance
    assert all(t.fire_at > due and "disk full" in t.last_error for t in failed)


def test_a_failing_timer_keeps_as_much_of_its_error_as_the_field_holds(
    clock, clerk, enterprise, monkeypatch, django_capture_on_commit_callbacks
):
    clock(local(2026, 6, 1, 9))
    petition = record(clerk, enterprise)
    due = Deadline.objects.get(petition=petition, rule__kind=DeadlineKind.ACCEPTANCE).due_at

    def event(*args, **kwargs):
        raise RuntimeError("disk full " + "x" * 5000)

    monkeypatch.setattr(deadlines, "record_event", event)

    fire(due, django_capture_on_commit_callbacks)

    length = DeadlineTimer._meta.get_field("last_error").max_length
    errors = DeadlineTimer.objects.filter(deadline__petition=petition, attempts=1)
    assert [len(e) for e in errors.values_list("last_error", flat=True)] == [length, length]
    assert errors.first().last_error.startswith("RuntimeError: disk full x")


def test_run_timers_once_fires_what_is_due(clock, clerk, enterprise, capsys):
    clock(local(2026, 6, 1, 9))
    petition = record(clerk, enterprise)
    due = Deadline.objects.get(petition=petition, rule__kind=DeadlineKind.ACCEPTANCE).due_at
    clock(due + datetime.timedelta(minutes=1))

    call_command("run_timers", "--once")

    assert "fired 2" in capsys.readouterr().out  # acceptance: reminder and breach
    assert len(events(petition, "deadline_breached")) == 1


def test_the_test_suite_runs_no_timer_thread(settings):
    assert settings.CASEWORK["TIMERS_IN_PROCESS"] is False
    assert start_in_process() is None


@pytest.mark.parametrize(("env", "expected"), [("development", "True"), ("production", "False")])
def test_timers_run_in_the_server_process_only_outside_production(env, expected):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CASEWORK_"))}
    environ.update(
        DJANGO_ENV=env,
        DJANGO_SECRET_KEY="a-production-key-that-is-long-and-random-enough-0123456789-abcdefghijk",
        DJANGO_ALLOWED_HOSTS="cases.example.org",
    )
    code = "from django.conf import settings; print(settings.CASEWORK['TIMERS_IN_PROCESS'])"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1] == expected, result.stderr


def test_a_reminder_of_a_provisional_deadline_says_so_on_the_timeline(
    clock, login, clerk, enterprise, django_capture_on_commit_callbacks
):
    clock(local(2026, 12, 2, 9))
    petition = record(clerk, enterprise)
    handling = Deadline.objects.get(petition=petition, rule__kind=DeadlineKind.HANDLING)
    reminder_at = handling.opened_at + (handling.due_at - handling.opened_at) * 0.8

    fire(reminder_at, django_capture_on_commit_callbacks)

    [event] = [e for e in events(petition, "deadline_reminder") if e.data["deadline"] == "handling"]
    assert event.data["due"] == "2027-02-01" and event.data["provisional_year"] == 2027
    page = login(clerk).get(f"/petitions/{petition.pk}/").content.decode()
    assert "Provisional calendar year" in page
