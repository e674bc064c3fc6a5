"""The task pages' browser and a few petitions at known places in the flow."""

import pytest

from casework.models import Role
from tests.factories import EnterpriseFactory, record, step, user_with_role
from workflows import services as workflow


@pytest.fixture
def login(client):
    """login(user) -> the test client, logged in as `user`, asking for English pages."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def colleague(org):
    """A second mediator of grid A1."""
    return user_with_role(Role.MEDIATOR, org["grid_a1"], username="colleague")


@pytest.fixture
def a2_petition(clerk, org):
    """A petition of grid A2, outside the mediator's grid area."""
    return record(clerk, EnterpriseFactory(name="Hongda Shoes", grid_area=org["grid_a2"]))


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
