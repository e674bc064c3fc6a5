"""The seal: it verifies, a changed byte is detected, and the public page says so."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents import seal

from ..factories import step
from .conftest import content, issue


@pytest.fixture
def notice(petition, clerk):
    step(petition, "accept", clerk)
    return issue(petition)[0]


def _changed(data):
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]


def test_a_sealed_document_verifies(notice):
    assert seal.verify(content(notice)) == seal.Verdict(sealed=True, intact=True)


def test_one_changed_byte_breaks_the_seal(notice):
    assert not seal.verify(_changed(content(notice))).intact


def test_the_sealed_hash_is_on_the_timeline(notice):
    event = notice.petition.events.get(transition="document_sealed", data__document=notice.title)
    assert event.data["sha256"] == notice.sha256


def _verify(client, data, name="notice.pdf"):
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    return client.post(reverse("documents:verify"), {"pdf": upload}, HTTP_ACCEPT_LANGUAGE="en")


def test_the_page_names_the_original_without_personal_data(client, notice):
    response = _verify(client, content(notice))
    assert response.status_code == 200
    assert "This is a sealed original issued by us." in response.text
    assert notice.petition.number in response.text and "Acceptance notice" in response.text
    assert notice.claim.name not in response.text


def test_the_page_refuses_a_changed_copy(client, notice):
    response = _verify(client, _changed(content(notice)))
    assert "This is not a sealed original issued by us." in response.text
    assert notice.petition.number not in response.text


def test_an_unsealed_pdf_is_not_an_original(client, db):
    response = _verify(client, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    assert "This is not a sealed original issued by us." in response.text


def test_a_file_that_is_no_pdf_is_a_form_error(client, db):
    response = _verify(client, b"GIF89a not a pdf", name="notice.gif")
    assert response.status_code == 400
    assert "This is not a PDF file." in response.text


def test_a_too_large_file_is_refused(client, db, settings, monkeypatch):
    monkeypatch.setitem(settings.CASEWORK, "DOCUMENT_VERIFY_MAX_MB", 1)
    response = _verify(client, b"%PDF-" + b"0" * (2 * 1024 * 1024))
    assert response.status_code == 400
    assert "larger than 1 MB" in response.text


def test_uploads_are_limited_per_address(client, db, settings, monkeypatch):
    monkeypatch.setitem(settings.CASEWORK, "DOCUMENT_VERIFY_PER_ADDRESS", 2)
    for _ in range(2):
        assert _verify(client, b"GIF89a").status_code == 400
    response = _verify(client, b"GIF89a")
    assert response.status_code == 429
    assert "Too many files checked from here" in response.text


def test_the_page_answers_without_login(client, db):
    response = client.get(reverse("documents:verify"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Verify a document" in response.text
