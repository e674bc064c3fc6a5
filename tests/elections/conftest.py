"""A group petition of twelve workers in grid A1, and an election opened on it by the zone's
committee liaison; `ballot(client, number, code, chosen)` votes through the public pages."""

import pytest

from elections import services

from ..factories import record


@pytest.fixture
def group(clerk, enterprise):
    return record(clerk, enterprise, workers=12)


@pytest.fixture
def opened(group, liaison):
    """(election, {claim name: code}) with three seats."""
    election, slips = services.open_election(group, actor=liaison, seats=3)
    return election, {claim.name: code for claim, code in slips}


def claims_of(petition):
    return list(petition.claims.order_by("name", "pk"))


def sign_in_to_vote(client, number, code, **extra):
    return client.post("/vote/", {"number": number, "code": code}, **extra)


def ballot(client, number, code, chosen, **extra):
    """Sign in with the code, choose, confirm: the last answer."""
    sign_in_to_vote(client, number, code, **extra)
    ids = [claim.pk for claim in chosen]
    client.post("/vote/ballot/", {"candidates": ids})
    return client.post("/vote/ballot/", {"candidates": ids, "confirm": "1"})


def vote_directly(election, code, chosen):
    voter = services.find_voter(election.petition.number, code)
    services.cast_vote(voter, chosen=[claim.pk for claim in chosen])


@pytest.fixture
def phone(client):
    """The worker's phone: an anonymous client asking for English pages."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
