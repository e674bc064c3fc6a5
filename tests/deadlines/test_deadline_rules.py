"""Deadlines open and close as the petition moves, in PRC working days."""

import datetime

import pytest
from django.utils import timezone

from casework.models import Status
from workflows import services as workflow
from workflows.models import Deadline, DeadlineKind, DeadlineRule

from ..factories import drive_to, record, step
from .conftest import local

pytestmark = pytest.mark.django_db
D = datetime.date


def due_date(petition, kind):
    deadline = Deadline.objects.get(petition=petition, rule__kind=kind, closed_at=None)
    return timezone.localdate(deadline.due_at)


def test_acceptance_runs_15_working_days_across_national_day(clock, clerk, enterprise):
    clock(local(2026, 9, 28, 10))
    petition = record(clerk, enterprise)

    # Sep 29-30, then Oct 8, 9, the make-up Saturday Oct 10, and ten more working days.
    assert due_date(petition, DeadlineKind.ACCEPTANCE) == D(2026, 10, 23)


def test_triage_task_falls_due_with_the_acceptance_deadline(clock, clerk, enterprise):
    clock(local(2026, 9, 28, 10))
    petition = record(clerk, enterprise)

    task = workflow.open_task(petition)
    assert timezone.localdate(task.due_at) == D(2026, 10, 23)


def test_acceptance_counts_from_the_recorded_receipt(clock, clerk, enterprise):
    clock(local(2026, 10, 12, 9))
    petition = record(clerk, enterprise, received_at=local(2026, 9, 30, 16))

    # Oct 8, 9, 10 (make-up), 12-16, 19-23, 26, 27.
    assert due_date(petition, DeadlineKind.ACCEPTANCE) == D(2026, 10, 27)


def test_mediation_period_ending_in_national_day_ends_on_the_next_working_day(
    clock, clerk, supervisor, enterprise
):
    petition = record(clerk, enterprise)
    clock(local(2026, 9, 20, 9))  # 15 days later is Oct 5, inside the holiday
    drive_to(petition, Status.IN_MEDIATION, supervisor)

    assert due_date(petition, DeadlineKind.MEDIATION) == D(2026, 10, 8)
    assert timezone.localdate(workflow.open_task(petition).due_at) == D(2026, 10, 8)


def test_mediation_period_ending_on_a_make_up_saturday_ends_there(
    clock, clerk, supervisor, enterprise
):
    petition = record(clerk, enterprise)
    clock(local(2026, 9, 25, 9))  # 15 days later is Saturday Oct 10, a make-up working day

    drive_to(petition, Status.IN_MEDIATION, supervisor)

    assert due_date(petition, DeadlineKind.MEDIATION) == D(2026, 10, 10)


def test_payment_falls_due_on_the_agreed_date(clock, clerk, supervisor, enterprise):
    clock(local(2026, 6, 1, 9))
    petition = drive_to(record(clerk, enterprise), Status.IN_MEDIATION, supervisor)

    step(
        petition,
        "reach_agreement",
        supervisor,
        data={"signed_on": "2026-06-01", "due_date": "2026-06-20"},
    )

    assert due_date(petition, DeadlineKind.PAYMENT) == D(2026, 6, 20)


def test_steps_stop_their_clocks(clock, clerk, supervisor, enterprise):
    clock(local(2026, 6, 1, 9))
    petition = record(clerk, enterprise)

    step(petition, "accept", clerk)

    open_kinds = set(
        Deadline.objects.filter(petition=petition, closed_at=None).values_list(
            "rule__kind", flat=True
        )
    )
    assert open_kinds == {DeadlineKind.HANDLING}


def test_closing_stops_the_handling_clock(clock, clerk, supervisor, enterprise):
    clock(local(2026, 6, 1, 9))
    petition = drive_to(record(clerk, enterprise), Status.CLOSED, supervisor)

    assert not Deadline.objects.filter(petition=petition, closed_at=None).exists()


def test_other_tasks_have_their_working_days(clock, clerk, enterprise, settings):
    clock(local(2026, 9, 29, 9))
    petition = record(clerk, enterprise)

    step(petition, "accept", clerk)

    task = workflow.open_task(petition)
    assert task.flow_task.name == "start_mediation"
    days = settings.CASEWORK["TASK_DUE_DAYS"]["start_mediation"]
    assert days == 3 and timezone.localdate(task.due_at) == D(2026, 10, 9)


def test_a_case_filed_today_has_a_provisional_handling_deadline(clock, login, clerk, enterprise):
    clock(local(2026, 12, 2, 9))
    petition = record(clerk, enterprise)

    # 60 days is Sunday 2027-01-31: the period ends on Monday Feb 1.
    handling = Deadline.objects.get(petition=petition, rule__kind=DeadlineKind.HANDLING)
    assert timezone.localdate(handling.due_at) == D(2027, 2, 1)
    assert handling.provisional_year == 2027 and handling.unknown_year is None
    assert handling.timers.filter(kind="breach", for_due_at=handling.due_at).exists()
    page = login(clerk).get(f"/petitions/{petition.pk}/").content.decode()
    assert "Due 2027-02-01" in page and "provisional" in page
    assert "no data for" not in page


def test_mediation_ending_in_the_2027_spring_festival_ends_after_it(
    clock, clerk, supervisor, enterprise
):
    petition = record(clerk, enterprise)
    clock(local(2027, 1, 25, 9))  # 15 days later is Feb 9, inside the holiday

    drive_to(petition, Status.IN_MEDIATION, supervisor)

    assert due_date(petition, DeadlineKind.MEDIATION) == D(2027, 2, 11)
    mediation = Deadline.objects.get(petition=petition, rule__kind=DeadlineKind.MEDIATION)
    assert mediation.provisional_year == 2027


def test_a_deadline_within_a_known_year_is_not_provisional(clock, clerk, enterprise):
    clock(local(2026, 9, 28, 10))
    petition = record(clerk, enterprise)

    acceptance = Deadline.objects.get(petition=petition, rule__kind=DeadlineKind.ACCEPTANCE)
    assert acceptance.provisional_year is None


def test_a_deadline_in_a_year_no_package_knows_says_which_year(clock, login, clerk, enterprise):
    clock(local(2100, 11, 20, 9))
    petition = record(clerk, enterprise)

    handling = Deadline.objects.get(petition=petition, rule__kind=DeadlineKind.HANDLING)
    assert handling.due_at is None and handling.unknown_year == 2101
    page = login(clerk).get(f"/petitions/{petition.pk}/").content.decode()
    assert "no data for 2101" in page


def test_a_reopened_case_gets_a_new_handling_deadline(clock, clerk, supervisor, enterprise):
    clock(local(2026, 6, 1, 9))
    petition = drive_to(record(clerk, enterprise), Status.CLOSED, supervisor)
    clock(local(2026, 8, 3, 9))

    step(petition, "reopen", supervisor)

    handling = Deadline.objects.get(
        petition=petition, rule__kind=DeadlineKind.HANDLING, closed_at=None
    )
    # 60 days from Aug 3 is Oct 2, inside National Day: the period ends on Oct 8.
    assert handling.opened_at == local(2026, 8, 3, 9)
    assert timezone.localdate(handling.due_at) == D(2026, 10, 8)


def test_rule_lengths_are_data(clock, clerk, enterprise):
    DeadlineRule.objects.filter(kind=DeadlineKind.ACCEPTANCE).update(length=1)
    clock(local(2026, 9, 30, 10))

    petition = record(clerk, enterprise)

    assert due_date(petition, DeadlineKind.ACCEPTANCE) == D(2026, 10, 8)
