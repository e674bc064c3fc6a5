"""PRC working days: public holidays and make-up working days (调休) from `chinese_calendar`,
local extra days off from the `CalendarDay` table, and years the package does not cover yet from
their official arrangement once entered (`CalendarYear`). Until then such a year is provisional:
weekends and the statutory holidays of the national rules (the `holidays` package computes the
lunar dates), without the make-up working days only the State Council's notice names. A year
neither package knows is an error that names it.
"""

import datetime
import functools
import time

import chinese_calendar
import holidays
from chinese_calendar.constants import holidays as _package_holidays
from django.apps import apps
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from casework.exceptions import CalendarUnknown

ONE_DAY = datetime.timedelta(days=1)
PACKAGE_YEARS = range(min(_package_holidays).year, max(_package_holidays).year + 1)
PROVISIONAL_YEARS = range(PACKAGE_YEARS.stop, holidays.China.end_year + 1)
# The table changes a few times a year: each process rereads it at most once a minute, and at
# once when this process changes it.
CACHE_SECONDS = 60
_loaded = None  # (monotonic time, {date: is a working day}, {year}, {year: running counts})


def _load():
    global _loaded
    loaded = _loaded
    if loaded is None or time.monotonic() - loaded[0] > CACHE_SECONDS:
        # Through the app registry: workflows.models uses this module (a task's provisional year).
        day_model = apps.get_model("workflows", "CalendarDay")
        working = day_model.Kind.WORKING_DAY
        days = {d: kind == working for d, kind in day_model.objects.values_list("date", "kind")}
        years = set(
            apps.get_model("workflows", "CalendarYear").objects.values_list("year", flat=True)
        )
        loaded = _loaded = (time.monotonic(), days, years, {})
    return loaded


def _overrides():
    _time, days, years, _counts = _load()
    return days, years


@receiver(
    [post_save, post_delete], sender="workflows.CalendarDay", dispatch_uid="calendar-day-changed"
)
@receiver(
    [post_save, post_delete], sender="workflows.CalendarYear", dispatch_uid="calendar-year-changed"
)
def clear_cache(**kwargs):
    global _loaded
    _loaded = None


def is_working_day(day):
    days, years = _overrides()
    working = days.get(day)
    if working is not None:
        return working
    if day.year in PACKAGE_YEARS:
        return chinese_calendar.is_workday(day)
    if day.year in years:
        return day.weekday() < 5
    if day.year in PROVISIONAL_YEARS:
        return day.weekday() < 5 and day not in _statutory_holidays(day.year)
    raise CalendarUnknown(day.year)


@functools.cache
def _statutory_holidays(year):
    return frozenset(holidays.China(years=year))


def provisional_year(start, end):
    """The first year from the date `start` through the date `end` whose working days are
    provisional (its official arrangement not yet known), or None."""
    years = _overrides()[1]
    return next(
        (y for y in range(start.year, end.year + 1) if y in PROVISIONAL_YEARS and y not in years),
        None,
    )


def add_working_days(start, count):
    """The `count`-th working day after the date `start` (which does not count itself)."""
    day = start
    while count > 0:
        day += ONE_DAY
        if is_working_day(day):
            count -= 1
    return day


def first_working_day(day):
    """`day` if it is a working day, else the next one: a period that ends on a day off ends on
    the next working day (Civil Procedure Law, Art. 85)."""
    while not is_working_day(day):
        day += ONE_DAY
    return day


def _working_days_through(day):
    """Working days from 1 January of `day`'s year through `day`. Each year is counted once per
    cache period: a queue page asks this for every row, some of them months overdue."""
    counts = _load()[3]
    running = counts.get(day.year)
    if running is None:
        running, total = [], 0
        day_of_year = datetime.date(day.year, 1, 1)
        while day_of_year.year == day.year:
            total += is_working_day(day_of_year)
            running.append(total)
            day_of_year += ONE_DAY
        counts[day.year] = running
    return running[day.timetuple().tm_yday - 1]


def _working_days_after(start, end):
    """Working days after `start` up to and including `end` (start <= end)."""
    whole_years = sum(
        _working_days_through(datetime.date(year, 12, 31)) for year in range(start.year, end.year)
    )
    return whole_years + _working_days_through(end) - _working_days_through(start)


def working_days_left(due, today=None):
    """Working days after `today` up to and including the date `due`; negative when `due` has
    passed (the working days since), 0 on the day itself."""
    today = today or timezone.localdate()
    if due >= today:
        return _working_days_after(today, due)
    return -_working_days_after(due, today)


def end_of_day(day):
    """The last second of `day`, local time: a deadline is met if done that day."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))
