"""The arbitration committee's clocks: the award 45 days after it accepts the application,
extendable once by 15 (Art. 43), a period ending on a day off ending on the next working day;
the one-year limitation (Art. 27) warned of once, 30 days before it runs out. 2027 is counted on
the provisional calendar (weekends and statutory holidays): its Spring Festival runs from 5 to
10 February."""

import datetime

import pytest

from casework.events import EventName
from casework.exceptions import Conflict, TransitionRefused
from departments import services
from notifications.models import Notification

from ..notifications.conftest import reads_english
from .conftest import local, refer, reply

pytestmark = pytest.mark.django_db

ACCEPTED_ON = datetime.date(2026, 12, 22)  # + 45 days = Friday 5 February 2027, New Year's Eve


@pytest.fixture
def accepted(clock, mediator, petition, arbitration):
    clock(local(2026, 12, 21, 10))
    referral = refer(petition, mediator, arbitration, known_on=datetime.date(2026, 11, 1))
    clock(local(2026, 12, 23, 10))
    return reply(referral, mediator, replied_on=ACCEPTED_ON, result="Application accepted.")


def test_the_award_due_across_the_spring_festival_is_the_next_working_day(accepted):
    due = services.award_due(accepted)

    assert (due.day, due.provisional) == (datetime.date(2027, 2, 11), 2027)


def test_accepting_the_application_puts_the_award_due_on_the_timeline(accepted):
    [event] = accepted.petition.events.filter(transition=EventName.ARBITRATION_FILED)

    assert event.data == {"accepted_on": "2026-12-22", "due": "2027-02-11"}


def test_the_case_page_marks_the_due_date_provisional(login, mediator, accepted):
    page = login(mediator).get(f"/petitions/{accepted.petition_id}/").content.decode()

    assert "Award due by" in page and "2027-02-11" in page
    assert "badge-provisional" in page


def test_the_extension_adds_fifteen_days(login, mediator, accepted):
    response = login(mediator).post(
        f"/departments/referrals/{accepted.pk}/extend/", {"reason": "Forty workers to hear."}
    )

    assert response.status_code == 302
    accepted.refresh_from_db()
    # 22 December + 60 days = Saturday 20 February 2027 -> Monday 22 February.
    assert services.award_due(accepted).day == datetime.date(2027, 2, 22)
    [event] = accepted.petition.events.filter(transition=EventName.ARBITRATION_EXTENDED)
    assert (event.reason, event.data["due"]) == ("Forty workers to hear.", "2027-02-22")


def test_the_period_is_extended_only_once(mediator, accepted):
    services.extend_arbitration(accepted, actor=mediator, reason="Complex.")

    with pytest.raises(Conflict):
        services.extend_arbitration(accepted, actor=mediator, reason="Again.")


def test_an_extension_without_a_reason_is_refused_beside_it(login, mediator, accepted):
    response = login(mediator).post(f"/departments/referrals/{accepted.pk}/extend/", {})

    assert response.status_code == 400
    assert "Reason for the extension" in response.context["alert"]
    accepted.refresh_from_db()
    assert accepted.extended_at is None


def test_an_application_not_accepted_has_no_clock_to_extend(mediator, petition, arbitration):
    referral = refer(petition, mediator, arbitration, known_on=datetime.date(2026, 11, 1))

    with pytest.raises(TransitionRefused):
        services.extend_arbitration(referral, actor=mediator, reason="Complex.")


def test_the_award_is_recorded(clock, login, mediator, accepted):
    clock(local(2027, 2, 1, 10))

    response = login(mediator).post(
        f"/departments/referrals/{accepted.pk}/award/",
        {"award_on": "2027-02-01", "award": "The employer pays 96,000 yuan."},
    )

    assert response.status_code == 302
    [event] = accepted.petition.events.filter(transition=EventName.ARBITRATION_DECIDED)
    assert event.reason == "The employer pays 96,000 yuan."
    with pytest.raises(Conflict):
        services.record_award(
            accepted, actor=mediator, award_on=datetime.date(2027, 2, 1), award="Twice."
        )


def test_the_limitation_runs_a_year_to_the_next_working_day(mediator, petition, arbitration):
    # 6 February 2027 is a Saturday of the Spring Festival.
    referral = refer(petition, mediator, arbitration, known_on=datetime.date(2026, 2, 6))

    end = services.limitation_end(referral)

    assert (end.day, end.provisional) == (datetime.date(2027, 2, 11), 2027)


def test_the_limitation_warning_fires_once_thirty_days_before(
    clock, mediator, petition, arbitration, django_capture_on_commit_callbacks
):
    referral = refer(petition, mediator, arbitration, known_on=datetime.date(2026, 2, 6))
    reads_english(mediator)

    clock(local(2027, 1, 11, 9))
    assert services.warn_limitations() == 0
    clock(local(2027, 1, 12, 9))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.warn_limitations() == 1
    clock(local(2027, 1, 20, 9))
    assert services.warn_limitations() == 0

    [event] = petition.events.filter(transition=EventName.LIMITATION_WARNING)
    assert event.data["limitation_ends"] == "2027-02-11"
    [note] = Notification.objects.filter(recipient=mediator, data__referral=referral.pk)
    assert "limitation" in note.text


def test_no_limitation_warning_once_the_committee_accepted(clock, mediator, petition, arbitration):
    referral = refer(petition, mediator, arbitration, known_on=datetime.date(2026, 2, 6))
    reply(referral, mediator)

    clock(local(2027, 1, 20, 9))

    assert services.warn_limitations() == 0


def test_the_warning_days_are_a_setting(settings, clock, mediator, petition, arbitration):
    settings.CASEWORK = {**settings.CASEWORK, "LIMITATION_WARNING_DAYS": 60}
    refer(petition, mediator, arbitration, known_on=datetime.date(2026, 2, 6))

    clock(local(2026, 12, 13, 9))

    assert services.warn_limitations() == 1


def test_a_referral_elsewhere_tracks_no_arbitration_clock(mediator, petition, inspection):
    referral = refer(petition, mediator, inspection, known_on=datetime.date(2026, 2, 6))
    reply(referral, mediator)

    assert services.award_due(referral) is None
    assert services.limitation_end(referral) is None


def test_an_award_dated_in_the_future_is_refused_naming_the_date(login, mediator, accepted):
    response = login(mediator).post(
        f"/departments/referrals/{accepted.pk}/award/",
        {"award_on": "2030-01-01", "award": "Pays."},
    )

    assert response.status_code == 400
    assert "Award date: A date in the future cannot have happened yet." in response.context["alert"]
    accepted.refresh_from_db()
    assert accepted.award_on is None
