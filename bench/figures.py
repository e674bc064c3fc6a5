"""The statistics page on 100,000 and 1,000,000 petitions: p50/p95/max per request.

Run from the repository root, on the PostgreSQL server DATABASE_URL points at:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/figures.py
    DATABASE_URL=... .venv/bin/python bench/figures.py --sizes 20000 --requests 10   # a quick look

Existing data is never touched: the run has a scratch database of its own (`scratch.py`:
`casework_bench_figures` on the same server, `--database` names another), dropped at the end
(`--keep` leaves it). PostgreSQL only: the rows are written by INSERT ... SELECT over
generate_series, which SQLite does not have, and a million petitions is a server's job.

The world, built with `demo.builders`: a federation, ZONES zone unions of GRIDS grid areas each
(a few hundred units), ENTERPRISES enterprises per grid area, a supervisor of the federation and
one per zone, a finance officer per zone, and each zone's emergency fund.

The petitions, written in chunks straight in SQL (recording them through the services would take
days), spread over YEARS years up to today, more in recent years and in busy grid areas:

- each petition's life follows one of a few paths (agreement and its fulfilment, agreement
  breached and referred for a payment order, mediation failed and referred to arbitration,
  legal aid or labour inspection, referred out, rejected), each step a case event a few days to
  weeks after the one before; steps later than now are not there yet, and the petition's status
  is that of its last step, so recent petitions are still open;
- its workers (1 to 4, a group petition 10 to 30) from a pool where people come back, with
  claimed amounts; the agreement with a line per worker, a closure with a rating (most of them);
- two deadlines: acknowledgement from receipt, and the mediation from its start, some breached;
- petitions whose owner is missing get a release from the zone's fund, paid, a ledger entry
  with its postings; half are partly recovered, a few of those recoveries corrected, a few
  releases partly written off. The funds' stored balances are not reconciled with this ledger.

The rows are written around the services, so the figures' tallies (`figures/tallies.py`) are then
recounted from them all (`tallies.rebuild`, timed), and one stale day's recount is timed: what a
new petition costs the next reader of the page.

Then, with Django's test Client logged in as the federation's supervisor and as one zone's, the
statistics page (`figures:page`) for this month, this year and the last three years is requested
`--requests` times after a warm-up, and the case list (`casework:petition-list`) of the same
user as the baseline: p50, p95 and max in ms, the SQL queries per request, and each p95 over
the baseline's. Figures are printed, never asserted on. `--explain` shows the slowest queries of
the slowest page with EXPLAIN (ANALYZE, BUFFERS). Last, the figures of this year and three
years are counted straight from the records (`services.counted_unit_figures`, as the page did
before the tallies), timed, and compared with the page's: they must agree.
"""

import argparse
import datetime
import statistics
import sys
import time

from scratch import describe_database, scratch_database

SCRATCH_PG_NAME = "casework_bench_figures"
ZONES = 20
GRIDS = 15  # per zone
ENTERPRISES = 8  # per grid area
YEARS = 5
WORKERS = 400_000  # the pool petitions draw their workers from
CHUNK = 100_000
GOAL_MS = 200
VERBOSE = False

