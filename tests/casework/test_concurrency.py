"""Two people acting on one case at the same moment, on PostgreSQL: one wins, the other is told,
nothing is lost. (SQLite serializes writers, so these run on PostgreSQL only.)"""

import pytest
from django.db import connection

from casework import services
from casework.models import Petition

from ..concurrency import run_together
from ..factories import record, step

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks")


def fire(pk, name, actor, **kwargs):
    def job(barrier):
        petition = Petition.objects.get(pk=pk)  # both read the case as "received"
        barrier.wait()
        return step(petition, name, actor, **kwargs)

    return job


def test_two_concurrent_steps_one_wins_one_conflicts(petition, supervisor, mediator):
    results = run_together(
        fire(petition.pk, "accept", supervisor), fire(petition.pk, "reject", mediator)
    )

    conflicts = [r for r in results if isinstance(r, services.Conflict)]
    winners = [r for r in results if not isinstance(r, Exception)]
    assert len(conflicts) == 1 and len(winners) == 1, results
    petition.refresh_from_db()
    assert petition.status == winners[0].to_status
    assert list(petition.events.values_list("transition", flat=True)) == [
        "receive",
        winners[0].transition,
    ]


def test_concurrent_intakes_get_distinct_consecutive_numbers(clerk, enterprise):
    def job(barrier):
        barrier.wait()
        return record(clerk, enterprise).number

    numbers = run_together(*[job] * 4)

    assert all(isinstance(n, str) for n in numbers), numbers
    assert sorted(n[-6:] for n in numbers) == ["000001", "000002", "000003", "000004"]
