"""A socket lives no longer than its user's access: deactivated, or left without any role,
the person's open sockets are closed at once and new ones refused."""

import pytest

from casework.models import Membership, Role

from ..factories import UserFactory, user_with_role
from .conftest import closed_with, connect, in_db, page_of, run, socket

pytestmark = pytest.mark.django_db(transaction=True)


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
