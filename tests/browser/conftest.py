"""Debian's Chromium driven by Playwright, for the tests that need a real browser."""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Screenshots, kept for people to look at.
SHOTS = Path(
    os.environ.get("BROWSER_SCREENSHOTS", Path(__file__).parents[2] / "test-output/browser")
)
# The flags Chromium needs here: no sandbox as root, and no calls home from a closed network.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(monkeypatch):
    """One Chromium for the test; each person gets a context of their own (`signed_in`)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's ORM calls stay plain.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()
        # ORM calls made while Playwright's loop ran got their own connection (asgiref's
        # context-local storage): close it here, or PostgreSQL cannot drop the test database.
        connections.close_all()


def signed_in(browser, url, username, width=1280, phone=False):
    """A page of a new browser context (Chinese, `width` px wide, or a phone's 390 x 844 with
    touch), signed in as `username`."""
    if phone:
        page = _phone_page(browser)
    else:
        context = browser.new_context(
            viewport={"width": width, "height": 900}, locale="zh-CN", accept_downloads=True
        )
        page = context.new_page()
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests-1")
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/petitions/")
    return page


def shot(page, name):
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


# A worker's phone: 390 x 844 CSS pixels, touch, Chinese.
PHONE = {"width": 390, "height": 844}
PHONE_WIDTH = PHONE["width"]


def _phone_page(browser):
    context = browser.new_context(
        viewport=PHONE,
        locale="zh-CN",
        is_mobile=True,
        has_touch=True,
        device_scale_factor=3,
    )
    return context.new_page()


@pytest.fixture
def phone(browser):
    """A page on a worker's phone (no one signed in)."""
    return _phone_page(browser)


def fits_the_screen(page):
    """No part of the page is wider than the phone's screen (nothing to scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
