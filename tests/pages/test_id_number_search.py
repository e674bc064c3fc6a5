"""Finding a case by a worker's ID number: never through the address, never for a role that sees
ID numbers masked, and no faster than the search limit allows."""

import pytest

from casework.models import Worker
from tests.factories import record, worker_row

pytestmark = pytest.mark.django_db

LIST = "/petitions/"
FIND = "/petitions/find-by-id/"


@pytest.fixture
def target(clerk, enterprise):
    return record(clerk, enterprise, workers=[worker_row(name="Zhang Xiuying")])


@pytest.fixture
def id_number(target):
    return Worker.objects.get(claims__petition=target).id_number


def numbers(response):
    return [p.number for p in response.context["page"].object_list]


def test_masked_role_cannot_confirm_a_whole_id_number_by_searching(login, clerk, target, id_number):
    response = login(clerk).get(LIST, {"search": id_number})

    assert numbers(response) == []
    assert target.number not in response.text


def test_whole_id_number_in_the_search_address_is_refused_with_a_reason(
    login, supervisor, target, id_number
):
    response = login(supervisor).get(LIST, {"search": id_number})

    assert numbers(response) == []
    assert "ID number search" in response.context["filters"].errors["search"][0]
    assert "ID number search" in response.text


def test_role_that_sees_whole_numbers_finds_the_case_by_a_posted_id_number(
    login, supervisor, target, id_number, clerk, enterprise
):
    record(clerk, enterprise)

    response = login(supervisor).post(FIND, {"id_number": id_number.lower()})

    assert response.status_code == 200
    assert numbers(response) == [target.number]


def test_posted_id_search_is_offered_only_to_roles_that_see_whole_numbers(
    login, supervisor, clerk, target
):
    assert FIND in login(supervisor).get(LIST).text
    assert FIND not in login(clerk).get(LIST).text


def test_masked_role_may_not_post_an_id_search(login, clerk, id_number):
    assert login(clerk).post(FIND, {"id_number": id_number}).status_code == 403


def test_bad_posted_id_number_is_a_form_error(login, supervisor, target):
    response = login(supervisor).post(FIND, {"id_number": "12345"})

    assert response.status_code == 400
    assert "id_number" in response.context["id_form"].errors


def test_id_search_is_only_answered_to_a_post(login, supervisor, id_number):
    assert login(supervisor).get(FIND, {"id_number": id_number}).status_code == 405


def test_searches_are_rate_limited_per_user(login, supervisor, mediator, target, search_rate):
    search_rate("2/min")
    browser = login(supervisor)

    assert browser.get(LIST, {"search": "Xiuying"}).status_code == 200
    assert browser.get(LIST, {"search": "Wang"}).status_code == 200
    refused = browser.get(LIST, {"search": "Xiuying"})

    assert refused.status_code == 429
    assert "Too many searches" in refused.text
    assert browser.get(LIST, {"status": "received"}).status_code == 200
    assert login(mediator).get(LIST, {"search": "Xiuying"}).status_code == 200


def test_repeating_the_last_search_does_not_count(login, supervisor, target, search_rate):
    # Paging, a reload and the page's live refresh ask for the same term again.
    search_rate("2/min")
    browser = login(supervisor)

    for page in range(5):
        assert browser.get(LIST, {"search": "Xiuying", "page": page + 1}).status_code == 200
    assert browser.get(LIST, {"search": "Wang"}).status_code == 200
    assert browser.get(LIST, {"search": "Li"}).status_code == 429


def test_the_id_number_results_page_does_not_refresh_itself(login, supervisor, target, id_number):
    page = login(supervisor).post(FIND, {"id_number": id_number})

    assert 'data-live="list"' not in page.text
    assert 'data-live="list"' in login(supervisor).get(LIST).text