# Each petition's path: (transition, from, to, days after receipt = base + spread * (id % 23),
# referral type). `PATH_OF` picks the path from the petition's id, in per cent.
PATHS = {
    "fulfilled": [
        ("accept", "received", "accepted", 1, 0, None),
        ("start_mediation", "accepted", "in_mediation", 3, 0, None),
        ("reach_agreement", "in_mediation", "agreement_reached", 8, 1, None),
        ("confirm_fulfilment", "agreement_reached", "fulfilled", 20, 2, None),
        ("close", "fulfilled", "closed", 23, 2, None),
    ],
    "breached": [
        ("accept", "received", "accepted", 1, 0, None),
        ("start_mediation", "accepted", "in_mediation", 3, 0, None),
        ("reach_agreement", "in_mediation", "agreement_reached", 10, 1, None),
        ("record_breach", "agreement_reached", "breached", 30, 2, None),
        ("refer", "breached", "referred", 35, 2, "payment_order"),
        ("close", "referred", "closed", 60, 3, None),
    ],
    "arbitration": [
        ("accept", "received", "accepted", 1, 0, None),
        ("start_mediation", "accepted", "in_mediation", 3, 0, None),
        ("fail_mediation", "in_mediation", "mediation_failed", 12, 1, None),
        ("refer", "mediation_failed", "referred", 15, 1, "arbitration"),
        ("close", "referred", "closed", 45, 3, None),
    ],
    "legal_aid": [
        ("accept", "received", "accepted", 1, 0, None),
        ("start_mediation", "accepted", "in_mediation", 4, 0, None),
        ("fail_mediation", "in_mediation", "mediation_failed", 14, 1, None),
        ("refer", "mediation_failed", "referred", 16, 1, "legal_aid"),
        ("close", "referred", "closed", 40, 2, None),
    ],
    "inspection": [
        ("accept", "received", "accepted", 1, 0, None),
        ("start_mediation", "accepted", "in_mediation", 2, 0, None),
        ("fail_mediation", "in_mediation", "mediation_failed", 9, 1, None),
        ("refer", "mediation_failed", "referred", 11, 1, "labor_inspection"),
        ("close", "referred", "closed", 30, 2, None),
    ],
    "referred_out": [
        ("refer_out", "received", "referred_out", 1, 0, None),
        ("close", "referred_out", "closed", 3, 0, None),
    ],
    "rejected": [
        ("reject", "received", "rejected", 1, 0, None),
        ("close", "rejected", "closed", 4, 0, None),
    ],
}
PATH_OF = {
    "fulfilled": 60,
    "breached": 6,
    "arbitration": 10,
    "legal_aid": 4,
    "inspection": 5,
    "referred_out": 8,
    "rejected": 7,
}
CHANNELS = ["visit"] * 4 + ["call"] * 2 + ["hotline_12351"] * 3 + ["letter", "online", "online"]
CATEGORIES = ["remuneration"] * 12 + [
    "dismissal",
    "dismissal",
    "labor_contract",
    "labor_relation",
    "working_conditions",
    "other",
]


def say(message):
    print(message, flush=True)


# 1. The world.


def build_world():
    from casework.models import OrgUnit, Role
    from demo import builders
    from fund.models import EmergencyFund

    federation, zones = None, []
    for z in range(ZONES):
        tree = builders.org_tree(
            federation or "Bench Federation",
            f"Zone {z:02d}",
            f"Z{z:02d}",
            [f"Zone {z:02d} grid {g:02d}" for g in range(GRIDS)],
        )
        federation = tree.federation
        zones.append(tree)
    persons = [builders.Person("fed_supervisor", Role.SUPERVISOR, [federation])]
    for z, tree in enumerate(zones):
        persons += [
            builders.Person(f"supervisor_{z:02d}", Role.SUPERVISOR, [tree.zone]),
            builders.Person(f"finance_{z:02d}", Role.FINANCE_OFFICER, [tree.zone]),
        ]
    users = builders.people(persons)
    builders.enterprises(
        [
            {"name": f"{grid.name} enterprise {e}", "grid_area": grid}
            for tree in zones
            for grid in tree.grids
            for e in range(ENTERPRISES)
        ],
        codes=builders.CreditCodes(),
    )
    for tree in zones:
        EmergencyFund.objects.create(zone=tree.zone, name=f"{tree.zone.name} fund", balance=10**11)
    say(f"world: {OrgUnit.objects.count()} units, {len(users)} users")
    return federation, zones, users


