"""Group-petition fan-out: 1,000 authenticated websocket clients on 2 daphne processes with Redis.

Run from the repository root, against PostgreSQL and Redis (other processes must open the
database, so SQLite cannot serve here):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/fanout.py [--clients 1000] [--servers 2] [--rounds 3]

Existing data is never touched: Django's test-database machinery creates the scratch database
`bench_fanout` on the same PostgreSQL server, migrates it and drops it at the end (an interrupted
run leaves it behind; the next run refuses to start and names it).

The world: one zone union with a grid area and an enterprise, an intake clerk, and `--clients`
supervisors and committee liaisons of the zone, each with an API token. `--servers` daphne
processes serve `config.asgi` on that database and Redis. Each person opens one socket (the
`websockets` library, `Authorization: Token ...`), spread evenly over the servers, and waits for
its state message. Then, per round, the clerk files one group petition (30 workers) with
`POST /api/petitions/` to the first server: every client must get the alert.

Latency is counted from the alert's `time` (when its rows were written, inside the intake
transaction just before the commit, so a little more than commit-to-receipt) to the moment the
client's event loop reads it; clients run in this process, servers and Redis on the same machine.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
from datetime import datetime  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["CASEWORK_TIMERS_IN_PROCESS"] = "0"  # no timer thread in the servers or here

import django  # noqa: E402
from django.conf import settings  # noqa: E402

SCRATCH_PG_NAME = "bench_fanout"
WORKERS = 30
GOAL_P99_MS = 250
CONNECTS_AT_ONCE = 100
WAIT_SECONDS = 10  # after this, a client without the alert counts as lost


def say(message):
    print(message, flush=True)


def refuse_to_run_here():
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("bench/fanout.py needs PostgreSQL: set DATABASE_URL=postgres://...")
    if not settings.REDIS_URL:
        sys.exit("bench/fanout.py needs Redis: set REDIS_URL=redis://127.0.0.1:6379/<db>")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [SCRATCH_PG_NAME])
        exists = cursor.fetchone()
    connection.close()
    if exists:
        sys.exit(
            f"Database {SCRATCH_PG_NAME} already exists (an interrupted run?). Not touching it; "
            f"drop it yourself if it is a leftover: dropdb {SCRATCH_PG_NAME}"
        )


def make_world(clients):
    """The zone, the clerk and `clients` people who get group alerts; returns (tokens, clerk
    token, enterprise)."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from casework.models import Enterprise, Membership, OrgUnit, Role
    from casework.validators import complete_credit_code

    User = get_user_model()
    federation = OrgUnit.objects.create(name="Federation", kind=OrgUnit.Kind.FEDERATION)
    zone = OrgUnit.objects.create(name="Zone", kind=OrgUnit.Kind.ZONE, code="JS", parent=federation)
    grid = OrgUnit.objects.create(name="Grid", kind=OrgUnit.Kind.GRID, parent=zone)
    enterprise = Enterprise.objects.create(
        name="Lanxi Textile", credit_code=complete_credit_code("91330100MA0000001"), grid_area=grid
    )
    clerk = User.objects.create_user("clerk")
    Membership.objects.create(user=clerk, org_unit=zone, role=Role.INTAKE_CLERK)
    people = User.objects.bulk_create(User(username=f"watcher{n:04d}") for n in range(clients))
    roles = (Role.SUPERVISOR, Role.COMMITTEE_LIAISON)
    Membership.objects.bulk_create(
        Membership(user=user, org_unit=zone, role=roles[n % 2]) for n, user in enumerate(people)
    )
    tokens = Token.objects.bulk_create(
        Token(user=user, key=Token.generate_key()) for user in people
    )
    return [t.key for t in tokens], Token.objects.create(user=clerk).key, enterprise


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_servers(count):
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{db['NAME']}",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    daphne = str(Path(sys.executable).with_name("daphne"))
    ports = [free_port() for _ in range(count)]
    servers = [
        subprocess.Popen(
            [daphne, "-v", "0", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
            cwd=HERE.parent,
            env=env,
        )
        for port in ports
    ]
    for port in ports:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    return servers, ports


def file_group_petition(port, clerk_token, enterprise_id):
    from tests.factories import worker_row

    rows = [worker_row() for _ in range(WORKERS)]
    for row in rows:
        row["claimed_amount"] = str(row["claimed_amount"])
    body = {
        "enterprise": enterprise_id,
        "channel": "visit",
        "category": "remuneration",
        "description": "The owner is gone; wages unpaid for three months.",
        "workers": rows,
    }
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/petitions/",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Token {clerk_token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201, response.status
        return json.load(response)["number"]


class Client:
    """One person's socket: the alerts it got, with when they were read."""

    def __init__(self, url, key):
        self.url, self.key = url, key
        self.received = {}  # petition number -> latency in ms

    async def open(self):
        from websockets.asyncio.client import connect

        self.ws = await connect(
            self.url,
            additional_headers={"Authorization": f"Token {self.key}"},
            max_queue=None,
            ping_interval=None,
        )
        assert json.loads(await self.ws.recv())["type"] == "state"

    async def listen(self):
        async for raw in self.ws:
            now = time.time()
            message = json.loads(raw)
            if message["type"] == "notification":
                sent = datetime.fromisoformat(message["time"]).timestamp()
                self.received[message["petition"]] = (now - sent) * 1000


async def run_clients(ports, keys, clerk_token, enterprise_id, rounds):
    clients = [
        Client(f"ws://127.0.0.1:{ports[n % len(ports)]}/ws/notifications/", key)
        for n, key in enumerate(keys)
    ]
    gate = asyncio.Semaphore(CONNECTS_AT_ONCE)

    async def open_one(client):
        async with gate:
            await client.open()

    started = time.perf_counter()
    await asyncio.gather(*(open_one(c) for c in clients))
    say(
        f"sockets:      {len(clients)} open on {len(ports)} servers "
        f"in {time.perf_counter() - started:.1f} s"
    )
    listeners = [asyncio.create_task(c.listen()) for c in clients]
    loop = asyncio.get_running_loop()
    results = []
    for n in range(rounds):
        await asyncio.sleep(1)  # let the servers settle between rounds
        number = await loop.run_in_executor(
            None, file_group_petition, ports[0], clerk_token, enterprise_id
        )
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline and not all(number in c.received for c in clients):
            await asyncio.sleep(0.05)
        latencies = sorted(c.received[number] for c in clients if number in c.received)
        lost = sum(1 for c in clients if number not in c.received)
        results.append((n + 1, number, latencies, lost))
    for task in listeners:
        task.cancel()
    await asyncio.gather(*(c.ws.close() for c in clients), return_exceptions=True)
    return results


def percentile(values, share):
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(round(share * (len(values) - 1))))]


