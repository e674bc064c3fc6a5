"""Referring a petition to a department of its zone, recording the department's reply, and the
reminder of an unanswered referral to its sender, once per period."""

import datetime

import pytest

from casework.events import EventName
from departments import services
from departments.models import Referral
from notifications.models import Notification

from .conftest import local, refer, reply

pytestmark = pytest.mark.django_db


def events(petition, name):
    return list(petition.events.filter(transition=name))


def test_a_mediator_refers_the_petition_to_a_department(login, mediator, petition, inspection):
    response = login(mediator).post(
        f"/departments/petitions/{petition.pk}/refer/",
        {"department": inspection.pk, "sent_what": "Payroll copies; please inspect."},
    )

    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.department, referral.state, referral.sent_by) == (
        inspection,
        Referral.State.SENT,
        mediator,
    )
    [event] = events(petition, EventName.REFERRAL_SENT)
    assert event.data["department"] == inspection.name
    page = login(mediator).get(f"/petitions/{petition.pk}/").content.decode()
    assert "Payroll copies; please inspect." in page and "Awaiting reply" in page


def test_another_zones_department_is_refused_beside_the_field(login, mediator, petition, court_b):
    response = login(mediator).post(
        f"/departments/petitions/{petition.pk}/refer/",
        {"department": court_b.pk, "sent_what": "Please freeze the assets."},
    )

    assert response.status_code == 400
    assert "department" in response.context["form"].errors
    assert not Referral.objects.exists()


def test_what_was_sent_is_required(login, mediator, petition, inspection):
    response = login(mediator).post(
        f"/departments/petitions/{petition.pk}/refer/", {"department": inspection.pk}
    )

    assert response.status_code == 400
    assert "sent_what" in response.context["form"].errors
    assert not events(petition, EventName.REFERRAL_SENT)


def test_an_arbitration_referral_needs_the_day_the_worker_knew(
    login, mediator, petition, arbitration
):
    response = login(mediator).post(
        f"/departments/petitions/{petition.pk}/refer/",
        {"department": arbitration.pk, "sent_what": "Application for arbitration."},
    )

    assert response.status_code == 400
    assert "known_on" in response.context["form"].errors


def test_an_intake_clerk_may_not_refer(login, clerk, petition):
    assert login(clerk).get(f"/departments/petitions/{petition.pk}/refer/").status_code == 403


def test_another_zone_finds_neither_the_petition_nor_its_referral(
    login, outsider, mediator, petition, inspection
):
    referral = refer(petition, mediator, inspection)
    client = login(outsider)

    assert client.get(f"/departments/petitions/{petition.pk}/refer/").status_code == 404
    assert client.get(f"/departments/referrals/{referral.pk}/reply/").status_code == 404
    body = {"reference": "X-1"}
    assert client.post(f"/departments/referrals/{referral.pk}/reference/", body).status_code == 404


def test_their_reference_number_is_added_later(login, mediator, petition, inspection):
    referral = refer(petition, mediator, inspection)

    response = login(mediator).post(
        f"/departments/referrals/{referral.pk}/reference/", {"reference": "JC-2026-031"}
    )

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.reference == "JC-2026-031"
    assert events(petition, EventName.REFERRAL_SENT)[-1].data["reference"] == "JC-2026-031"


def test_the_reply_is_recorded_on_the_case(login, mediator, petition, inspection):
    referral = refer(petition, mediator, inspection)

    response = login(mediator).post(
        f"/departments/referrals/{referral.pk}/reply/",
        {
            "decision": "accepted",
            "replied_on": datetime.date.today().isoformat(),
            "result": "Inspection scheduled for Monday.",
        },
    )

    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.state, referral.result) == (
        Referral.State.ACCEPTED,
        "Inspection scheduled for Monday.",
    )
    [event] = events(petition, EventName.REFERRAL_ANSWERED)
    assert event.data["decision"] == "accepted"
    page = login(mediator).get(f"/petitions/{petition.pk}/").content.decode()
    assert "Inspection scheduled for Monday." in page


def test_a_reply_dated_in_the_future_is_refused_beside_the_date(
    login, mediator, petition, inspection
):
    referral = refer(petition, mediator, inspection)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)

    response = login(mediator).post(
        f"/departments/referrals/{referral.pk}/reply/",
        {"decision": "declined", "replied_on": tomorrow.isoformat(), "result": "Not ours."},
    )

    assert response.status_code == 400
    assert "replied_on" in response.context["form"].errors
    referral.refresh_from_db()
    assert referral.state == Referral.State.SENT


def test_a_second_reply_is_a_conflict(login, mediator, colleague, petition, inspection):
    referral = refer(petition, mediator, inspection)
    reply(referral, mediator)

    response = login(colleague).post(
        f"/departments/referrals/{referral.pk}/reply/",
        {"decision": "declined", "replied_on": datetime.date.today().isoformat(), "result": "No"},
    )

    assert response.status_code == 409
    referral.refresh_from_db()
    assert referral.state == Referral.State.ACCEPTED
    assert len(events(petition, EventName.REFERRAL_ANSWERED)) == 1


def test_the_sender_is_told_when_someone_else_records_the_reply(
    mediator, colleague, petition, inspection, django_capture_on_commit_callbacks
):
    referral = refer(petition, mediator, inspection)

    with django_capture_on_commit_callbacks(execute=True):
        reply(referral, colleague)

    [note] = Notification.objects.filter(recipient=mediator)
    assert inspection.name in note.text and petition.number in note.text


def test_an_unanswered_referral_reminds_its_sender_once_per_period(
    clock, mediator, petition, inspection
):
    # Monday 2026-03-02: five working days later is Monday 2026-03-09.
    clock(local(2026, 3, 2, 9))
    referral = refer(petition, mediator, inspection)

    clock(local(2026, 3, 6, 9))
    assert services.fire_due() == 0
    clock(local(2026, 3, 9, 9))
    assert services.fire_due() == 1
    assert services.fire_due() == 0
    clock(local(2026, 3, 13, 9))
    assert services.fire_due() == 0
    clock(local(2026, 3, 16, 9))
    assert services.fire_due() == 1

    assert len(events(petition, EventName.REFERRAL_REMINDER)) == 2
    assert Notification.objects.filter(recipient=mediator, data__referral=referral.pk).count() == 2


def test_an_answered_referral_reminds_nobody(clock, mediator, petition, inspection):
    clock(local(2026, 3, 2, 9))
    referral = refer(petition, mediator, inspection)
    reply(referral, mediator)

    clock(local(2026, 3, 20, 9))

    assert services.fire_due() == 0
    assert not events(petition, EventName.REFERRAL_REMINDER)


def test_the_reminder_period_is_a_setting(settings, clock, mediator, petition, inspection):
    settings.CASEWORK = {**settings.CASEWORK, "REFERRAL_REMINDER_WORKING_DAYS": 2}
    clock(local(2026, 3, 2, 9))
    refer(petition, mediator, inspection)

    clock(local(2026, 3, 4, 9))

    assert services.fire_due() == 1