def lookup_tables(zones, users):
    """Temporary tables the INSERTs join: grid areas by index (busy ones first), enterprises
    by grid area, the paths' steps, the path of each id % 100."""
    from django.db import connection

    from casework.models import Enterprise

    grids = [(tree, grid) for tree in zones for grid in tree.grids]
    # Busier grid areas first: the petitions' grid index is skewed towards 0.
    grids.sort(key=lambda tg: (tg[1].pk * 7919) % 1000)
    by_grid = {}
    for ent in Enterprise.objects.order_by("pk"):
        by_grid.setdefault(ent.grid_area_id, []).append(ent.pk)
    with connection.cursor() as c:
        c.execute(
            "CREATE UNLOGGED TABLE bench_grid (idx int PRIMARY KEY, id int, zone_id int,"
            " supervisor_id int, finance_id int, fund_id int)"
        )
        from fund.models import EmergencyFund

        funds = dict(EmergencyFund.objects.values_list("zone_id", "pk"))
        number = {tree.zone.pk: i for i, tree in enumerate(zones)}
        rows = []
        for idx, (tree, grid) in enumerate(grids):
            z = number[tree.zone.pk]
            sup, fin = users[f"supervisor_{z:02d}"].pk, users[f"finance_{z:02d}"].pk
            rows.append((idx, grid.pk, tree.zone.pk, sup, fin, funds[tree.zone.pk]))
        c.executemany("INSERT INTO bench_grid VALUES (%s, %s, %s, %s, %s, %s)", rows)
        c.execute("CREATE UNLOGGED TABLE bench_ent (grid_idx int, k int, id int)")
        c.executemany(
            "INSERT INTO bench_ent VALUES (%s, %s, %s)",
            [
                (idx, k, ent)
                for idx, (_tree, grid) in enumerate(grids)
                for k, ent in enumerate(by_grid[grid.pk][:ENTERPRISES])
            ],
        )
        c.execute(
            "CREATE UNLOGGED TABLE bench_step (path text, seq int, transition text,"
            " from_status text, to_status text, base int, spread int, referral text)"
        )
        c.executemany(
            "INSERT INTO bench_step VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [
                (path, seq, *step)
                for path, steps in PATHS.items()
                for seq, step in enumerate(steps, start=1)
            ],
        )
        c.execute("CREATE UNLOGGED TABLE bench_pathmap (m int PRIMARY KEY, path text)")
        rows, m = [], 0
        for path, share in PATH_OF.items():
            for _i in range(share):
                rows.append((m, path))
                m += 1
        assert m == 100, m
        c.executemany("INSERT INTO bench_pathmap VALUES (%s, %s)", rows)
        c.execute(
            "ANALYZE bench_grid; ANALYZE bench_ent; ANALYZE bench_step; ANALYZE bench_pathmap"
        )
    return len(grids)


# 2. The petitions and what hangs off them, straight in SQL.


def table(model_path):
    from django.apps import apps

    return apps.get_model(model_path)._meta.db_table


def sql_array(values):
    return "ARRAY[" + ", ".join(f"'{v}'" for v in values) + "]"


def workers():
    from django.db import connection

    with connection.cursor() as c:
        c.execute(
            f"INSERT INTO {table('casework.Worker')} (id, id_number) "
            "SELECT i, 'B' || lpad(i::text, 17, '0') FROM generate_series(1, %s) i",
            [WORKERS],
        )


