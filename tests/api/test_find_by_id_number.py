"""The API's ID-number search: a POST, for roles that see ID numbers whole, rate-limited."""

import pytest

from casework.models import Worker
from tests.factories import record

from .helpers import error_of

pytestmark = pytest.mark.django_db

LIST = "/api/petitions/"
FIND = "/api/petitions/find-by-id-number/"


@pytest.fixture
def target(clerk, enterprise):
    return record(clerk, enterprise)


@pytest.fixture
def id_number(target):
    return Worker.objects.get(claims__petition=target).id_number


def test_list_search_refuses_a_whole_id_number(api, supervisor, id_number):
    response = api(supervisor).get(LIST, {"search": id_number})

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["search"]


def test_masked_role_cannot_confirm_a_whole_id_number(api, clerk, id_number):
    assert api(clerk).get(LIST, {"search": id_number}).status_code == 400
    assert api(clerk).post(FIND, {"id_number": id_number}, format="json").status_code == 403


def test_supervisor_finds_the_case_by_a_posted_id_number(api, supervisor, target, id_number):
    response = api(supervisor).post(FIND, {"id_number": id_number}, format="json")

    assert response.status_code == 200
    assert [row["number"] for row in response.json()] == [target.number]


def test_outsider_finds_nothing_by_id_number(api, outsider, id_number):
    response = api(outsider).post(FIND, {"id_number": id_number}, format="json")

    assert response.status_code == 200
    assert response.json() == []


def test_bad_id_number_is_a_400_naming_the_field(api, supervisor):
    response = api(supervisor).post(FIND, {"id_number": "33010619"}, format="json")

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["id_number"]


def test_searches_are_throttled_per_user(api, supervisor, mediator, target, search_rate):
    search_rate("2/min")
    client = api(supervisor)
    for _ in range(2):
        assert client.get(LIST, {"search": "Wages"}).status_code == 200

    response = client.get(LIST, {"search": "Wages"})

    assert response.status_code == 429
    assert error_of(response)["code"] == "throttled"
    assert client.get(LIST).status_code == 200
    assert api(mediator).get(LIST, {"search": "Wages"}).status_code == 200


def test_page_and_api_share_one_search_limit(api, client, supervisor, target, search_rate):
    search_rate("1/min")
    client.force_login(supervisor)
    assert client.get("/petitions/", {"search": "Wages"}).status_code == 200

    assert api(supervisor).get(LIST, {"search": "Wages"}).status_code == 429
