"""The enterprise risk view: per enterprise its open warning, latest report, petitions and the
money owed to workers and to the fund, the riskiest first, in the same few queries whatever the
number of enterprises."""

import re
from decimal import Decimal

import pytest

from fund import services as fund_services
from prevention import services

from ..factories import EnterpriseFactory, record, worker_row
from ..fund.conftest import fund  # noqa: F401 - the zone's emergency fund
from ..fund.helpers import disbursed, line, workers_of

pytestmark = pytest.mark.django_db


def names_in_order(page):
    return re.findall(r'/prevention/enterprises/\d+/">([^<]+)</a>', page)


def test_enterprises_are_sorted_by_level_then_amount(org, mediator, login, supervisor):
    grid = org["grid_a1"]
    calm, owed, yellow, red = (
        EnterpriseFactory(name=name, grid_area=grid)
        for name in ("Calm Mills", "Owed Works", "Yellow Co", "Red Co")
    )
    services.record_visit(owed, actor=mediator, notes="Fine", amount_owed=Decimal("0"))
    services.record_visit(yellow, actor=mediator, wages="late", workers_affected=15, notes="Late")
    services.record_visit(red, actor=mediator, owner_unreachable=True, notes="Gone")
    record(mediator, owed, workers=[worker_row(claimed_amount=Decimal("9000.00"))])

    page = login(supervisor).get("/prevention/risk/").content.decode()

    assert names_in_order(page) == ["Red Co", "Yellow Co", "Owed Works", "Calm Mills"]


def test_money_owed_to_workers_counts_open_petitions_and_to_the_fund_what_is_unrecovered(
    clerk,
    mediator,
    supervisor,
    finance,
    enterprise,
    fund,  # noqa: F811
):
    rows = [worker_row(claimed_amount=Decimal("8000.00")) for _ in range(3)]
    petition = record(clerk, enterprise, workers=rows)
    release = disbursed(petition, mediator, supervisor, finance, [line(workers_of(petition)[0])])
    fund_services.record_recovery(release, actor=finance, amount="500.00", source="employer")

    row = services.enterprises_at_risk_for(supervisor).get(pk=enterprise.pk)

    assert (row.petition_count, row.open_petition_count) == (1, 1)
    assert (row.owed_to_workers, row.owed_to_fund) == (Decimal("24000.00"), Decimal("1500.00"))


def test_the_detail_page_shows_reports_warnings_visits_petitions_and_the_letter(
    login, supervisor, mediator, report, enterprise, clerk
):
    from arrears.models import ResponsibilityLetter

    report(production_stopped=True)
    services.record_visit(enterprise, actor=mediator, notes="Orders down by half.")
    petition = record(clerk, enterprise)
    ResponsibilityLetter.objects.create(
        enterprise=enterprise,
        signed_on="2026-01-05",
        signed_by="Chair Wang",
        valid_until="2026-12-31",
    )

    page = login(supervisor).get(f"/prevention/enterprises/{enterprise.pk}/").content.decode()

    for seen in (
        "2026-10",
        "Production stopped",
        "Orders down by half.",
        petition.number,
        "Chair Wang",
    ):
        assert seen in page


def _zone_of(org, mediator, clerk, n):
    for i in range(n):
        shop = EnterpriseFactory(name=f"Shop {i}", grid_area=org["grid_a1"])
        services.record_visit(shop, actor=mediator, utilities_cut=True, notes="Cut.")
        record(clerk, shop)


def test_the_risk_view_costs_the_same_queries_for_many_enterprises(
    org, mediator, clerk, supervisor, login, django_assert_max_num_queries
):
    client = login(supervisor)
    _zone_of(org, mediator, clerk, 2)
    with django_assert_max_num_queries(12) as few:
        client.get("/prevention/risk/")
    _zone_of(org, mediator, clerk, 20)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/prevention/risk/")

    assert response.content.decode().count("Shop ") == 22


def test_an_enterprise_without_a_union_shows_as_not_covered(org, login, supervisor, union):
    EnterpriseFactory(name="Shangfang Bricks", grid_area=org["grid_a1"])

    page = login(supervisor).get("/prevention/risk/").content.decode()

    rows = {name: row for name, row in re.findall(r'">([^<]+)</a>(.*?)</td>', page)}
    assert "Not covered" in rows["Shangfang Bricks"] and "Not covered" not in rows["Lanxi Textile"]
