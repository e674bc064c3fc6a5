"""The tallies the page reads agree with the figures counted straight from the records, and
stay so when records change, move, are backdated, or two recounts run at once."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from figures import services, stale, tallies
from figures.models import StaleDay, Tally
from tests.clock import local

from ..factories import EnterpriseFactory, record, step

ROOT = Path(__file__).resolve().parents[2]
D = datetime.date
PERIODS = [
    (D(2026, 3, 1), D(2026, 3, 31)),  # a month
    (D(2026, 1, 1), D(2026, 12, 31)),  # a year
    (D(2026, 2, 15), D(2026, 3, 13)),  # days at both ends, no whole month
    (D(2026, 2, 20), D(2026, 4, 10)),  # a whole month between two ends
    (D(2026, 3, 5), D(2026, 3, 5)),  # one day
    (D(2025, 1, 1), D(2027, 12, 31)),  # three years
]


def agree(unit, start, end):
    assert tallies.readable()  # the page reads the tallies, not the records
    kept = services.unit_figures(unit, start, end)
    counted = services.counted_unit_figures(unit, start, end)
    assert [h for h, _f in kept.columns] == [h for h, _f in counted.columns]
    assert services.table(kept) == services.table(counted)
    assert kept.sentence == counted.sentence


@pytest.mark.parametrize("start, end", PERIODS)
@pytest.mark.parametrize("unit", ["federation", "zone_a", "grid_a1", "zone_b"])
def test_the_tallies_agree_with_the_records(zone, org, unit, start, end):
    agree(org[unit], start, end)


def test_every_tally_agrees_with_a_recount(zone):
    tallies.refresh()
    assert Tally.objects.exists()
    assert tallies.check() == []


def test_the_series_is_read_from_the_tallies(zone, org):
    series = services.series(org["zone_a"], D(2026, 2, 15), D(2026, 4, 10))
    assert series.labels == ["2026-02", "2026-03", "2026-04"]
    assert [sum(step) for step in zip(*series.by_category.values(), strict=True)] == [1, 2, 1]


def test_a_petition_moved_to_another_grid_takes_its_figures_along(zone, org):
    before = services.unit_figures(org["grid_a1"], D(2026, 3, 1), D(2026, 3, 31)).total
    p2 = zone["p2"]
    p2.org_unit = org["grid_a1"]
    p2.save(update_fields=["org_unit"])
    after = services.unit_figures(org["grid_a1"], D(2026, 3, 1), D(2026, 3, 31)).total
    assert (before.batches, after.batches) == (1, 2)
    assert (before.agreements, after.agreements) == (0, 1)
    assert after.workers_helped == before.workers_helped + 2
    agree(org["zone_a"], D(2026, 3, 1), D(2026, 3, 31))
    assert tallies.check() == []


def test_a_backdated_petition_counts_in_its_new_month(zone, org):
    p1 = zone["p1"]
    p1.received_at = local(2026, 1, 30, 9)
    p1.save(update_fields=["received_at"])
    january = services.unit_figures(org["zone_a"], D(2026, 1, 1), D(2026, 1, 31)).total
    march = services.unit_figures(org["zone_a"], D(2026, 3, 1), D(2026, 3, 31)).total
    assert (january.batches, january.workers, march.batches) == (1, 3, 1)
    assert tallies.check() == []


def test_a_step_marks_its_day_and_today_stale(zone, org, supervisor, clock):
    tallies.refresh()
    clock(local(2026, 4, 11, 9))
    p4 = record(supervisor, EnterpriseFactory(grid_area=org["grid_a1"]), workers=1)
    step(p4, "accept", supervisor)
    assert set(StaleDay.objects.values_list("day", flat=True)) == {D(2026, 4, 11)}
    april = services.unit_figures(org["grid_a1"], D(2026, 4, 1), D(2026, 4, 30)).total
    assert april.batches == 1
    assert not StaleDay.objects.exists()


def test_while_many_days_are_stale_the_page_counts_from_the_records(zone, org):
    tallies.refresh()
    stale.mark_everything()
    report = services.unit_figures(org["zone_a"], D(2026, 3, 1), D(2026, 3, 31))
    assert report.total.batches == 2
    assert StaleDay.objects.exists()  # left to the timer loop
    series = services.series(org["zone_a"], D(2026, 2, 15), D(2026, 4, 10))
    assert [sum(step) for step in zip(*series.by_category.values(), strict=True)] == [1, 2, 1]
    call_command("run_timers", "--once")
    assert not StaleDay.objects.exists()
    assert tallies.check() == []


def test_a_change_rolled_back_marks_nothing(zone, org, supervisor):
    tallies.refresh()
    with pytest.raises(RuntimeError), transaction.atomic():
        record(supervisor, EnterpriseFactory(grid_area=org["grid_a1"]), workers=1)
        raise RuntimeError("the step failed")
    assert not StaleDay.objects.exists()


def test_a_new_sub_unit_of_a_unit_without_any_recounts_its_own_records(zone, org):
    from casework.models import OrgUnit

    tallies.refresh()
    OrgUnit.objects.create(name="Block 7", kind=OrgUnit.Kind.GRID, parent=org["grid_a1"])
    report = services.unit_figures(org["grid_a1"], D(2026, 3, 1), D(2026, 3, 31))
    assert [heading for heading, _f in report.columns] == ["Block 7", "Grid A1 itself"]
    assert report.columns[1][1].batches == 1
    tallies.refresh()
    assert tallies.check() == []


def test_the_check_names_a_tally_that_differs(zone, org):
    tallies.refresh()
    tally = Tally.objects.get(unit=org["zone_a"], grain="month", day=D(2026, 3, 1), own=False)
    tally.counts = {**tally.counts, "batches": 99}
    tally.save()
    # The month differs from its days, and the year from its months.
    assert tallies.check() == [
        (org["zone_a"].pk, "month", D(2026, 3, 1), False),
        (org["zone_a"].pk, "year", D(2026, 1, 1), False),
    ]
    with pytest.raises(CommandError, match="2 tallies differ"):
        call_command("figures_tallies", "--check")
    call_command("figures_tallies", "--rebuild")
    assert tallies.check() == []


def test_a_period_is_read_as_its_whole_years_months_and_days_left():
    assert tallies.cover(D(2026, 1, 1), D(2026, 12, 31)) == [("year", D(2026, 1, 1), D(2026, 1, 1))]
    assert tallies.cover(D(2026, 1, 1), D(2026, 12, 7)) == [
        ("month", D(2026, 1, 1), D(2026, 11, 1)),
        ("day", D(2026, 12, 1), D(2026, 12, 7)),
    ]
    assert tallies.cover(D(2026, 2, 15), D(2026, 3, 13)) == [
        ("day", D(2026, 2, 15), D(2026, 3, 13))
    ]
    assert tallies.cover(D(2023, 12, 8), D(2026, 4, 13)) == [
        ("day", D(2023, 12, 8), D(2023, 12, 31)),
        ("year", D(2024, 1, 1), D(2025, 1, 1)),
        ("month", D(2026, 1, 1), D(2026, 3, 1)),
        ("day", D(2026, 4, 1), D(2026, 4, 13)),
    ]
    assert tallies.cover(D(1, 1, 1), datetime.date.max) == [("year", D(1, 1, 1), D(9999, 1, 1))]


def test_days_at_an_end_are_read_as_their_month_less_its_other_days(clock):
    clock(local(2026, 12, 7, 9))
    # This month so far: the month, less its days to come (which have no tallies yet).
    assert tallies.counted_cover(D(2026, 12, 1), D(2026, 12, 7)) == (
        [("month", D(2026, 12, 1), D(2026, 12, 1))],
        [("day", D(2026, 12, 8), D(2026, 12, 31))],
    )
    # 24 days of December 2023: the month less its first 7 days.
    assert tallies.counted_cover(D(2023, 12, 8), D(2023, 12, 31)) == (
        [("month", D(2023, 12, 1), D(2023, 12, 1))],
        [("day", D(2023, 12, 1), D(2023, 12, 7))],
    )
    # This year so far: the year, less its days to come.
    assert tallies.counted_cover(D(2026, 1, 1), D(2026, 12, 7)) == (
        [("year", D(2026, 1, 1), D(2026, 1, 1))],
        [("day", D(2026, 12, 8), D(2026, 12, 31))],
    )
    # 3 days: the days themselves.
    assert tallies.counted_cover(D(2023, 12, 8), D(2023, 12, 10)) == (
        [("day", D(2023, 12, 8), D(2023, 12, 10))],
        [],
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_recounts_at_once_keep_the_tallies_exact(org, supervisor):
    for day in range(1, 29):
        record(
            supervisor,
            EnterpriseFactory(grid_area=org["grid_a1" if day % 2 else "grid_a2"]),
            workers=2,
            received_at=local(2026, 2, day, 10),
        )
    url = "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict)
    env = {**os.environ, "DATABASE_URL": url, "CASEWORK_TIMERS_IN_PROCESS": "0"}
    command = [sys.executable, "manage.py", "figures_tallies"]
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    assert not StaleDay.objects.exists()
    assert tallies.check() == []
    february = services.unit_figures(org["zone_a"], D(2026, 2, 1), D(2026, 2, 28)).total
    assert (february.batches, february.workers) == (28, 56)
