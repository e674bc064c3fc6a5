"""Working days: PRC holidays and make-up working days, local days off, unknown years."""

import datetime

import pytest

from workflows import calendar
from workflows.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

D = datetime.date


def test_national_day_is_skipped():
    # 2026: Oct 1-7 off.
    assert calendar.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)


def test_make_up_saturday_is_a_working_day():
    # 2026-10-10 is a Saturday worked in exchange for the holiday (调休).
    assert calendar.is_working_day(D(2026, 10, 10))
    assert calendar.add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)


def test_ordinary_saturday_is_not():
    assert calendar.add_working_days(D(2026, 10, 16), 1) == D(2026, 10, 19)


def test_local_day_off_is_skipped():
    CalendarDay.objects.create(date=D(2026, 10, 8), note="Zone sports day")

    assert calendar.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 9)


def test_a_year_no_package_knows_is_an_error_naming_it():
    with pytest.raises(calendar.CalendarUnknown, match="2101") as err:
        calendar.add_working_days(D(2100, 12, 30), 5)

    assert err.value.year == 2101


def test_new_year_2027_is_a_day_off_on_the_provisional_calendar():
    # 2026-12-31 is a Thursday; Jan 1 (Friday) is the statutory holiday, Jan 2-3 a weekend.
    assert calendar.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert calendar.provisional_year(D(2026, 12, 31), D(2027, 1, 4)) == 2027


def test_spring_festival_2027_is_off_on_the_provisional_calendar():
    # Eve Feb 5 to Feb 8 by the lunar calendar, and Feb 9-10 for the days that fall on a weekend.
    days_off = [D(2027, 2, day) for day in range(5, 11)]

    assert not any(calendar.is_working_day(day) for day in days_off)
    assert calendar.add_working_days(D(2027, 2, 4), 1) == D(2027, 2, 11)


def test_a_year_the_package_knows_is_not_provisional():
    assert calendar.provisional_year(D(2026, 1, 1), D(2026, 12, 31)) is None


def test_a_year_entered_by_hand_is_computed_and_no_longer_provisional():
    CalendarYear.objects.create(year=2027, source="State Council notice for 2027")
    CalendarDay.objects.create(date=D(2027, 1, 1), note="New Year")
    CalendarDay.objects.create(date=D(2027, 1, 2), kind=CalendarDay.Kind.WORKING_DAY)

    # The make-up Saturday Jan 2 counts now.
    assert calendar.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 2)
    assert calendar.provisional_year(D(2026, 12, 31), D(2027, 1, 2)) is None


def test_period_ending_on_a_day_off_ends_on_the_next_working_day():
    assert calendar.first_working_day(D(2026, 10, 5)) == D(2026, 10, 8)
    assert calendar.first_working_day(D(2026, 10, 10)) == D(2026, 10, 10)


def test_working_days_left_counts_only_working_days():
    assert calendar.working_days_left(D(2026, 10, 9), today=D(2026, 9, 30)) == 2
    assert calendar.working_days_left(D(2026, 9, 30), today=D(2026, 9, 30)) == 0
    assert calendar.working_days_left(D(2026, 9, 29), today=D(2026, 10, 8)) == -2


def test_working_days_left_across_years_agrees_with_counting_day_by_day():
    today, due = D(2025, 12, 20), D(2026, 2, 28)  # New Year and the Spring Festival between
    days = (due - today).days
    by_day = sum(calendar.is_working_day(today + n * calendar.ONE_DAY) for n in range(1, days + 1))

    assert calendar.working_days_left(due, today=today) == by_day == 45
    assert calendar.working_days_left(today, today=due) == -by_day
