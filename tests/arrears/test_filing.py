"""Filing the monthly report on the enterprise's page: the one-click zero report, a report with
arrears, and what is refused (another enterprise, a month to come, a month already reported)."""

import datetime
import re
from decimal import Decimal

from django.urls import reverse

from arrears import services
from arrears.models import MonthlyReport

from .conftest import NOVEMBER, OCTOBER

REPORT = {
    "month": "2026-10",
    "wages": "unpaid",
    "months_in_arrears": "2",
    "workers_affected": "35",
    "amount_owed": "280000.50",
    "production_stopped": "on",
    "owner_unreachable": "on",
    "note": "Orders fell since August.",
}


def _zero_button(page):
    """The zero report's form on the page: (its address, what it posts)."""
    form = page.split('id="zero"')[1].split("</form>")[0]
    action = re.search(r'action="([^"]+)"', form).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    return action, fields


def test_the_union_files_the_zero_report_in_one_click(login, union, enterprise, today):
    client = login(union)
    page = client.get(reverse("arrears:home")).content.decode()
    assert "Zero report for 2026-10: nothing owed" in page
    action, fields = _zero_button(page)

    response = client.post(action, fields)

    assert response.status_code == 302
    page = client.get(reverse("arrears:home")).content.decode()
    row = page.split('id="month-2026-10"')[1].split("</tr>")[0]
    assert "Zero report" in row and "union" in row
    report = MonthlyReport.objects.get(enterprise=enterprise, month=OCTOBER)
    assert (report.is_zero, report.amount_owed, report.signals) == (True, 0, [])


def test_once_last_month_is_filed_the_form_offers_this_month(login, union, enterprise, today):
    services.file_zero_report(enterprise, OCTOBER, actor=union)

    page = login(union).get(reverse("arrears:home")).content.decode()

    assert "Zero report for 2026-11: nothing owed" in page


def test_a_report_with_arrears_stores_its_figures_and_signals(login, union, enterprise, today):
    response = login(union).post(reverse("arrears:file", args=[enterprise.pk]), REPORT)

    assert response.status_code == 302
    report = MonthlyReport.objects.get(enterprise=enterprise, month=OCTOBER)
    assert (report.is_zero, report.wages, report.months_in_arrears) == (False, "unpaid", 2)
    assert (report.workers_affected, report.amount_owed) == (35, Decimal("280000.50"))
    assert [str(s) for s in report.signals] == ["Production stopped", "Owner unreachable"]
    assert report.note == "Orders fell since August." and report.filed_by == union


def test_the_page_shows_the_filed_reports_figures(login, union, enterprise, today):
    client = login(union)
    client.post(reverse("arrears:file", args=[enterprise.pk]), REPORT)

    page = client.get(reverse("arrears:enterprise", args=[enterprise.pk])).content.decode()

    row = page.split('id="month-2026-10"')[1].split("</tr>")[0]
    assert "Unpaid" in row and "35" in row and "Owner unreachable" in row


def test_the_grid_mediator_may_file_for_the_enterprise(login, mediator, enterprise, today):
    response = login(mediator).post(
        reverse("arrears:zero", args=[enterprise.pk]), {"month": "2026-10"}
    )

    assert response.status_code == 302
    assert MonthlyReport.objects.get(enterprise=enterprise).filed_by == mediator


def test_another_enterprises_union_gets_404(login, union, neighbour, today):
    client = login(union)

    assert client.get(reverse("arrears:enterprise", args=[neighbour.pk])).status_code == 404
    for name, body in (("arrears:zero", {"month": "2026-10"}), ("arrears:file", REPORT)):
        assert client.post(reverse(name, args=[neighbour.pk]), body).status_code == 404
    assert not MonthlyReport.objects.exists()


def test_a_liaison_reads_the_reports_but_may_not_file_them(login, liaison, enterprise, today):
    client = login(liaison)

    assert client.get(reverse("arrears:enterprise", args=[enterprise.pk])).status_code == 200
    response = client.post(reverse("arrears:zero", args=[enterprise.pk]), {"month": "2026-10"})
    assert response.status_code == 403
    assert not MonthlyReport.objects.exists()


def test_a_month_to_come_is_refused_naming_the_month(login, union, enterprise, today):
    response = login(union).post(
        reverse("arrears:file", args=[enterprise.pk]), {**REPORT, "month": "2026-12"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["month"] == [
        "A report cannot be filed for a month still to come."
    ]
    assert "A report cannot be filed for a month still to come." in response.content.decode()
    assert not MonthlyReport.objects.exists()


def test_a_zero_report_for_a_month_to_come_is_refused_naming_the_month(
    login, union, enterprise, today
):
    response = login(union).post(
        reverse("arrears:zero", args=[enterprise.pk]), {"month": "2027-01"}
    )

    assert response.status_code == 400
    assert "Month: A report cannot be filed for a month still to come." in response.content.decode()


def test_a_second_report_for_the_same_month_is_a_conflict(login, union, enterprise, today):
    client = login(union)
    client.post(reverse("arrears:zero", args=[enterprise.pk]), {"month": "2026-10"})

    response = client.post(reverse("arrears:file", args=[enterprise.pk]), REPORT)

    assert response.status_code == 409
    assert "The report for 2026-10 has already been filed." in response.content.decode()
    assert MonthlyReport.objects.get(enterprise=enterprise).is_zero


def test_unpaid_wages_must_say_how_much_and_for_how_many(login, union, enterprise, today):
    body = {**REPORT, "workers_affected": "0", "amount_owed": "0"}

    response = login(union).post(reverse("arrears:file", args=[enterprise.pk]), body)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"workers_affected", "amount_owed"}


def test_a_mistyped_amount_is_named(login, union, enterprise, today):
    body = {**REPORT, "amount_owed": "lots"}

    response = login(union).post(reverse("arrears:file", args=[enterprise.pk]), body)

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["amount_owed"]


def test_the_service_files_this_month_any_day_of_it(union, enterprise, today):
    report = services.file_report(enterprise, datetime.date(2026, 11, 17), actor=union)

    assert report.month == NOVEMBER
