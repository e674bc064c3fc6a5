"""Oversight in a real browser: a supervisor opens the statistics page, changes the period, sees
the charts drawn and downloads the workbook with the page's numbers; an enterprise union files
its zero report in one click; and the page stays inside a phone's 390 px."""

from io import BytesIO

import openpyxl
import pytest
from django.utils import timezone

from arrears.models import MonthlyReport
from casework.models import Role

from ..factories import record, user_with_role
from .conftest import shot, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def petitions(clerk, enterprise):
    return [record(clerk, enterprise, workers=3), record(clerk, enterprise, workers=2)]


def choose_period(page, start, end):
    page.fill("#period input[name=start]", start)
    page.fill("#period input[name=end]", end)
    page.locator("#period button[type=submit]").click()
    page.wait_for_load_state()


def chart_drawn(page, canvas_id):
    return page.evaluate(
        "id => !!(window.Chart && window.Chart.getChart(document.getElementById(id)))", canvas_id
    )


def test_supervisor_changes_the_period_sees_the_chart_and_downloads_the_workbook(
    live_server, browser, supervisor, petitions
):
    page = signed_in(browser, live_server.url, "supervisor")
    page.goto(f"{live_server.url}/figures/")
    today = timezone.localdate()
    year_ago = today.replace(year=today.year - 1)

    choose_period(page, f"{year_ago:%Y-%m-%d}", f"{today:%Y-%m-%d}")
    page.wait_for_function("() => window.Chart !== undefined")

    assert f"{year_ago:%Y-%m-%d} – {today:%Y-%m-%d}" in page.locator("h2").first.inner_text()
    assert page.locator("#fig-batches td").first.inner_text() == "2"
    assert page.locator("#fig-workers td").first.inner_text() == "5"
    assert chart_drawn(page, "chart-categories")
    shot(page, "oversight-1-figures")

    with page.expect_download() as download:
        page.locator("a[download]").click()
    sheet = openpyxl.load_workbook(BytesIO(open(download.value.path(), "rb").read())).active
    by_label = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row}
    assert by_label[page.locator("#fig-batches th").inner_text()] == 2
    assert by_label[page.locator("#fig-workers th").inner_text()] == 5


def test_the_figures_fit_a_phone(live_server, browser, supervisor, petitions):
    page = signed_in(browser, live_server.url, "supervisor", width=390)
    page.goto(f"{live_server.url}/figures/")
    page.wait_for_function("() => window.Chart !== undefined")

    for chart in ("chart-categories", "chart-overdue", "chart-ranking"):
        assert chart_drawn(page, chart), chart
        box = page.locator(f"#{chart}").bounding_box()
        assert box["width"] > 200 and box["x"] >= 0 and box["x"] + box["width"] <= 390, chart
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("#monthly button").count() == 2
    page.wait_for_timeout(1500)  # the charts' animation
    shot(page, "oversight-2-figures-390px")


def test_an_enterprise_union_files_its_zero_report_in_one_click(
    live_server, browser, org, enterprise
):
    user_with_role(Role.ENTERPRISE_UNION, org["grid_a1"], enterprise, username="union")
    page = signed_in(browser, live_server.url, "union")
    page.goto(f"{live_server.url}/arrears/")

    page.locator("#zero button[type=submit]").click()
    page.wait_for_load_state()
    shot(page, "oversight-3-zero-report")

    report = MonthlyReport.objects.get(enterprise=enterprise)
    assert report.is_zero
    row = page.locator(f"#month-{report.month:%Y-%m}")
    assert "零报告" in row.inner_text()
