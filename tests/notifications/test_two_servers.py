"""Two ASGI server processes (daphne) on one Redis: an event produced by a request to one
reaches a socket held by the other, and an idle socket stays open.

Needs REDIS_URL and a database other processes can open (PostgreSQL; the SQLite test database
lives in this process's memory): `make test` runs it in its PostgreSQL + Redis pass.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.authtoken.models import Token

from ..api.helpers import json_row

# PostgreSQL: the servers read committed rows from a database other processes can open.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def needs_redis():
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set")


@pytest.fixture(autouse=True)
def memory_layer():
    """This module uses the Redis layer of the settings, not the suite's in-memory one."""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url():
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def two_servers(db):
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CASEWORK_TIMERS_IN_PROCESS": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    daphne = str(Path(sys.executable).with_name("daphne"))
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [daphne, "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    try:
        for port in ports:
            wait_until_serving(port)
        yield ports
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


def wait_until_serving(port, seconds=20):
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=1)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def file_group_petition(port, clerk, enterprise):
    body = {
        "enterprise": enterprise.pk,
        "channel": "visit",
        "category": "remuneration",
        "description": "The owner is gone; 12 workers unpaid since March.",
        "workers": [json_row() for _ in range(12)],
    }
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/petitions/",
        data=json.dumps(body).encode(),
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Token {Token.objects.create(user=clerk).key}",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201
        return json.load(response)["number"]


@contextmanager
def listening(port, user):
    from websockets.sync.client import connect

    key = Token.objects.create(user=user).key
    with connect(
        f"ws://127.0.0.1:{port}/ws/notifications/",
        additional_headers={"Authorization": f"Token {key}"},
    ) as ws:
        assert json.loads(ws.recv(timeout=5))["type"] == "state"
        yield ws


def next_notification(ws, seconds=5):
    while True:
        message = json.loads(ws.recv(timeout=seconds))
        if message["type"] == "notification":
            return message


def test_an_event_from_one_server_reaches_a_socket_held_by_the_other(
    two_servers, clerk, supervisor, enterprise
):
    first, second = two_servers
    with listening(second, supervisor) as ws:
        number = file_group_petition(first, clerk, enterprise)

        alert = next_notification(ws)

    assert (alert["kind"], alert["petition"]) == ("group_petition_filed", number)


def test_an_idle_socket_stays_open_and_still_receives(two_servers, clerk, supervisor, enterprise):
    # redis-py's 5 s socket timeout once closed idle sockets (STACK-NOTES): 15 s of silence.
    first, second = two_servers
    with listening(first, supervisor) as ws:
        time.sleep(15)
        number = file_group_petition(second, clerk, enterprise)

        assert next_notification(ws)["petition"] == number
