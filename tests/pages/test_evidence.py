"""Evidence on the staff side: added at intake and on the case page, opened only by those who may
open the petition."""

import io

import pytest
from django.urls import reverse

from casework.models import Evidence
from tests.factories import photo, record, worker_row

from .helpers import intake_data

pytestmark = pytest.mark.django_db


def add(client, petition, **data):
    return client.post(reverse("casework:evidence-add", args=[petition.pk]), data)


def test_a_clerk_adds_a_payslip_on_the_case_page(login, clerk, petition):
    client = login(clerk)
    response = add(
        client, petition, evidence_kind="payslip", evidence_files=[photo("slip.png", kind="PNG")]
    )
    assert response.status_code == 302
    page = client.get(reverse("casework:petition-detail", args=[petition.pk])).text
    assert "slip.png" in page and "Payslip or wage record" in page
    assert petition.events.filter(transition="attach_evidence").exists()


def test_no_file_chosen_is_said(login, clerk, petition):
    response = add(login(clerk), petition, evidence_kind="iou")
    assert response.status_code == 400
    assert "Choose at least one file." in response.text


def test_an_auditor_may_not_add_evidence(login, auditor, petition):
    assert add(login(auditor), petition, evidence_files=[photo()]).status_code == 403
    assert not Evidence.objects.exists()


def test_the_file_opens_for_staff_of_the_zone_with_safe_headers(login, clerk, petition):
    client = login(clerk)
    add(client, petition, evidence_files=[photo("iou.jpg")])
    item = Evidence.objects.get()
    response = client.get(reverse("casework:evidence-file", args=[petition.pk, item.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"


def test_staff_of_another_zone_get_the_same_404_as_for_a_missing_file(
    login, clerk, outsider, petition
):
    add(login(clerk), petition, evidence_files=[photo()])
    item = Evidence.objects.get()
    client = login(outsider)
    theirs = client.get(reverse("casework:evidence-file", args=[petition.pk, item.pk]))
    missing = client.get(reverse("casework:evidence-file", args=[petition.pk, item.pk + 99]))
    assert theirs.status_code == missing.status_code == 404


def test_a_file_of_another_petition_is_not_found_through_this_one(
    login, clerk, petition, enterprise
):
    other = record(clerk, enterprise)
    client = login(clerk)
    add(client, other, evidence_files=[photo()])
    item = Evidence.objects.get()
    url = reverse("casework:evidence-file", args=[petition.pk, item.pk])
    assert client.get(url).status_code == 404


def test_evidence_at_intake_is_kept_through_a_mistake_and_recorded(login, clerk, enterprise):
    client = login(clerk)
    url = reverse("casework:intake")
    data = intake_data(enterprise, [worker_row()], evidence_kind="iou")
    data["description"] = ""
    page = client.post(url, {**data, "evidence_files": [photo("iou.jpg")]}).text
    assert "iou.jpg" in page
    kept = page.split('name="kept_evidence" value="')[1].split('"')[0]
    data["description"] = "Wages for May unpaid."
    client.post(url, {**data, "kept_evidence": kept})
    item = Evidence.objects.get()
    assert (item.kind, item.original_name, item.uploaded_by) == ("iou", "iou.jpg", clerk)


def test_a_text_file_is_refused_with_its_name(login, clerk, petition):
    text = io.BytesIO(b"just words")
    text.name = "notes.txt"
    response = add(login(clerk), petition, evidence_files=[text])
    assert response.status_code == 400
    assert "notes.txt: Only photos (JPEG, PNG, WebP) and PDF files can be kept." in response.text
