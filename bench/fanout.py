"""Group-petition fan-out: 1,000 authenticated websocket clients on 2 daphne processes with Redis.

Run from the repository root, against PostgreSQL and Redis (other processes must open the
database, so SQLite cannot serve here):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/fanout.py [--clients 1000] [--servers 2] [--rounds 3] \\
        [--client-processes 1] [--database NAME]

Existing data is never touched: the run has a scratch database of its own on the same PostgreSQL
server (`scratch.py`; `bench_fanout_<random>` unless `--database` names one; a name that exists
is refused), dropped at the end. Redis pub/sub channels are shared by all
database numbers, so the servers' channel layer gets a prefix of this run's own: other runs and
test suites on the same Redis neither hear this run's alerts nor disturb it.

The world, built with `demo.builders`: one zone union with a grid area and an enterprise, an intake
clerk, and `--clients` supervisors and committee liaisons of the zone, each with an API token.
`--servers` daphne processes (daphne's command line run by this script's `--serve`, which sets the
prefix and the commit stamp below) serve `config.asgi` on that database and Redis. Each person
opens one socket (the `websockets` library, `Authorization: Token ...`), spread evenly over the
servers, and waits for its state message; the sockets are held by `--client-processes` processes
(spread evenly), so that the clients' own event loop can be told apart from the servers' work.
Then, per round, the clerk files one group petition (30 workers) with `POST /api/petitions/` to the
first server: every client must get the alert.

What is measured: from the intake transaction's commit to the moment a client's event loop reads
the alert off its socket. The commit time is stamped by the serving process in the first
`on_commit` callback of the intake transaction (registered when the petition row is saved, so it
runs before the notification callbacks; its own write to Redis, ~0.2 ms, counts as latency);
its clock and the clients' are the same machine's wall clock. The alert's own `time` (when its
rows were written, before the commit) is reported alongside as "rows -> commit". Clients,
servers, PostgreSQL and Redis share the machine.

A 30-worker petition is also escalated to the committee (workflows), and that announcement is
registered on commit before the group alert's push: its rows and its messages to the liaisons go
out first, and are part of what the alert waits for.
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

import django
from django.conf import settings
from scratch import scratch_database

os.environ["CASEWORK_TIMERS_IN_PROCESS"] = "0"  # no timer thread in the servers or here
HERE = Path(__file__).resolve().parent

WORKERS = 30
GOAL_P99_MS = 250
CONNECTS_AT_ONCE = 100
WAIT_SECONDS = 10  # after this, a client without the alert counts as lost


def say(message):
    print(message, flush=True)


def refuse_to_run_here():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("bench/fanout.py needs PostgreSQL: set DATABASE_URL=postgres://...")
    if not settings.REDIS_URL:
        sys.exit("bench/fanout.py needs Redis: set REDIS_URL=redis://127.0.0.1:6379/<db>")


def make_world(clients):
    """The zone, the clerk and `clients` people who get group alerts; returns (tokens, clerk
    token, enterprise)."""
    from rest_framework.authtoken.models import Token

    from demo.builders import CreditCodes, Person, enterprises, org_tree, people

    tree = org_tree("Federation", "Zone", "JS", ["Grid"])
    (enterprise,) = enterprises(
        [{"name": "Lanxi Textile", "grid_area": tree.grids[0]}], codes=CreditCodes("330100")
    )
    clerk = people([Person("clerk", "intake_clerk", [tree.zone])])["clerk"]
    roles = ("supervisor", "committee_liaison")
    watchers = people(
        Person(f"watcher{n:04d}", roles[n % 2], [tree.zone]) for n in range(clients)
    ).values()
    tokens = Token.objects.bulk_create(
        Token(user=user, key=Token.generate_key()) for user in watchers
    )
    return [t.key for t in tokens], Token.objects.create(user=clerk).key, enterprise


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(port, prefix, stamps_key):
    """One of the bench's servers: daphne serving `config.asgi`, its channel layer under
    `prefix`, stamping each petition's commit time into the Redis hash `stamps_key`."""
    import redis
    from daphne.cli import CommandLineInterface

    settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = prefix
    django.setup()

    from django.db import transaction
    from django.db.models.signals import post_save

    from casework.models import Petition

    stamps = redis.Redis.from_url(settings.REDIS_URL)

    def stamp_commit(sender, instance, created, **kwargs):
        # Registered when the petition row is saved: the first callback after the commit.
        if created:
            transaction.on_commit(lambda: stamps.hset(stamps_key, instance.number, time.time()))

    post_save.connect(stamp_commit, sender=Petition, weak=False)
    application = f"-v 0 -b 127.0.0.1 -p {port} config.asgi:application"
    CommandLineInterface().run(application.split())


