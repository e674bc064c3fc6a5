"""Closing an election, at its closing time (the timer loop) or early by hand: the count on the
petition's timeline, the elected flagged as representatives in place of the earlier ones, a tie
at the last seat left to the opener; and the card on the case page."""

import datetime

import pytest
from django.utils import timezone

from casework.exceptions import Conflict, TransitionRefused
from elections import services
from escalation import services as escalation
from workflows.timers import TimerLoop

from ..factories import record
from .conftest import claims_of, vote_directly

pytestmark = pytest.mark.django_db


def _votes(election, codes, ballots):
    """ballots: [(voter index, [candidate indexes])] among the petition's claims by name."""
    claims = claims_of(election.petition)
    for voter, chosen in ballots:
        vote_directly(election, codes[claims[voter].name], [claims[i] for i in chosen])
    return claims


def _representatives(petition):
    return sorted(petition.claims.filter(is_representative=True).values_list("pk", flat=True))


def test_the_timer_loop_closes_an_election_at_its_closing_time(opened, time_machine):
    election, codes = opened
    claims = _votes(election, codes, [(0, [0, 1, 2]), (1, [0, 1, 3]), (2, [0, 2])])
    time_machine.move_to(election.closes_at + datetime.timedelta(minutes=1))

    TimerLoop(interval=0).sweep()

    election.refresh_from_db()
    assert election.closed_at is not None and election.closed_by is None
    assert _representatives(election.petition) == sorted(c.pk for c in claims[:3])


def test_the_timer_leaves_an_election_before_its_closing_time(opened):
    election, _codes = opened

    assert services.close_due() == 0
    election.refresh_from_db()
    assert election.is_open


def test_no_vote_is_taken_after_the_closing_time(opened, time_machine):
    election, codes = opened
    claim = claims_of(election.petition)[0]
    voter = services.find_voter(election.petition.number, codes[claim.name])
    time_machine.move_to(election.closes_at + datetime.timedelta(seconds=1))

    with pytest.raises(TransitionRefused):
        services.cast_vote(voter, chosen=[claim.pk])


def test_the_results_and_turnout_are_on_the_timeline(opened, liaison):
    election, codes = opened
    claims = _votes(election, codes, [(0, [0, 1]), (1, [0])])

    services.close_election(election, actor=liaison)

    event = election.petition.events.get(transition="election_closed")
    assert event.data["turnout"] == "2/12"
    assert event.data["elected"] == [claims[0].name, claims[1].name]
    assert event.reason == f"{claims[0].name} 2、{claims[1].name} 1"


def test_the_elected_replace_the_earlier_representatives(opened, liaison):
    election, codes = opened
    petition = election.petition
    earlier = claims_of(petition)[-1]
    petition.claims.filter(pk=earlier.pk).update(is_representative=True)
    claims = _votes(election, codes, [(0, [0, 1, 2]), (1, [0, 1, 2])])

    services.close_election(election, actor=liaison)

    assert _representatives(petition) == sorted(c.pk for c in claims[:3])


def test_with_no_vote_cast_the_representatives_stay(opened, liaison):
    election, _codes = opened
    petition = election.petition
    earlier = claims_of(petition)[-1]
    petition.claims.filter(pk=earlier.pk).update(is_representative=True)

    services.close_election(election, actor=liaison)

    assert _representatives(petition) == [earlier.pk]


def test_a_tie_at_the_last_seat_is_left_to_the_opener(opened, liaison):
    election, codes = opened
    claims = _votes(election, codes, [(0, [0, 1, 2]), (1, [0, 1, 3]), (2, [0, 1]), (3, [4])])

    result = services.close_election(election, actor=liaison)

    assert result.elected == claims[:2]
    assert result.tied == [claims[2], claims[3], claims[4]] and result.seats_left == 1
    election.refresh_from_db()
    assert election.tie_open
    assert _representatives(election.petition) == sorted(c.pk for c in claims[:2])


