"""The figures of the hand-made zone (conftest.py), every number checked."""

import datetime
from decimal import Decimal

from django.utils import translation

from figures import services
from fund import reports as fund_reports
from fund.models import JournalEntry
from tests.clock import local
from tests.fund.helpers import corrected

from ..factories import step

MARCH = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
APRIL = (datetime.date(2026, 4, 1), datetime.date(2026, 4, 30))


def march(org, unit="zone_a"):
    return services.unit_figures(org[unit], *MARCH)


def values(report):
    return {key: vals for key, _label, _kind, vals in services.table(report)}


def decimals(*amounts):
    return [Decimal(a) for a in amounts]


# [zone A, grid A1, grid A2]
EXPECTED = {
    "batches": [2, 1, 1],
    "workers": [5, 3, 2],
    "channel_visit": [1, 1, 0],
    "channel_call": [0, 0, 0],
    "channel_letter": [0, 0, 0],
    "channel_hotline_12351": [1, 0, 1],
    "channel_online": [0, 0, 0],
    "channel_clue_platform": [0, 0, 0],
    "category_labor_relation": [0, 0, 0],
    "category_labor_relation_claimed": decimals("0", "0", "0"),
    "category_labor_contract": [0, 0, 0],
    "category_labor_contract_claimed": decimals("0", "0", "0"),
    "category_dismissal": [1, 0, 1],
    "category_dismissal_claimed": decimals("10000", "0", "10000"),
    "category_working_conditions": [0, 0, 0],
    "category_working_conditions_claimed": decimals("0", "0", "0"),
    "category_remuneration": [1, 1, 0],
    "category_remuneration_claimed": decimals("22000", "22000", "0"),
    "category_other": [0, 0, 0],
    "category_other_claimed": decimals("0", "0", "0"),
    "group_petitions": [0, 0, 0],
    "owner_missing": [1, 1, 0],
    "claimed": decimals("32000", "22000", "10000"),
    "agreed": decimals("10000", "0", "10000"),
    "paid_by_employers": decimals("10000", "0", "10000"),
    "advanced": decimals("4500", "4500", "0"),
    "recovered": decimals("1000", "1000", "0"),
    "written_off": decimals("0", "0", "0"),
    "workers_helped": [4, 2, 2],
    "agreements": [1, 0, 1],
    "mediation_failed": [1, 1, 0],
    "referred_arbitration": [1, 1, 0],
    "referred_legal_aid": [0, 0, 0],
    "referred_labor_inspection": [0, 0, 0],
    "referred_payment_order": [0, 0, 0],
    "referred_out": [0, 0, 0],
    "closed": [2, 1, 1],
    "median_days_to_close": decimals("13.0", "16.0", "10.0"),
    "deadlines_met": [7, 3, 4],
    "deadlines_breached": [1, 1, 0],
    "average_rating": decimals("3.00", "2.00", "4.00"),
    "ratings": [2, 1, 1],
}


def test_every_figure_of_the_zone_and_its_grid_areas(zone, org):
    assert values(march(org)) == EXPECTED


def test_the_fund_figures_are_the_fund_statement(zone, org):
    """Advanced and recovered as the zone's fund statement has them: the reversed ¥300
    recovery is in neither."""
    statement = fund_reports.statement(org["zone_a"].emergency_fund, *MARCH)
    total = march(org).total
    assert statement.corrections == Decimal("-300.00")
    assert total.advanced == statement.releases == Decimal("4500.00")
    assert total.recovered == statement.recoveries + statement.corrections == Decimal("1000.00")


def test_a_correction_counts_in_the_period_it_is_booked(zone, org, finance, supervisor, clock):
    """Reversing the March recovery in April leaves March as it was and takes the ¥1,000 off
    April's recovered, as April's fund statement does."""
    clock(local(2026, 4, 20, 9))
    recovery = zone["release"].entries.get(kind=JournalEntry.Kind.RECOVERY, reversed_by=None)
    corrected(recovery, finance, supervisor)
    april = services.unit_figures(org["zone_a"], APRIL[0], APRIL[1]).total
    assert april.recovered == Decimal("-1000.00")
    assert march(org).total.recovered == Decimal("1000.00")
    assert services.series(org["zone_a"], MARCH[0], APRIL[1]).recovered == decimals("1000", "-1000")


def test_the_employer_pays_what_the_fulfilled_agreement_says(zone, org):
    """Fulfilment is recorded, not its amount: the agreement's ¥10,000 counts in the month it
    was confirmed fulfilled (March), not in February or April."""
    feb = services.unit_figures(
        org["zone_a"], datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)
    )
    april = services.unit_figures(org["zone_a"], *APRIL)
    assert feb.total.paid_by_employers == april.total.paid_by_employers == Decimal("0")
    assert march(org).total.paid_by_employers == Decimal("10000.00")


