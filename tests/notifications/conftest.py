"""Notification tests: personas who get alerts, committed operations, and sockets.

Socket tests are plain functions that run a coroutine with `run(...)`: the consumer's database
calls come back to this thread. They commit for real (`transaction=True`): the consumer closes the
connection between its calls, which would end a test transaction.
"""

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from casework.models import Role
from config.asgi import application
from notifications.models import Preference

from ..factories import user_with_role, worker_row


@pytest.fixture(autouse=True)
def memory_layer(settings):
    """A fresh in-memory channel layer per test (Redis: see test_two_servers.py)."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


@pytest.fixture
def chair(org):
    """A supervisor at the federation, above both zones."""
    return user_with_role(Role.SUPERVISOR, org["federation"], username="chair")


def reads_english(*users):
    """These people's notifications are written in English (the tests read the source texts)."""
    for user in users:
        Preference.objects.update_or_create(user=user, defaults={"language": "en"})


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """committed(fn, *args, **kwargs): call fn as if its transaction committed (its on-commit
    callbacks run, so its events are published)."""

    def call(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return call


def workers(n):
    return [worker_row() for _ in range(n)]


def run(coroutine_function, *args):
    return async_to_sync(coroutine_function)(*args)


def in_db(fn, *args, **kwargs):
    """Await a synchronous ORM call from a socket scenario."""
    return sync_to_async(fn)(*args, **kwargs)


def page_of(user, *, origin=b"http://testserver", language=b"en", host=b"testserver"):
    """The headers a page of `user`'s browser sends with its socket: Host, session cookie,
    Origin, Accept-Language (English: the tests read the source texts). Call it outside a
    scenario: it writes the session."""
    client = Client()
    client.force_login(user)
    headers = [
        (b"host", host),
        (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()),
        (b"accept-language", language),
    ]
    return headers + ([(b"origin", origin)] if origin else [])


def socket(path="/ws/notifications/", headers=()):
    return WebsocketCommunicator(application, path, headers=list(headers))


async def connect(communicator):
    """Connect and read up to the `state` message; returns the messages before it and it."""
    connected, _subprotocol = await communicator.connect()
    assert connected
    before = []
    while True:
        message = await communicator.receive_json_from()
        if message["type"] == "state":
            return before, message
        before.append(message)


async def closed_with(communicator):
    connected, _subprotocol = await communicator.connect()
    assert connected  # accepted, then closed: so that the client gets the code
    message = await communicator.receive_output()
    assert message["type"] == "websocket.close"
    return message["code"]


async def next_of(communicator, kind):
    """The next message of type `kind`, passing over the others (e.g. page refreshes)."""
    while True:
        message = await communicator.receive_json_from()
        if message["type"] == kind:
            return message
