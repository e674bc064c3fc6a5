"""A worker votes for the group's representatives on their phone (Playwright driving Debian's
Chromium at 390 x 844, locale zh-CN): the case number and the code from the slip, two names,
the confirmation; no page is wider than the screen.

Screenshots are kept in test-output/browser/ (or $BROWSER_SCREENSHOTS) for people to look at.
"""

import pytest

from elections import services
from elections.models import Choice, Vote

from ..factories import record
from .conftest import fits_the_screen, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_worker_votes_on_their_phone(live_server, phone, clerk, liaison, enterprise):
    group = record(clerk, enterprise, workers=12)
    election, slips = services.open_election(group, actor=liaison, seats=3)
    me, code = slips[0]
    chosen = [claim for claim, _code in slips[1:3]]

    phone.goto(f"{live_server.url}/vote/")
    assert fits_the_screen(phone)
    shot(phone, "vote-1-code")
    phone.fill("input[name=number]", group.number)
    phone.fill("input[name=code]", f"{code[:4]}-{code[4:]}".lower())
    phone.click("#voter-form button[type=submit]")
    phone.wait_for_url("**/vote/ballot/")

    assert me.name in phone.content()
    assert fits_the_screen(phone)
    shot(phone, "vote-2-ballot")
    for claim in chosen:
        phone.check(f"input[name=candidates][value='{claim.pk}']")
    phone.click("#ballot-form button[type=submit]")
    phone.wait_for_selector("#confirm-form")
    assert fits_the_screen(phone)
    shot(phone, "vote-3-confirm")
    phone.click("#confirm-form button[name=confirm]")
    phone.wait_for_selector("#vote-done")

    assert fits_the_screen(phone)
    shot(phone, "vote-4-done")
    assert Vote.objects.get(election=election).claim == me
    assert sorted(Choice.objects.values_list("candidate", flat=True)) == sorted(
        c.pk for c in chosen
    )