def grow(first, last, n_grids, now):
    """Petitions first..last (ids) and everything that hangs off them: one transaction."""
    from django.db import connection, transaction

    t = {
        name: table(path)
        for name, path in {
            "petition": "casework.Petition",
            "claim": "casework.Claim",
            "event": "casework.CaseEvent",
            "closure": "casework.Closure",
            "agreement": "casework.Agreement",
            "line": "casework.AgreementLine",
            "deadline": "workflows.Deadline",
            "rule": "workflows.DeadlineRule",
            "release": "fund.Release",
            "rline": "fund.ReleaseLine",
            "entry": "fund.JournalEntry",
            "posting": "fund.Posting",
        }.items()
    }
    span = YEARS * 365
    NOW = literal(now)
    # The moment of a step of petition p.
    at = "p.received_at + interval '1 day' * (s.base + s.spread * (p.id % 23))"
    path_of = "(SELECT path FROM bench_pathmap WHERE m = (p.id * 37) % 100)"
    with transaction.atomic(), connection.cursor() as cursor:
        c = Timed(cursor)
        c.execute("SET LOCAL synchronous_commit = off")
        c.execute(
            f"""
            INSERT INTO {t["petition"]} (id, number, zone_id, org_unit_id, channel, category,
                description, enterprise_id, received_at, owner_missing, priority, is_group,
                status, created_by_id, updated_at)
            SELECT x.i, 'BF' || x.i, g.zone_id, g.id,
                ({sql_array(CHANNELS)})[1 + x.i % {len(CHANNELS)}],
                ({sql_array(CATEGORIES)})[1 + (x.i / 7) % {len(CATEGORIES)}],
                'Wages unpaid since spring.', e.id, x.received, x.i % 29 = 0, 0, x.i % 53 = 0,
                'received', g.supervisor_id, x.received
            FROM (
                SELECT i, floor(power(random(), 1.6) * {n_grids})::int AS gi,
                    {NOW} - make_interval(secs => power(random(), 1.25) * {span} * 86400)
                        AS received
                FROM generate_series({first}, {last}) i
            ) x
            JOIN bench_grid g ON g.idx = x.gi
            JOIN bench_ent e ON e.grid_idx = x.gi AND e.k = x.i % {ENTERPRISES}
            """,
        )
        # The status of its last step so far.
        c.execute(
            f"""
            UPDATE {t["petition"]} p SET status = last.to_status
            FROM (
                SELECT DISTINCT ON (p.id) p.id, s.to_status
                FROM {t["petition"]} p JOIN bench_step s ON s.path = {path_of}
                WHERE p.id BETWEEN {first} AND {last} AND {at} <= {NOW}
                ORDER BY p.id, s.seq DESC
            ) last
            WHERE p.id = last.id
            """,
        )
        c.execute(
            f"""
            INSERT INTO {t["claim"]} (petition_id, worker_id, name, phone, non_local,
                claimed_amount, is_representative)
            SELECT p.id, 1 + (p.id * 7919 + k * 104729) % {WORKERS}, 'Worker ' || k, '',
                (p.id + k) % 3 = 0, (3000 + (p.id * 13 + k * 7919) % 20000)::numeric(12, 2),
                k = 1
            FROM {t["petition"]} p
            CROSS JOIN LATERAL generate_series(
                1, CASE WHEN p.is_group THEN 10 + p.id % 21 ELSE 1 + (p.id * 7) % 4 END) k
            WHERE p.id BETWEEN {first} AND {last}
            """,
        )
        c.execute(
            f"""
            INSERT INTO {t["event"]} (petition_id, actor_id, at, transition, from_status,
                to_status, reason, data)
            SELECT p.id, p.created_by_id, {at}, s.transition, s.from_status, s.to_status, '',
                CASE WHEN s.referral IS NULL THEN '{{}}'::jsonb
                     ELSE jsonb_build_object('referral_type', s.referral) END
            FROM {t["petition"]} p JOIN bench_step s ON s.path = {path_of}
            WHERE p.id BETWEEN {first} AND {last} AND {at} <= {NOW}
            """,
        )
        # Fresh statistics, or the planner takes the new rows for none and joins them in loops.
        c.execute(f"ANALYZE {t['petition']}, {t['claim']}, {t['event']}")
        in_chunk = f"ev.petition_id BETWEEN {first} AND {last}"
        c.execute(
            f"""
            INSERT INTO {t["closure"]} (petition_id, outcome_notice, rating, comment,
                recorded_by_id, recorded_at)
            SELECT ev.petition_id, 'Told by phone.',
                CASE WHEN ev.id % 10 < 7 THEN 5 - (ev.id * 7 % 13) / 4 END, '', ev.actor_id, ev.at
            FROM {t["event"]} ev WHERE {in_chunk} AND ev.transition = 'close'
            """,
        )
        c.execute(
            f"""
            INSERT INTO {t["agreement"]} (petition_id, due_date, signed_on, terms,
                recorded_by_id, recorded_at)
            SELECT ev.petition_id, (ev.at AT TIME ZONE 'Asia/Shanghai')::date + 14,
                (ev.at AT TIME ZONE 'Asia/Shanghai')::date, '', ev.actor_id, ev.at
            FROM {t["event"]} ev WHERE {in_chunk} AND ev.transition = 'reach_agreement'
            """,
        )
        c.execute(
            f"""
            INSERT INTO {t["line"]} (agreement_id, claim_id, amount)
            SELECT a.id, cl.id, round(cl.claimed_amount * 0.85, 2)
            FROM {t["agreement"]} a JOIN {t["claim"]} cl ON cl.petition_id = a.petition_id
            WHERE a.petition_id BETWEEN {first} AND {last}
            """,
        )
        deadlines(c, t, first, last, now)
        fund(c, t, first, last, now)
        if VERBOSE:
            say("    " + ", ".join(f"{ms / 1000:.1f}" for ms in c.times) + " s per statement")


