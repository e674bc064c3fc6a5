"""The intake page's keys in a real browser: Enter in a worker row never records the petition
(with or without the page's script); Ctrl+Enter does."""

import pytest

from casework.models import Petition

from ..factories import worker_row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=[True, False], ids=["script", "no-script"])
def page(request, browser):
    context = browser.new_context(locale="zh-CN", java_script_enabled=request.param)
    page = context.new_page()
    page.scripted = request.param
    return page


def fill_intake(page, url, enterprise):
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/petitions/")
    page.goto(f"{url}/petitions/new/")
    page.select_option("select[name=enterprise]", str(enterprise.pk))
    page.fill("textarea[name=description]", "三月起未发工资。")
    row = worker_row()
    page.fill("input[name=w-0-name]", row["name"])
    page.fill("input[name=w-0-id_number]", row["id_number"])
    page.fill("input[name=w-0-claimed_amount]", "5000")


def test_enter_in_an_amount_field_records_nothing(live_server, page, clerk, enterprise):
    fill_intake(page, live_server.url, enterprise)

    page.press("input[name=w-0-claimed_amount]", "Enter")
    page.wait_for_timeout(500)

    assert page.url.endswith("/petitions/new/")
    assert not Petition.objects.exists()


def test_enter_in_a_row_moves_to_the_next_field(live_server, page, clerk, enterprise):
    if not page.scripted:
        pytest.skip("moving on is the page script's; without it Enter only does nothing")
    fill_intake(page, live_server.url, enterprise)

    page.press("input[name=w-0-claimed_amount]", "Enter")

    assert page.evaluate("document.activeElement.name") == "w-0-non_local"


def test_ctrl_enter_records_the_petition(live_server, page, clerk, enterprise):
    fill_intake(page, live_server.url, enterprise)

    page.press("input[name=w-0-claimed_amount]", "Control+Enter")
    page.wait_for_timeout(1000)

    # Without the script, Ctrl+Enter does nothing either: the Record button is the way.
    assert Petition.objects.count() == (1 if page.scripted else 0)
