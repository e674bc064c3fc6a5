import datetime

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from casework.models import Petition
from tests.clock import local
from tests.factories import EnterpriseFactory, record, release, step
from workflows import services as workflow

from .helpers import URL, error_of, numbers, open_task, rows

pytestmark = pytest.mark.django_db


def listing(client, view, **filters):
    return client.get(URL, {"view": view, **filters})


def test_new_petition_waits_in_the_queue_of_its_grid_mediator(api, mediator, petition):
    client = api(mediator)

    assert numbers(listing(client, "queue")) == [petition.number]
    assert numbers(listing(client, "mine")) == []


def test_mine_is_the_default_view(api, mediator, petition):
    workflow.claim_task(open_task(petition), actor=mediator)

    assert numbers(api(mediator).get(URL)) == [petition.number]


def test_claimed_task_leaves_the_queue_for_mine(api, mediator, petition):
    workflow.claim_task(open_task(petition), actor=mediator)
    client = api(mediator)

    assert numbers(listing(client, "queue")) == []
    assert numbers(listing(client, "mine")) == [petition.number]


def test_mediator_of_grid_a1_does_not_see_grid_a2s_queue(api, mediator, petition, petition_a2):
    assert numbers(listing(api(mediator), "queue")) == [petition.number]


def test_mediator_of_grid_a2_sees_only_grid_a2s_queue(api, mediator_a2, petition, petition_a2):
    assert numbers(listing(api(mediator_a2), "queue")) == [petition_a2.number]


def test_supervisor_queue_covers_the_whole_zone(api, supervisor, petition, petition_a2):
    assert set(numbers(listing(api(supervisor), "queue"))) == {petition.number, petition_a2.number}


@pytest.mark.parametrize("view", ["mine", "queue", "done"])
def test_outsider_sees_nothing_of_zone_a(api, outsider, supervisor, petition, petition_a2, view):
    step(petition_a2, "accept", supervisor)
    response = listing(api(outsider), view)

    assert numbers(response) == []
    assert response.json()["counts"] == {"mine": 0, "queue": 0, "done": 0}


def test_auditor_has_nothing_to_take(api, auditor, petition):
    assert numbers(listing(api(auditor), "queue")) == []


def test_clerk_may_take_triage_but_not_mediation(api, clerk, supervisor, petition, enterprise):
    accepted = record(clerk, enterprise)
    step(accepted, "accept", supervisor)
    release(accepted, supervisor)  # "start mediation", in the queue

    assert numbers(listing(api(clerk), "queue")) == [petition.number]
    assert set(numbers(listing(api(supervisor), "queue"))) == {petition.number, accepted.number}


def test_mine_is_sorted_by_deadline_then_priority(api, clerk, mediator, enterprise):
    march = timezone.make_aware(datetime.datetime(2026, 3, 1, 9, 0))
    normal = record(clerk, enterprise, received_at=march)
    urgent = record(clerk, enterprise, received_at=march, priority=Petition.Priority.URGENT)
    earliest = record(clerk, enterprise, received_at=march - datetime.timedelta(days=20))
    for petition in [normal, urgent, earliest]:
        workflow.claim_task(open_task(petition), actor=mediator)

    assert numbers(listing(api(mediator), "mine")) == [
        earliest.number,
        urgent.number,
        normal.number,
    ]


def test_done_lists_what_i_finished_and_mine_the_next_step(api, mediator, petition):
    step(petition, "accept", mediator)  # the grid's only mediator gets "start mediation" too
    client = api(mediator)

    (done,) = rows(listing(client, "done"))
    (mine,) = rows(listing(client, "mine"))
    assert (done["name"], done["status"], mine["name"]) == ("triage", "DONE", "start_mediation")
    assert done["finished"]


def test_done_omits_what_others_finished(api, mediator, supervisor, petition):
    step(petition, "reject", supervisor)

    assert numbers(listing(api(mediator), "done")) == []
    assert numbers(listing(api(supervisor), "done")) == [petition.number]


def test_row_shows_the_task_and_its_petition(api, mediator, petition):
    workflow.claim_task(open_task(petition), actor=mediator)

    (row,) = rows(listing(api(mediator), "mine"))

    assert row["id"] == open_task(petition).pk
    assert (row["name"], row["title"], row["owner"]) == ("triage", "Triage", "mediator")
    assert row["transitions"] == ["accept", "reject", "refer_out"]
    assert row["due_at"] and row["created"]
    assert row["petition"] == {
        "id": petition.pk,
        "number": petition.number,
        "status": "received",
        "status_label": "Received",
        "category": "remuneration",
        "enterprise": "Lanxi Textile",
        "is_group": False,
        "priority": 0,
        "workers_count": 3,
    }