class Timed:
    """A cursor that keeps how long each statement took (`--verbose`)."""

    def __init__(self, cursor):
        self.cursor, self.times = cursor, []

    def execute(self, sql, params=None):
        started = time.perf_counter()
        self.cursor.execute(sql, params)
        self.times.append((time.perf_counter() - started) * 1000)

    def fetchall(self):
        return self.cursor.fetchall()


def literal(now):
    return f"'{now.isoformat()}'::timestamptz"


def deadlines(c, t, first, last, now):
    """Acknowledgement from receipt (stopped by the first step), mediation from its start
    (stopped by the agreement or the failure); breached when stopped late or still open late."""
    NOW = literal(now)
    c.execute(f"SELECT id FROM {t['rule']} ORDER BY id LIMIT 2")
    acknowledge, mediation = (pk for (pk,) in c.fetchall())
    chunk = f"petition_id BETWEEN {first} AND {last}"

    def first_step(transitions):
        """(petition_id, at) of each petition's first step among `transitions`, as a table."""
        return (
            f"(SELECT petition_id, min(at) AS at FROM {t['event']} WHERE {chunk}"
            f" AND transition IN ({transitions}) GROUP BY petition_id)"
        )

    for rule, opened, stopped_by, days in (
        (
            acknowledge,
            f"(SELECT id AS petition_id, received_at AS at FROM {t['petition']}"
            f" WHERE id BETWEEN {first} AND {last})",
            "'accept', 'reject', 'refer_out'",
            3,
        ),
        (
            mediation,
            first_step("'start_mediation'"),
            "'reach_agreement', 'fail_mediation'",
            30,
        ),
    ):
        c.execute(
            f"""
            INSERT INTO {t["deadline"]} (petition_id, rule_id, opened_at, due_at, extended_by,
                breached_at, closed_at)
            SELECT d.petition_id, {rule}, d.at, d.due, 0,
                CASE WHEN coalesce(d.stopped, {NOW}) > d.due THEN d.due END, d.stopped
            FROM (
                SELECT o.petition_id, o.at, o.at + interval '1 day' * {days} AS due,
                    s.at AS stopped
                FROM {opened} o LEFT JOIN {first_step(stopped_by)} s USING (petition_id)
            ) d
            """
        )