def report(results, clients):
    say("")
    say(f"{'round':>5}  {'petition':<16} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'lost':>6}")
    everything, lost_total = [], 0
    for n, number, latencies, lost in results:
        everything += latencies
        lost_total += lost
        say(
            f"{n:>5}  {number:<16} {percentile(latencies, 0.5):>8.0f} "
            f"{percentile(latencies, 0.99):>8.0f} {max(latencies, default=float('nan')):>8.0f} "
            f"{lost:>6}"
        )
    everything.sort()
    p99 = percentile(everything, 0.99)
    say(
        f"{'all':>5}  {'':<16} {statistics.median(everything):>8.0f} {p99:>8.0f} "
        f"{everything[-1]:>8.0f} {lost_total:>6}"
    )
    verdict = "met" if p99 < GOAL_P99_MS and not lost_total else "NOT met"
    say(f"goal:         p99 < {GOAL_P99_MS} ms with none lost of {clients} per round: {verdict}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000, help="sockets, one per person")
    parser.add_argument("--servers", type=int, default=2, help="daphne processes")
    parser.add_argument("--rounds", type=int, default=3, help="group petitions filed")
    args = parser.parse_args(argv)

    db = settings.DATABASES["default"]
    db.setdefault("TEST", {})["NAME"] = SCRATCH_PG_NAME
    django.setup()
    settings.DEBUG = False
    refuse_to_run_here()

    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    old_config = setup_databases(
        verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set()
    )
    servers = []
    try:
        keys, clerk_token, enterprise = make_world(args.clients)
        layer = settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1]
        say(f"database:     PostgreSQL, scratch database {connection.settings_dict['NAME']}")
        say(f"redis:        {settings.REDIS_URL} ({layer})")
        connection.close()  # the servers, not this process, use the database from here on
        servers, ports = start_servers(args.servers)
        results = asyncio.run(run_clients(ports, keys, clerk_token, enterprise.pk, args.rounds))
        report(results, args.clients)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
