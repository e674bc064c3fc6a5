"""Rules -> level: each threshold, the highest level wins, and the rows decide (no database for
the pure function; the seeded rows for the rest)."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from prevention import services
from prevention.models import WarningRule
from prevention.rules import Facts, level_for

OCT = datetime.date(2026, 10, 1)


def rule(level, **thresholds):
    fields = {
        "amount_owed_at_least": None,
        "workers_affected_at_least": None,
        "signals_at_least": None,
        "signals": [],
        "history_count": None,
        "history_months": None,
        "active": True,
    }
    return SimpleNamespace(level=level, **{**fields, **thresholds})


def facts(amount="0", workers=0, signals=(), history=()):
    return Facts(OCT, Decimal(amount), workers, frozenset(signals), tuple(history))


def test_amount_threshold_reached_gives_its_level():
    rules = [rule("yellow", amount_owed_at_least=Decimal("100000"))]

    assert level_for(rules, facts(amount="100000")) == "yellow"
    assert level_for(rules, facts(amount="99999.99")) is None


def test_workers_threshold():
    rules = [rule("yellow", workers_affected_at_least=10)]

    assert (level_for(rules, facts(workers=10)), level_for(rules, facts(workers=9))) == (
        "yellow",
        None,
    )


def test_number_of_signals_threshold():
    rules = [rule("yellow", signals_at_least=2)]

    assert level_for(rules, facts(signals=["utilities_cut", "production_stopped"])) == "yellow"
    assert level_for(rules, facts(signals=["utilities_cut"])) is None


def test_a_named_signal_gives_its_level():
    rules = [rule("red", signals=["owner_unreachable"])]

    assert level_for(rules, facts(signals=["owner_unreachable"])) == "red"
    assert level_for(rules, facts(signals=["utilities_cut"])) is None


def test_history_counts_reports_with_arrears_within_the_window_only():
    rules = [rule("red", history_count=3, history_months=3)]
    recent = [datetime.date(2026, 8, 1), datetime.date(2026, 9, 1), OCT]
    older = [datetime.date(2026, 6, 1), datetime.date(2026, 9, 1), OCT]

    assert level_for(rules, facts(history=recent)) == "red"
    assert level_for(rules, facts(history=older)) is None


def test_every_threshold_of_a_rule_must_be_reached():
    rules = [rule("red", amount_owed_at_least=Decimal("1000"), workers_affected_at_least=5)]

    assert level_for(rules, facts(amount="5000", workers=2)) is None
    assert level_for(rules, facts(amount="5000", workers=5)) == "red"


def test_the_highest_matching_level_wins():
    rules = [
        rule("red", workers_affected_at_least=30),
        rule("blue", amount_owed_at_least=Decimal("1")),
        rule("yellow", amount_owed_at_least=Decimal("100")),
    ]

    assert level_for(rules, facts(amount="500", workers=3)) == "yellow"
    assert level_for(rules, facts(amount="500", workers=40)) == "red"


def test_inactive_rules_and_rules_without_thresholds_never_match():
    rules = [rule("red", amount_owed_at_least=Decimal("1"), active=False), rule("yellow")]

    assert level_for(rules, facts(amount="500")) is None


@pytest.mark.django_db
def test_the_seeded_rows_give_red_to_an_unreachable_owner(report):
    filed = report(wages="late", owner_unreachable=True)

    assert services.level_of(filed) == "red"


@pytest.mark.django_db
def test_rules_changed_in_the_database_change_the_level(report):
    filed = report(wages="late", workers_affected=12, amount_owed=Decimal("20000"))
    before = services.level_of(filed)
    WarningRule.objects.filter(workers_affected_at_least=10).update(workers_affected_at_least=20)
    WarningRule.objects.create(level="red", amount_owed_at_least=Decimal("15000"))

    assert (before, services.level_of(filed)) == ("yellow", "red")
