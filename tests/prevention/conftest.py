"""Zone A's enterprise "Lanxi Textile" (grid A1) with its union, the grid's mediator, and a clock
fixed on 2026-11-05: `report(**figures)` files its October report as its union, with the
announcement after the commit run at once."""

import datetime

import pytest

from casework.models import Role
from prevention.models import WarningRule
from prevention.rules import seed_warning_rules

from ..clock import clock, local  # noqa: F401 - the clock fixture
from ..factories import user_with_role

OCTOBER = datetime.date(2026, 10, 1)


@pytest.fixture(autouse=True)
def today(clock):  # noqa: F811 - the fixture imported above
    clock(local(2026, 11, 5, 9, 0))
    return datetime.date(2026, 11, 5)


@pytest.fixture(autouse=True)
def warning_rules(request):
    """A transactional test's flush empties the seeded rules too: put them back."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        seed_warning_rules(WarningRule)


@pytest.fixture
def union(org, enterprise):
    return user_with_role(Role.ENTERPRISE_UNION, org["grid_a1"], enterprise, username="union")


@pytest.fixture
def report(union, enterprise, django_capture_on_commit_callbacks):
    from arrears import services as arrears

    def file(month=OCTOBER, **figures):
        with django_capture_on_commit_callbacks(execute=True):
            return arrears.file_report(enterprise, month, actor=union, **figures)

    return file
