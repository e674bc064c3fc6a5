"""settings.CASEWORK is checked at start-up (casework/checks.py): a mistyped value stops
`manage.py check` with an error naming the key and the value, not a silent mask in production."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from casework.checks import check_settings


@pytest.fixture
def casework(settings):
    """Change some of CASEWORK for one test: settings restores the whole dict afterwards."""

    def change(**values):
        settings.CASEWORK = {**settings.CASEWORK, **values}
        return settings.CASEWORK

    return change


def ids(errors):
    return [error.id for error in errors]


def test_the_shipped_settings_pass():
    assert check_settings() == []


def test_a_mistyped_role_is_an_error(casework):
    casework(ID_NUMBER_FULL_ROLES=["mediator", "Supervisor"])
    [error] = check_settings()
    assert error.id == "casework.E003"
    assert "'ID_NUMBER_FULL_ROLES'" in error.msg and "'Supervisor'" in error.msg
    assert "supervisor" in error.hint


def test_manage_py_check_fails_on_a_mistyped_role(casework):
    casework(PHONE_FULL_ROLES=["intake_clerk", "mediater"])
    with pytest.raises(SystemCheckError, match=r"casework\.E003.*'mediater'"):
        call_command("check")


def test_a_role_list_written_as_one_string_is_an_error(casework):
    # "admin" in "mediator,admin" would be a substring match, not a role.
    casework(PHONE_FULL_ROLES="mediator,admin")
    assert ids(check_settings()) == ["casework.E002"]


def test_a_missing_key_is_an_error(casework):
    config = casework()
    del config["SIGNIN_FAILURE_LIMIT"]
    [error] = check_settings()
    assert error.id == "casework.E001" and "'SIGNIN_FAILURE_LIMIT'" in error.msg


def test_a_percentage_over_99_is_an_error(casework):
    casework(DEADLINE_REMINDER_PERCENT=100)
    [error] = check_settings()
    assert error.id == "casework.E005" and "100" in error.msg
    assert error.hint == "A number from 1 to 99."


def test_a_lockout_of_no_minutes_is_an_error(casework):
    casework(SIGNIN_LOCKOUT_MINUTES=0)
    assert ids(check_settings()) == ["casework.E005"]


def test_an_amount_as_a_float_is_an_error(casework):
    casework(MAX_CLAIM_AMOUNT=1e7, ESCALATION_CLAIMED_ABOVE=Decimal("500000"))
    assert ids(check_settings()) == ["casework.E004"]


def test_a_year_still_to_come_is_an_error(casework):
    # Every petition would be "received before EARLIEST_YEAR".
    casework(EARLIEST_YEAR=2999)
    assert ids(check_settings()) == ["casework.E005"]


def test_a_rate_drf_cannot_read_is_an_error(casework):
    casework(SEARCH_RATE="30 per minute")
    assert ids(check_settings()) == ["casework.E006"]


def test_a_timer_flag_that_is_not_a_bool_is_an_error(casework):
    casework(TIMERS_IN_PROCESS="false")
    assert ids(check_settings()) == ["casework.E007"]
