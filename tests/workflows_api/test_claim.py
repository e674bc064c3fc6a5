import pytest
from viewflow.workflow.exceptions import FlowLockFailed

from casework.models import CaseEvent
from tests.factories import drive_to, release, step
from workflows import services as workflow

from .helpers import error_of, open_task, task_url

pytestmark = pytest.mark.django_db


def claim(client, task):
    return client.post(task_url(task, "claim"), format="json")


def test_mediator_claims_a_task_from_the_queue(api, mediator, petition):
    task = open_task(petition)

    response = claim(api(mediator), task)

    assert response.status_code == 200
    assert (response.json()["owner"], response.json()["status"]) == ("mediator", "ASSIGNED")
    assert open_task(petition).owner == mediator
    event = CaseEvent.objects.get(petition=petition, transition="claim")
    assert (event.actor, event.data) == (mediator, {"task": "triage", "owner": "mediator"})


def test_second_claim_is_a_409(api, mediator, colleague, petition):
    task = open_task(petition)
    claim(api(mediator), task)

    response = claim(api(colleague), task)

    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"
    assert open_task(petition).owner == mediator


def test_claiming_ones_own_task_again_is_a_409(api, mediator, petition):
    task = open_task(petition)
    claim(api(mediator), task)

    assert claim(api(mediator), task).status_code == 409


def test_claiming_a_completed_task_is_a_409(api, mediator, supervisor, petition):
    task = open_task(petition)
    step(petition, "accept", supervisor)

    response = claim(api(mediator), task)

    assert response.status_code == 409
    assert "already been completed" in error_of(response)["message"]


def test_mediator_cannot_claim_outside_grid_area(api, mediator, petition_a2):
    response = claim(api(mediator), open_task(petition_a2))

    assert response.status_code == 404
    assert error_of(response) == {"code": "not_found", "message": "Not found."}
    assert open_task(petition_a2).owner is None


def test_outsider_cannot_claim_in_zone_a(api, outsider, petition):
    assert claim(api(outsider), open_task(petition)).status_code == 404


def test_auditor_who_sees_the_petition_may_not_claim(api, auditor, petition):
    response = claim(api(auditor), open_task(petition))

    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    assert open_task(petition).owner is None


def test_clerk_may_not_claim_a_mediation_task(api, clerk, supervisor, petition):
    drive_to(petition, "in_mediation", supervisor)
    task = release(petition, supervisor)

    assert claim(api(clerk), task).status_code == 403


def test_unknown_task_is_a_404(api, mediator):
    assert api(mediator).post("/api/tasks/999999/claim/").status_code == 404


def test_anonymous_gets_401(api, petition):
    assert claim(api(), open_task(petition)).status_code == 401


def test_get_is_a_405(api, mediator, petition):
    response = api(mediator).get(task_url(open_task(petition), "claim"))

    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_one_task_can_be_read(api, mediator, petition):
    task = open_task(petition)

    response = api(mediator).get(task_url(task))

    assert response.status_code == 200
    assert (response.json()["id"], response.json()["name"]) == (task.pk, "triage")


def test_outsider_cannot_read_a_task(api, outsider, petition):
    assert api(outsider).get(task_url(open_task(petition))).status_code == 404


def test_flow_lock_timeout_is_a_409(api, mediator, petition, monkeypatch):
    def locked(task, *, actor):
        raise FlowLockFailed("Lock failed")

    monkeypatch.setattr(workflow, "claim_task", locked)

    response = claim(api(mediator), open_task(petition))

    assert response.status_code == 409
    assert error_of(response) == {
        "code": "conflict",
        "message": "Someone else is working on this task; try again.",
    }


def test_a_task_id_past_the_integer_range_is_a_404(api, mediator, petition):
    response = api(mediator).post(f"/api/tasks/{'9' * 30}/claim/", format="json")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
