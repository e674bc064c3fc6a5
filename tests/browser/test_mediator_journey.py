"""A mediator's day in a real browser (Playwright driving Debian's Chromium): claim a case from the
zone queue, record a session and an agreement, and see the case's new status.

Screenshots are kept in test-output/browser/ (or $BROWSER_SCREENSHOTS) for people to look at.
"""

import pytest

from casework.models import Role, Status

from ..factories import record, step, user_with_role
from .conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser):
    return browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()


def test_mediator_claims_mediates_and_records_an_agreement(
    live_server, page, org, clerk, supervisor, enterprise
):
    petition = record(clerk, enterprise, workers=2)
    step(petition, "accept", supervisor)  # no mediator in the grid yet: it waits in the queue
    user_with_role(Role.MEDIATOR, org["grid_a1"], username="lu")

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "lu")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/petitions/")
    page.goto(f"{live_server.url}/tasks/queue/")
    shot(page, "1-zone-queue")
    row = page.locator("tr", has_text=petition.number)
    row.locator("form[action$='/claim/'] button").click()
    page.wait_for_url("**/tasks/*/")

    page.locator("#step-start_mediation button[type=submit]").click()
    shot(page, "2-mediation-task")
    session = page.locator("#record-session")
    session.locator("[name=held_at]").fill("2026-11-20T09:30")
    session.locator("[name=place]").fill("开发区总工会调解室")
    session.locator("[name=parties_present]").fill("职工代表2名；企业人事经理")
    session.locator("[name=notes]").fill("企业同意分两期支付")
    session.locator("button[type=submit]").click()
    agreement = page.locator("#step-reach_agreement")
    agreement.locator("[name=signed_on]").fill("2026-11-20")
    agreement.locator("[name=due_date]").fill("2026-12-05")
    shot(page, "3-session-and-agreement")
    agreement.locator("button[type=submit]").click()

    page.goto(f"{live_server.url}/petitions/{petition.pk}/")
    shot(page, "4-case-page")
    petition.refresh_from_db()
    assert petition.status == Status.AGREEMENT_REACHED
    assert page.locator("h1 .status").inner_text() == "达成调解协议"
    assert page.get_by_text("开发区总工会调解室").count() >= 1
    assert petition.sessions.count() == 1
    follow_up = petition.tasks.get(status="ASSIGNED")
    assert (follow_up.flow_task.name, follow_up.owner.username) == ("check_fulfilment", "lu")
