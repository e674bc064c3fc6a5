"""The supervisor's board: every open petition of the zone, who holds it, moving work around."""

from django.urls import reverse

from casework.models import CaseEvent
from tests.factories import EnterpriseFactory, record
from workflows import services as workflow

from .conftest import task_of

BOARD = reverse("workflows:board")


def rows(response):
    return {task.pk: task for task in response.context["page"].object_list}


def reassign(task):
    return reverse("workflows:reassign", args=[task.pk])


def test_anonymous_is_sent_to_login(client):
    response = client.get(BOARD)

    assert response.status_code == 302


def test_only_supervisors_see_the_board(login, mediator, auditor, clerk, petition):
    for user in (mediator, auditor, clerk):
        assert login(user).get(BOARD).status_code == 403, user


def test_board_lists_every_open_task_of_the_zone_with_its_holder(
    login, supervisor, mediator, mediating, petition_a2
):
    response = login(supervisor).get(BOARD)

    shown = rows(response)
    assert set(shown) == {task_of(mediating).pk, task_of(petition_a2).pk}
    assert "queue" in response.text  # the A2 task waits unassigned
    assert '<td class="holder">mediator</td>' in response.text
    assert f'href="{BOARD}"' in response.text  # the nav entry


def test_outsider_sees_only_their_own_zone(login, outsider, org, petition):
    own = record(outsider, EnterpriseFactory(grid_area=org["grid_b1"]))

    response = login(outsider).get(BOARD)

    assert set(rows(response)) == {task_of(own).pk}
    assert petition.number not in response.text


def test_reassign_offers_exactly_who_may_take_the_task(login, supervisor, colleague, mediating):
    task = task_of(mediating)

    shown = rows(login(supervisor).get(BOARD))[task.pk]

    assert shown.candidates == list(workflow.users_who_may_take(task))


def test_supervisor_reassigns_with_a_reason(login, supervisor, mediator, colleague, mediating):
    task = task_of(mediating)

    response = login(supervisor).post(
        reassign(task), {"to_user": colleague.pk, "reason": "Mediator on leave.", "next": BOARD}
    )

    assert response.status_code == 302 and response.url == BOARD
    assert task_of(mediating).owner == colleague
    event = CaseEvent.objects.filter(petition=mediating).last()
    assert (event.transition, event.reason) == ("reassign", "Mediator on leave.")


def test_reassign_without_a_reason_is_400_beside_the_row(login, supervisor, colleague, mediating):
    task = task_of(mediating)

    response = login(supervisor).post(reassign(task), {"to_user": colleague.pk, "reason": ""})

    assert response.status_code == 400
    assert rows(response)[task.pk].reassign_form.errors["reason"]
    assert "This field is required." in response.text
    assert task_of(mediating).owner != colleague


def test_reassign_to_someone_who_may_not_take_it_is_400(login, supervisor, auditor, mediating):
    response = login(supervisor).post(
        reassign(task_of(mediating)), {"to_user": auditor.pk, "reason": "Try."}
    )

    assert response.status_code == 400
    assert task_of(mediating).owner.username == "mediator"


def test_mediator_may_not_reassign(login, mediator, colleague, mediating):
    response = login(mediator).post(
        reassign(task_of(mediating)), {"to_user": colleague.pk, "reason": "Swap."}
    )

    assert response.status_code == 403
    assert task_of(mediating).owner == mediator


def test_outsider_may_not_reassign_zone_a_work(login, outsider, mediating):
    response = login(outsider).post(
        reassign(task_of(mediating)), {"to_user": outsider.pk, "reason": "Mine."}
    )

    assert response.status_code == 404


def test_supervisor_unassigns_from_the_board(login, supervisor, mediating):
    task = task_of(mediating)

    response = login(supervisor).post(
        reverse("workflows:unassign", args=[task.pk]), {"next": BOARD}
    )

    assert response.url == BOARD
    assert task_of(mediating).owner is None


def test_unassigning_a_task_in_the_queue_is_409(login, supervisor, petition):
    response = login(supervisor).post(reverse("workflows:unassign", args=[task_of(petition).pk]))

    assert response.status_code == 409
    assert "This task is not assigned." in response.text


def test_next_may_not_lead_off_site(login, supervisor, mediating):
    response = login(supervisor).post(
        reverse("workflows:unassign", args=[task_of(mediating).pk]),
        {"next": "https://evil.example/"},
    )

    assert response.url == reverse("workflows:my-tasks")
