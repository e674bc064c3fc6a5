"""The list of cases under supervision: issued by the user's units, or handled under them; due
dates in working days, overdue marked, open or closed; its query count does not grow with the
orders."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from supervision import services

from ..factories import EnterpriseFactory, record
from .conftest import local

pytestmark = pytest.mark.django_db

URL = "/supervision/"


def numbers(response):
    return [order.petition.number for order in response.context["page"]]


def test_the_grid_mediator_sees_the_orders_handled_by_the_grid(login, order, petition, mediator):
    response = login(mediator).get(URL)

    assert numbers(response) == [petition.number]
    assert "9 working days left" in response.content.decode()


def test_the_zone_supervisor_sees_its_own_orders_as_issued_not_handled(
    login, order, petition, supervisor
):
    client = login(supervisor)

    assert numbers(client.get(URL, {"side": "issued"})) == [petition.number]
    assert numbers(client.get(URL, {"side": "handled"})) == []


def test_a_federation_order_is_handled_by_the_zone(
    login, petition, supervisor, fed_supervisor, org
):
    services.issue_order(
        petition, actor=fed_supervisor, issuing_unit=org["federation"], requirement="Report."
    )

    assert numbers(login(supervisor).get(URL)) == [petition.number]
    assert numbers(login(fed_supervisor).get(URL, {"side": "issued"})) == [petition.number]


def test_other_zones_orders_are_not_listed(login, order, outsider):
    client = login(outsider)

    assert numbers(client.get(URL, {"side": "handled", "state": "all"})) == []
    assert numbers(client.get(URL, {"side": "issued", "state": "all"})) == []


def test_an_overdue_order_is_marked(login, order, mediator, clock):
    clock(local(2026, 3, 17, 9))

    page = login(mediator).get(URL).content.decode()

    assert "badge-overdue" in page
    assert "2 working days overdue" in page


def test_open_and_closed_are_filtered(login, order, petition, supervisor, mediator):
    services.close_order(order, actor=supervisor, reason="Issued in error.")
    client = login(mediator)

    assert numbers(client.get(URL)) == []
    assert numbers(client.get(URL, {"state": "closed"})) == [petition.number]
    assert numbers(client.get(URL, {"state": "all"})) == [petition.number]


def test_a_closed_order_is_not_marked_overdue(login, order, supervisor, mediator, clock):
    services.close_order(order, actor=supervisor, reason="Issued in error.")
    clock(local(2026, 3, 25, 9))

    page = login(mediator).get(URL, {"state": "closed"}).content.decode()

    assert "badge-overdue" not in page


def test_a_due_date_in_2027_is_provisional(login, petition, supervisor, mediator, org):
    services.issue_order(
        petition,
        actor=supervisor,
        issuing_unit=org["zone_a"],
        requirement="Report.",
        due_on=datetime.date(2027, 2, 15),
    )

    assert "badge-provisional" in login(mediator).get(URL).content.decode()


@pytest.mark.parametrize("query", [{"side": "theirs"}, {"state": "pending"}])
def test_a_bad_filter_is_a_400_naming_it(login, order, mediator, query):
    response = login(mediator).get(URL, query)

    assert response.status_code == 400
    assert set(response.context["form"].errors) == set(query)


def test_the_intake_clerk_has_no_such_list(login, clerk):
    assert login(clerk).get(URL).status_code == 403


def test_the_nav_links_the_list_for_those_who_may_see_it(login, mediator, clerk):
    assert 'href="/supervision/"' in login(mediator).get("/petitions/").content.decode()
    assert 'href="/supervision/"' not in login(clerk).get("/petitions/").content.decode()


def _orders(n, clerk, supervisor, org):
    for _i in range(n):
        enterprise = EnterpriseFactory(grid_area=org["grid_a1"])
        services.issue_order(
            record(clerk, enterprise),
            actor=supervisor,
            issuing_unit=org["zone_a"],
            requirement="Report.",
        )


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"side": "issued"}).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_orders(login, clerk, supervisor, mediator, org):
    client = login(supervisor)
    _orders(1, clerk, supervisor, org)
    client.get(URL)  # the calendar's cache filled
    one = _queries(client)
    _orders(6, clerk, supervisor, org)
    services.reply_to_order(
        services.SupervisionOrder.objects.first(), actor=mediator, kind="result", text="Paid."
    )

    assert _queries(client) == one
