"""Signing codes: six digits, kept only as a keyed hash, valid for SIGNING_CODE_MINUTES, a few
wrong tries each (SIGNING_CODE_TRIES), spent by the signature; a new one ends the old one."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from agreements import services
from agreements.models import Signature, Signer

from ..clock import local
from .conftest import drawing, sign, signer


def _try(session, key, code):
    services.sign(
        signer(session, key), code=code, drawing=drawing(), device=Signature.Device.OWN_PHONE
    )


def _wrong(code):
    return f"{(int(code) + 1) % 10**6:06d}"


def test_codes_are_six_digits_stored_only_hashed(opened):
    session, codes = opened
    for key, code in codes.items():
        row = signer(session, key)
        assert len(code) == 6 and code.isdigit()
        assert row.code_hash == services.code_hash(row.pk, code) and code not in row.code_hash
    stored = list(Signer.objects.values_list("code_hash", flat=True))
    assert not any(code in value for value in stored for code in codes.values())


def test_an_expired_code_is_refused(opened, clock, settings):
    session, codes = opened
    minutes = settings.CASEWORK["SIGNING_CODE_MINUTES"]
    clock(signer(session, "Li Ming").code_expires_at + datetime.timedelta(seconds=1))
    with pytest.raises(ValidationError) as refused:
        _try(session, "Li Ming", codes["Li Ming"])
    assert "expired" in str(refused.value)
    assert minutes > 0 and not Signature.objects.exists()


def test_a_code_works_until_it_expires(agreed, mediator, clock, settings):
    clock(local(2026, 1, 5, 10, 0))
    session, _handed = services.open_signing(agreed, actor=mediator, representative="Zhao Gang")
    claim = agreed.claims.order_by("pk").first()
    code = services.worker_signing(claim).code
    minutes = settings.CASEWORK["SIGNING_CODE_MINUTES"]
    clock(local(2026, 1, 5, 10, minutes - 1))
    _try(session, claim.name, code)
    assert Signature.objects.filter(signer__claim=claim).exists()


def test_wrong_tries_are_limited_per_code(opened, monkeypatch, settings):
    monkeypatch.setitem(settings.CASEWORK, "SIGNING_CODE_TRIES", 3)
    session, codes = opened
    for _ in range(3):
        with pytest.raises(ValidationError, match="not right"):
            _try(session, "Li Ming", _wrong(codes["Li Ming"]))
    with pytest.raises(ValidationError, match="Too many wrong tries"):
        _try(session, "Li Ming", codes["Li Ming"])
    assert signer(session, "Li Ming").code_failures == 3
    assert not Signature.objects.exists()


def test_a_new_code_allows_new_tries_and_ends_the_old_one(opened, monkeypatch, settings):
    monkeypatch.setitem(settings.CASEWORK, "SIGNING_CODE_TRIES", 1)
    session, codes = opened
    with pytest.raises(ValidationError):
        _try(session, "Li Ming", _wrong(codes["Li Ming"]))
    fresh = services.worker_signing(signer(session, "Li Ming").claim).code
    _try(session, "Li Ming", fresh)
    assert Signature.objects.get().code_failures == 0


def test_a_code_is_spent_by_its_signature(opened):
    session, codes = opened
    sign(session, codes, "employer")
    spent = signer(session, "employer")
    assert spent.code_hash == "" and spent.code_expires_at is None
    assert services.worker_signing(signer(session, "Li Ming").claim) is not None


def test_one_signers_code_does_not_sign_for_another(opened):
    session, codes = opened
    with pytest.raises(ValidationError, match="not right"):
        _try(session, "Wang Fang", codes["Li Ming"])


def test_the_mediator_issues_the_representative_a_new_code(opened, mediator):
    session, codes = opened
    representative = signer(session, "employer")
    fresh = services.reissue_code(representative, actor=mediator)
    representative.refresh_from_db()
    assert representative.code_hash == services.code_hash(representative.pk, fresh)
    assert representative.code_hash != services.code_hash(representative.pk, codes["employer"])
    services.sign(
        representative, code=fresh, drawing=drawing(), device=Signature.Device.STAFF_DEVICE
    )
    assert Signature.objects.filter(signer=representative).exists()
