"""A worker signs the mediation agreement on their phone (Playwright driving Debian's Chromium
at 390 x 844, touch): the signing code on their look-up page, a signature drawn with a finger
(touch events through the DevTools protocol) and a mouse on the canvas, the code typed; the
signature is kept as a PNG of the strokes. No page is wider than the screen.

Screenshots are kept in test-output/browser/ (or $BROWSER_SCREENSHOTS) for people to look at.
"""

import pytest
from PIL import ImageOps

from agreements import render, services
from agreements.models import Signature

from ..agreements.conftest import (  # noqa: F401 - an agreement issued, its signing open
    REPRESENTATIVE,
    agreed,
    enterprise,
)
from .conftest import PHONE_WIDTH, fits_the_screen, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_section(page, selector):
    """The section and everything in it within the screen's width."""
    script = f"""[...document.querySelectorAll('{selector}, {selector} *')]
        .every(e => e.getBoundingClientRect().right <= {PHONE_WIDTH})"""
    return page.evaluate(script)


def _finger(page, points):
    """One stroke of a finger through the points (page coordinates)."""
    cdp = page.context.new_cdp_session(page)
    kinds = ["touchStart"] + ["touchMove"] * (len(points) - 2) + ["touchEnd"]
    for kind, (x, y) in zip(kinds, points, strict=True):
        touch = [] if kind == "touchEnd" else [{"x": x, "y": y}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": touch})


def _mouse(page, points):
    page.mouse.move(*points[0])
    page.mouse.down()
    for point in points[1:]:
        page.mouse.move(*point, steps=4)
    page.mouse.up()


def test_a_worker_signs_on_their_phone(agreed, mediator, live_server, phone):  # noqa: F811
    # The agreement is issued (sealed: pyHanko runs an event loop) before Playwright starts its own.
    session, _handed = services.open_signing(agreed, actor=mediator, representative=REPRESENTATIVE)
    me = session.signers.get(name="Li Ming")

    phone.goto(f"{live_server.url}/portal/lookup/")
    phone.fill("input[name=number]", agreed.number)
    phone.fill("input[name=key]", me.claim.query_code)
    phone.press("input[name=key]", "Enter")
    phone.wait_for_selector("#signing-code")
    assert _fits_section(phone, "#signing")
    shot(phone, "sign-1-code")
    code = phone.inner_text("#signing-code").strip()

    # Followed, not clicked: a wide badge elsewhere on the case page (its calendar note) makes
    # the phone zoom the page out, and a click lands off the link.
    phone.goto(live_server.url + phone.get_attribute("#sign-link", "href"))
    phone.wait_for_selector("#signature-pad")
    assert fits_the_screen(phone)
    box = phone.locator("#signature-pad").bounding_box()
    assert box["width"] > 300

    def at(fx, fy):
        return (box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)

    _finger(phone, [at(0.1, 0.7), at(0.25, 0.3), at(0.4, 0.75), at(0.55, 0.35)])
    _mouse(phone, [at(0.6, 0.6), at(0.75, 0.3), at(0.9, 0.7)])
    phone.fill("input[name=code]", code)
    shot(phone, "sign-2-drawn")
    phone.click("#sign-form button[type=submit]")
    phone.wait_for_url("**/portal/case/**")

    assert _fits_section(phone, "#signing")
    shot(phone, "sign-3-signed")
    signature = Signature.objects.get(signer=me)
    assert signature.device == Signature.Device.OWN_PHONE
    with signature.image.open("rb") as handle:
        drawn = render.on_white(handle.read())
    left, _top, right, _bottom = ImageOps.invert(drawn.convert("L")).getbbox()
    # Both strokes: the finger's on the left, the mouse's on the right.
    assert left < drawn.width * 0.2 and right > drawn.width * 0.8
