"""Two signers at the same moment: both signatures are kept, and when they are the last two the
session closes once, with one signed PDF (SQLite and PostgreSQL)."""

import pytest

from agreements.models import Signature, SigningSession
from documents.models import Document

from ..concurrency import run_together
from .conftest import sign

pytestmark = pytest.mark.django_db(transaction=True)


def _signing(session, codes, key):
    def job(barrier):
        barrier.wait()
        sign(session, codes, key)
        return "signed"

    return job


def test_two_workers_signing_at_once_both_count(opened):
    session, codes = opened
    results = run_together(*(_signing(session, codes, k) for k in ("Li Ming", "Wang Fang")))
    assert results == ["signed", "signed"]
    assert Signature.objects.count() == 2


def test_the_last_two_signatures_at_once_close_the_session_once(opened):
    session, codes = opened
    sign(session, codes, "Li Ming")
    sign(session, codes, "Wang Fang")
    results = run_together(*(_signing(session, codes, k) for k in ("employer", "mediator")))
    assert results == ["signed", "signed"]
    session.refresh_from_db()
    assert session.state == SigningSession.State.SIGNED and session.signed_document is not None
    assert Document.objects.filter(kind=Document.Kind.SIGNED_AGREEMENT).count() == 1
    assert session.petition.events.filter(transition="agreement_signed").count() == 1
