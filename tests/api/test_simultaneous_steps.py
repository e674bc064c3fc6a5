"""People taking the same step at the same moment through a running server: one wins, the
others are told 409, on SQLite (immediate transactions) as on PostgreSQL. The SQLite test
database is a file, so each request thread has its own connection, as under `make run`."""

import json
import urllib.error
import urllib.request

import pytest
from rest_framework.authtoken.models import Token

from casework.models import Petition

from ..concurrency import run_together
from .helpers import transition_url

pytestmark = pytest.mark.django_db(transaction=True)


def accept(url, token):
    request = urllib.request.Request(
        url,
        data=json.dumps({"expected_status": "received"}).encode(),
        method="POST",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )

    def job(barrier):
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as err:
            return err.code

    return job


def test_eight_simultaneous_accepts_give_one_200_and_seven_409s(live_server, supervisor, petition):
    token = Token.objects.create(user=supervisor).key
    url = live_server.url + transition_url(petition, "accept")

    statuses = run_together(*[accept(url, token)] * 8)

    assert sorted(statuses) == [200] + [409] * 7
    assert Petition.objects.get(pk=petition.pk).status == "accepted"
    assert list(petition.events.values_list("transition", flat=True)) == [
        "receive",
        "tier_set",
        "accept",
    ]
