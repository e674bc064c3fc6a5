"""Every refusal has the one error shape, whichever layer refused."""

import pytest

from casework import services

from .helpers import error_of, json_row, petition_url

pytestmark = pytest.mark.django_db

URL = "/api/petitions/"


def test_malformed_json_is_a_400(api, clerk):
    response = api(clerk).post(URL, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


def test_body_that_is_not_an_object_is_a_400(api, clerk):
    response = api(clerk).post(URL, [1, 2], format="json")

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert "dictionary" in error["message"]


def test_workers_that_are_not_a_list_are_a_400(api, clerk, payload):
    response = api(clerk).post(URL, payload(workers="Zhang San"), format="json")

    assert response.status_code == 400
    assert "list" in error_of(response)["fields"]["workers"][0]


def test_every_faulty_field_is_named(api, clerk, payload):
    body = payload(channel="pigeon", priority=9)
    del body["description"]

    response = api(clerk).post(URL, body, format="json")

    assert set(error_of(response)["fields"]) == {"channel", "priority", "description"}


def test_too_many_representatives_is_a_workers_error(api, clerk, payload):
    rows = [json_row(is_representative=True) for _ in range(6)]

    response = api(clerk).post(URL, payload(workers=rows), format="json")

    assert response.status_code == 400
    assert "at most 5 representatives" in error_of(response)["fields"]["workers"][0]


def test_no_workers_is_a_workers_error(api, clerk, payload):
    response = api(clerk).post(URL, payload(workers=[]), format="json")

    assert response.status_code == 400
    assert error_of(response)["fields"] == {"workers": ["List at least one worker."]}


def test_linking_to_a_finished_petition_is_refused(api, clerk, supervisor, petition):
    services.fire_transition(petition, "reject", actor=supervisor, reason="Not ours.")

    response = api(clerk).post(petition_url(petition, "link/"), {"description": "More."})

    assert response.status_code == 400
    assert error_of(response)["code"] == "transition_refused"


def test_fields_absent_when_not_an_input_error(api, auditor, petition):
    response = api(auditor).post(petition_url(petition, "transitions/accept/"), {}, format="json")

    assert "fields" not in error_of(response)


def test_unknown_address_is_a_404_in_the_error_shape(api):
    response = api().get("/api/nowhere/")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
