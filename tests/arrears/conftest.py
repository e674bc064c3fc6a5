"""An enterprise union in grid A1 (of "Lanxi Textile", the shared `enterprise`), and a clock
fixed on 2026-11-05: the reports of October fall due on 2026-11-10 (the seeded due day)."""

import datetime

import pytest

from casework.models import Role

from ..clock import clock, local  # noqa: F401 - the clock fixture
from ..factories import EnterpriseFactory, user_with_role

TODAY = datetime.date(2026, 11, 5)
OCTOBER, NOVEMBER = datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)


@pytest.fixture
def union(org, enterprise):
    """The union of the shared enterprise, and so the user that files its reports."""
    return user_with_role(Role.ENTERPRISE_UNION, org["grid_a1"], enterprise, username="union")


@pytest.fixture
def neighbour(org):
    """Another enterprise of grid A1, with a union of its own."""
    shop = EnterpriseFactory(name="Xixi Dyeworks", grid_area=org["grid_a1"])
    user_with_role(Role.ENTERPRISE_UNION, org["grid_a1"], shop, username="neighbour")
    return shop


@pytest.fixture
def today(clock):  # noqa: F811 - the fixture imported above
    clock(local(2026, 11, 5, 9, 0))
    return TODAY
