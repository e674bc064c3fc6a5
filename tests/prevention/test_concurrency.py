"""Two people acting on one warning, or two reports of one enterprise, at the same moment, on
PostgreSQL (SQLite serializes writers): one wins, the other is told (409), nothing is doubled."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction

from arrears.models import MonthlyReport
from casework.exceptions import Conflict
from casework.models import Petition
from prevention import services
from prevention.models import EarlyWarning

from ..concurrency import run_together
from ..factories import worker_row

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def warning(mediator, enterprise):
    services.record_visit(enterprise, actor=mediator, utilities_cut=True, notes="Power cut.")
    return EarlyWarning.objects.get()


def _attempt(act):
    def job(barrier):
        barrier.wait()
        try:
            act()
            return "done"
        except Conflict:
            return "conflict"

    return job


def test_closing_and_converting_at_once_one_wins(warning, mediator, colleague):
    close = _attempt(lambda: services.close_warning(warning, actor=colleague, note="Paid."))
    convert = _attempt(
        lambda: services.convert_warning(
            warning, actor=mediator, description="Unpaid.", workers=[worker_row()]
        )
    )

    results = run_together(close, convert)

    warning.refresh_from_db()
    assert sorted(results) == ["conflict", "done"]
    assert Petition.objects.count() == (1 if warning.status == "converted" else 0)


def test_two_closings_at_once_one_wins(warning, mediator, colleague):
    results = run_together(
        *(
            _attempt(lambda who=who: services.close_warning(warning, actor=who, note="Paid."))
            for who in (mediator, colleague)
        )
    )

    assert sorted(results) == ["conflict", "done"]


def test_two_reports_at_once_open_one_warning(union, enterprise):
    reports = [
        MonthlyReport.objects.create(
            enterprise=enterprise,
            month=datetime.date(2026, month, 1),
            filed_by=union,
            wages="unpaid",
            workers_affected=5,
            amount_owed=Decimal("9000"),
        )
        for month in (9, 10)
    ]

    def warn(report):
        def job(barrier):
            barrier.wait()
            with transaction.atomic():
                return services.warn_for(report, actor=union)

        return job

    results = run_together(*(warn(r) for r in reports))

    assert not [r for r in results if isinstance(r, Exception)], results
    warning = EarlyWarning.objects.get(enterprise=enterprise)
    assert warning.entries.count() == 2
