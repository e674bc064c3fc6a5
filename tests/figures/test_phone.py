"""The statistics page on a 390 px phone (Playwright driving Debian's Chromium): the bar charts
are drawn within the screen's width, and the monthly report's buttons are there.

Screenshots are kept in test-output/browser/ (or $BROWSER_SCREENSHOTS) for people to look at."""

import pytest

from tests.browser.test_mediator_journey import CHROMIUM, FLAGS, SHOTS, Path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(monkeypatch):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
        yield context.new_page()
        browser.close()
        connections.close_all()


def test_the_bar_charts_fit_a_phone(live_server, phone, zone, org, supervisor):
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.fill("input[name=username]", "supervisor")
    phone.fill("input[name=password]", "pw-for-tests-1")
    phone.press("input[name=password]", "Enter")
    phone.wait_for_url("**/")
    unit = org["zone_a"].pk
    phone.goto(f"{live_server.url}/figures/?unit={unit}&start=2026-03-01&end=2026-03-31")
    for chart in ("#chart-overdue", "#chart-ranking"):
        box = phone.locator(chart).bounding_box()
        assert box["width"] > 200 and box["x"] + box["width"] <= 390
    assert phone.locator("#monthly button").count() == 2
    phone.wait_for_timeout(1500)  # the charts' animation
    phone.screenshot(path=SHOTS / "figures-390.png", full_page=True)
