"""The monthly reports in the API: the same filing rules and scope as the pages."""

import pytest

from arrears import services
from arrears.models import MonthlyReport

from .conftest import OCTOBER

REPORTS, ZERO, MISSING = (
    "/api/arrears/reports/",
    "/api/arrears/reports/zero/",
    "/api/arrears/missing/",
)


def test_the_union_files_a_zero_report(api, union, enterprise, today):
    response = api(union).post(ZERO, {"enterprise": enterprise.pk, "month": "2026-10"})

    assert response.status_code == 201
    body = response.json()
    assert (body["month"], body["is_zero"], body["amount_owed"]) == ("2026-10", True, "0.00")
    assert MonthlyReport.objects.get(enterprise=enterprise).is_zero


def test_a_report_with_arrears_keeps_every_field(api, union, enterprise, today):
    body = {
        "enterprise": enterprise.pk,
        "month": "2026-10",
        "wages": "unpaid",
        "months_in_arrears": 2,
        "workers_affected": 14,
        "amount_owed": "86000.50",
        "owner_unreachable": True,
        "note": "老板电话打不通",
    }

    response = api(union).post(REPORTS, body, format="json")

    assert response.status_code == 201
    shown = response.json()
    assert (shown["wages"], shown["workers_affected"], shown["amount_owed"]) == (
        "unpaid",
        14,
        "86000.50",
    )
    assert shown["signals"] == ["owner_unreachable"]
    assert shown["declares_arrears"] is True
    assert shown["note"] == "老板电话打不通"


def test_unpaid_wages_without_figures_is_a_400_naming_them(api, union, enterprise, today):
    body = {"enterprise": enterprise.pk, "month": "2026-10", "wages": "unpaid"}

    response = api(union).post(REPORTS, body, format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"workers_affected", "amount_owed"}
    assert not MonthlyReport.objects.exists()


@pytest.mark.parametrize("month", ["2026-13", "October", "2026-12"])
def test_a_bad_or_future_month_is_a_400(api, union, enterprise, today, month):
    response = api(union).post(ZERO, {"enterprise": enterprise.pk, "month": month})

    assert response.status_code == 400
    assert "month" in response.json()["error"]["fields"]


def test_the_second_filing_of_a_month_is_a_409(api, union, enterprise, today):
    api(union).post(ZERO, {"enterprise": enterprise.pk, "month": "2026-10"})

    response = api(union).post(ZERO, {"enterprise": enterprise.pk, "month": "2026-10"})

    assert response.status_code == 409
    assert MonthlyReport.objects.count() == 1


def test_another_enterprise_is_a_404_for_the_union(api, union, neighbour, today):
    response = api(union).post(ZERO, {"enterprise": neighbour.pk, "month": "2026-10"})

    assert response.status_code == 404
    assert not MonthlyReport.objects.exists()


def test_a_reader_who_may_not_file_is_a_403(api, liaison, enterprise, today):
    response = api(liaison).post(ZERO, {"enterprise": enterprise.pk, "month": "2026-10"})

    assert response.status_code == 403


def test_the_union_lists_only_its_own_reports(api, union, mediator, enterprise, neighbour, today):
    services.file_zero_report(enterprise, OCTOBER, actor=mediator)
    services.file_zero_report(neighbour, OCTOBER, actor=mediator)

    body = api(union).get(REPORTS).json()

    assert [r["enterprise_name"] for r in body["results"]] == ["Lanxi Textile"]


def test_the_missing_list_names_the_enterprises_past_their_due_day(
    api, supervisor, union, enterprise, neighbour, clock
):
    clock(services.due_on(OCTOBER, 10).replace(day=11))
    services.file_zero_report(neighbour, OCTOBER, actor=supervisor)

    body = api(supervisor).get(MISSING, {"month": "2026-10"}).json()

    assert [(m["name"], m["due_on"]) for m in body] == [("Lanxi Textile", "2026-11-10")]


def test_the_union_may_not_read_the_missing_list(api, union, today):
    assert api(union).get(MISSING).status_code == 403


def test_a_bad_month_in_the_list_query_is_a_400(api, union, today):
    response = api(union).get(REPORTS, {"month": "11/2026"})

    assert response.status_code == 400
    assert "month" in response.json()["error"]["fields"]
