"""Personas from tests/conftest.py, plus a mediator of grid A2."""

import pytest

from casework.models import Role
from tests.clock import clock, fresh_calendar  # noqa: F401 - due dates on a moved clock
from tests.factories import user_with_role


@pytest.fixture
def mediator_a2(org):
    return user_with_role(Role.MEDIATOR, org["grid_a2"], username="mediator_a2")