def fund(c, t, first, last, now):
    """A paid release on each petition whose owner is missing (released ten days after
    receipt), a line per worker; recoveries, their corrections and write-offs on some."""
    NOW = literal(now)
    c.execute(
        f"""
        INSERT INTO {t["release"]} (id, fund_id, petition_id, status, total, reason,
            created_by_id, created_at, submitted_by_id, approved_by_id, needs_signature,
            decision_note, updated_at)
        SELECT p.id, g.fund_id, p.id, 'disbursed', 0, 'Owner missing.', g.supervisor_id,
            p.received_at + interval '10 days', g.supervisor_id, g.supervisor_id, false, '',
            p.received_at + interval '12 days'
        FROM {t["petition"]} p JOIN bench_grid g ON g.id = p.org_unit_id
        WHERE p.id BETWEEN {first} AND {last} AND p.owner_missing
            AND p.received_at + interval '12 days' <= {NOW}
        """,
    )
    in_chunk = f"r.id BETWEEN {first} AND {last}"
    c.execute(
        f"""
        INSERT INTO {t["rline"]} (release_id, petition_id, worker_id, purpose, amount, state,
            payment_reference, failure_reason, paid_at, live)
        SELECT r.id, r.petition_id, cl.worker_id, 'wages', least(2000, cl.claimed_amount),
            'paid', 'BANK-' || cl.id, '', r.updated_at, true
        FROM {t["release"]} r JOIN {t["claim"]} cl ON cl.petition_id = r.petition_id
        WHERE {in_chunk}
        """,
    )
    c.execute(
        f"""
        UPDATE {t["release"]} r SET total = s.total
        FROM (SELECT release_id, sum(amount) AS total FROM {t["rline"]}
              WHERE release_id BETWEEN {first} AND {last} GROUP BY release_id) s
        WHERE r.id = s.release_id
        """,
    )
    entry = (
        f"INSERT INTO {t['entry']} (fund_id, kind, source, release_id, reverses_id, reference,"
        " memo, booked_at, booked_by_id)"
    )
    posting = (
        f"INSERT INTO {t['posting']} (entry_id, fund_id, account, amount, release_id, line_id)"
    )
    finance = "(SELECT finance_id FROM bench_grid WHERE fund_id = r.fund_id LIMIT 1)"
    # Paid out: cash credited, each line's receivable debited.
    c.execute(
        f"""{entry}
        SELECT r.fund_id, 'disbursement', '', r.id, NULL, 'BANK', '', r.updated_at, {finance}
        FROM {t["release"]} r WHERE {in_chunk}""",
    )
    c.execute(
        f"""{posting}
        SELECT je.id, je.fund_id, 'cash', -r.total, NULL, NULL
        FROM {t["entry"]} je JOIN {t["release"]} r ON r.id = je.release_id
        WHERE {in_chunk} AND je.kind = 'disbursement'
        UNION ALL
        SELECT je.id, je.fund_id, 'receivable', ln.amount, r.id, ln.id
        FROM {t["entry"]} je JOIN {t["release"]} r ON r.id = je.release_id
            JOIN {t["rline"]} ln ON ln.release_id = r.id
        WHERE {in_chunk} AND je.kind = 'disbursement'""",
    )
    # Recovered from the employer, a month or more later, on half of them: 40 per cent.
    c.execute(
        f"""{entry}
        SELECT r.fund_id, 'recovery', 'employer', r.id, NULL, '', '',
            r.updated_at + interval '1 day' * (30 + r.id % 60), {finance}
        FROM {t["release"]} r
        WHERE {in_chunk} AND r.id % 2 = 0
            AND r.updated_at + interval '1 day' * (30 + r.id % 60) <= {NOW}""",
    )
    # A write-off of a fifth on some others.
    c.execute(
        f"""{entry}
        SELECT r.fund_id, 'write_off', '', r.id, NULL, '', 'Employer gone.',
            r.updated_at + interval '1 day' * (180), {finance}
        FROM {t["release"]} r
        WHERE {in_chunk} AND r.id % 7 = 1 AND r.updated_at + interval '180 days' <= {NOW}""",
    )
    c.execute(
        f"""{posting}
        SELECT je.id, je.fund_id, acct.account, acct.sign * round(r.total * share, 2), r.id, NULL
        FROM {t["entry"]} je JOIN {t["release"]} r ON r.id = je.release_id
        CROSS JOIN LATERAL (SELECT CASE je.kind WHEN 'recovery' THEN 0.4 ELSE 0.2 END AS share) s
        CROSS JOIN LATERAL (VALUES
            (CASE je.kind WHEN 'recovery' THEN 'cash' ELSE 'write_offs' END, 1),
            ('receivable', -1)) acct(account, sign)
        WHERE {in_chunk} AND je.kind IN ('recovery', 'write_off')""",
    )
    # One recovery in ten booked in error and reversed two days later.
    c.execute(
        f"""{entry}
        SELECT je.fund_id, 'correction', '', je.release_id, je.id, '', 'Booked in error.',
            je.booked_at + interval '2 days', je.booked_by_id
        FROM {t["entry"]} je JOIN {t["release"]} r ON r.id = je.release_id
        WHERE {in_chunk} AND je.kind = 'recovery' AND r.id % 10 = 0
            AND je.booked_at + interval '2 days' <= {NOW}""",
    )
    c.execute(
        f"""{posting}
        SELECT je.id, je.fund_id, po.account, -po.amount, po.release_id, po.line_id
        FROM {t["entry"]} je JOIN {t["release"]} r ON r.id = je.release_id
            JOIN {t["posting"]} po ON po.entry_id = je.reverses_id
        WHERE {in_chunk} AND je.kind = 'correction'""",
    )


