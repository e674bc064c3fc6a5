"""The public voting pages: the case number and code posted, the ballot, one vote per worker,
the same answer for a wrong code as for a missing case, and the limits on wrong tries."""

import re

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from elections import services
from elections.models import Choice, Vote
from lib.validators import mask_id_number

from ..factories import record
from .conftest import ballot, claims_of, sign_in_to_vote

pytestmark = pytest.mark.django_db

WRONG = "The case number or the code is not right"


def test_a_worker_votes_with_the_code_from_their_slip(phone, opened):
    election, codes = opened
    first, second = claims_of(election.petition)[:2]

    response = ballot(phone, election.petition.number, codes[first.name], [first, second])

    assert response.status_code == 200
    assert "your vote is recorded" in response.content.decode()
    assert Vote.objects.get().claim == first
    assert sorted(c.candidate_id for c in Choice.objects.all()) == sorted([first.pk, second.pk])


def test_the_code_may_be_typed_in_small_letters_with_the_printed_dash(phone, opened):
    election, codes = opened
    claim = claims_of(election.petition)[0]
    typed = f"{codes[claim.name][:4]}-{codes[claim.name][4:]}".lower()

    response = sign_in_to_vote(phone, f" {election.petition.number.lower()} ", typed)

    assert response.status_code == 302 and response["Location"] == "/vote/ballot/"


def test_the_ballot_lists_the_workers_with_masked_id_numbers_and_no_phones(phone, opened):
    election, codes = opened
    claims = claims_of(election.petition)
    sign_in_to_vote(phone, election.petition.number, codes[claims[0].name])

    page = phone.get("/vote/ballot/").content.decode()

    for claim in claims:
        assert claim.name in page
        assert mask_id_number(claim.worker.id_number) in page
        assert claim.worker.id_number not in page
    assert claims[0].phone not in page


def test_the_choice_is_confirmed_before_it_counts(phone, opened):
    election, codes = opened
    claim = claims_of(election.petition)[0]
    sign_in_to_vote(phone, election.petition.number, codes[claim.name])

    response = phone.post("/vote/ballot/", {"candidates": [claim.pk]})

    assert "Confirm my vote" in response.content.decode()
    assert not Vote.objects.exists()


def test_more_names_than_seats_are_refused_and_nothing_is_counted(phone, opened):
    election, codes = opened
    claims = claims_of(election.petition)
    sign_in_to_vote(phone, election.petition.number, codes[claims[0].name])

    response = phone.post(
        "/vote/ballot/", {"candidates": [c.pk for c in claims[:4]], "confirm": "1"}
    )

    assert response.status_code == 400
    assert "Choose 1 to 3 people." in response.content.decode()
    assert not Vote.objects.exists() and not Choice.objects.exists()


def test_a_worker_of_another_petition_is_not_a_candidate(phone, opened, clerk, enterprise):
    election, codes = opened
    stranger = record(clerk, enterprise, workers=1).claims.get()
    claim = claims_of(election.petition)[0]
    sign_in_to_vote(phone, election.petition.number, codes[claim.name])

    response = phone.post("/vote/ballot/", {"candidates": [stranger.pk], "confirm": "1"})

    assert response.status_code == 400
    assert not Vote.objects.exists()


def test_a_second_vote_of_the_same_worker_is_refused(phone, opened):
    election, codes = opened
    first, second = claims_of(election.petition)[:2]
    ballot(phone, election.petition.number, codes[first.name], [first])

    response = ballot(phone, election.petition.number, codes[first.name], [second])

    assert response.status_code == 409
    assert "already voted" in response.content.decode()
    assert Vote.objects.count() == 1 and Choice.objects.get().candidate == first


def test_the_database_holds_one_vote_per_worker_and_election(opened):
    election, _codes = opened
    claim = claims_of(election.petition)[0]
    Vote.objects.create(election=election, claim=claim, cast_at=timezone.now())

    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(election=election, claim=claim, cast_at=timezone.now())


