"""The statistics page: who sees it, for which units, which period, and its Excel export."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from figures import services, tallies
from tests.clock import local

from ..factories import EnterpriseFactory, record

MARCH = {"start": "2026-03-01", "end": "2026-03-31"}
MARCH_DATES = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))


def show(client, **query):
    return client.get(reverse("figures:page"), query)


def cells(response, key):
    """The cells of a figure's row as the page shows them."""
    html = response.content.decode()
    row = html[html.index(f'id="fig-{key}"') :]
    row = row[: row.index("</tr>")]
    return [part.split("</td>")[0] for part in row.split('<td class="num nowrap">')[1:]]


def test_a_supervisor_sees_the_zone_and_its_grid_areas(zone, org, supervisor, login):
    response = show(login(supervisor), unit=org["zone_a"].pk, **MARCH)
    assert response.status_code == 200
    assert cells(response, "batches") == ["2", "1", "1"]
    assert cells(response, "advanced") == ["¥4,500.00", "¥4,500.00", "¥0.00"]
    assert cells(response, "median_days_to_close") == ["13.0", "16.0", "10.0"]
    assert "Grid A1" in response.text and "Grid A2" in response.text
    assert "4 workers were helped." in response.text


def test_the_page_says_what_paid_by_employers_counts(zone, org, supervisor, login):
    response = show(login(supervisor), unit=org["zone_a"].pk, **MARCH)
    assert cells(response, "paid_by_employers") == ["¥10,000.00", "¥0.00", "¥10,000.00"]
    assert "Only the fulfilment is recorded" in response.text


@pytest.mark.parametrize("persona", ["liaison", "auditor"])
def test_liaisons_and_auditors_see_the_figures(zone, org, login, request, persona):
    response = show(login(request.getfixturevalue(persona)), unit=org["zone_a"].pk, **MARCH)
    assert cells(response, "workers") == ["5", "3", "2"]


def test_the_default_is_this_year_of_the_users_first_unit(org, supervisor, login):
    response = show(login(supervisor))
    assert response.status_code == 200
    assert response.context["report"].unit == org["zone_a"]
    assert response.context["report"].start.month == 1


def test_the_unit_chooser_lists_only_the_users_units(org, supervisor, login):
    response = show(login(supervisor))
    names = [unit.name for unit in response.context["form"].fields["unit"].queryset]
    assert names == ["Zone A", "Grid A1", "Grid A2"]


def test_a_unit_of_another_zone_is_not_found(org, outsider, login):
    response = show(login(outsider), unit=org["zone_a"].pk, **MARCH)
    assert response.status_code == 404


def test_an_unknown_unit_is_not_found(org, supervisor, login):
    assert show(login(supervisor), unit="nope", **MARCH).status_code == 404


@pytest.mark.parametrize("persona", ["mediator", "clerk", "finance"])
def test_case_workers_are_refused(org, login, request, persona):
    response = show(login(request.getfixturevalue(persona)))
    assert response.status_code == 403


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("figures:page"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_nav_links_the_page_for_supervisors_only(org, supervisor, mediator, login):
    client = login(supervisor)
    assert reverse("figures:page") in client.get(reverse("casework:petition-list")).text
    client = login(mediator)
    assert reverse("figures:page") not in client.get(reverse("casework:petition-list")).text


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "2026-04-01", "end": "2026-03-01"}, "end", "The end comes before the start."),
        ({"start": "someday", "end": "2026-03-01"}, "start", "Enter a valid date."),
        ({"start": "", "end": "2026-03-01"}, "start", "This field is required."),
        ({"start": "0001-01-01", "end": "2026-03-01"}, "start", "greater than or equal"),
    ],
)
def test_a_bad_period_names_the_field(org, supervisor, login, query, field, message):
    response = show(login(supervisor), unit=org["zone_a"].pk, **query)
    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    assert message.split(" ")[0] in response.text


def test_quick_periods_link_this_month_and_this_year(org, supervisor, login, clock):
    clock(local(2026, 5, 17, 10))
    response = show(login(supervisor))
    unit = org["zone_a"].pk
    assert f"?unit={unit}&amp;start=2026-05-01&amp;end=2026-05-17" in response.text
    assert f"?unit={unit}&amp;start=2026-01-01&amp;end=2026-05-17" in response.text


def test_the_export_has_the_numbers_of_the_page(zone, org, supervisor, login):
    client = login(supervisor)
    query = {"unit": org["zone_a"].pk, **MARCH}
    response = client.get(reverse("figures:export"), query)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[3] == (None, "Total", "Grid A1", "Grid A2")
    page = show(client, **query).context["rows"]
    exported = {row[0]: list(row[1:]) for row in rows[4:]}
    assert exported == {
        label: [None if v is None else float(v) if kind != "count" else v for v in values]
        for _key, label, kind, values in page
    }
    assert exported["Petitions received (batches)"] == [2, 1, 1]
    assert rows[1][0] == services.unit_figures(org["zone_a"], *MARCH_DATES).sentence


def test_the_export_of_another_zone_is_not_found(org, outsider, login):
    response = login(outsider).get(reverse("figures:export"), {"unit": org["zone_a"].pk, **MARCH})
    assert response.status_code == 404


def test_the_export_of_a_bad_period_shows_the_error(org, supervisor, login):
    query = {"unit": org["zone_a"].pk, "start": "2026-04-01", "end": "2026-03-01"}
    response = login(supervisor).get(reverse("figures:export"), query)
    assert response.status_code == 400
    assert "The end comes before the start." in response.text


def _page_queries(client, query):
    # The recount of what changed since the last read is measured on its own (test_tallies):
    # here, the page over tallies that are up to date.
    tallies.refresh()
    with CaptureQueriesContext(connection) as ctx:
        assert show(client, **query).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_takes_as_many_queries_for_many_petitions_as_for_one(
    zone, org, clerk, supervisor, login
):
    client = login(supervisor)
    query = {"unit": org["zone_a"].pk, "start": "2026-01-01", "end": "2026-12-31"}
    before = _page_queries(client, query)
    shop = EnterpriseFactory(name="Xixi Garments", grid_area=org["grid_a2"])
    for _ in range(5):
        record(clerk, shop, workers=2)
    assert _page_queries(client, query) == before


def test_the_charts_are_drawn_from_our_own_static_files(zone, org, supervisor, login):
    response = show(login(supervisor), unit=org["zone_a"].pk, **MARCH)
    assert "/static/figures/vendor/chart.umd.min.js" in response.text
    assert 'id="chart-data"' in response.text
    assert response.context["chart_data"]["labels"] == ["2026-03"]


def test_a_period_of_centuries_shows_the_table_without_the_monthly_charts(org, supervisor, login):
    response = show(login(supervisor), unit=org["zone_a"].pk, start="0001-01-02", end="9999-12-30")
    assert response.status_code == 200
    assert cells(response, "batches") == ["0", "0", "0"]
    assert 'id="chart-categories"' not in response.text
    assert 'id="chart-overdue"' in response.text
