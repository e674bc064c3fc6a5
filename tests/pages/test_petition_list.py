import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.models import Petition
from tests.factories import EnterpriseFactory, record, worker_row

URL = reverse("casework:petition-list")


def numbers(response):
    return [p.number for p in response.context["page"].object_list]


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_outsider_sees_nothing_of_zone_a(login, outsider, petition, org):
    own = record(outsider, EnterpriseFactory(grid_area=org["grid_b1"]))

    response = login(outsider).get(URL)

    assert numbers(response) == [own.number]
    assert petition.number not in response.text


def test_mediator_sees_only_their_grid_area(login, mediator, clerk, petition, org):
    record(clerk, EnterpriseFactory(grid_area=org["grid_a2"]))

    response = login(mediator).get(URL)

    assert numbers(response) == [petition.number]


def test_list_shows_workers_count_and_total_claimed(login, auditor, clerk, enterprise):
    petition = record(
        clerk,
        enterprise,
        workers=[worker_row(claimed_amount=Decimal("1200.50")), worker_row()],
    )

    response = login(auditor).get(URL)

    row = response.context["page"].object_list[0]
    assert (row.number, row.workers_count, row.claimed_total) == (
        petition.number,
        2,
        Decimal("6200.50"),
    )
    assert "6,200.50" in response.text


def test_filter_by_status(login, supervisor, clerk, enterprise):
    accepted = record(clerk, enterprise)
    services.fire_transition(accepted, "accept", actor=supervisor)
    record(clerk, enterprise)

    response = login(supervisor).get(URL, {"status": "accepted"})

    assert numbers(response) == [accepted.number]


def test_filter_by_category_and_group(login, supervisor, clerk, enterprise):
    group = record(clerk, enterprise, workers=10)
    record(clerk, enterprise, category=Petition.Category.DISMISSAL)

    browser = login(supervisor)

    assert numbers(browser.get(URL, {"is_group": "true"})) == [group.number]
    assert numbers(browser.get(URL, {"category": "remuneration", "is_group": "false"})) == []


def test_filter_by_org_unit_and_enterprise(login, supervisor, clerk, enterprise, org):
    other = EnterpriseFactory(grid_area=org["grid_a2"])
    in_a2 = record(clerk, other)
    in_a1 = record(clerk, enterprise)
    browser = login(supervisor)

    assert numbers(browser.get(URL, {"org_unit": org["grid_a2"].pk})) == [in_a2.number]
    assert numbers(browser.get(URL, {"enterprise": enterprise.pk})) == [in_a1.number]


def test_filter_by_received_date_range(login, supervisor, clerk, enterprise):
    now = timezone.localtime()
    old = record(clerk, enterprise, received_at=now - datetime.timedelta(days=40))
    record(clerk, enterprise, received_at=now)
    day = (now - datetime.timedelta(days=40)).date()

    response = login(supervisor).get(
        URL, {"received_after": day.isoformat(), "received_before": day.isoformat()}
    )

    assert numbers(response) == [old.number]


def test_search_by_number_description_enterprise_and_worker_name(
    login, supervisor, clerk, enterprise, org
):
    target = record(
        clerk,
        EnterpriseFactory(name="Hongda Shoes", grid_area=org["grid_a2"]),
        workers=[worker_row(name="Zhang Xiuying"), worker_row()],
        description="Overtime never paid since May.",
    )
    record(clerk, enterprise)
    browser = login(supervisor)

    for q in (target.number, "overtime", "hongda", "Xiuying"):
        assert numbers(browser.get(URL, {"search": q})) == [target.number], q


def test_list_is_paginated(login, supervisor, clerk, enterprise):
    for _ in range(27):
        record(clerk, enterprise)

    response = login(supervisor).get(URL, {"page": 2, "status": "received"})

    assert len(response.context["page"].object_list) == 2
    assert "status=received" in response.text
    assert "Page 2 of 2" in response.text


def test_query_count_does_not_grow_with_the_number_of_petitions(
    login, supervisor, clerk, enterprise, django_assert_max_num_queries
):
    for _ in range(3):
        record(clerk, enterprise, workers=2)
    browser = login(supervisor)
    with CaptureQueriesContext(connection) as three:
        browser.get(URL)
    for _ in range(27):
        record(clerk, enterprise, workers=2)

    with django_assert_max_num_queries(len(three.captured_queries)):
        response = browser.get(URL)

    assert len(response.context["page"].object_list) == 25
    assert len(three.captured_queries) <= 10
