"""The two bar charts of the statistics page, their tables and their workbook sheets, for the
hand-made zone A of conftest.py (its deadlines and tasks are listed there)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from figures import charts, services
from tests.clock import local

MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


def march(org):
    start, end = datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)
    return services.unit_figures(org["zone_a"], start, end)


def overdue(org, at):
    return [(area.name, d, t) for area, d, t in charts.overdue_by_area(org["zone_a"], at)]


def test_overdue_at_the_end_of_march(zone, org):
    # P1 was never accepted: its acceptance (due 23 March) and the committee's acknowledgement
    # (due 3 March, breached) are overdue, and so is its triage task.
    assert overdue(org, local(2026, 4, 1)) == [("Grid A1", 2, 1), ("Grid A2", 0, 0)]


def test_a_deadline_stopped_later_was_overdue_before(zone, org):
    # On 4 March at 00:00 the acknowledgement was a day late; P3's acceptance ran until 4 March
    # 09:00, in time.
    assert overdue(org, local(2026, 3, 4)) == [("Grid A1", 1, 0), ("Grid A2", 0, 0)]


def test_overdue_now_reads_the_open_deadlines_and_tasks(zone, org):
    now = local(2026, 4, 10, 9)  # the zone's clock
    assert [(a.name, d, t) for a, d, t in charts.overdue_by_area(org["zone_a"], now, now)] == [
        ("Grid A1", 2, 1),
        ("Grid A2", 0, 0),
    ]


def test_overdue_counts_a_grid_area_of_another_zone_never(zone, org):
    names = [name for name, _d, _t in overdue(org, local(2026, 4, 1))]
    assert "Grid B1" not in names


def test_overdue_is_counted_at_the_end_of_a_past_period_and_now_in_a_current_one(zone):
    now = local(2026, 4, 10, 9)
    assert charts.moment(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31), now) == local(
        2026, 4, 1
    )
    assert charts.moment(datetime.date(2026, 4, 1), datetime.date(2026, 4, 30), now) == now


def test_sub_units_ranked_by_deadlines_met(zone, org):
    # Grid A2 met its four deadlines; grid A1 met three (P3's) and breached one (P1's).
    assert charts.ranking(march(org)) == [
        (1, "Grid A2", Decimal("100.0")),
        (2, "Grid A1", Decimal("75.0")),
    ]


def test_equal_scores_share_a_rank(zone, org):
    assert charts.ranking(march(org), "closed") == [(1, "Grid A1", 1), (1, "Grid A2", 1)]


def test_fewer_days_to_close_rank_first(zone, org):
    assert charts.ranking(march(org), "days") == [
        (1, "Grid A2", Decimal("10.0")),
        (2, "Grid A1", Decimal("16.0")),
    ]


def test_a_sub_unit_with_nothing_to_measure_is_not_ranked(zone, org):
    february = services.unit_figures(
        org["zone_a"], datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)
    )
    assert charts.ranking(february) == [(None, "Grid A1", None), (None, "Grid A2", None)]


def test_the_page_shows_both_charts_and_their_tables(zone, org, supervisor, login):
    response = login(supervisor).get(reverse("figures:page"), {"unit": org["zone_a"].pk, **MARCH})
    assert 'id="chart-overdue"' in response.text and 'id="chart-ranking"' in response.text
    data = response.context["chart_data"]
    assert data["overdue"]["labels"] == ["Grid A1", "Grid A2"]
    assert data["overdue"]["datasets"][0]["data"] == [2, 0]
    assert data["ranking"] == {
        "labels": ["Grid A2", "Grid A1"],
        "label": "Deadlines met (%)",
        "data": [100.0, 75.0],
    }
    html = response.text
    ranking = html[html.index('id="table-ranking"') :]
    ranking = ranking[: ranking.index("</table>")]
    assert ranking.index("Grid A2") < ranking.index("Grid A1") and "75.0%" in ranking


def test_the_measure_is_chosen_on_the_page(zone, org, supervisor, login):
    query = {"unit": org["zone_a"].pk, "measure": "rating", **MARCH}
    response = login(supervisor).get(reverse("figures:page"), query)
    assert response.context["chart_data"]["ranking"]["data"] == [4.0, 2.0]


def test_an_unknown_measure_names_the_field(zone, org, supervisor, login):
    query = {"unit": org["zone_a"].pk, "measure": "bribes", **MARCH}
    response = login(supervisor).get(reverse("figures:page"), query)
    assert response.status_code == 400
    assert "measure" in response.context["form"].errors


@pytest.fixture
def book(zone, org, supervisor, login):
    response = login(supervisor).get(reverse("figures:export"), {"unit": org["zone_a"].pk, **MARCH})
    return load_workbook(io.BytesIO(response.content))


def test_each_chart_table_is_a_sheet_of_the_workbook(book):
    assert book.sheetnames == [
        "Figures",
        "Petitions by category",
        "Owed and recovered",
        "Overdue by grid area",
        "Sub-units ranked",
    ]


def test_the_sheets_hold_numbers_as_numbers(book):
    overdue = list(book["Overdue by grid area"].iter_rows(values_only=True))
    assert overdue == [
        ("Grid area", "Deadlines overdue", "Tasks overdue"),
        ("Grid A1", 2, 1),
        ("Grid A2", 0, 0),
    ]
    ranked = list(book["Sub-units ranked"].iter_rows(values_only=True))
    assert ranked[1:] == [(1, "Grid A2", 100), (2, "Grid A1", 75)]
    money = list(book["Owed and recovered"].iter_rows(values_only=True))
    assert money[1] == ("2026-03", 32000, 4500, 1000)


def test_a_unit_name_like_a_formula_stays_text(zone, org, supervisor, login):
    org["grid_a1"].name = "=HYPERLINK(1)"
    org["grid_a1"].save()
    response = login(supervisor).get(reverse("figures:export"), {"unit": org["zone_a"].pk, **MARCH})
    sheet = load_workbook(io.BytesIO(response.content))["Overdue by grid area"]
    assert sheet["A2"].value == "=HYPERLINK(1)" and sheet["A2"].data_type == "s"


def test_a_grid_area_has_itself_overdue_and_nobody_to_rank(zone, org):
    grid = org["grid_a1"]
    report = services.unit_figures(grid, datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    drawn = charts.charts_for(report, now=local(2026, 4, 10, 9))
    tables = {table.key: table.rows for table in drawn.tables}
    assert tables["overdue"] == [["Grid A1", 2, 1]]
    assert tables["ranking"] == []
