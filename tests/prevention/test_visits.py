"""Screening visits (矛盾排查): a grid mediator records one for any enterprise of the area, with a
union or without, and it feeds the same warning rules."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from prevention import services
from prevention.models import EarlyWarning, ScreeningVisit

from ..factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def not_covered(org):
    """An enterprise of grid A1 without a union."""
    return EnterpriseFactory(name="Shangfang Bricks", grid_area=org["grid_a1"])


def test_a_visit_with_risk_signals_opens_a_warning_for_an_enterprise_without_a_union(
    login, mediator, not_covered
):
    response = login(mediator).post(
        f"/prevention/enterprises/{not_covered.pk}/visits/",
        {
            "visited_on": "2026-11-04",
            "wages": "unpaid",
            "months_in_arrears": "2",
            "workers_affected": "35",
            "amount_owed": "140000.00",
            "owner_unreachable": "on",
            "notes": "Gate locked, workers waiting outside.",
        },
    )

    warning = EarlyWarning.objects.get(enterprise=not_covered)
    assert response.status_code == 302
    assert (warning.level, warning.visit.notes) == ("red", "Gate locked, workers waiting outside.")


def test_a_visit_finding_nothing_opens_no_warning(mediator, not_covered):
    services.record_visit(not_covered, actor=mediator, notes="Wages paid on the 10th.")

    assert ScreeningVisit.objects.count() == 1 and not EarlyWarning.objects.exists()


def test_a_visit_raises_the_warning_a_report_opened(report, mediator, enterprise):
    report(production_stopped=True)

    services.record_visit(
        enterprise, actor=mediator, workers_affected=12, wages="late", notes="Twelve unpaid."
    )

    warning = EarlyWarning.objects.get()
    assert (warning.level, warning.entries.last().kind) == ("yellow", "raised")


def test_a_visit_reads_the_enterprises_report_history(report, mediator, enterprise):
    report(month=datetime.date(2026, 9, 1), wages="late")
    report(wages="late")

    visit = services.record_visit(
        enterprise, actor=mediator, wages="late", amount_owed=Decimal("10"), notes="Late again."
    )

    assert services.level_of(visit) == "red"  # three months in a row with arrears


def test_a_visit_ahead_of_time_is_refused_naming_the_day(login, mediator, not_covered):
    response = login(mediator).post(
        f"/prevention/enterprises/{not_covered.pk}/visits/",
        {"visited_on": "2026-12-01", "wages": "on_time", "notes": "x"},
    )

    assert response.status_code == 400
    assert "ahead of time" in response.content.decode()


def test_a_visit_of_unpaid_wages_without_an_amount_is_refused_naming_it(
    login, mediator, not_covered
):
    response = login(mediator).post(
        f"/prevention/enterprises/{not_covered.pk}/visits/",
        {"visited_on": "2026-11-05", "wages": "unpaid", "workers_affected": "8", "notes": "x"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "amount_owed": ["Unpaid wages: say how much is owed."]
    }
    assert not ScreeningVisit.objects.exists()


def test_an_auditor_may_not_record_a_visit(auditor, not_covered):
    with pytest.raises(PermissionDenied):
        services.record_visit(not_covered, actor=auditor, notes="x")
