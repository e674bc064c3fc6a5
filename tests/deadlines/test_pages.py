"""Time left in working days on the case page and the task lists; overdue is unmistakable."""

import pytest
from django.urls import reverse

from workflows import services as workflow

from ..factories import record
from .conftest import local

pytestmark = pytest.mark.django_db


def test_case_page_shows_time_left_in_working_days(clock, login, clerk, enterprise):
    clock(local(2026, 9, 28, 10))
    petition = record(clerk, enterprise)

    page = (
        login(clerk).get(reverse("casework:petition-detail", args=[petition.pk])).content.decode()
    )

    assert 'id="deadline-acceptance"' in page
    assert "Due 2026-10-23" in page and "15 working days left" in page
    assert "badge-overdue" not in page


def test_overdue_deadline_has_a_red_badge_and_says_how_late(clock, login, clerk, enterprise):
    clock(local(2026, 9, 28, 10))
    petition = record(clerk, enterprise)
    clock(local(2026, 10, 27, 10))

    page = (
        login(clerk).get(reverse("casework:petition-detail", args=[petition.pk])).content.decode()
    )

    assert '<span class="badge badge-overdue">Overdue</span>' in page
    assert "2 working days overdue" in page


def test_queue_rows_show_working_days_left(clock, login, clerk, mediator, enterprise):
    clock(local(2026, 9, 28, 10))
    record(clerk, enterprise)
    clock(local(2026, 10, 9, 10))

    page = login(mediator).get(reverse("workflows:queue")).content.decode()

    # Oct 10 (the make-up Saturday), 12-16, 19-23.
    assert "2026-10-23" in page and "11 working days left" in page


def test_my_tasks_show_overdue_rows(clock, login, clerk, mediator, enterprise):
    clock(local(2026, 9, 28, 10))
    petition = record(clerk, enterprise)
    workflow.claim_task(workflow.open_task(petition), actor=mediator)
    clock(local(2026, 10, 26, 10))

    page = login(mediator).get(reverse("workflows:my-tasks")).content.decode()

    assert "1 working day overdue" in page and "badge-overdue" in page


def test_queue_marks_a_due_date_counted_on_the_provisional_calendar(
    clock, login, clerk, mediator, enterprise
):
    clock(local(2026, 12, 21, 10))
    record(clerk, enterprise)

    page = login(mediator).get(reverse("workflows:queue")).content.decode()

    # Dec 22-25, 28-31, Jan 1 off (New Year 2027), Jan 4-8, 11, 12.
    assert "2027-01-12" in page and "badge-provisional" in page


def test_queue_does_not_mark_a_due_date_in_a_known_year(clock, login, clerk, mediator, enterprise):
    clock(local(2026, 9, 28, 10))
    record(clerk, enterprise)

    page = login(mediator).get(reverse("workflows:queue")).content.decode()

    assert "2026-10-23" in page and "badge-provisional" not in page