def start_servers(count, prefix, stamps_key):
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{db['NAME']}",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    ports = [free_port() for _ in range(count)]
    servers = [
        subprocess.Popen(
            [sys.executable, __file__, "--serve", str(port), prefix, stamps_key],
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


def file_group_petition(port, clerk_token, enterprise_id, petitioners):
    """`petitioners`: a `demo.builders.Workers`, the same every round (new ID numbers each)."""
    rows = [petitioners.row(phone="13912345678") for _ in range(WORKERS)]
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
    """One person's socket: when it read each alert, and when the alert's rows were written."""

    def __init__(self, url, key):
        self.url, self.key = url, key
        self.received = {}  # petition number -> (read at, rows written at), epoch seconds

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
            # Only the alert itself: a liaison may also be told of an escalation right after.
            if message["type"] == "notification" and message["kind"] == "group_petition_filed":
                written = datetime.fromisoformat(message["time"]).timestamp()
                self.received.setdefault(message["petition"], (now, written))


def hold_sockets(urls_and_keys, pipe):
    """A client process: opens its sockets, says how long that took, then for each petition
    number it is sent waits for every socket to read its alert (or WAIT_SECONDS) and answers
    with the (read at, rows written at) of those that did and the number that did not."""
    asyncio.run(_hold_sockets(urls_and_keys, pipe))


async def _hold_sockets(urls_and_keys, pipe):
    clients = [Client(url, key) for url, key in urls_and_keys]
    gate = asyncio.Semaphore(CONNECTS_AT_ONCE)

    async def open_one(client):
        async with gate:
            await client.open()

    started = time.perf_counter()
    await asyncio.gather(*(open_one(c) for c in clients))
    listeners = [asyncio.create_task(c.listen()) for c in clients]
    pipe.send(time.perf_counter() - started)
    loop = asyncio.get_running_loop()
    while (number := await loop.run_in_executor(None, pipe.recv)) is not None:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline and not all(number in c.received for c in clients):
            await asyncio.sleep(0.05)
        got = [c.received[number] for c in clients if number in c.received]
        pipe.send((got, len(clients) - len(got)))
    for task in listeners:
        task.cancel()
    await asyncio.gather(*(c.ws.close() for c in clients), return_exceptions=True)


def run_rounds(ports, keys, clerk_token, enterprise_id, rounds, processes, committed_at):
    """Returns per round (round, petition, commit->read latencies in ms, lost, rows->commit
    in ms)."""
    from demo.builders import Workers

    petitioners = Workers()
    urls = [f"ws://127.0.0.1:{ports[n % len(ports)]}/ws/notifications/" for n in range(len(keys))]
    pairs = list(zip(urls, keys, strict=True))
    spawn = multiprocessing.get_context("spawn")
    pipes, workers = [], []
    for n in range(processes):
        ours, theirs = spawn.Pipe()
        # A contiguous share: each process holds sockets on every server.
        share = pairs[n * len(pairs) // processes : (n + 1) * len(pairs) // processes]
        worker = spawn.Process(target=hold_sockets, args=(share, theirs))
        worker.start()
        pipes.append(ours)
        workers.append(worker)
    try:
        opened = max(pipe.recv() for pipe in pipes)
        say(
            f"sockets:      {len(keys)} open on {len(ports)} servers, held by {processes} "
            f"client process(es), in {opened:.1f} s"
        )
        results = []
        for n in range(rounds):
            time.sleep(1)  # let the servers settle between rounds
            number = file_group_petition(ports[0], clerk_token, enterprise_id, petitioners)
            committed = committed_at(number)
            for pipe in pipes:
                pipe.send(number)
            answers = [pipe.recv() for pipe in pipes]
            got = [pair for received, _lost in answers for pair in received]
            latencies = sorted((read - committed) * 1000 for read, _written in got)
            lost = sum(lost for _received, lost in answers)
            written = max((written for _read, written in got), default=committed)
            results.append((n + 1, number, latencies, lost, (committed - written) * 1000))
        for pipe in pipes:
            pipe.send(None)
    finally:
        for worker in workers:
            worker.join(timeout=20)
            if worker.is_alive():
                worker.terminate()
    return results


def percentile(values, share):
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(round(share * (len(values) - 1))))]


def report(results, clients):
    say("")
    say("latency: from the intake's commit to the client reading the alert off its socket")
    say(
        f"{'round':>5}  {'petition':<16} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'lost':>6}"
        f"  {'rows->commit ms':>15}"
    )
    everything, lost_total = [], 0
    for n, number, latencies, lost, commit_lag in results:
        everything += latencies
        lost_total += lost
        say(
            f"{n:>5}  {number:<16} {percentile(latencies, 0.5):>8.0f} "
            f"{percentile(latencies, 0.99):>8.0f} {max(latencies, default=float('nan')):>8.0f} "
            f"{lost:>6}  {commit_lag:>15.0f}"
        )
    everything.sort()
    p99 = percentile(everything, 0.99)
    say(
        f"{'all':>5}  {'':<16} {statistics.median(everything):>8.0f} {p99:>8.0f} "
        f"{everything[-1]:>8.0f} {lost_total:>6}"
    )
    verdict = "met" if p99 < GOAL_P99_MS and not lost_total else "NOT met"
    say(f"goal:         p99 < {GOAL_P99_MS} ms with none lost of {clients} per round: {verdict}")


def fan_out(args, run):
    """On the scratch database: the world, the servers, the sockets, the rounds, the report."""
    import redis
    from django.db import connection

    prefix, stamps_key = f"bench_fanout_{run}", f"bench_fanout_{run}:committed"
    stamps = redis.Redis.from_url(settings.REDIS_URL, decode_responses=True)
    servers = []
    try:
        keys, clerk_token, enterprise = make_world(args.clients)
        layer = settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1]
        say(f"database:     PostgreSQL, scratch database {connection.settings_dict['NAME']}")
        say(f"redis:        {settings.REDIS_URL} ({layer}, prefix {prefix})")
        connection.close()  # the servers, not this process, use the database from here on
        servers, ports = start_servers(args.servers, prefix, stamps_key)
        results = run_rounds(
            ports,
            keys,
            clerk_token,
            enterprise.pk,
            args.rounds,
            args.client_processes,
            lambda number: float(stamps.hget(stamps_key, number)),
        )
        report(results, args.clients)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)
        stamps.delete(stamps_key)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000, help="sockets, one per person")
    parser.add_argument("--servers", type=int, default=2, help="daphne processes")
    parser.add_argument("--rounds", type=int, default=3, help="group petitions filed")
    parser.add_argument(
        "--client-processes", type=int, default=1, help="processes holding the sockets"
    )
    parser.add_argument(
        "--database", help="scratch database to create and drop (default: bench_fanout_<random>)"
    )
    parser.add_argument("--serve", nargs=3, help=argparse.SUPPRESS)  # port, prefix, stamps key
    args = parser.parse_args(argv)
    if args.serve:
        return serve(*args.serve)

    refuse_to_run_here()
    run = secrets.token_hex(4)
    with scratch_database(args.database or f"bench_fanout_{run}"):
        fan_out(args, run)


if __name__ == "__main__":
    main()
