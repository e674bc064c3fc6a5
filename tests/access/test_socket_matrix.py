"""The access matrix's sockets: no role of zone B hears zone A's group alert, on any page;
an anonymous socket is refused. Zone B's enterprise union names an enterprise of its own: one
that names none holds no role, and its socket is refused like any roleless user's (4403)."""

import pytest

from casework.models import Role
from notifications.routing import websocket_urlpatterns

from ..factories import EnterpriseFactory, record, user_with_role
from ..notifications.conftest import (  # noqa: F401 - memory_layer: an autouse fixture
    closed_with,
    connect,
    in_db,
    memory_layer,
    next_of,
    page_of,
    run,
    socket,
    workers,
)

pytestmark = pytest.mark.django_db(transaction=True)
ROWS = "/ws/notifications/?rows=1"  # a page that lists petitions also hears of their changes


def test_no_role_of_another_zone_hears_a_group_alert(
    org, clerk, supervisor, enterprise, django_capture_on_commit_callbacks
):
    union_shop = EnterpriseFactory(name="Zone B Dyeworks", grid_area=org["grid_b1"])
    others = {
        role: user_with_role(
            role,
            org["grid_b1"],
            union_shop if role == Role.ENTERPRISE_UNION else None,
            username=f"zone-b-{role}",
        )
        for role in Role.values
    }
    pages = {role: page_of(user) for role, user in others.items()}
    ours = page_of(supervisor)

    def file_group_petition():
        with django_capture_on_commit_callbacks(execute=True):
            record(clerk, enterprise, workers=workers(12))

    async def scenario():
        theirs = {role: socket(ROWS, headers=headers) for role, headers in pages.items()}
        alerted = socket(ROWS, headers=ours)
        for ws in [alerted, *theirs.values()]:
            await connect(ws)
        await in_db(file_group_petition)
        assert (await next_of(alerted, "notification"))["type"] == "notification"
        heard = [role for role, ws in theirs.items() if not await ws.receive_nothing(timeout=0.2)]
        for ws in [alerted, *theirs.values()]:
            await ws.disconnect()
        assert heard == []

    run(scenario)


def test_an_anonymous_socket_is_refused(db):
    async def scenario():
        assert await closed_with(socket(ROWS, headers=[(b"origin", b"http://testserver")])) == 4401

    run(scenario)


def test_every_socket_route_is_in_the_matrix():
    """The one socket route is the one tested above: a new one needs its own matrix entry."""
    assert [str(p.pattern) for p in websocket_urlpatterns] == [ROWS.split("?")[0].lstrip("/")]
