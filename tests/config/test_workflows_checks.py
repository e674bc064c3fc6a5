"""The DEADLINES and TASK_DUE_DAYS tables of settings.CASEWORK name workflows' deadline kinds and
petition flow steps: workflows/checks.py checks them at start-up."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from workflows.checks import check_settings


@pytest.fixture
def casework(settings):
    def change(**values):
        settings.CASEWORK = {**settings.CASEWORK, **values}
        return settings.CASEWORK

    return change


def deadlines(settings, **entries):
    return {**settings.CASEWORK["DEADLINES"], **entries}


def ids(errors):
    return [error.id for error in errors]


def test_the_shipped_settings_pass():
    assert check_settings() == []


def test_a_mistyped_deadline_kind_is_an_error(casework, settings):
    table = deadlines(settings, handeling={"length": 60, "unit": "calendar", "extension": 30})
    del table["handling"]
    casework(DEADLINES=table)
    errors = check_settings()
    assert ids(errors) == ["workflows.E001", "workflows.E001"]
    assert "lacks the deadline kind 'handling'" in errors[0].msg
    assert "'handeling', which is not a deadline kind" in errors[1].msg


def test_a_deadline_without_its_extension_is_an_error(casework, settings):
    casework(DEADLINES=deadlines(settings, payment={"length": 0, "unit": "calendar"}))
    [error] = check_settings()
    assert error.id == "workflows.E002" and "['payment'] lacks 'extension'" in error.msg


def test_a_unit_that_is_not_working_or_calendar_is_an_error(casework, settings):
    casework(
        DEADLINES=deadlines(settings, mediation={"length": 15, "unit": "days", "extension": 0})
    )
    [error] = check_settings()
    assert error.id == "workflows.E003" and "'days'" in error.msg


def test_a_negative_deadline_length_is_an_error(casework, settings):
    entry = {"length": -1, "unit": "working", "extension": 0}
    casework(DEADLINES=deadlines(settings, acceptance=entry))
    assert ids(check_settings()) == ["workflows.E005"]


def test_task_due_days_for_a_step_the_flow_lacks_is_an_error(casework):
    casework(TASK_DUE_DAYS={"strat_mediation": 3, "refer": 5, "close": 5})
    [error] = check_settings()
    assert error.id == "workflows.E006" and "'strat_mediation'" in error.msg
    assert "start_mediation" in error.hint


def test_task_due_days_for_a_step_with_a_deadline_rule_is_an_error(casework):
    # The triage task falls due with the acceptance deadline: the days would be ignored.
    casework(TASK_DUE_DAYS={"start_mediation": 3, "triage": 2})
    [error] = check_settings()
    assert error.id == "workflows.E007" and "'acceptance'" in error.hint


def test_task_due_days_written_as_text_is_an_error(casework):
    casework(TASK_DUE_DAYS={"start_mediation": "3"})
    assert ids(check_settings()) == ["workflows.E004"]


def test_manage_py_check_fails_on_an_unknown_unit(casework, settings):
    casework(
        DEADLINES=deadlines(settings, payment={"length": 0, "unit": "Calendar", "extension": 0})
    )
    with pytest.raises(SystemCheckError, match=r"workflows\.E003"):
        call_command("check")
