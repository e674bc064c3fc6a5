import pytest

from casework.models import CaseEvent, Petition
from tests.factories import STEP_INPUT

from .helpers import error_of, json_row, petition_url

pytestmark = pytest.mark.django_db

URL = "/api/petitions/"


@pytest.fixture
def first(api, clerk, payload):
    """A petition recorded through the API; returns (its body, its first worker's row)."""
    row = json_row()
    body = api(clerk).post(URL, payload(workers=[row]), format="json").json()
    return body, row


def test_repeat_petition_answers_409_with_the_open_case(api, clerk, payload, first):
    open_case, row = first

    response = api(clerk).post(URL, payload(workers=[row, json_row()]), format="json")

    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "repeat_petition"
    assert error["petition"] == {"id": open_case["id"], "number": open_case["number"]}
    assert open_case["number"] in error["message"]
    assert Petition.objects.count() == 1


def test_repeat_of_a_closed_case_is_a_new_petition(api, clerk, payload, first, supervisor):
    open_case, row = first
    case = Petition.objects.get(pk=open_case["id"])
    for name in ["reject", "close"]:
        body = {"reason": STEP_INPUT[name].get("reason", ""), **STEP_INPUT[name].get("data", {})}
        response = api(supervisor).post(
            petition_url(case, f"transitions/{name}/"), body, format="json"
        )
        assert response.status_code == 200, response.json()

    response = api(clerk).post(URL, payload(workers=[row]), format="json")

    assert response.status_code == 201


def test_clerk_links_the_new_facts_to_the_open_case(api, clerk, first):
    open_case, row = first
    case = Petition.objects.get(pk=open_case["id"])
    body = {"description": "Two more months unpaid.", "workers": [row, json_row()]}

    response = api(clerk).post(petition_url(case, "link/"), body, format="json")

    assert response.status_code == 200
    assert len(response.json()["workers"]) == 2
    event = CaseEvent.objects.get(petition=case, transition="link_facts")
    assert event.reason == "Two more months unpaid."
    assert event.data["workers_added"] == 1


def test_link_needs_a_description(api, clerk, first):
    case = Petition.objects.get(pk=first[0]["id"])

    response = api(clerk).post(petition_url(case, "link/"), {"description": " "}, format="json")

    assert response.status_code == 400
    assert "description" in error_of(response)["fields"]


def test_auditor_cannot_link(api, auditor, first):
    case = Petition.objects.get(pk=first[0]["id"])

    response = api(auditor).post(petition_url(case, "link/"), {"description": "x"}, format="json")

    assert response.status_code == 403


def test_outsider_cannot_link(api, outsider, first):
    case = Petition.objects.get(pk=first[0]["id"])

    response = api(outsider).post(petition_url(case, "link/"), {"description": "x"}, format="json")

    assert response.status_code == 404


def test_link_retry_with_same_key_links_once(api, clerk, first):
    case = Petition.objects.get(pk=first[0]["id"])
    client, url = api(clerk), petition_url(case, "link/")

    for _ in range(2):
        client.post(url, {"description": "More."}, format="json", HTTP_IDEMPOTENCY_KEY="l-1")

    assert CaseEvent.objects.filter(petition=case, transition="link_facts").count() == 1
