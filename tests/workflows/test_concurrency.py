"""Two mediators claiming one task at the same moment, on PostgreSQL: one wins, one is told."""

import pytest

from casework import services
from casework.models import Role
from workflows import services as workflow

from ..concurrency import run_together
from ..factories import user_with_role

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_mediators_claim_the_same_task_one_wins(org, petition, mediator):
    colleague = user_with_role(Role.MEDIATOR, org["grid_a1"])

    def claim(actor):
        def job(barrier):
            task = workflow.open_task(petition)  # both see it unassigned
            barrier.wait()
            return workflow.claim_task(task, actor=actor)

        return job

    results = run_together(claim(mediator), claim(colleague))

    conflicts = [r for r in results if isinstance(r, services.Conflict)]
    winners = [r for r in results if not isinstance(r, Exception)]
    assert len(conflicts) == 1 and len(winners) == 1, results
    assert workflow.open_task(petition).owner == winners[0].owner
    assert list(petition.events.filter(transition="claim").values_list("actor", flat=True)) == [
        winners[0].owner_id
    ]
