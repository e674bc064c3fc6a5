import datetime

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from casework import services
from casework.models import Petition
from tests.factories import EnterpriseFactory, record, worker_row

pytestmark = pytest.mark.django_db

URL = "/api/petitions/"


def numbers(response):
    assert response.status_code == 200, response.json()
    return {row["number"] for row in response.json()["results"]}


@pytest.fixture
def cases(clerk, supervisor, org, enterprise):
    """Four petitions in zone A, differing in what the filters look at."""
    other = EnterpriseFactory(name="Qiantang Machinery", grid_area=org["grid_a2"])
    march = timezone.make_aware(datetime.datetime(2026, 3, 10, 10, 0))
    may = timezone.make_aware(datetime.datetime(2026, 5, 20, 10, 0))
    wages = record(clerk, enterprise, workers=[worker_row(name="Zhang San")], received_at=march)
    group = record(clerk, enterprise, workers=10, received_at=may)
    dismissal = record(
        clerk,
        other,
        category=Petition.Category.DISMISSAL,
        description="Fired without notice.",
        received_at=timezone.make_aware(datetime.datetime(2026, 1, 5, 10, 0)),
    )
    accepted = record(clerk, other, received_at=may)
    services.fire_transition(accepted, "accept", actor=supervisor)
    return {"wages": wages, "group": group, "dismissal": dismissal, "accepted": accepted}


def test_list_shows_the_users_petitions(api, clerk, cases):
    response = api(clerk).get(URL)

    assert numbers(response) == {p.number for p in cases.values()}
    assert response.json()["count"] == 4


def test_list_row_has_enterprise_and_totals(api, clerk, cases):
    rows = api(clerk).get(URL, {"search": cases["group"].number}).json()["results"]

    assert rows[0]["enterprise"]["name"] == "Lanxi Textile"
    assert rows[0]["workers_count"] == 10
    assert rows[0]["claimed_total"] == "50000.00"


def test_outsider_sees_none_of_zone_a(api, outsider, cases):
    assert numbers(api(outsider).get(URL)) == set()


def test_mediator_sees_only_their_grid_area(api, mediator, cases):
    expected = {cases["wages"].number, cases["group"].number}

    assert numbers(api(mediator).get(URL)) == expected


def test_filter_by_status(api, clerk, cases):
    assert numbers(api(clerk).get(URL, {"status": "accepted"})) == {cases["accepted"].number}


def test_filter_by_category(api, clerk, cases):
    response = api(clerk).get(URL, {"category": "dismissal"})

    assert numbers(response) == {cases["dismissal"].number}


def test_filter_by_org_unit_takes_its_subtree(api, clerk, cases, org):
    in_a2 = {cases["dismissal"].number, cases["accepted"].number}

    assert numbers(api(clerk).get(URL, {"org_unit": org["grid_a2"].pk})) == in_a2
    assert len(numbers(api(clerk).get(URL, {"org_unit": org["zone_a"].pk}))) == 4


def test_filter_by_enterprise(api, clerk, cases, enterprise):
    expected = {cases["wages"].number, cases["group"].number}

    assert numbers(api(clerk).get(URL, {"enterprise": enterprise.pk})) == expected


def test_filter_group_petitions(api, clerk, cases):
    assert numbers(api(clerk).get(URL, {"is_group": "true"})) == {cases["group"].number}


def test_filter_by_received_date_range(api, clerk, cases):
    response = api(clerk).get(
        URL, {"received_after": "2026-05-01", "received_before": "2026-05-31"}
    )

    assert numbers(response) == {cases["group"].number, cases["accepted"].number}


def test_bad_filter_value_is_a_400(api, clerk, cases):
    response = api(clerk).get(URL, {"status": "lost", "received_after": "yesterday"})

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"status", "received_after"}


@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("Zhang San", ["wages"]),
        ("Qiantang", ["dismissal", "accepted"]),
        ("without notice", ["dismissal"]),
    ],
)
def test_search(api, clerk, cases, term, found):
    expected = {cases[case].number for case in found}

    assert numbers(api(clerk).get(URL, {"search": term})) == expected


def test_search_by_number(api, clerk, cases):
    number = cases["accepted"].number

    assert numbers(api(clerk).get(URL, {"search": number})) == {number}


def test_search_by_worker_name_keeps_totals_right(api, clerk, cases):
    name = cases["group"].claims.first().name

    rows = api(clerk).get(URL, {"search": name}).json()["results"]

    assert [row["workers_count"] for row in rows] == [10]


def test_list_is_paginated(api, clerk, cases):
    body = api(clerk).get(URL, {"page_size": 3}).json()

    assert body["count"] == 4
    assert len(body["results"]) == 3
    assert "page=2" in body["next"]


def test_list_query_count_does_not_grow_with_petitions(
    clerk, enterprise, django_assert_max_num_queries
):
    # A token, not force_authenticate: each request loads the user and its roles afresh.
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=clerk).key}")
    for _ in range(3):
        record(clerk, enterprise, workers=2)
    with django_assert_max_num_queries(6) as few:
        assert client.get(URL).json()["count"] == 3
    for _ in range(27):
        record(clerk, enterprise, workers=2)

    with django_assert_max_num_queries(6) as many:
        assert client.get(URL).json()["count"] == 30

    assert len(many.captured_queries) == len(few.captured_queries)
