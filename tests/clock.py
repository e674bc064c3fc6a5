"""Moving time in tests: a working-day calendar read afresh for each test, local moments, and a
clock the test moves (time-machine). Conftests that import `fresh_calendar` make it automatic."""

import datetime

import pytest
import time_machine
from django.utils import timezone

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
