"""A worker's documents on their look-up page: listed always, opened only with their consent to
electronic delivery, the first opening recorded as the delivery receipt."""

import pytest

from documents.models import Delivery, Document
from tests.factories import step

from ..documents.conftest import issue
from .conftest import look_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(petition, clerk):
    """Li Ming's acceptance notice, issued and sealed."""
    step(petition, "accept", clerk)
    issue(petition)
    return Document.objects.get(claim__name="Li Ming", kind=Document.Kind.ACCEPTANCE)


def opened(client, petition):
    look_up(client, petition.number, "13900000001")
    return client.get("/portal/case/").content.decode()


def test_the_worker_sees_their_own_notice_but_not_a_co_workers(client, petition, notice):
    page = opened(client, petition)
    assert notice.title in page
    assert "Wang Fang" not in page
    assert "To be delivered on paper" in page
    assert f"/documents/{notice.pk}/" not in page  # no link before consent


def test_without_consent_the_document_does_not_open(client, petition, notice):
    look_up(client, petition.number, "13900000001")
    url = f"/portal/case/{notice.claim_id}/documents/{notice.pk}/"
    assert client.get(url).status_code == 403
    assert not Delivery.objects.exists()


def test_consent_then_opening_records_the_receipt_once(client, petition, notice):
    look_up(client, petition.number, "13900000001")
    client.post("/portal/case/consent/", {"claim": notice.claim_id, "give": "1"})
    url = f"/portal/case/{notice.claim_id}/documents/{notice.pk}/"
    first = client.get(url)
    client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert first.content.startswith(b"%PDF")
    delivery = Delivery.objects.get()
    assert (delivery.claim_id, delivery.method) == (notice.claim_id, Delivery.Method.ELECTRONIC)
    assert petition.events.filter(transition="document_opened").count() == 1
    assert "Opened online" in client.get("/portal/case/").content.decode()


def test_a_co_workers_document_is_not_found(client, petition, notice):
    wang = petition.claims.get(name="Wang Fang")
    theirs = Document.objects.get(claim=wang, kind=Document.Kind.ACCEPTANCE)
    look_up(client, petition.number, "13900000001")
    client.post("/portal/case/consent/", {"claim": notice.claim_id, "give": "1"})
    through_own = f"/portal/case/{notice.claim_id}/documents/{theirs.pk}/"
    through_theirs = f"/portal/case/{wang.pk}/documents/{theirs.pk}/"
    assert client.get(through_own).status_code == 404
    assert client.get(through_theirs).status_code == 404


def test_consent_for_a_claim_not_looked_up_is_not_found(client, petition, notice):
    wang = petition.claims.get(name="Wang Fang")
    look_up(client, petition.number, "13900000001")
    response = client.post("/portal/case/consent/", {"claim": wang.pk, "give": "1"})
    assert response.status_code == 404
    assert not wang.consents.exists()


def test_consent_can_be_withdrawn(client, petition, notice):
    look_up(client, petition.number, "13900000001")
    client.post("/portal/case/consent/", {"claim": notice.claim_id, "give": "1"})
    client.post("/portal/case/consent/", {"claim": notice.claim_id, "give": "0"})
    assert not notice.claim.consents.filter(withdrawn_at__isnull=True).exists()
    assert "To be delivered on paper" in client.get("/portal/case/").content.decode()
