"""The case page and the task layer agree: it shows the open task, and offers only the steps the
service would let this user take."""

from django.urls import reverse

from casework.models import Status
from tests.factories import step

from .conftest import task_of


def page(petition):
    return reverse("casework:petition-detail", args=[petition.pk])


def test_case_page_links_the_open_task_and_who_holds_it(login, supervisor, mediating):
    text = login(supervisor).get(page(mediating)).text

    assert f'href="{reverse("workflows:task", args=[task_of(mediating).pk])}"' in text
    assert "held by mediator" in text


def test_case_page_shows_a_task_in_the_queue(login, supervisor, petition):
    assert "in the zone queue" in login(supervisor).get(page(petition)).text


def test_colleague_sees_no_step_buttons_for_a_held_task(login, colleague, mediating):
    response = login(colleague).get(page(mediating))

    assert response.context["steps"] == []


def test_case_page_buttons_complete_the_task(login, mediator, mediating):
    task = task_of(mediating)

    login(mediator).post(
        reverse("casework:petition-transition", args=[mediating.pk, "fail_mediation"]),
        {"expected_status": "in_mediation", "reason": "The employer refused."},
    )

    mediating.refresh_from_db()
    assert mediating.status == Status.MEDIATION_FAILED
    task.refresh_from_db()
    assert task.status == "DONE"
    assert task_of(mediating).flow_task.name == "refer"


def test_case_page_shows_sessions_and_agreements(login, mediator, mediating):
    step(mediating, "reach_agreement", mediator, data={**_dates(), "terms": "Paid in full."})

    text = login(mediator).get(page(mediating)).text

    assert "Mediation agreement" in text
    assert "Paid in full." in text


def _dates():
    return {"signed_on": "2026-01-05", "due_date": "2026-01-20"}
