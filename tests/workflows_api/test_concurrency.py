"""Two mediators claiming one task at the same moment through the API, on PostgreSQL: one wins,
the other is told 409. (SQLite serializes writers, so this runs on PostgreSQL only.)"""

import pytest
from rest_framework.test import APIClient

from casework.models import Role
from tests.concurrency import run_together
from tests.factories import user_with_role
from workflows import services as workflow

from .helpers import task_url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_mediators_claim_the_same_task_one_gets_409(org, petition, mediator):
    colleague = user_with_role(Role.MEDIATOR, org["grid_a1"])
    url = task_url(workflow.open_task(petition), "claim")

    def claim(actor):
        def job(barrier):
            client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
            client.force_authenticate(actor)
            barrier.wait()
            response = client.post(url, format="json")
            return response.status_code, response.json()

        return job

    results = run_together(claim(mediator), claim(colleague))

    assert sorted(code for code, _body in results) == [200, 409], results
    (winner,) = [body for code, body in results if code == 200]
    (loser,) = [body for code, body in results if code == 409]
    assert loser["error"]["code"] == "conflict"
    assert workflow.open_task(petition).owner.username == winner["owner"]
    assert petition.events.filter(transition="claim").count() == 1
