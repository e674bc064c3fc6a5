"""Escalation tests: a calendar read afresh for each test, and a clock the test moves."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from casework.models import Role
from tests.factories import record, user_with_role, worker_row
from tests.pages.conftest import login  # noqa: F401 - the page tests' logged-in client
from workflows import calendar


@pytest.fixture(autouse=True)
def fresh_calendar():
    """The calendar tables are cached per process; a test's rows vanish with its transaction."""
    calendar.clear_cache()
    yield
    calendar.clear_cache()


def local(*args):
    """An aware moment in Shanghai time."""
    return timezone.make_aware(datetime.datetime(*args))


@pytest.fixture
def clock():
    """clock(moment) -> a time_machine traveller; `.shift(delta)` and `.move_to(moment)`."""
    travellers = []

    def at(moment):
        traveller = time_machine.travel(moment, tick=False)
        travellers.append(traveller)
        return traveller.start()

    yield at
    for traveller in reversed(travellers):
        traveller.stop()


@pytest.fixture
def liaison(org):
    return user_with_role(Role.COMMITTEE_LIAISON, org["zone_a"], username="liaison")


@pytest.fixture
def group(clerk, enterprise):
    """A group petition of 12 workers, every other one non-local: escalated on intake."""
    rows = [worker_row(non_local=i % 2 == 0) for i in range(12)]
    return record(clerk, enterprise, workers=rows)
