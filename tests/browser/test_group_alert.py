"""A group-petition alert in a real browser: a supervisor has the zone queue open, an intake
clerk files a 150-worker petition in another browser, and the supervisor's page shows the alert
without reloading (Playwright driving Debian's Chromium, locale zh-CN).

The pages are served by daphne, in a thread of this process (pytest-django's live server speaks
no websockets), so the SQLite test database in memory is shared with it as with the live server.
Screenshots are kept in test-output/browser/ (or $BROWSER_SCREENSHOTS).
"""

import socket
import threading

import pytest

from casework.models import Petition

from ..factories import worker_row
from ..pages.helpers import pasted
from .conftest import shot, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="session")
def asgi_server():
    """config.asgi served by daphne for the whole session (Twisted's reactor runs only once
    per process)."""
    from daphne.endpoints import build_endpoint_description_strings
    from daphne.server import Server
    from twisted.internet import reactor

    from config.asgi import application

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = Server(
        application=application,
        endpoints=build_endpoint_description_strings(host="127.0.0.1", port=port),
        signal_handlers=False,
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.listening_addresses:
        thread.join(0.05)
    yield f"http://127.0.0.1:{port}"
    reactor.callFromThread(reactor.stop)
    thread.join(10)


def test_a_supervisor_sees_a_group_petition_alert_without_reloading(
    asgi_server, browser, clerk, supervisor, enterprise
):
    watcher = signed_in(browser, asgi_server, "supervisor")
    watcher.goto(f"{asgi_server}/tasks/queue/")
    watcher.wait_for_selector("html[data-notifications=live]")
    watcher.evaluate("window.notReloaded = true")
    shot(watcher, "group-alert-1-queue-before")

    desk = signed_in(browser, asgi_server, "clerk")
    desk.goto(f"{asgi_server}/petitions/new/")
    desk.select_option("select[name=enterprise]", str(enterprise.pk))
    desk.fill("textarea[name=description]", "老板失联，150名职工三个月工资未发。")
    desk.fill("textarea[name=workers_text]", pasted([worker_row() for _ in range(150)]))
    shot(desk, "group-alert-2-intake")
    desk.get_by_role("button", name="登记诉求").click()
    desk.wait_for_url("**/petitions/*/")
    petition = Petition.objects.get()

    toast = watcher.locator(".toast", has_text=petition.number)
    toast.wait_for(timeout=10_000)
    shot(watcher, "group-alert-3-toast")
    assert watcher.evaluate("window.notReloaded") is True
    assert "150" in toast.inner_text() and enterprise.name in toast.inner_text()
    assert toast.get_by_role("link").get_attribute("href") == f"/petitions/{petition.pk}/"
    assert watcher.locator("#bell .bell-count").inner_text() == "1"
    # The queue refreshed its rows in place: the new petition's triage task is listed.
    watcher.locator("#live-tasks a", has_text=petition.number).wait_for(timeout=10_000)
    shot(watcher, "group-alert-4-queue-after")
