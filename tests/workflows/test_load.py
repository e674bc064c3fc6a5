"""Assignment by weight: the lightest eligible mediator of the petition's grid is given its
mediation, where each open petition weighs its tier's weight times one more for every ten
workers; those on leave and those recused from the enterprise are left out."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import Role
from workflows import services as workflow
from workflows.flows import PetitionFlow
from workflows.models import MediatorAbsence, Recusal

from ..factories import record, step, user_with_role, worker_row

pytestmark = pytest.mark.django_db


def _rows(n):
    return [worker_row(claimed_amount=Decimal("5000.00")) for _ in range(n)]


def held_by(user, supervisor, clerk, enterprise, workers, **kwargs):
    """A petition in mediation whose open task `user` holds."""
    petition = record(clerk, enterprise, workers=_rows(workers), **kwargs)
    step(petition, "accept", clerk)
    task = workflow.open_task(petition)
    if task.owner_id != user.pk:
        workflow.reassign_task(task, actor=supervisor, to_user=user, reason="Set up.")
    return petition


def picked_for(clerk, enterprise, workers=3):
    petition = record(clerk, enterprise, workers=_rows(workers))
    step(petition, "accept", clerk)
    return workflow.open_task(petition).owner


def test_the_one_with_fewer_but_heavier_cases_is_not_picked(
    clerk, supervisor, mediator, colleague, enterprise
):
    # One complex case of twelve workers weighs 4 x 2 = 8; three ordinary ones 3 x 2 = 6.
    held_by(mediator, supervisor, clerk, enterprise, 12)
    for _ in range(3):
        held_by(colleague, supervisor, clerk, enterprise, 3)
    assert picked_for(clerk, enterprise) == colleague


def test_the_lighter_load_is_picked(clerk, supervisor, mediator, colleague, enterprise):
    held_by(mediator, supervisor, clerk, enterprise, 3)
    held_by(colleague, supervisor, clerk, enterprise, 1, owner_missing=True)  # complex: 4
    assert picked_for(clerk, enterprise) == mediator


def test_workers_add_weight_by_tens(clerk, supervisor, mediator, colleague, enterprise):
    # Both complex; 25 workers weigh 4 x 3 = 12 against 4 x 2 = 8 for 15.
    held_by(mediator, supervisor, clerk, enterprise, 25)
    held_by(colleague, supervisor, clerk, enterprise, 15)
    assert picked_for(clerk, enterprise) == colleague


def test_the_weights_are_settings(settings, clerk, supervisor, mediator, colleague, enterprise):
    weights = {**settings.CASEWORK["TIER_WEIGHTS"], "ordinary": 10}
    settings.CASEWORK = {**settings.CASEWORK, "TIER_WEIGHTS": weights}
    held_by(mediator, supervisor, clerk, enterprise, 3)  # ordinary: 10
    held_by(colleague, supervisor, clerk, enterprise, 12)  # complex, 12 workers: 8
    assert picked_for(clerk, enterprise) == colleague


def test_a_mediator_on_leave_is_not_picked(clerk, supervisor, mediator, colleague, enterprise):
    held_by(colleague, supervisor, clerk, enterprise, 12)
    today = timezone.localdate()
    MediatorAbsence.objects.create(
        user=mediator,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=3),
        reason="Annual leave",
        recorded_by=supervisor,
        released_at=timezone.now(),
    )
    assert picked_for(clerk, enterprise) == colleague


def test_a_leave_over_or_to_come_does_not_count(clerk, supervisor, mediator, colleague, enterprise):
    held_by(colleague, supervisor, clerk, enterprise, 3)
    today = timezone.localdate()
    for start, end in ((-5, -1), (1, 5)):
        MediatorAbsence.objects.create(
            user=mediator,
            starts_on=today + datetime.timedelta(days=start),
            ends_on=today + datetime.timedelta(days=end),
            reason="Leave",
            recorded_by=supervisor,
        )
    assert picked_for(clerk, enterprise) == mediator


def test_a_recused_mediator_is_not_picked(clerk, supervisor, mediator, colleague, enterprise):
    held_by(colleague, supervisor, clerk, enterprise, 12)
    Recusal.objects.create(
        mediator=mediator, enterprise=enterprise, reason="Brother-in-law", recorded_by=supervisor
    )
    assert picked_for(clerk, enterprise) == colleague


def test_nobody_eligible_leaves_the_task_in_the_queue(clerk, supervisor, mediator, enterprise):
    Recusal.objects.create(
        mediator=mediator, enterprise=enterprise, reason="Former employee", recorded_by=supervisor
    )
    assert picked_for(clerk, enterprise) is None


def _pick_queries(petition):
    activation = SimpleNamespace(process=SimpleNamespace(petition=petition))
    with CaptureQueriesContext(connection) as queries:
        PetitionFlow.instance.pick_mediator(activation)
    return len(queries.captured_queries)


def test_the_pick_costs_the_same_queries_for_more_mediators(
    org, clerk, supervisor, mediator, enterprise
):
    petition = record(clerk, enterprise, workers=_rows(3))
    held_by(mediator, supervisor, clerk, enterprise, 3)
    few = _pick_queries(petition)
    for n in range(5):
        other = user_with_role(Role.MEDIATOR, org["grid_a1"], username=f"more{n}")
        held_by(other, supervisor, clerk, enterprise, 3 + n)
    assert _pick_queries(petition) == few