def test_a_wrong_code_gets_the_same_answer_as_a_case_that_does_not_exist(phone, opened):
    election, _codes = opened

    wrong_code = sign_in_to_vote(phone, election.petition.number, "ABCDEFGH")
    no_case = sign_in_to_vote(phone, "JS-2099-999999", "ABCDEFGH")

    assert wrong_code.status_code == no_case.status_code == 400
    body = wrong_code.content.decode().replace(election.petition.number, "JS-2099-999999")
    assert WRONG in body and WRONG in no_case.content.decode()
    assert _without_tokens(body) == _without_tokens(no_case.content.decode())


def _without_tokens(page):
    """The page with its CSRF tokens taken out (they differ between any two answers)."""
    return re.sub(r'value="[A-Za-z0-9]{64}"', "", page)


def test_the_code_is_never_in_the_address(phone, opened):
    election, codes = opened
    claim = claims_of(election.petition)[0]

    response = sign_in_to_vote(phone, election.petition.number, codes[claim.name])

    assert codes[claim.name] not in response["Location"]


def test_a_code_in_the_address_does_not_open_the_ballot(phone, opened):
    election, codes = opened
    claim = claims_of(election.petition)[0]

    phone.get("/vote/", {"number": election.petition.number, "code": codes[claim.name]})

    assert phone.get("/vote/ballot/")["Location"] == "/vote/"


def test_a_code_of_a_closed_election_gets_the_same_answer(phone, opened, liaison):
    election, codes = opened
    claim = claims_of(election.petition)[0]
    services.close_election(election, actor=liaison)

    response = sign_in_to_vote(phone, election.petition.number, codes[claim.name])

    assert response.status_code == 400 and WRONG in response.content.decode()


def test_wrong_tries_from_one_address_are_limited(phone, opened, settings):
    settings.CASEWORK = {**settings.CASEWORK, "VOTE_FAILURES_PER_IP": 3}
    election, codes = opened
    claim = claims_of(election.petition)[0]
    for n in range(3):
        sign_in_to_vote(phone, f"JS-2099-00000{n}", "ABCDEFGH")

    response = sign_in_to_vote(phone, election.petition.number, codes[claim.name])

    assert response.status_code == 429
    assert "Too many wrong tries" in response.content.decode()
    other_address = sign_in_to_vote(
        phone, election.petition.number, codes[claim.name], REMOTE_ADDR="10.0.0.9"
    )
    assert other_address.status_code == 302


def test_wrong_tries_on_one_case_number_are_limited_from_any_address(phone, opened, settings):
    settings.CASEWORK = {**settings.CASEWORK, "VOTE_FAILURES_PER_CASE": 3}
    election, codes = opened
    number = election.petition.number
    for n in range(3):
        sign_in_to_vote(phone, number, "ABCDEFGH", REMOTE_ADDR=f"10.0.0.{n}")

    claim = claims_of(election.petition)[0]
    response = sign_in_to_vote(phone, number, codes[claim.name], REMOTE_ADDR="10.0.1.1")

    assert response.status_code == 429


def test_a_case_that_does_not_exist_is_limited_the_same_way(phone, settings, db):
    settings.CASEWORK = {**settings.CASEWORK, "VOTE_FAILURES_PER_CASE": 2}
    for n in range(2):
        sign_in_to_vote(phone, "JS-2099-999999", "ABCDEFGH", REMOTE_ADDR=f"10.0.0.{n}")

    response = sign_in_to_vote(phone, "JS-2099-999999", "ABCDEFGH", REMOTE_ADDR="10.0.1.1")

    assert response.status_code == 429


def test_the_ballot_without_a_code_sends_the_worker_back_to_the_start(phone, db):
    assert phone.get("/vote/ballot/")["Location"] == "/vote/"


def test_an_empty_form_is_refused_beside_its_fields(phone, db):
    response = phone.post("/vote/", {})

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"number", "code"}
