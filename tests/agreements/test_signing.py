"""Every party signs: the final PDF carries the names, the drawn signatures and the signing
times, sealed, its hash on the timeline, and served on the workers like other documents."""

import pytest
from django.utils import timezone

from agreements import render, services
from agreements.models import Signature, SigningSession
from casework.exceptions import Conflict, TransitionRefused
from documents import seal
from documents import services as documents
from documents.models import Document
from lib.validators import mask_id_number

from ..documents.conftest import content, pdf_text
from ..factories import record
from .conftest import REPRESENTATIVE, sign, sign_all, signer


def _changed(data):
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]


def test_the_signers_are_each_worker_the_representative_and_the_mediator(opened, mediator):
    session, _codes = opened
    assert [(s.role, s.name) for s in session.signers.order_by("pk")] == [
        ("worker", "Li Ming"),
        ("worker", "Wang Fang"),
        ("employer", REPRESENTATIVE),
        ("mediator", mediator.get_username()),
    ]


def test_each_signature_records_time_code_check_and_the_document_hash(opened):
    session, codes = opened
    sign(session, codes, "Li Ming")
    signature = Signature.objects.get(signer__name="Li Ming")
    assert signature.document_sha256 == session.document.sha256 == session.document_sha256
    assert signature.signed_at <= timezone.now()
    assert signature.code_issued_at is not None and signature.code_failures == 0
    event = session.petition.events.get(transition="agreement_signature")
    assert event.data["signer"] == "Li Ming" and event.data["sha256"] == session.document_sha256


def test_the_session_stays_open_until_the_last_signature(opened):
    session, codes = opened
    for key in ("Li Ming", "Wang Fang", "employer"):
        sign(session, codes, key)
    session.refresh_from_db()
    assert session.state == SigningSession.State.OPEN and session.signed_document is None


def test_all_signed_makes_a_sealed_pdf_with_names_and_signing_times(opened, mediator):
    session = sign_all(*opened)
    assert session.state == SigningSession.State.SIGNED
    final = session.signed_document
    assert final.kind == Document.Kind.SIGNED_AGREEMENT and final.state == Document.State.READY
    data = content(final)
    assert seal.verify(data) == seal.Verdict(sealed=True, intact=True)
    text = pdf_text(data)
    assert "调解协议书" in text and session.petition.number in text
    for s in session.signers.select_related("signature"):
        assert s.name in text
        assert render.moment(s.signature.signed_at) in text
    assert session.document_sha256 in "".join(text.split())  # a long hash wraps
    for claim in session.petition.claims.select_related("worker"):
        assert mask_id_number(claim.worker.id_number) in text
        assert claim.worker.id_number not in text


def test_the_signatures_are_drawn_into_the_pdf(opened):
    import pypdfium2 as pdfium

    session = sign_all(*opened)
    pdf = pdfium.PdfDocument(content(session.signed_document))
    images = [
        obj
        for page in pdf
        for obj in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE], max_depth=3)
    ]
    assert len(images) == session.signers.count()


def test_a_changed_byte_of_the_signed_pdf_fails_the_seal(opened):
    session = sign_all(*opened)
    data = content(session.signed_document)
    assert not seal.verify(_changed(data)).intact
    assert not documents.verify_upload(_changed(data)).original
    assert documents.verify_upload(data).document == session.signed_document


def test_the_signed_pdfs_hash_is_on_the_timeline(opened):
    session = sign_all(*opened)
    event = session.petition.events.get(transition="agreement_signed")
    assert event.data["sha256"] == session.signed_document.sha256


def test_the_signed_agreement_is_served_on_every_worker(opened):
    session = sign_all(*opened)
    for claim in session.petition.claims.all():
        served = [item.document for item in documents.documents_for(claim)]
        assert session.signed_document in served


def test_a_signature_after_the_session_closed_is_a_conflict(opened, mediator):
    session, codes = opened
    services.cancel_signing(session, actor=mediator, reason="The employer changed its mind.")
    with pytest.raises(Conflict):
        sign(session, codes, "Li Ming")
    assert not Signature.objects.exists()


def test_a_second_signature_of_one_signer_is_a_conflict(opened):
    session, codes = opened
    sign(session, codes, "Li Ming")
    with pytest.raises(Conflict):
        sign(session, codes, "Li Ming")
    assert Signature.objects.count() == 1


def test_a_failed_pdf_keeps_the_signatures_and_the_timer_loop_makes_it(opened, monkeypatch):
    session, codes = opened

    def broken(_session):
        raise OSError("font gone")

    with monkeypatch.context() as patched:
        patched.setattr(render, "signed_agreement_pdf", broken)
        session = sign_all(session, codes)
    assert session.state == SigningSession.State.SIGNED and session.signed_document is None
    assert "font gone" in session.error
    assert services.finish_pending() == 1
    session.refresh_from_db()
    assert session.signed_document is not None and session.error == ""


def test_signing_opens_only_on_an_agreement_just_reached(petition, mediator):
    with pytest.raises(TransitionRefused):
        services.open_signing(petition, actor=mediator, representative=REPRESENTATIVE)


def test_one_signing_at_a_time(opened, mediator):
    session, _codes = opened
    with pytest.raises(Conflict):
        services.open_signing(session.petition, actor=mediator, representative="Someone")


def test_a_signed_agreement_is_not_signed_again(opened, mediator):
    session = sign_all(*opened)
    with pytest.raises(TransitionRefused):
        services.open_signing(session.petition, actor=mediator, representative="Someone")


def test_the_worker_signer_is_only_on_the_agreement(opened, clerk, enterprise):
    session, _codes = opened
    other = record(clerk, enterprise, workers=1).claims.get()
    assert services.worker_signing(other) is None
    assert signer(session, "Li Ming").claim.petition_id == session.petition_id
