"""One worker's vote sent twice at the same moment (two phones, or a double tap): one vote is
counted and the other submission is told so (409), on SQLite as on PostgreSQL."""

import pytest
from django.test import Client

from casework.exceptions import Conflict
from elections import services
from elections.models import Choice, Vote

from ..concurrency import run_together
from .conftest import claims_of, sign_in_to_vote

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_ballots_of_one_worker_at_once_count_once(opened):
    election, codes = opened
    claims = claims_of(election.petition)
    voter = services.find_voter(election.petition.number, codes[claims[0].name])

    def cast(chosen):
        def job(barrier):
            barrier.wait()
            try:
                services.cast_vote(voter, chosen=[chosen.pk])
                return "done"
            except Conflict:
                return "conflict"

        return job

    results = run_together(cast(claims[1]), cast(claims[2]))

    assert sorted(results) == ["conflict", "done"]
    assert Vote.objects.count() == 1 and Choice.objects.count() == 1


def test_two_confirmations_at_once_give_one_vote_and_a_409(opened):
    election, codes = opened
    claims = claims_of(election.petition)
    phones = [Client(HTTP_ACCEPT_LANGUAGE="en") for _ in range(2)]
    for phone in phones:
        sign_in_to_vote(phone, election.petition.number, codes[claims[0].name])

    def confirm(phone, chosen):
        def job(barrier):
            barrier.wait()
            body = {"candidates": [chosen.pk], "confirm": "1"}
            return phone.post("/vote/ballot/", body).status_code

        return job

    results = run_together(confirm(phones[0], claims[1]), confirm(phones[1], claims[2]))

    assert sorted(results) == [200, 409]
    assert Vote.objects.count() == 1 and Choice.objects.count() == 1
