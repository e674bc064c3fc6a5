"""Two people acting on one case at the same moment, on PostgreSQL: one wins, the other is told,
nothing is lost. (SQLite serializes writers, so these run on PostgreSQL only.)"""

import pytest

from casework import services
from casework.models import Claim, Petition

from ..concurrency import run_together
from ..factories import EnterpriseFactory, record, step, worker_row

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


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
        "tier_set",
        winners[0].transition,
    ]


def test_concurrent_intakes_get_distinct_consecutive_numbers(clerk, enterprise):
    def job(barrier):
        barrier.wait()
        return record(clerk, enterprise).number

    numbers = run_together(*[job] * 4)

    assert all(isinstance(n, str) for n in numbers), numbers
    assert sorted(n[-6:] for n in numbers) == ["000001", "000002", "000003", "000004"]


def post_intake(api, user, enterprise, row):
    body = {
        "enterprise": enterprise.pk,
        "channel": "visit",
        "description": "Wages unpaid since March.",
        "workers": [{**row, "claimed_amount": str(row["claimed_amount"])}],
    }

    def job(barrier):
        client = api(user)
        barrier.wait()
        return client.post("/api/petitions/", body, format="json").status_code

    return job


ROUNDS = 5


def test_two_intakes_naming_the_same_new_worker_at_two_employers_both_succeed(
    api, clerk, enterprise
):
    other = EnterpriseFactory(grid_area=enterprise.grid_area)
    for _ in range(ROUNDS):
        row = worker_row()

        codes = run_together(
            post_intake(api, clerk, enterprise, row), post_intake(api, clerk, other, row)
        )

        assert codes == [201, 201]
    assert Claim.objects.count() == 2 * ROUNDS


def test_two_intakes_naming_the_same_new_worker_at_one_employer_are_one_petition_and_a_409(
    api, clerk, enterprise
):
    for _ in range(ROUNDS):
        row = worker_row()

        codes = run_together(*[post_intake(api, clerk, enterprise, row)] * 2)

        assert sorted(codes) == [201, 409]
    assert Petition.objects.count() == ROUNDS


def test_two_clerks_linking_the_same_newcomer_at_once_add_them_once(clerk, enterprise):
    petition = record(clerk, enterprise)
    newcomer = worker_row()

    def job(barrier):
        barrier.wait()
        return services.link_facts(
            Petition.objects.get(pk=petition.pk),
            actor=clerk,
            description="A colleague came too.",
            workers=[newcomer],
        )

    results = run_together(job, job)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r.data["workers_added"] for r in results) == [0, 1]
    assert petition.claims.count() == 2
