"""The staff pages on a phone (390 x 844, touch): a mediator claims a group petition from the zone
queue and works its task page; no page is wider than the screen, the top bar is one short row, the
title keeps its words, and the menu (with the language and log-out) is one tap away. At 1280 px the
top bar shows the menu as before, without a tap.

Screenshots are kept in test-output/browser/ (or $BROWSER_SCREENSHOTS) for people to look at.
"""

import pytest

from casework.models import Petition, Role

from ..factories import record, step, user_with_role
from .conftest import PHONE, PHONE_WIDTH, shot, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The phone's top bar is one row: the brand, the bell and the menu button (48 px as designed).
HEADER_MAX = 56

# What a phone's screen shows of the page: its width, the top bar's height, the title's lines.
LAYOUT = """() => {
  const h1 = document.querySelector('main h1');
  const style = getComputedStyle(h1);
  const line = parseFloat(style.lineHeight), gap = parseFloat(style.rowGap) || 0;
  return {
    width: document.documentElement.scrollWidth,
    header: document.querySelector('.topbar').getBoundingClientRect().height,
    titleLines: (h1.getBoundingClientRect().height + gap) / (line + gap),
  };
}"""


@pytest.fixture
def waiting(clerk, supervisor, enterprise):
    """A group petition accepted before the grid had a mediator: it waits in the zone queue."""
    petition = record(
        clerk, enterprise, workers=12, owner_missing=True, priority=Petition.Priority.URGENT
    )
    step(petition, "accept", supervisor)
    return petition


@pytest.fixture
def mediator(org, waiting):
    """The grid's mediator, arriving after the acceptance: the task is not assigned to them yet."""
    return user_with_role(Role.MEDIATOR, org["grid_a1"], username="mediator")


def on_phone(browser, url, username):
    return signed_in(browser, url, username, phone=True)


def assert_fits_a_phone(page):
    layout = page.evaluate(LAYOUT)
    assert layout["width"] <= PHONE_WIDTH, layout
    assert layout["header"] <= HEADER_MAX, layout
    assert layout["titleLines"] <= 2, layout
    assert not page.locator("#menu").evaluate("menu => menu.open")
    return layout


def inside_the_screen(locator):
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH


def claim_and_start(page, url, petition):
    page.goto(f"{url}/tasks/queue/")
    with page.expect_navigation():
        page.locator("tr", has_text=petition.number).locator("form[action$='/claim/'] button").tap()
    with page.expect_navigation():
        page.locator("#step-start_mediation button[type=submit]").tap()


def test_a_mediator_claims_and_works_a_task_on_a_phone(live_server, browser, waiting, mediator):
    page = on_phone(browser, live_server.url, "mediator")
    page.goto(f"{live_server.url}/tasks/queue/")
    assert_fits_a_phone(page)
    shot(page, "mobile-1-zone-queue")

    claim_and_start(page, live_server.url, waiting)
    assert_fits_a_phone(page)
    assert waiting.number in page.locator("main h1").inner_text()
    shot(page, "mobile-2-task-page")
    page.locator(".jump-to-task").tap()  # the task card is below the case on a phone
    assert inside_the_screen(page.locator("#task h2"))
    session = page.locator("#record-session")
    for field in ("held_at", "place", "parties_present", "notes"):
        assert inside_the_screen(session.locator(f"[name={field}]")), field
    session.locator("[name=held_at]").fill("2026-11-20T09:30")
    session.locator("[name=place]").fill("开发区总工会调解室")
    session.locator("[name=parties_present]").fill("职工代表2名；企业人事经理")
    with page.expect_navigation():
        session.locator("button[type=submit]").tap()

    assert waiting.sessions.count() == 1
    assert page.get_by_text("开发区总工会调解室").count() >= 1
    assert page.evaluate(LAYOUT)["width"] <= PHONE_WIDTH


