"""A worker on a phone (390 x 844, Chinese): files a petition with two photos of the IOU, gets the
case number and query code, then looks the case up with them (Playwright driving Debian's
Chromium). Screenshots are kept in test-output/browser/."""

import pytest

from casework.models import Evidence, Petition

from ..factories import id_number, photo
from .conftest import PHONE, fits_the_screen, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_worker_files_with_two_photos_and_looks_the_case_up(
    live_server, phone, enterprise, tmp_path
):
    photos = []
    for name in ("iou-1.jpg", "iou-2.jpg"):
        path = tmp_path / name
        path.write_bytes(photo(name, size=(1200, 900)).getvalue())
        photos.append(str(path))

    phone.goto(f"{live_server.url}/portal/file/")
    assert fits_the_screen(phone)
    phone.fill("#id_filer_name", "赵磊")
    phone.fill("#id_filer_id_number", id_number())
    phone.fill("#id_filer_phone", "13700000009")
    phone.fill("#id_filer_claimed_amount", "9000")
    phone.fill("#id_employer_query", enterprise.name[:4])
    phone.click("button[name=find]")
    phone.check(f"input[name=employer][value='{enterprise.pk}']")
    phone.fill("#id_description", "三个月工资未发。")
    phone.set_input_files("#id_evidence_iou", photos)
    shot(phone, "worker-1-filing-form")
    assert fits_the_screen(phone)
    phone.click("#filing button.btn-big[type=submit]")
    phone.wait_for_selector("#receipt")
    shot(phone, "worker-2-receipt")

    petition = Petition.objects.get()
    assert petition.channel == Petition.Channel.ONLINE
    assert sorted(Evidence.objects.values_list("original_name", flat=True)) == [
        "iou-1.jpg",
        "iou-2.jpg",
    ]
    number = phone.inner_text("#case-number")
    code = phone.inner_text("#query-code")
    assert number == petition.number and code == petition.claims.get().query_code

    fresh = phone.context.browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    fresh.goto(f"{live_server.url}/portal/lookup/")
    fresh.fill("#id_number", number)
    fresh.fill("#id_key", code)
    fresh.click("form.portal-form button[type=submit]")
    fresh.wait_for_selector("#headline")
    shot(fresh, "worker-3-case")
    assert "/portal/case/" in fresh.url and number not in fresh.url
    assert number in fresh.inner_text("h1")
    assert "已收到" in fresh.inner_text("#headline") or "收到" in fresh.inner_text(".stages")
    assert fits_the_screen(fresh)
