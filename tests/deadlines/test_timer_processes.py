"""Two timer processes at once on PostgreSQL: every reminder and breach fires exactly once."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine
from django.db import connection

from casework.models import CaseEvent
from escalation.models import EscalationRule
from workflows import deadlines
from workflows.models import Deadline, DeadlineKind, DeadlineTimer

from ..concurrency import run_together
from ..factories import record
from .conftest import local

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
PETITIONS = 15  # two deadlines each (acceptance, handling), a reminder and a breach each


@pytest.fixture
def due_timers(clerk, enterprise):
    """Every timer of PETITIONS petitions recorded months ago: all due now, none fired yet.
    (No escalation on breach here: its acknowledgement clock would add timers.)"""
    EscalationRule.objects.update(active=False)
    with time_machine.travel(local(2026, 6, 1, 9), tick=False):
        for _ in range(PETITIONS):
            record(clerk, enterprise)
    count = DeadlineTimer.objects.count()
    assert count == PETITIONS * 4
    return count


def assert_each_fired_once(count):
    assert not DeadlineTimer.objects.filter(fired_at=None).exists()
    assert DeadlineTimer.objects.filter(outcome=DeadlineTimer.Outcome.FIRED).count() == count
    reminders = CaseEvent.objects.filter(transition="deadline_reminder").count()
    breaches = CaseEvent.objects.filter(transition="deadline_breached").count()
    assert (reminders, breaches) == (count // 2, count // 2)


def test_two_timer_workers_at_once_fire_each_timer_once(due_timers):
    def worker(barrier):
        barrier.wait()
        fired = 0
        while True:
            batch, more = deadlines.fire_due_timers(limit=5)
            fired += batch
            if not (batch or more):
                return fired

    results = run_together(worker, worker)

    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == due_timers
    assert_each_fired_once(due_timers)


def test_two_run_timers_commands_at_once_fire_each_timer_once(due_timers):
    settings = connection.settings_dict
    url = "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**settings)
    env = {**os.environ, "DATABASE_URL": url, "CASEWORK_TIMERS_IN_PROCESS": "0"}
    command = [sys.executable, "manage.py", "run_timers", "--interval", "0.2", "--batch", "3"]
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    try:
        deadline = time.monotonic() + 60
        while DeadlineTimer.objects.filter(fired_at=None).exists() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        outputs = [process.communicate(timeout=30)[0] for process in processes]

    assert [p.returncode for p in processes] == [0, 0], outputs
    assert all(out.strip().endswith("stopped") for out in outputs), outputs
    assert_each_fired_once(due_timers)


def test_two_timer_processes_starting_at_once_date_each_undated_deadline_once(clerk, enterprise):
    with time_machine.travel(local(2026, 12, 2, 9), tick=False):
        for _ in range(PETITIONS):
            record(clerk, enterprise)
    # As the calendar before the provisional years left the handling deadlines: undated.
    handling = Deadline.objects.filter(rule__kind=DeadlineKind.HANDLING)
    handling.update(due_at=None, unknown_year=2027)
    DeadlineTimer.objects.filter(deadline__in=handling).delete()

    def start(barrier):
        barrier.wait()
        return deadlines.reschedule_uncertain()

    results = run_together(start, start)

    assert sum(results) == PETITIONS, results
    for deadline in handling:
        assert deadline.provisional_year == 2027
        assert sorted(deadline.timers.values_list("kind", flat=True)) == ["breach", "reminder"]
