"""A transfer in a real browser: zone A's front desk hands a petition to zone B, zone B sends it
back with a reason, zone A reads the reason and transfers it again, and zone B accepts it."""

import pytest

from casework.models import Role

from ..factories import user_with_role
from .conftest import shot, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def transfer(page, url, petition, reason):
    page.goto(f"{url}/petitions/{petition.pk}/")
    page.locator("#transfer-link").click()
    page.wait_for_load_state()
    page.select_option("#transfer-form select[name=to_unit]", label="Zone B")
    page.fill("#transfer-form textarea[name=reason]", reason)
    page.locator("#transfer-form button[type=submit]").click()
    page.wait_for_load_state()


def test_transferred_sent_back_transferred_again_and_accepted(
    live_server, browser, org, clerk, petition
):
    user_with_role(Role.INTAKE_CLERK, org["zone_b"], username="zone_b_clerk")
    sender = signed_in(browser, live_server.url, "clerk")
    receiver = signed_in(browser, live_server.url, "zone_b_clerk")

    transfer(sender, live_server.url, petition, "工地在乙区，应由乙区工会处理。")
    assert sender.locator("#transfers .badge-alert").is_visible()
    shot(sender, "transfer-1-in-transfer")

    receiver.goto(f"{live_server.url}/tasks/transfers/")
    row = receiver.locator(f"#incoming tr:has-text('{petition.number}')")
    assert "工地在乙区" in row.inner_text()
    row.locator("summary").click()
    row.locator("textarea[name=reason]").fill("经核实，项目部登记在甲区。")
    row.locator("details button[type=submit]").click()
    receiver.wait_for_load_state()
    assert petition.number not in receiver.locator("#incoming").inner_text()

    sender.goto(f"{live_server.url}/petitions/{petition.pk}/")
    assert "经核实，项目部登记在甲区。" in sender.locator("#transfers").inner_text()
    assert "经核实，项目部登记在甲区。" in sender.locator(".timeline").inner_text()
    transfer(sender, live_server.url, petition, "项目部实际在乙区，附工地照片。")

    receiver.goto(f"{live_server.url}/tasks/transfers/")
    receiver.locator(f"#incoming tr:has-text('{petition.number}') .btn-primary").click()
    receiver.wait_for_url(f"**/petitions/{petition.pk}/")
    assert petition.number in receiver.locator("h1").inner_text()
    shot(receiver, "transfer-2-accepted")

    petition.refresh_from_db()
    assert petition.org_unit == org["zone_b"]