@pytest.mark.parametrize(
    "name, path",
    [
        ("case-list", "/petitions/"),
        ("case-page", "/petitions/{pk}/"),
        ("zone-queue", "/tasks/queue/"),
        ("my-tasks", "/tasks/"),
        ("done", "/tasks/done/"),
    ],
)
def test_the_mediators_pages_fit_a_phone(live_server, browser, waiting, mediator, name, path):
    page = on_phone(browser, live_server.url, "mediator")
    claim_and_start(page, live_server.url, waiting)

    page.goto(live_server.url + path.format(pk=waiting.pk))
    assert_fits_a_phone(page)
    shot(page, f"mobile-3-{name}")


def test_a_wide_table_scrolls_in_its_own_box(live_server, browser, waiting, mediator):
    page = on_phone(browser, live_server.url, "mediator")
    page.goto(f"{live_server.url}/petitions/{waiting.pk}/")

    table = page.locator("table.workers")
    wrap = page.locator(".table-wrap", has=table)
    assert table.evaluate("table => table.scrollWidth") > PHONE_WIDTH - 50
    assert inside_the_screen(wrap)
    assert wrap.evaluate("wrap => wrap.scrollWidth > wrap.clientWidth")
    assert page.evaluate(LAYOUT)["width"] <= PHONE_WIDTH


def test_log_out_is_one_tap_away_on_a_phone(live_server, browser, waiting, mediator):
    page = on_phone(browser, live_server.url, "mediator")
    log_out = page.locator("#menu form[action$='/logout/'] button")
    assert not log_out.is_visible()

    page.locator("#menu > summary").tap()
    assert log_out.is_visible() and inside_the_screen(log_out)
    shot(page, "mobile-4-menu-open")
    with page.expect_navigation(url="**/accounts/login/"):
        log_out.tap()

    page.goto(f"{live_server.url}/tasks/")
    assert "/accounts/login/" in page.url


def test_the_language_is_one_tap_away_and_english_fits_too(live_server, browser, waiting, mediator):
    page = on_phone(browser, live_server.url, "mediator")
    page.goto(f"{live_server.url}/tasks/")
    assert page.locator("main h1").inner_text() == "我的待办"

    page.locator("#menu > summary").tap()
    with page.expect_navigation():
        page.locator("#menu button[name=language][value=en]").tap()

    assert page.locator("main h1").inner_text() == "My tasks"
    assert_fits_a_phone(page)  # the longer English words keep the top bar to one row
    shot(page, "mobile-5-english")


def test_the_menu_closes_on_escape_and_on_a_tap_elsewhere(live_server, browser, waiting, mediator):
    page = on_phone(browser, live_server.url, "mediator")
    menu = page.locator("#menu")
    nav = page.locator("#menu .mainnav")

    page.locator("#menu > summary").tap()
    assert nav.is_visible()
    page.keyboard.press("Escape")
    assert not nav.is_visible()

    page.locator("#menu > summary").tap()
    page.touchscreen.tap(5, PHONE["height"] - 10)  # the page's margin, under no link
    assert not nav.is_visible()
    assert not menu.evaluate("menu => menu.open")


def test_a_wide_screen_shows_the_menu_without_a_tap(live_server, browser, waiting, mediator):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "mediator")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/petitions/")

    assert not page.locator("#menu > summary").is_visible()
    assert page.locator("#menu .mainnav a", has_text="我的待办").is_visible()
    assert page.locator("#menu form[action$='/logout/'] button").is_visible()
    # One row: the brand, the menu and the tools side by side, as before the phone's menu.
    assert page.locator(".topbar").bounding_box()["height"] <= 60
    shot(page, "mobile-6-wide-screen")

    page.set_viewport_size(PHONE)  # a window made narrow folds the menu, and unfolds it again
    assert page.locator("#menu > summary").is_visible()
    assert not page.locator("#menu .mainnav").is_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.locator("#menu .mainnav").is_visible()
