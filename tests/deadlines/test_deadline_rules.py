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


def test_a_deadline_in_an_unknown_year_says_which_year(clock, login, clerk, enterprise):
    clock(local(2026, 11, 20, 9))
    petition = record(clerk, enterprise)

    handling = Deadline.objects.get(petition=petition, rule__kind=DeadlineKind.HANDLING)
    assert handling.due_at is None and handling.unknown_year == 2027
    page = login(clerk).get(f"/petitions/{petition.pk}/").content.decode()
    assert "no data for 2027" in page


def test_rule_lengths_are_data(clock, clerk, enterprise):
    DeadlineRule.objects.filter(kind=DeadlineKind.ACCEPTANCE).update(length=1)
    clock(local(2026, 9, 30, 10))

    petition = record(clerk, enterprise)

    assert due_date(petition, DeadlineKind.ACCEPTANCE) == D(2026, 10, 8)
