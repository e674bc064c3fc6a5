"""A petition at a known place in the flow, and its open task."""

import pytest

from tests.factories import step
from workflows import services as workflow


@pytest.fixture
def mediating(petition, mediator, supervisor):
    """The petition in mediation, its task held by the mediator."""
    step(petition, "accept", supervisor)
    task = workflow.open_task(petition)
    if task.owner != mediator:  # automatic assignment may have picked a colleague
        workflow.reassign_task(task, actor=supervisor, to_user=mediator, reason="for the test")
    step(petition, "start_mediation", mediator)
    return petition


def task_of(petition):
    return workflow.open_task(petition)