def test_counts_of_each_list_come_with_the_page(api, mediator, clerk, enterprise, petition):
    held = record(clerk, enterprise)
    workflow.claim_task(open_task(held), actor=mediator)
    finished = record(clerk, enterprise)
    step(finished, "reject", mediator)  # then "close" is the mediator's, mine too

    body = listing(api(mediator), "queue").json()

    assert body["counts"] == {"mine": 2, "queue": 1, "done": 1}
    assert body["count"] == 1


def test_counts_endpoint(api, mediator, petition):
    response = api(mediator).get(f"{URL}counts/")

    assert response.status_code == 200
    assert response.json() == {"mine": 0, "queue": 1, "done": 0}


@pytest.fixture
def varied(clerk, org, enterprise):
    """Three petitions in grid A1 waiting for triage, differing in what the filters look at."""
    other = EnterpriseFactory(name="Xihu Foods", grid_area=org["grid_a1"])
    return {
        "wages": record(clerk, enterprise),
        "group": record(clerk, enterprise, workers=10),
        "dismissal": record(clerk, other, category=Petition.Category.DISMISSAL),
    }


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"category": "dismissal"}, ["dismissal"]),
        ({"is_group": "true"}, ["group"]),
        ({"is_group": "false"}, ["wages", "dismissal"]),
        ({"status": "received"}, ["wages", "group", "dismissal"]),
        ({"status": "accepted"}, []),
    ],
)
def test_filters(api, mediator, varied, filters, expected):
    found = numbers(listing(api(mediator), "queue", **filters))

    assert sorted(found) == sorted(varied[name].number for name in expected)


def test_filter_by_enterprise(api, mediator, varied, enterprise):
    found = numbers(listing(api(mediator), "queue", enterprise=enterprise.pk))

    assert sorted(found) == sorted([varied["wages"].number, varied["group"].number])


def test_counts_follow_the_filters(api, mediator, varied):
    body = listing(api(mediator), "queue", category="dismissal").json()

    assert body["counts"] == {"mine": 0, "queue": 1, "done": 0}


def test_group_row_counts_its_workers(api, mediator, varied):
    (row,) = rows(listing(api(mediator), "queue", is_group="true"))

    assert (row["petition"]["is_group"], row["petition"]["workers_count"]) == (True, 10)


def test_unknown_view_is_a_400(api, mediator):
    response = listing(api(mediator), "everything")

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["view"]


def test_bad_filter_value_is_a_400(api, mediator):
    response = listing(api(mediator), "queue", status="lost", category="theft")

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"status", "category"}


def test_list_is_paginated(api, mediator, varied):
    body = listing(api(mediator), "queue", page_size=2).json()

    assert (body["count"], len(body["results"])) == (3, 2)
    assert "page=2" in body["next"]


def test_anonymous_gets_401(api, petition):
    response = api().get(URL)

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_wrong_method_on_the_list_gets_405(api, mediator):
    assert api(mediator).post(URL, {}, format="json").status_code == 405


def token_client(user):
    # A token, not force_authenticate: each request loads the user and its roles afresh.
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


MAKE_ROW = {
    # view -> turns a fresh petition's triage task into a row of that view for the mediator
    "queue": lambda petition, mediator: None,
    "mine": lambda petition, mediator: workflow.claim_task(open_task(petition), actor=mediator),
    "done": lambda petition, mediator: step(petition, "reject", mediator),
}


@pytest.mark.parametrize("view", ["mine", "queue", "done"])
def test_query_count_does_not_grow_with_tasks(
    mediator, clerk, enterprise, django_assert_max_num_queries, view
):
    client = token_client(mediator)

    def add(n):
        for _ in range(n):
            MAKE_ROW[view](record(clerk, enterprise, workers=2), mediator)

    add(3)
    with django_assert_max_num_queries(7) as few:
        assert len(rows(client.get(URL, {"view": view}))) == 3
    add(27)
    with django_assert_max_num_queries(7) as many:
        assert len(rows(client.get(URL, {"view": view}))) == 30

    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_due_date_on_the_provisional_calendar_names_its_year(api, clock, mediator, clerk, org):
    clock(local(2026, 12, 21, 10))
    petition = record(clerk, EnterpriseFactory(grid_area=org["grid_a1"]))

    [row] = rows(listing(api(mediator), "queue"))

    assert row["petition"]["number"] == petition.number
    assert row["due_at"].startswith("2027-01-12") and row["due_provisional_year"] == 2027


def test_an_enterprise_id_past_the_integer_range_lists_nothing(api, mediator, petition):
    client = api(mediator)

    assert numbers(listing(client, "queue", enterprise="1" + "0" * 30)) == []
    assert client.get(f"{URL}counts/", {"enterprise": "1" + "0" * 30}).status_code == 200
