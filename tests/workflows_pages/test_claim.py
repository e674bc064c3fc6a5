"""Claiming a task from the queue: one click, and only inside one's own grid area."""

from django.urls import reverse

from casework.models import CaseEvent

from .conftest import task_of


def claim(task):
    return reverse("workflows:claim", args=[task.pk])


def test_claim_from_the_queue_in_one_click(login, mediator, petition):
    task = task_of(petition)

    response = login(mediator).post(claim(task), follow=True)

    assert response.redirect_chain == [(reverse("workflows:task", args=[task.pk]), 302)]
    assert task_of(petition).owner == mediator
    assert f"{petition.number} is yours: Triage." in response.text
    assert CaseEvent.objects.filter(petition=petition, transition="claim").exists()
    assert task.pk in [t.pk for t in login(mediator).get("/tasks/").context["page"]]


def test_mediator_may_not_claim_in_another_grid_area(login, mediator, petition_a2):
    response = login(mediator).post(claim(task_of(petition_a2)))

    assert response.status_code == 404
    assert task_of(petition_a2).owner is None


def test_claiming_a_task_someone_claimed_first_is_409(login, mediator, colleague, petition):
    task = task_of(petition)
    login(colleague).post(claim(task))

    response = login(mediator).post(claim(task))

    assert response.status_code == 409
    assert "Someone else claimed this task first." in response.text
    assert task_of(petition).owner == colleague


def test_auditor_may_not_claim(login, auditor, petition):
    response = login(auditor).post(claim(task_of(petition)))

    assert response.status_code == 403
    assert task_of(petition).owner is None