def fill(size, done, n_grids, now):
    from django.db import connection

    started = time.perf_counter()
    for first in range(done + 1, size + 1, CHUNK):
        last = min(first + CHUNK - 1, size)
        grow(first, last, n_grids, now)
        say(f"  petitions {first:,}..{last:,}: {time.perf_counter() - started:.0f} s")
    with connection.cursor() as c:
        for model in ("casework.Petition", "fund.Release"):
            name = table(model)
            c.execute(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), %s)", [size])
        c.execute("ANALYZE")
    say(f"filled {size:,} petitions in {time.perf_counter() - started:.0f} s: {counts()}")


def counts():
    from django.db import connection

    parts = []
    with connection.cursor() as c:
        for label, model in (
            ("claims", "casework.Claim"),
            ("events", "casework.CaseEvent"),
            ("agreements", "casework.Agreement"),
            ("deadlines", "workflows.Deadline"),
            ("releases", "fund.Release"),
            ("postings", "fund.Posting"),
        ):
            c.execute(f"SELECT count(*) FROM {table(model)}")
            parts.append(f"{c.fetchone()[0]:,} {label}")
    return ", ".join(parts)


# 3. The measurements.


def timed(client, url, requests, warm_up):
    """(p50, p95, max in ms, queries per request, the queries of the last request)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _i in range(warm_up):
        response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{url}: HTTP {response.status_code}")
    times = []
    for _i in range(requests):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, times[-1], len(queries), queries.captured_queries


def measure(size, federation, zones, users, options):
    requests = options.requests
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    today = timezone.localdate()
    periods = {
        "this month": (today.replace(day=1), today),
        "this year": (today.replace(month=1, day=1), today),
        "3 years": (today.replace(year=today.year - 3) + datetime.timedelta(days=1), today),
    }
    say(f"\n{size:,} petitions, {requests} requests each (p95 goal {GOAL_MS} ms)")
    say(f"{'page':<40} {'p50':>8} {'p95':>8} {'max':>8} {'queries':>8} {'p95/base':>9}")
    slowest = (0, None, None)
    for who, unit in (
        ("fed_supervisor", federation),
        ("supervisor_00", zones[0].zone),
    ):
        client = Client(SERVER_NAME="localhost")
        client.force_login(users[who])
        base = timed(client, reverse("casework:petition-list"), requests, options.warm_up)
        say(
            f"{who + ' case list (baseline)':<40} {base[0]:8.1f} {base[1]:8.1f} {base[2]:8.1f}"
            f" {base[3]:8d}"
        )
        for label, (start, end) in periods.items():
            url = f"{reverse('figures:page')}?unit={unit.pk}&start={start}&end={end}"
            p50, p95, top, n, captured = timed(client, url, requests, options.warm_up)
            ratio = p95 / base[1] if base[1] else float("nan")
            say(
                f"{who + ' figures, ' + label:<40} {p50:8.1f} {p95:8.1f} {top:8.1f} {n:8d}"
                f" {ratio:9.2f}"
            )
            if p95 > slowest[0]:
                slowest = (p95, f"{who} {label}", captured)
    if options.explain and slowest[2]:
        show_plans(slowest[1], slowest[2])


def recount():
    """The tallies recounted from the records the fill wrote around the services, then what
    one stale day (a new petition) costs the next reader."""
    from django.utils import timezone

    from figures import tallies
    from figures.models import StaleDay

    started = time.perf_counter()
    tallies.rebuild()
    say(f"tallies: every day recounted from the records in {time.perf_counter() - started:.0f} s")
    StaleDay.objects.create(day=timezone.localdate())
    started = time.perf_counter()
    tallies.refresh()
    say(f"tallies: one stale day recounted in {(time.perf_counter() - started) * 1000:.0f} ms")


def agreement(federation, zone):
    """The figures read from the tallies against the same figures counted from the records,
    for each unit and period measured, with the time the count takes."""
    from django.utils import timezone

    from figures import services

    today = timezone.localdate()
    say(f"\n{'figures counted from the records':<40} {'ms':>8}  agree with the tallies")
    for unit in (federation, zone):
        for label, start in (
            ("this year", today.replace(month=1, day=1)),
            ("3 years", today.replace(year=today.year - 3) + datetime.timedelta(days=1)),
        ):
            started = time.perf_counter()
            counted = services.counted_unit_figures(unit, start, today)
            took = (time.perf_counter() - started) * 1000
            kept = services.unit_figures(unit, start, today)
            same = services.table(kept) == services.table(counted)
            say(f"{unit.name + ', ' + label:<40} {took:8.0f}  {'yes' if same else 'NO'}")


def show_plans(label, captured, top=4):
    from django.db import connection

    say(f"\nslowest queries of {label}:")
    for query in sorted(captured, key=lambda q: -float(q["time"]))[:top]:
        say(f"--- {float(query['time']) * 1000:.1f} ms\n{query['sql'][:600]}")
        with connection.cursor() as c:
            c.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            say("\n".join(row[0] for row in c.fetchall()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000,1000000", help="petitions, growing")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--warm-up", type=int, default=3, help="requests before timing")
    parser.add_argument("--database", default=SCRATCH_PG_NAME)
    parser.add_argument("--keep", action="store_true", help="leave the scratch database")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="time each INSERT")
    options = parser.parse_args()
    global VERBOSE
    VERBOSE = options.verbose
    sizes = sorted(int(s) for s in options.sizes.split(","))
    with scratch_database(options.database, keep=options.keep):
        from django.db import connection
        from django.utils import timezone

        if connection.vendor != "postgresql":
            sys.exit("bench/figures.py needs PostgreSQL: set DATABASE_URL.")
        say(describe_database())
        federation, zones, users = build_world()
        n_grids = lookup_tables(zones, users)
        workers()
        now, done = timezone.now(), 0
        for size in sizes:
            fill(size, done, n_grids, now)
            done = size
            recount()
            measure(size, federation, zones, users, options)
            agreement(federation, zones[0].zone)


if __name__ == "__main__":
    main()
