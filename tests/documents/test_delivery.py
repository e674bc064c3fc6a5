"""Electronic delivery with consent, its receipt, and paper delivery without it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from documents import services
from documents.models import DeliveryConsent, Document

from ..factories import step
from .conftest import content, issue


@pytest.fixture
def accepted(petition, clerk):
    step(petition, "accept", clerk)
    issue(petition)
    return petition


def _claims(petition):
    return list(petition.claims.order_by("pk"))


def test_consent_is_recorded_once_with_its_channel(accepted):
    claim = _claims(accepted)[0]
    first = services.give_consent(claim, channel=DeliveryConsent.Channel.PORTAL)
    again = services.give_consent(claim, channel=DeliveryConsent.Channel.PORTAL)
    assert first == again and services.has_consent(claim)
    event = accepted.events.get(transition="delivery_consent")
    assert event.data == {"worker": claim.name, "channel": "portal"}


def test_a_worker_sees_their_own_notice_and_not_another_workers(accepted):
    first, second, _third = _claims(accepted)
    served = services.documents_for(first)
    assert [item.document.claim for item in served] == [first]
    assert second.documents.get() not in [item.document for item in served]


def test_without_consent_a_document_awaits_paper_delivery(accepted):
    claim = _claims(accepted)[0]
    assert services.documents_for(claim)[0].state == services.Served.AWAITING_PAPER


def test_opening_a_document_is_the_delivery_receipt(accepted):
    claim = _claims(accepted)[0]
    services.give_consent(claim, channel=DeliveryConsent.Channel.PORTAL)
    document = services.documents_for(claim)[0].document
    assert services.open_document(claim, document) == content(document)
    services.open_document(claim, document)
    assert services.documents_for(claim)[0].state == services.Served.OPENED
    receipts = accepted.events.filter(transition="document_opened")
    assert receipts.count() == 1 and receipts.get().data["document"] == document.title


def test_opening_needs_consent(accepted):
    claim = _claims(accepted)[0]
    with pytest.raises(PermissionDenied):
        services.open_document(claim, claim.documents.get())


def test_another_workers_document_does_not_open(accepted):
    first, second, _third = _claims(accepted)
    services.give_consent(first, channel=DeliveryConsent.Channel.PORTAL)
    with pytest.raises(Document.DoesNotExist):
        services.open_document(first, second.documents.get())


def test_withdrawn_consent_sends_documents_to_paper_again(accepted):
    claim = _claims(accepted)[0]
    services.give_consent(claim, channel=DeliveryConsent.Channel.PORTAL)
    assert services.withdraw_consent(claim)
    assert not services.has_consent(claim)
    assert services.documents_for(claim)[0].state == services.Served.AWAITING_PAPER


def test_paper_delivery_is_recorded_on_the_timeline(accepted, clerk):
    claim = _claims(accepted)[0]
    services.record_paper_delivery(
        claim.documents.get(), claim, actor=clerk, delivered_on=datetime.date.today(), how="Post"
    )
    assert services.documents_for(claim)[0].state == services.Served.PAPER
    event = accepted.events.get(transition="document_paper_delivery")
    assert event.actor == clerk and event.data["how"] == "Post"


def test_paper_delivery_of_a_document_not_served_on_the_worker_is_refused(accepted, clerk):
    first, second, _third = _claims(accepted)
    with pytest.raises(ValidationError):
        services.record_paper_delivery(
            second.documents.get(), first, actor=clerk, delivered_on=datetime.date.today(), how="x"
        )


def test_documents_for_all_parties_are_served_on_every_worker(accepted, mediator):
    step(accepted, "start_mediation", mediator)
    step(accepted, "fail_mediation", mediator)
    issue(accepted)
    for claim in _claims(accepted):
        kinds = [item.document.kind for item in services.documents_for(claim)]
        assert kinds == [Document.Kind.ACCEPTANCE, Document.Kind.TERMINATION]
