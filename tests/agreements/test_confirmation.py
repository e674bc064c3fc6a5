"""Judicial confirmation: the packet for the court within JUDICIAL_CONFIRMATION_DAYS of the
agreement taking effect (its last signature), refused after with the reason; the ruling
recorded once, on the timeline; a confirmed agreement is enforceable, the worker is told."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from agreements import services
from agreements.models import JudicialConfirmation
from casework.exceptions import Conflict, TransitionRefused
from documents import seal
from documents.models import Document
from lib.validators import mask_id_number

from ..clock import local
from ..documents.conftest import content, pdf_text
from .conftest import REPRESENTATIVE, sign_all

COURT = "Lanxi People's Court"


@pytest.fixture
def signed(opened, clock):
    clock(local(2026, 1, 5, 15, 0))
    return sign_all(*opened)


def test_the_window_runs_thirty_days_from_the_last_signature(signed, settings):
    window = services.window(signed)
    assert window.effective_on == datetime.date(2026, 1, 5)
    assert settings.CASEWORK["JUDICIAL_CONFIRMATION_DAYS"] == 30
    assert window.last_day == datetime.date(2026, 2, 4)


def test_the_packet_holds_form_agreement_and_masked_identities(signed, mediator):
    confirmation = services.prepare_application(signed, actor=mediator, court=COURT)
    packet = confirmation.application
    assert packet.kind == Document.Kind.JUDICIAL_APPLICATION
    data = content(packet)
    assert seal.verify(data).intact
    text = pdf_text(data)
    for heading in ("司法确认申请书", "调解协议书", "当事人身份证明材料清单", "第三十三条"):
        assert heading in text
    assert COURT in text and REPRESENTATIVE in text and "¥7,500.00" in text
    for claim in signed.petition.claims.select_related("worker"):
        assert mask_id_number(claim.worker.id_number) in text
        assert claim.worker.id_number not in text
    event = signed.petition.events.get(transition="judicial_application")
    assert event.data["court"] == COURT and event.data["sha256"] == packet.sha256


def test_the_last_day_still_allows_the_application(signed, mediator, clock):
    clock(local(2026, 2, 4, 17, 0))
    assert services.prepare_application(signed, actor=mediator, court=COURT).court == COURT


def test_after_the_window_the_application_is_refused_with_the_reason(signed, mediator, clock):
    clock(local(2026, 2, 5, 9, 0))
    with pytest.raises(TransitionRefused, match="until 2026-02-04, within 30 days"):
        services.prepare_application(signed, actor=mediator, court=COURT)
    assert not JudicialConfirmation.objects.exists()


def test_an_unsigned_agreement_cannot_be_confirmed(opened, mediator):
    session, _codes = opened
    with pytest.raises(TransitionRefused):
        services.prepare_application(session, actor=mediator, court=COURT)


def test_the_ruling_is_recorded_on_the_timeline(signed, mediator, clock):
    confirmation = services.prepare_application(signed, actor=mediator, court=COURT)
    clock(local(2026, 1, 20, 10, 0))
    services.record_ruling(
        confirmation,
        actor=mediator,
        ruling="confirmed",
        number="(2026) 浙0781民特12号",
        ruled_on=datetime.date(2026, 1, 19),
        note="Confirmed in full.",
    )
    confirmation.refresh_from_db()
    assert confirmation.confirmed
    event = signed.petition.events.get(transition="judicial_ruling")
    assert event.data == {
        "court": COURT,
        "ruling": "confirmed",
        "ruling_number": "(2026) 浙0781民特12号",
        "ruled_on": "2026-01-19",
    }
    assert event.reason == "Confirmed in full."


def test_the_ruling_is_recorded_once(signed, mediator):
    confirmation = services.prepare_application(signed, actor=mediator, court=COURT)
    ruling = {"actor": mediator, "number": "12", "ruled_on": datetime.date(2026, 1, 5)}
    services.record_ruling(confirmation, ruling="not_confirmed", **ruling)
    with pytest.raises(Conflict):
        services.record_ruling(confirmation, ruling="confirmed", **ruling)
    with pytest.raises(Conflict):
        services.prepare_application(signed, actor=mediator, court=COURT)


def test_a_ruling_dated_in_the_future_is_refused(signed, mediator):
    confirmation = services.prepare_application(signed, actor=mediator, court=COURT)
    with pytest.raises(ValidationError) as refused:
        services.record_ruling(
            confirmation,
            actor=mediator,
            ruling="confirmed",
            number="12",
            ruled_on=datetime.date(2026, 3, 1),
        )
    assert "ruled_on" in refused.value.message_dict


def test_the_case_page_warns_when_the_last_day_is_near(signed, login, mediator, clock):
    clock(local(2026, 1, 31, 9, 0))
    page = login(mediator).get(f"/petitions/{signed.petition_id}/")
    assert "The parties may apply to the court until 2026-02-04." in page.text
    assert "4 days left." in page.text


def test_the_case_page_says_when_the_window_has_passed(signed, login, mediator, clock):
    clock(local(2026, 2, 10, 9, 0))
    page = login(mediator).get(f"/petitions/{signed.petition_id}/")
    assert "That time has passed." in page.text
    assert "Prepare the application" not in page.text