def test_the_opener_resolves_the_tie(opened, liaison):
    election, codes = opened
    claims = _votes(election, codes, [(0, [0, 1]), (1, [0, 2]), (2, [3])])
    services.close_election(election, actor=liaison)

    services.resolve_tie(election, actor=liaison, chosen=[claims[2].pk, claims[1].pk])

    election.refresh_from_db()
    assert not election.tie_open
    assert _representatives(election.petition) == sorted(c.pk for c in claims[:3])
    assert election.petition.events.filter(transition="election_tie_resolved").exists()


def test_a_choice_outside_the_tie_is_refused(login, opened, liaison):
    election, codes = opened
    claims = _votes(election, codes, [(0, [0, 1]), (1, [0, 2]), (2, [3])])
    services.close_election(election, actor=liaison)

    response = login(liaison).post(
        f"/elections/{election.pk}/resolve/", {"chosen": [claims[1].pk, claims[5].pk]}
    )

    assert response.status_code == 400
    election.refresh_from_db()
    assert election.tie_open


def test_the_opener_closes_early_from_the_case_page(login, opened, liaison):
    election, _codes = opened

    response = login(liaison).post(f"/elections/{election.pk}/close/")

    assert response.status_code == 302
    election.refresh_from_db()
    assert election.closed_by == liaison


def test_closing_twice_is_a_conflict(login, opened, liaison):
    election, _codes = opened
    services.close_election(election, actor=liaison)

    with pytest.raises(Conflict):
        services.close_election(election, actor=liaison)
    assert login(liaison).post(f"/elections/{election.pk}/close/").status_code == 409


def test_a_clerk_may_not_close_an_election(login, clerk, opened):
    election, _codes = opened

    assert login(clerk).post(f"/elections/{election.pk}/close/").status_code == 403


@pytest.mark.parametrize("action", ["close", "resolve", "reissue"])
def test_staff_of_another_zone_get_not_found(login, outsider, opened, action):
    election, _codes = opened

    assert login(outsider).post(f"/elections/{election.pk}/{action}/").status_code == 404


def test_the_case_page_shows_the_turnout_while_voting_is_open(login, auditor, opened):
    election, codes = opened
    _votes(election, codes, [(0, [0])])

    page = login(auditor).get(f"/petitions/{election.petition.pk}/").content.decode()

    assert "1 of 12 workers have voted." in page
    assert "Close the election now" not in page  # an auditor reads, never acts


def test_the_case_page_shows_the_results_after(login, mediator, opened, liaison):
    election, codes = opened
    claims = _votes(election, codes, [(0, [0, 1]), (1, [0])])
    services.close_election(election, actor=liaison)

    page = login(mediator).get(f"/petitions/{election.petition.pk}/").content.decode()

    assert 'id="election-results"' in page
    assert claims[0].name in page and "2 of 12 workers voted." in page
    assert "Open an election" in page  # a new one may follow


def test_the_card_offers_an_election_on_a_group_petition_only(login, liaison, group, clerk):
    small = record(clerk, group.enterprise, workers=2)

    assert "Open an election" in login(liaison).get(f"/petitions/{group.pk}/").content.decode()
    assert 'id="election"' not in login(liaison).get(f"/petitions/{small.pk}/").content.decode()


def test_the_liaisons_manual_choice_still_replaces_the_elected(opened, liaison):
    """For a group without phones the committee liaison names the representatives by hand."""
    election, codes = opened
    claims = _votes(election, codes, [(0, [0])])
    services.close_election(election, actor=liaison)
    esc = election.petition.escalation
    escalation.acknowledge_escalation(esc, actor=liaison)
    escalation.record_coordination(
        esc,
        actor=liaison,
        held_on=timezone.localdate(),
        departments=["human_resources"],
        decisions="Advance wages.",
    )
    escalation.form_task_force(
        esc, actor=liaison, members=[{"name": "Xu", "organization": "Zone", "position": "leader"}]
    )

    escalation.elect_representatives(esc, actor=liaison, claims=claims[5:7])

    assert _representatives(election.petition) == sorted(c.pk for c in claims[5:7])


def test_the_default_closing_time_is_in_the_future(db):
    assert services.default_closing() > timezone.now()
