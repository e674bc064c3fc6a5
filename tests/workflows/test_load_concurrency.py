"""Two people changing one petition's tier at the same moment, and two timer loops releasing one
mediator's tasks, on PostgreSQL (SQLite serializes writers): one wins, the other is told (409)
or finds nothing left to do, and nothing is recorded twice."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from casework.exceptions import Conflict
from casework.models import Petition, Role
from workflows import absences, tiers
from workflows import services as workflow

from ..concurrency import run_together
from ..factories import record, step, user_with_role

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _attempt(act):
    def job(barrier):
        barrier.wait()
        try:
            return act()
        except Conflict:
            return "conflict"

    return job


def test_two_tier_changes_at_once_one_wins(org, clerk, supervisor, enterprise):
    second = user_with_role(Role.SUPERVISOR, org["zone_a"], username="second")
    petition = record(clerk, enterprise, workers=3)
    results = run_together(
        *(
            _attempt(
                lambda who=who, tier=tier: (
                    tiers.change_tier(
                        petition, actor=who, tier=tier, reason="Looked again.", expected="ordinary"
                    )
                    and "done"
                )
            )
            for who, tier in ((supervisor, "complex"), (second, "simple"))
        )
    )
    assert sorted(results) == ["conflict", "done"]
    assert petition.events.filter(transition="tier_changed").count() == 1
    assert Petition.objects.get(pk=petition.pk).tier in ("complex", "simple")


def test_two_timer_loops_release_a_leave_once(clerk, supervisor, mediator, enterprise):
    petition = record(clerk, enterprise, workers=3)
    step(petition, "accept", clerk)
    task = workflow.open_task(petition)
    if task.owner_id != mediator.pk:
        workflow.reassign_task(task, actor=supervisor, to_user=mediator, reason="Set up.")
    start = timezone.localdate() + datetime.timedelta(days=1)
    absences.record_absence(
        actor=supervisor, mediator=mediator, starts_on=start, ends_on=start, reason="Leave"
    )
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1), tick=False):
        results = run_together(_attempt(absences.release_due), _attempt(absences.release_due))
    assert sorted(results) == [0, 1]
    assert petition.events.filter(transition="unassign").count() == 1
