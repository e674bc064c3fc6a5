"""The pages: the mediator opens the signing from the case page and sees the handed codes once;
signers sign on the mediator's device or a worker on their own phone with the code from their
look-up page; staff of another zone get 404 everywhere."""

import pytest

from agreements import services
from agreements.models import JudicialConfirmation, Signature

from ..portal.conftest import look_up
from .conftest import REPRESENTATIVE, data_url, png, sign_all, signer


def test_the_case_page_offers_the_signing_to_the_mediator(agreed, login, mediator):
    page = login(mediator).get(f"/petitions/{agreed.pk}/")
    assert "Signing the agreement" in page.text and "Open the signing" in page.text


def test_opening_shows_the_handed_codes_once(agreed, login, mediator):
    client = login(mediator)
    response = client.post(
        f"/agreements/petitions/{agreed.pk}/signing/", {"representative": REPRESENTATIVE}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    session = services.latest_session(agreed)
    representative = signer(session, "employer")
    code = response.text.split(f'data-signer="{representative.pk}">')[1][:6]
    assert representative.code_hash == services.code_hash(representative.pk, code)
    assert code not in client.get(f"/petitions/{agreed.pk}/").text


def test_opening_without_the_representatives_name_is_a_form_error(agreed, login, mediator):
    response = login(mediator).post(
        f"/agreements/petitions/{agreed.pk}/signing/", {"representative": " "}
    )
    assert response.status_code == 400 and "This field is required." in response.text


def test_the_representative_signs_on_the_mediators_device(opened, login, mediator):
    session, codes = opened
    representative = signer(session, "employer")
    response = login(mediator).post(
        f"/agreements/signers/{representative.pk}/sign/",
        {"code": codes["employer"], "signature": data_url()},
    )
    assert response.status_code == 302
    signature = Signature.objects.get(signer=representative)
    assert signature.device == Signature.Device.STAFF_DEVICE and signature.device_user == mediator


@pytest.mark.parametrize(
    ("signature", "message"),
    [
        ("", "Draw your signature in the box."),
        (data_url(png(stroke=False)), "Draw your signature in the box."),
        ("data:image/png;base64,bm90IGEgcG5n", "not a PNG drawing"),
        ("data:image/png;base64,@@@", "not a PNG drawing"),
    ],
)
def test_a_bad_drawing_is_a_form_error(opened, login, mediator, signature, message):
    session, codes = opened
    representative = signer(session, "employer")
    response = login(mediator).post(
        f"/agreements/signers/{representative.pk}/sign/",
        {"code": codes["employer"], "signature": signature},
    )
    assert response.status_code == 400 and message in response.text
    assert not Signature.objects.exists()


def test_a_drawing_over_the_size_limit_is_refused(opened, login, mediator, settings, monkeypatch):
    monkeypatch.setitem(settings.CASEWORK, "SIGNATURE_MAX_KB", 1)
    session, codes = opened
    response = login(mediator).post(
        f"/agreements/signers/{signer(session, 'employer').pk}/sign/",
        {"code": codes["employer"], "signature": data_url(png(size=(900, 400)) + b"\0" * 2048)},
    )
    assert response.status_code == 400 and "at most 1 KB" in response.text


def test_a_wrong_code_is_a_form_error(opened, login, mediator):
    session, codes = opened
    wrong = f"{(int(codes['employer']) + 1) % 10**6:06d}"
    response = login(mediator).post(
        f"/agreements/signers/{signer(session, 'employer').pk}/sign/",
        {"code": wrong, "signature": data_url()},
    )
    assert response.status_code == 400 and "This code is not right." in response.text


def test_the_worker_signs_with_the_code_from_their_look_up_page(opened, client):
    session, _codes = opened
    li = signer(session, "Li Ming")
    look_up(client, session.petition.number, li.claim.query_code)
    page = client.get("/portal/case/")
    assert "Your signing code:" in page.text
    code = page.text.split('id="signing-code">')[1][:6]
    response = client.post(
        f"/portal/case/{li.claim_id}/sign/", {"code": code, "signature": data_url()}
    )
    assert response.status_code == 302
    assert Signature.objects.get(signer=li).device == Signature.Device.OWN_PHONE
    assert "You signed the agreement on" in client.get("/portal/case/").text


def test_a_worker_cannot_sign_for_a_claim_they_did_not_look_up(opened, client):
    session, _codes = opened
    li, wang = signer(session, "Li Ming"), signer(session, "Wang Fang")
    look_up(client, session.petition.number, li.claim.query_code)
    assert client.get(f"/portal/case/{wang.claim_id}/sign/").status_code == 404


def test_signing_after_the_session_closed_answers_409(opened, client, mediator):
    session, _codes = opened
    li = signer(session, "Li Ming")
    look_up(client, session.petition.number, li.claim.query_code)
    code = client.get("/portal/case/").text.split('id="signing-code">')[1][:6]
    services.cancel_signing(session, actor=mediator, reason="Terms to be changed.")
    response = client.post(
        f"/portal/case/{li.claim_id}/sign/", {"code": code, "signature": data_url()}
    )
    assert response.status_code == 409 and "closed" in response.text
    assert not Signature.objects.exists()


def test_a_confirmed_agreement_is_enforceable_says_the_look_up_page(opened, client, mediator):
    import datetime

    session = sign_all(*opened)
    confirmation = services.prepare_application(session, actor=mediator, court="Lanxi Court")
    services.record_ruling(
        confirmation,
        actor=mediator,
        ruling=JudicialConfirmation.Ruling.CONFIRMED,
        number="R-12",
        ruled_on=datetime.date.today(),
    )
    look_up(client, session.petition.number, signer(session, "Li Ming").claim.query_code)
    page = client.get("/portal/case/").text
    assert "The court (Lanxi Court) confirmed this agreement, ruling R-12." in page
    assert "you can apply to that court to enforce it" in page


def test_staff_of_another_zone_get_404(opened, login, outsider, mediator):
    session, _codes = opened
    sign_all(session, _codes)
    confirmation = services.prepare_application(session, actor=mediator, court="Lanxi Court")
    client = login(outsider)
    urls = [
        f"/agreements/petitions/{session.petition_id}/signing/",
        f"/agreements/signers/{signer(session, 'employer').pk}/sign/",
        f"/agreements/signing/{session.pk}/confirmation/",
        f"/agreements/confirmations/{confirmation.pk}/ruling/",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    posts = [
        f"/agreements/signers/{signer(session, 'employer').pk}/code/",
        f"/agreements/signing/{session.pk}/cancel/",
    ]
    for url in posts:
        assert client.post(url, {"reason": "x"}).status_code == 404, url


def test_a_clerk_sees_the_card_but_may_not_sign_off(opened, login, clerk):
    session, _codes = opened
    client = login(clerk)
    assert "Signing the agreement" in client.get(f"/petitions/{session.petition_id}/").text
    assert (
        client.get(f"/agreements/signers/{signer(session, 'employer').pk}/sign/").status_code == 403
    )
