import pytest

from casework.models import Petition
from tests.factories import STEP_INPUT, drive_to
from workflows import services as workflow

from .helpers import error_of, open_task, task_url

pytestmark = pytest.mark.django_db


def complete(client, task, transition, **body):
    return client.post(
        task_url(task, "complete"), {"transition": transition, **body}, format="json"
    )


def inputs(name):
    """A step's inputs (tests/factories.STEP_INPUT) as an API body."""
    given = STEP_INPUT.get(name, {})
    return {"reason": given.get("reason", ""), **given.get("data", {})}


def status_of(petition):
    return Petition.objects.get(pk=petition.pk).status


def test_completing_triage_accepts_and_opens_the_next_task(api, mediator, petition):
    response = complete(api(mediator), open_task(petition), "accept")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["task"]["name"], body["task"]["status"]) == ("triage", "DONE")
    assert body["task"]["petition"]["status"] == "accepted"
    assert (body["next_task"]["name"], body["next_task"]["owner"]) == (
        "start_mediation",
        "mediator",
    )
    assert status_of(petition) == "accepted"
    assert open_task(petition).pk == body["next_task"]["id"]


def test_agreement_with_its_data_moves_the_petition(api, mediator, petition):
    drive_to(petition, "in_mediation", mediator)
    first = petition.claims.first()
    body = {**inputs("reach_agreement"), f"amount_{first.pk}": "800", "terms": "Two instalments."}

    response = complete(api(mediator), open_task(petition), "reach_agreement", **body)

    assert response.status_code == 200, response.json()
    assert response.json()["next_task"]["name"] == "check_fulfilment"
    agreement = petition.agreements.get()
    assert (agreement.terms, agreement.due_date.isoformat()) == ("Two instalments.", "2026-01-20")
    assert agreement.lines.get(claim=first).amount == 800


def test_missing_step_data_is_a_400_naming_the_fields(api, mediator, petition):
    drive_to(petition, "in_mediation", mediator)

    response = complete(api(mediator), open_task(petition), "reach_agreement")

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"signed_on", "due_date"}
    assert status_of(petition) == "in_mediation"


def test_transition_of_another_step_is_a_400(api, mediator, petition):
    response = complete(api(mediator), open_task(petition), "start_mediation")

    assert response.status_code == 400
    error = error_of(response)
    assert error["fields"] == {
        "transition": ["This task is completed by one of: accept, reject, refer_out."]
    }
    assert status_of(petition) == "received"


def test_transition_is_required(api, mediator, petition):
    response = api(mediator).post(task_url(open_task(petition), "complete"), {}, format="json")

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["transition"]


def test_task_held_by_someone_else_is_a_403(api, mediator, colleague, petition):
    task = workflow.claim_task(open_task(petition), actor=colleague)

    response = complete(api(mediator), task, "accept")

    assert response.status_code == 403
    assert "held by colleague" in error_of(response)["message"]
    assert status_of(petition) == "received"


def test_supervisor_completes_someone_elses_task(api, supervisor, colleague, petition):
    task = workflow.claim_task(open_task(petition), actor=colleague)

    response = complete(api(supervisor), task, "reject", reason="Not a labor dispute.")

    assert response.status_code == 200
    assert response.json()["task"]["owner"] == "supervisor"


def test_clerk_may_not_reject(api, clerk, petition):
    response = complete(api(clerk), open_task(petition), "reject", reason="No.")

    assert response.status_code == 403
    assert status_of(petition) == "received"


def test_completed_task_is_a_409(api, mediator, petition):
    task = open_task(petition)
    complete(api(mediator), task, "accept")

    response = complete(api(mediator), task, "accept")

    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"


def test_stale_expected_status_is_a_409(api, mediator, petition):
    response = complete(
        api(mediator), open_task(petition), "accept", expected_status="in_mediation"
    )

    assert response.status_code == 409
    assert status_of(petition) == "received"


def test_outsider_gets_404(api, outsider, petition):
    assert complete(api(outsider), open_task(petition), "reject", reason="x").status_code == 404
    assert status_of(petition) == "received"


def test_retry_with_the_same_key_completes_once(api, mediator, petition):
    client, task = api(mediator), open_task(petition)
    url, body = task_url(task, "complete"), {"transition": "accept"}

    first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="c-1")
    again = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="c-1")

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert petition.events.filter(transition="accept").count() == 1


HAPPY_PATH = [
    ("triage", "accept"),
    ("start_mediation", "start_mediation"),
    ("mediate", "reach_agreement"),
    ("check_fulfilment", "confirm_fulfilment"),
    ("callback", "record_callback"),
    ("close", "close"),
]


def test_whole_path_through_the_api_keeps_task_and_status_in_step(api, mediator, clerk, petition):
    next_nodes = [node for node, _transition in HAPPY_PATH[1:]] + [None]

    for (node, transition), next_node in zip(HAPPY_PATH, next_nodes, strict=True):
        task = open_task(petition)
        assert task.flow_task.name == node
        body = inputs(transition)
        if transition == "record_callback":  # the clerk calls a worker back, not the mediator
            body["claim"] = petition.claims.first().pk
        client = api(clerk if transition == "record_callback" else mediator)
        response = complete(client, task, transition, **body)
        assert response.status_code == 200, (transition, response.json())
        following = response.json()["next_task"]
        assert (following and following["name"]) == next_node
        assert response.json()["task"]["petition"]["status"] == status_of(petition)

    assert status_of(petition) == "closed"
    assert open_task(petition) is None
    assert petition.closures.get().rating == 5
