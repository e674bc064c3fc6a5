"""A socket lives no longer than its user's access: deactivated, or left without any role,
the person's open sockets are closed at once and new ones refused."""

import asyncio

import pytest

from casework.models import Membership, Role

from ..factories import EnterpriseFactory, UserFactory, record, user_with_role
from .conftest import closed_with, connect, in_db, next_of, page_of, run, socket

pytestmark = pytest.mark.django_db(transaction=True)

# A page follows a change of its user's units moments after the commit (its groups are what an
# event finds when it is sent): the tests wait this long before the next event.
SETTLE = 0.3


def deactivate(user):
    user.is_active = False
    user.save()


def test_an_open_socket_is_closed_with_4401_when_its_user_is_deactivated(supervisor, committed):
    page = page_of(supervisor)

    async def scenario():
        ws = socket(headers=page)
        await connect(ws)
        await in_db(committed, deactivate, supervisor)
        message = await ws.receive_output(timeout=2)
        assert message == {"type": "websocket.close", "code": 4401}

    run(scenario)


def test_an_open_socket_is_closed_with_4403_when_its_user_loses_every_role(supervisor, committed):
    page = page_of(supervisor)

    async def scenario():
        ws = socket(headers=page)
        await connect(ws)
        await in_db(committed, Membership.objects.filter(user=supervisor).delete)
        message = await ws.receive_output(timeout=2)
        assert message == {"type": "websocket.close", "code": 4403}

    run(scenario)


def test_a_socket_stays_open_while_its_user_keeps_a_role(supervisor, org, committed):
    kept = Membership.objects.create(user=supervisor, org_unit=org["zone_a"], role=Role.AUDITOR)
    page = page_of(supervisor)

    async def scenario():
        ws = socket(headers=page)
        await connect(ws)
        await in_db(committed, Membership.objects.exclude(pk=kept.pk).delete)
        assert await ws.receive_nothing(timeout=0.5)
        await ws.disconnect()

    run(scenario)


def test_a_user_without_any_role_cannot_open_a_socket(db):
    page = page_of(UserFactory())

    async def scenario():
        assert await closed_with(socket(headers=page)) == 4403

    run(scenario)


def test_another_users_sockets_are_left_open(supervisor, org, committed):
    colleague = user_with_role(Role.SUPERVISOR, org["zone_a"])
    page = page_of(supervisor)

    async def scenario():
        ws = socket(headers=page)
        await connect(ws)
        await in_db(committed, deactivate, colleague)
        assert await ws.receive_nothing(timeout=0.5)
        await ws.disconnect()

    run(scenario)


def test_a_page_no_longer_hears_of_a_unit_its_user_left(
    supervisor, clerk, enterprise, org, committed
):
    left = Membership.objects.create(user=supervisor, org_unit=org["zone_b"], role=Role.AUDITOR)
    zone_b_clerk = user_with_role(Role.INTAKE_CLERK, org["zone_b"])
    zone_b_enterprise = EnterpriseFactory(grid_area=org["grid_b1"])
    page = page_of(supervisor)

    async def scenario():
        ws = socket("/ws/notifications/?rows=1", headers=page)
        await connect(ws)
        await in_db(committed, Membership.objects.filter(pk=left.pk).delete)
        await asyncio.sleep(SETTLE)
        await in_db(committed, record, zone_b_clerk, zone_b_enterprise)
        mine = await in_db(committed, record, clerk, enterprise)
        assert (await next_of(ws, "petition"))["petition"] == mine.pk
        await ws.disconnect()

    run(scenario)


def test_a_page_hears_of_a_unit_its_user_joined(supervisor, org, committed):
    zone_b_clerk = user_with_role(Role.INTAKE_CLERK, org["zone_b"])
    zone_b_enterprise = EnterpriseFactory(grid_area=org["grid_b1"])
    page = page_of(supervisor)

    async def scenario():
        ws = socket("/ws/notifications/?rows=1", headers=page)
        await connect(ws)
        await in_db(
            committed,
            Membership.objects.create,
            user=supervisor,
            org_unit=org["zone_b"],
            role=Role.AUDITOR,
        )
        await asyncio.sleep(SETTLE)
        theirs = await in_db(committed, record, zone_b_clerk, zone_b_enterprise)
        assert (await next_of(ws, "petition"))["petition"] == theirs.pk
        await ws.disconnect()

    run(scenario)


def test_an_enterprise_union_opens_a_socket_only_while_it_names_its_enterprise(org):
    """Its role is its enterprise: without one it holds no role, and is refused as such."""
    enterprise = EnterpriseFactory(grid_area=org["grid_a1"])
    union = UserFactory()
    Membership.objects.create(
        user=union, org_unit=org["grid_a1"], role=Role.ENTERPRISE_UNION, enterprise=enterprise
    )
    vacant = user_with_role(Role.ENTERPRISE_UNION, org["grid_a1"])
    page, vacant_page = page_of(union), page_of(vacant)

    async def scenario():
        ws = socket(headers=page)
        await connect(ws)
        await ws.disconnect()
        assert await closed_with(socket(headers=vacant_page)) == 4403

    run(scenario)
