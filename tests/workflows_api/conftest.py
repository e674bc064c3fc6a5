"""Personas from tests/conftest.py, plus a second mediator of grid A1 and one of grid A2."""

import pytest

from casework.models import Role
from tests.clock import clock, fresh_calendar  # noqa: F401 - due dates on a moved clock
from tests.factories import EnterpriseFactory, record, user_with_role


@pytest.fixture
def colleague(org):
    """Another mediator of grid A1."""
    return user_with_role(Role.MEDIATOR, org["grid_a1"], username="colleague")


@pytest.fixture
def mediator_a2(org):
    return user_with_role(Role.MEDIATOR, org["grid_a2"], username="mediator_a2")


@pytest.fixture
def petition_a2(clerk, org):
    """A petition of grid A2, which the mediator of grid A1 does not serve."""
    return record(clerk, EnterpriseFactory(name="Qiantang Machinery", grid_area=org["grid_a2"]))
