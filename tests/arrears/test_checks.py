"""The due day a new database is seeded with is checked at start-up (every month must have it),
and so are the hour and the days of the missing reports' reminders and alerts."""

import pytest

from arrears.checks import check_settings


@pytest.fixture
def due_day(settings):
    def change(value):
        settings.CASEWORK = {**settings.CASEWORK, "ARREARS_REPORT_DUE_DAY": value}

    return change


def test_the_shipped_due_day_passes():
    assert check_settings() == []


def test_a_due_day_not_in_every_month_is_an_error(due_day):
    due_day(31)

    [error] = check_settings()
    assert error.id == "arrears.E005" and "'ARREARS_REPORT_DUE_DAY'" in error.msg


def test_a_missing_due_day_is_an_error(settings):
    settings.CASEWORK = {
        k: v for k, v in settings.CASEWORK.items() if k != "ARREARS_REPORT_DUE_DAY"
    }

    assert [error.id for error in check_settings()] == ["arrears.E001"]


def test_a_notice_hour_not_on_the_clock_is_an_error(settings):
    settings.CASEWORK = {**settings.CASEWORK, "ARREARS_NOTICE_HOUR": 24}

    [error] = check_settings()
    assert error.id == "arrears.E005" and "'ARREARS_NOTICE_HOUR'" in error.msg


def test_a_reminder_on_the_due_day_itself_is_an_error(settings):
    settings.CASEWORK = {**settings.CASEWORK, "ARREARS_REMINDER_DAYS": 0}

    [error] = check_settings()
    assert error.id == "arrears.E005" and "'ARREARS_REMINDER_DAYS'" in error.msg
