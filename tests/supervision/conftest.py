"""A petition of grid A1 (zone A) and the people around it: the zone's supervisor (`supervisor`)
and the federation's supervisor and committee liaison issue orders; the grid's mediator
answers them. Time stands on Monday 2 March 2026, 10:00, unless a test moves it."""

import datetime

import pytest

from casework.models import Role
from supervision import services

from ..clock import clock, fresh_calendar, local  # noqa: F401 - moving time; each test's calendar
from ..factories import user_with_role

MONDAY = local(2026, 3, 2, 10)
DUE = datetime.date(2026, 3, 13)  # the Friday of the next week


@pytest.fixture(autouse=True)
def monday(request):
    return request.getfixturevalue("clock")(MONDAY)


@pytest.fixture
def fed_supervisor(org):
    return user_with_role(Role.SUPERVISOR, org["federation"], username="fed-supervisor")


@pytest.fixture
def fed_liaison(org):
    return user_with_role(Role.COMMITTEE_LIAISON, org["federation"], username="fed-liaison")


@pytest.fixture
def order(petition, supervisor, org):
    """The zone's order on the grid's petition, due on DUE."""
    return services.issue_order(
        petition,
        actor=supervisor,
        issuing_unit=org["zone_a"],
        requirement="Meet the employer and report the payroll.",
        due_on=DUE,
    )


def issue_body(unit, **overrides):
    body = {
        "issuing_unit": unit.pk,
        "requirement": "Verify the hours with labor inspection.",
        "due_on": "2026-03-13",
    }
    body.update(overrides)
    return body


def events(petition, name):
    return list(petition.events.filter(transition=name).order_by("pk"))