def test_a_reopened_petition_pays_what_its_new_agreement_says(zone, org, supervisor, clock):
    """P2 reopened in April and settled again for ¥3,000 a worker: April counts the new
    agreement's ¥6,000 when it is fulfilled, March still the first agreement's ¥10,000."""
    p2 = zone["p2"]
    traveller = clock(local(2026, 4, 14, 9))
    step(p2, "reopen", supervisor, reason="The employer paid only half.")
    step(p2, "start_mediation", supervisor)
    amounts = {f"amount_{claim.pk}": "3000.00" for claim in p2.claims.all()}
    agreement = {"signed_on": "2026-04-14", "due_date": "2026-04-20", **amounts}
    step(p2, "reach_agreement", supervisor, data=agreement)
    traveller.move_to(local(2026, 4, 20, 9))
    step(p2, "confirm_fulfilment", supervisor)
    april = services.unit_figures(org["zone_a"], *APRIL).total
    assert april.paid_by_employers == april.agreed == Decimal("6000.00")
    assert march(org).total.paid_by_employers == Decimal("10000.00")


def test_sub_units_are_the_grid_areas_side_by_side(zone, org):
    report = march(org)
    assert [heading for heading, _f in report.columns] == ["Grid A1", "Grid A2"]
    assert report.column_units == [org["grid_a1"].pk, org["grid_a2"].pk]


def test_a_grid_area_alone(zone, org):
    report = march(org, "grid_a2")
    assert report.columns == []
    assert values(report)["batches"] == [1]
    assert values(report)["claimed"] == decimals("10000")


def test_the_federation_adds_up_its_zones(zone, org):
    report = march(org, "federation")
    assert [heading for heading, _f in report.columns] == ["Zone A", "Zone B"]
    assert values(report)["batches"] == [3, 2, 1]
    assert values(report)["claimed"] == decimals("41000", "32000", "9000")


def test_a_period_without_records_is_all_zeros(zone, org):
    report = services.unit_figures(
        org["zone_a"], datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
    )
    row = values(report)
    assert row["batches"] == [0, 0, 0]
    assert row["median_days_to_close"] == [None, None, None]
    assert row["average_rating"] == [None, None, None]


def test_the_sentence(zone, org):
    assert march(org).sentence == (
        "From 2026-03-01 to 2026-03-31, Zone A received 2 petitions from 5 workers, 1 of them "
        "about wages, involving 2.20 ten thousand yuan; 1 mediation agreements were reached for "
        "1.00 ten thousand yuan; the emergency fund advanced 0.45 ten thousand yuan and 0.10 ten "
        "thousand yuan were recovered; 4 workers were helped."
    )


def test_the_sentence_in_chinese(zone, org):
    with translation.override("zh-hans"):
        assert march(org).sentence == (
            "2026-03-01至2026-03-31，Zone A共接待职工来访2批5人次，其中涉及工资1起，"
            "涉及金额2.20万元；达成调解协议1起，协议金额1.00万元；"
            "应急周转金垫付0.45万元，追回0.10万元；帮助职工4人。"
        )


def test_amounts_in_ten_thousands_of_yuan():
    assert services.ten_thousands(Decimal("830600.00")) == Decimal("83.06")
    assert services.ten_thousands(Decimal("650000")) == Decimal("65.00")
    assert services.ten_thousands(Decimal("49.99")) == Decimal("0.00")
    assert services.ten_thousands(Decimal("50.00")) == Decimal("0.01")


def test_the_monthly_series_of_the_charts(zone, org):
    series = services.series(org["zone_a"], datetime.date(2026, 2, 1), datetime.date(2026, 4, 30))
    assert series.labels == ["2026-02", "2026-03", "2026-04"]
    assert series.by_category["remuneration"] == [1, 1, 1]
    assert series.by_category["dismissal"] == [0, 1, 0]
    assert series.claimed == decimals("3000", "32000", "7000")
    assert series.advanced == decimals("0", "4500", "0")
    assert series.recovered == decimals("0", "1000", "0")


def test_a_long_period_is_charted_by_year(zone, org):
    series = services.series(org["zone_a"], datetime.date(2024, 1, 1), datetime.date(2026, 12, 31))
    assert series.labels == ["2024", "2025", "2026"]
    assert series.by_category["remuneration"] == [0, 0, 3]
