"""The Documents card on the case page, the download, and the staff's forms."""

import pytest
from django.urls import reverse

from documents import services
from documents.models import Document

from ..factories import step
from .conftest import content, issue


@pytest.fixture
def accepted(petition, clerk):
    step(petition, "accept", clerk)
    issue(petition)
    return petition


def _page(client, petition):
    return client.get(reverse("casework:petition-detail", args=[petition.pk]))


def test_the_case_page_lists_the_documents_with_their_delivery(accepted, login, mediator):
    response = _page(login(mediator), accepted)
    assert 'id="documents"' in response.text
    for document in accepted.documents.all():
        assert document.title in response.text
        assert reverse("documents:download", args=[document.pk]) in response.text
    assert "To be delivered on paper" in response.text


def test_staff_download_the_sealed_pdf(accepted, login, auditor):
    document = accepted.documents.first()
    response = login(auditor).get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == content(document)


def test_another_zones_document_answers_as_a_missing_one(accepted, login, outsider):
    client = login(outsider)
    document = accepted.documents.first()
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 404
    assert client.get(reverse("documents:download", args=[999999])).status_code == 404


def test_a_document_not_yet_ready_is_not_downloaded(petition, clerk, login, mediator):
    step(petition, "accept", clerk)
    document = petition.documents.first()
    response = login(mediator).get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 404


def test_staff_record_consent_by_phone(accepted, login, clerk):
    claim = accepted.claims.first()
    response = login(clerk).post(
        reverse("documents:consent", args=[accepted.pk]), {"claim": claim.pk, "channel": "phone"}
    )
    assert response.status_code == 302
    assert services.has_consent(claim)
    assert claim.consents.get().recorded_by == clerk


def test_consent_for_a_worker_of_another_petition_is_a_form_error(
    accepted, petition_a2, login, clerk
):
    other = petition_a2.claims.first()
    response = login(clerk).post(
        reverse("documents:consent", args=[accepted.pk]), {"claim": other.pk, "channel": "phone"}
    )
    assert response.status_code == 400
    assert not services.has_consent(other)


def test_staff_record_a_paper_delivery(accepted, login, clerk):
    claim = accepted.claims.first()
    response = login(clerk).post(
        reverse("documents:paper-delivery", args=[accepted.pk]),
        {
            "document": claim.documents.get().pk,
            "claim": claim.pk,
            "delivered_on": "2026-01-05",
            "how": "Handed over at the office",
        },
    )
    assert response.status_code == 302
    assert services.documents_for(claim)[0].state == services.Served.PAPER


def test_a_paper_delivery_to_the_wrong_worker_says_why(accepted, login, clerk):
    first, second = accepted.claims.order_by("pk")[:2]
    response = login(clerk).post(
        reverse("documents:paper-delivery", args=[accepted.pk]),
        {
            "document": second.documents.get().pk,
            "claim": first.pk,
            "delivered_on": "2026-01-05",
            "how": "Post",
        },
    )
    assert response.status_code == 400
    assert "This document is not served on this worker." in response.text


def test_an_auditor_may_not_record_deliveries(accepted, login, auditor):
    claim = accepted.claims.first()
    response = login(auditor).post(
        reverse("documents:consent", args=[accepted.pk]), {"claim": claim.pk, "channel": "phone"}
    )
    assert response.status_code == 403
    assert not services.has_consent(claim)


def test_a_failed_document_is_tried_again_from_the_card(petition, clerk, login):
    step(petition, "accept", clerk)
    Document.objects.filter(petition=petition).update(state=Document.State.FAILED)
    document = petition.documents.first()
    client = login(clerk)
    assert "Try again" in _page(client, petition).text
    response = client.post(reverse("documents:regenerate", args=[document.pk]))
    assert response.status_code == 302
    assert Document.objects.get(pk=document.pk).state == Document.State.PENDING
    again = client.post(reverse("documents:regenerate", args=[document.pk]))
    assert again.status_code == 409
