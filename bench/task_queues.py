"""The mediator's queue pages and the task list API on a city-sized database: p50/p95 per request.

Run from the repository root, on the database DATABASE_URL points at (SQLite by default):

    .venv/bin/python bench/task_queues.py [--petitions 100000] [--real 240] [--requests 200]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/task_queues.py

Existing data is never touched: the run has a scratch database of its own (`scratch.py`: a
temporary SQLite file, or `casework_bench_queue` on the same PostgreSQL server), dropped at the
end (`--keep` leaves it for EXPLAIN by hand).

How the rows are made, fast but as the flow would have made them:

1. The world, built with `demo.builders`: ZONES zone unions of GRIDS grid areas each, ENTERPRISES
   enterprises per grid area, a clerk and a supervisor per zone, two mediators per grid area.
2. `--real` petitions (a few hundred) go through the real services in the first zone, under the
   demo's simulated clock: `services.record_petition` (which starts the flow), mediation sessions
   and `services.fire_transition` step by step by whoever holds the task, some tasks claimed,
   some released to the queue with `workflows.services.unassign_task`, every final status. These
   are the templates.
3. All the others are clones of a template, written in bulk (`bulk_create`; multi-row INSERTs for
   the child tables of viewflow's Process and Task, which `bulk_create` refuses): the petition with
   new workers and claims, its case events, its flow processes and tasks with their `previous`
   links, its sessions, agreement with lines and closure - shifted by whole days to the clone's
   receipt and moved to the clone's zone, grid area, enterprise, clerk, supervisor and mediators.
   Each clone is what the flow made for its template; recording 100,000 petitions through the
   services instead would take hours (some 35 ms per step on PostgreSQL, `transitions.py`).
4. The proof: over all rows, every petition that is not closed has exactly one open human task,
   at the node its status calls for, and a closed one has none; then PROVE bulk petitions are
   moved one step further through `services.fire_transition`, so the real flow takes up the
   cloned tasks.

Then, with Django's test Client logged in as a mediator of one grid area and as the supervisor
of that zone, each list is requested `--requests` times after a warm-up: the My tasks page
(`workflows:my-tasks`), the zone queue page (`workflows:queue`), the supervisor's board
(`workflows:board`) and the task list API (`/api/tasks/?view=mine` and `?view=queue`). The table
gives p50/p95 in ms and the SQL queries per request. On PostgreSQL, the slowest queries of a list
whose p95 exceeds the goal (50 ms) are shown with EXPLAIN ANALYZE.
"""

import argparse
import datetime
import random
import statistics
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from scratch import describe_database, scratch_database

SCRATCH_PG_NAME = "casework_bench_queue"
SEED = 12351
ZONES = 20
GRIDS = 10  # per zone
ENTERPRISES = 5  # per grid area
CHUNK = 2000  # petitions cloned per round of inserts
PROVE = 40
GOAL_MS = 50
WARM_UP = 10

# Final statuses of the clones (per cent): most petitions of two years are closed.
MIX = {
    "received": 5,
    "accepted": 3,
    "rejected": 2,
    "referred_out": 2,
    "in_mediation": 8,
    "agreement_reached": 5,
    "mediation_failed": 2,
    "fulfilled": 3,
    "breached": 2,
    "referred": 3,
    "closed": 62,
    "reopened": 3,
}
# The node whose task is open for each status (closed: none).
NODE_OF = {
    "received": "triage",
    "accepted": "start_mediation",
    "reopened": "start_mediation",
    "in_mediation": "mediate",
    "agreement_reached": "check_fulfilment",
    "mediation_failed": "refer",
    "breached": "refer",
    "fulfilled": "close",
    "referred": "close",
    "rejected": "close",
    "referred_out": "close",
}
# The next step used to prove that the flow takes up cloned tasks.
NEXT_STEP = {
    "received": "accept",
    "accepted": "start_mediation",
    "reopened": "start_mediation",
    "in_mediation": "reach_agreement",
    "agreement_reached": "confirm_fulfilment",
    "mediation_failed": "refer",
    "breached": "refer",
    "fulfilled": "close",
    "referred": "close",
    "rejected": "close",
    "referred_out": "close",
}
HISTORY_DAYS = 730
RECENT_DAYS = 45  # open petitions were received at most this long before their last step


def say(message):
    print(message, flush=True)


# 1. The world.


@dataclass
class Zone:
    unit: object
    clerk: object
    supervisor: object
    grids: list = field(default_factory=list)  # [Grid]


@dataclass
class Grid:
    unit: object
    zone: Zone
    enterprises: list
    mediators: list


def make_world():
    from demo.builders import CreditCodes, Person, enterprises, org_tree, people

    trees = []
    for z in range(1, ZONES + 1):
        grids = [f"Zone {z} grid {g}" for g in range(1, GRIDS + 1)]
        trees.append(org_tree("Bench federation", f"Zone {z}", f"Q{z:02d}", grids))
    staff = people(
        Person(f"q{z:02d}-{job}", job_role, [tree.zone])
        for z, tree in enumerate(trees, 1)
        for job, job_role in (("clerk", "intake_clerk"), ("supervisor", "supervisor"))
    )
    mediators = people(
        Person(f"q{z:02d}-g{g:02d}-mediator{k}", "mediator", [grid])
        for z, tree in enumerate(trees, 1)
        for g, grid in enumerate(tree.grids, 1)
        for k in (1, 2)
    )
    rows = [
        {"name": f"Enterprise {z}-{g}-{e}", "grid_area": grid, "headcount": 100}
        for z, tree in enumerate(trees, 1)
        for g, grid in enumerate(tree.grids, 1)
        for e in range(ENTERPRISES)
    ]
    firms = iter(enterprises(rows, codes=CreditCodes("330881")))
    zones = []
    for z, tree in enumerate(trees, 1):
        zone = Zone(tree.zone, staff[f"q{z:02d}-clerk"], staff[f"q{z:02d}-supervisor"])
        for g, grid in enumerate(tree.grids, 1):
            named = [mediators[f"q{z:02d}-g{g:02d}-mediator{k}"] for k in (1, 2)]
            ours = [next(firms) for _ in range(ENTERPRISES)]
            zone.grids.append(Grid(grid, zone, ours, named))
        zones.append(zone)
    return zones


def workers_of(region):
    """Workers' rows with valid, unique ID numbers, from a serial."""
    from demo.builders import Workers

    return Workers(region, born=datetime.date(1960, 1, 1))


# 2. The templates, through the real services.


def record_templates(zones, count, rng):
    """`count` petitions of the first zone, every final status, driven by the services."""
    from demo.loader import GAPS, PATHS, simulated_clock

    zone, now = zones[0], now_local()
    workers = workers_of("330802")
    statuses = list(PATHS)  # every status, in the order of casework's Status
    per_status = max(1, count // len(statuses))
    petitions = []
    with simulated_clock() as clock:
        for n in range(per_status * len(statuses)):
            status = statuses[n % len(statuses)]
            steps = rng.choice(PATHS[status])
            grid = zone.grids[n % len(zone.grids)]
            # A few hours at least between two steps: room for a claim or a session before each.
            gaps = [
                datetime.timedelta(days=rng.randint(*GAPS[s]), hours=rng.randint(3, 6))
                for s in steps
            ]
            tail = datetime.timedelta(days=rng.randint(0, 6), minutes=rng.randint(180, 600))
            at = now - sum(gaps, tail)
            clock.now = at
            petition = record(zone, grid, workers, rng, at)
            story = Story(petition, zone, grid, rng, clock)
            if steps[:1] != ["reject"] and rng.random() < 0.3:
                story.later(hours=1)
                story.claim(zone.clerk)
            for step, gap in zip(steps, gaps, strict=True):
                if step in ("reach_agreement", "fail_mediation"):
                    count = rng.randint(1, 2)
                    for k in range(count):
                        story.later(seconds=gap.total_seconds() / 3 * rng.random())
                        story.session(step, last=k == count - 1)
                clock.now = at = at + gap
                story.step(step)
            if status in ("accepted", "reopened", "in_mediation"):
                if rng.random() < 0.3:
                    story.later(hours=2)
                    story.release()
            petitions.append(petition)
    return petitions


def now_local():
    from django.utils import timezone

    return timezone.localtime(timezone.now()).replace(microsecond=0)


def record(zone, grid, workers, rng, at):
    from demo.builders import record_petition

    rows = [
        workers.row(claimed_amount=rng.randint(30, 300) * 100)
        for _ in range(rng.choice([1, 1, 1, 2, 3]))
    ]
    return record_petition(
        zone.clerk,
        rng.choice(grid.enterprises),
        rows,
        channel=rng.choice(["visit", "hotline_12351", "online"]),
        category=rng.choice(["remuneration", "remuneration", "dismissal", "labor_contract"]),
        received_at=at,
        priority=rng.choice([0, 0, 0, 0, 1, 2]),
    )


class Story:
    """One template petition's actions, each by the person the flow and the rules call for."""

    def __init__(self, petition, zone, grid, rng, clock):
        self.petition, self.zone, self.grid, self.rng, self.clock = petition, zone, grid, rng, clock

    def later(self, **delta):
        self.clock.now += datetime.timedelta(**delta)

    def task(self):
        from workflows import services as workflow

        return workflow.open_task(self.petition)

    def holder(self, step):
        """Who fires `step`: the task's holder if allowed, else who would take it from the queue,
        else the supervisor (who may act on anyone's task)."""
        from casework import services

        users = {u.pk: u for u in [self.zone.clerk, self.zone.supervisor, *self.grid.mediators]}
        allowed = services.transition_spec(self.petition, step).has_perm
        task = self.task() if step != "reopen" else None
        if task is not None and task.owner_id is not None:
            holder = users[task.owner_id]
            return holder if allowed(self.petition, holder) else self.zone.supervisor
        for candidate in (self.zone.clerk, *self.grid.mediators):
            if allowed(self.petition, candidate):
                return candidate
        return self.zone.supervisor

    def claim(self, user):
        from workflows import services as workflow

        workflow.claim_task(self.task(), actor=user)

    def release(self):
        from workflows import services as workflow

        task = self.task()
        if task.owner_id is not None:
            workflow.unassign_task(task, actor=task.owner, reason="Away this week.")

    def session(self, outcome_step, last):
        from casework import services

        outcome = "agreement" if outcome_step == "reach_agreement" else "no_agreement"
        services.record_session(
            self.petition,
            actor=self.holder(outcome_step),
            data={
                "held_at": self.clock.now,
                "place": "Zone union mediation room",
                "parties_present": "The workers, the employer's HR manager, the mediator.",
                "notes": "Heard both sides.",
                "outcome": outcome if last else "continued",
            },
        )

    def step(self, name):
        from casework import services

        reason, data = step_input(name, self.rng)
        actor = self.holder(name)
        services.fire_transition(self.petition, name, actor=actor, reason=reason, data=data)


def step_input(name, rng):
    from django.utils import timezone

    today = timezone.localdate()
    if name == "reach_agreement":
        due = today + datetime.timedelta(days=rng.randint(5, 30))
        return "", {"signed_on": today.isoformat(), "due_date": due.isoformat()}
    if name == "close":
        rating = rng.choice(["", "3", "4", "5", "5"])
        return "", {"outcome_notice": "Told the workers by phone.", "rating": rating}
    if name == "refer_out":
        return "Belongs to the construction bureau.", {"body": "Construction bureau"}
    if name == "refer":
        return "", {"referral_type": "arbitration", "body": "Arbitration commission"}
    if name in ("reject", "fail_mediation", "record_breach", "reopen"):
        return "As the workers and the employer said.", {}
    return "", {}


# 3. The clones, in bulk.


@dataclass
class Template:
    """A service-made petition and everything the flow and the services wrote for it."""

    petition: dict
    grid: Grid
    claims: list
    events: list
    processes: list
    tasks: list
    previous: list  # (task index, its previous task's index)
    sessions: list
    agreements: list  # (fields, [(claim index, amount)])
    closures: list
    last: datetime.datetime


def rows_by_petition(model, ids, order="pk"):
    by_petition = defaultdict(list)
    for row in model.objects.filter(petition__in=ids).order_by(order).values():
        by_petition[row["petition_id"]].append(row)
    return by_petition


def load_templates(petitions, zone):
    from viewflow.workflow.models import Process, Task

    from casework.models import (
        Agreement,
        AgreementLine,
        CaseEvent,
        Claim,
        Closure,
        MediationSession,
        Petition,
    )
    from workflows.models import PetitionProcess, PetitionTask

    ids = [p.pk for p in petitions]
    grid_of = {grid.unit.pk: grid for grid in zone.grids}
    claims = rows_by_petition(Claim, ids)
    events = rows_by_petition(CaseEvent, ids, "id")
    sessions = rows_by_petition(MediationSession, ids)
    closures = rows_by_petition(Closure, ids)
    agreements = rows_by_petition(Agreement, ids)
    lines = defaultdict(list)
    for row in AgreementLine.objects.filter(agreement__petition__in=ids).values():
        lines[row["agreement_id"]].append(row)
    process_of = dict(
        PetitionProcess.objects.filter(petition__in=ids).values_list("pk", "petition_id")
    )
    processes = defaultdict(list)
    for row in Process.objects.filter(pk__in=process_of).order_by("pk").values():
        processes[process_of[row["id"]]].append(row)
    child = {
        row["task_ptr_id"]: row for row in PetitionTask.objects.filter(petition__in=ids).values()
    }
    tasks = defaultdict(list)
    for row in Task.objects.filter(pk__in=child).order_by("pk").values():
        row["due_at"] = child[row["id"]]["due_at"]
        row["is_open"] = child[row["id"]]["is_open"]
        row["in_queue"] = child[row["id"]]["in_queue"]
        tasks[child[row["id"]]["petition_id"]].append(row)
    links = defaultdict(list)
    for from_id, to_id in Task.previous.through.objects.filter(from_task__in=child).values_list(
        "from_task_id", "to_task_id"
    ):
        links[child[from_id]["petition_id"]].append((from_id, to_id))

    templates = []
    for row in Petition.objects.filter(pk__in=ids).order_by("pk").values():
        pk = row["id"]
        index = {task["id"]: i for i, task in enumerate(tasks[pk])}
        claim_index = {claim["id"]: i for i, claim in enumerate(claims[pk])}
        templates.append(
            Template(
                petition=row,
                grid=grid_of[row["org_unit_id"]],
                claims=claims[pk],
                events=events[pk],
                processes=processes[pk],
                tasks=tasks[pk],
                previous=[(index[a], index[b]) for a, b in links[pk]],
                sessions=sessions[pk],
                agreements=[
                    (
                        a,
                        [
                            (claim_index[line["claim_id"]], line["amount"])
                            for line in lines[a["id"]]
                        ],
                    )
                    for a in agreements[pk]
                ],
                closures=closures[pk],
                last=events[pk][-1]["at"],
            )
        )
    return templates


class Cloner:
    """Writes clones of templates, CHUNK petitions at a time."""

    def __init__(self, zones, templates, rng):
        from django.contrib.contenttypes.models import ContentType

        from casework.models import Petition, PetitionSequence

        self.zones, self.rng = zones, rng
        self.by_status = defaultdict(list)
        for template in templates:
            self.by_status[template.petition["status"]].append(template)
        self.grids = [grid for zone in zones for grid in zone.grids]
        self.workers = workers_of("330803")
        self.now = now_local()
        self.serials = Counter(
            {(s.zone_id, s.year): s.last_value for s in PetitionSequence.objects.all()}
        )
        self.petition_type = ContentType.objects.get_for_model(Petition).pk

    def clone(self, count):
        from django.db import transaction

        statuses = list(MIX)
        weights = list(MIX.values())
        done = 0
        while done < count:
            size = min(CHUNK, count - done)
            picks = []
            for _ in range(size):
                status = self.rng.choices(statuses, weights)[0]
                template = self.rng.choice(self.by_status[status])
                grid = self.rng.choice(self.grids)
                picks.append((template, grid, self.shift(template), self.rng.random() < 0.5))
            with transaction.atomic():
                self.write(picks)
            done += size
            if done % 20000 < CHUNK:
                say(f"  {done} petitions cloned")
        self.save_sequences()

    def shift(self, template):
        """Whole days, so times of day stay in office hours and due dates stay on their day."""
        latest = (self.now - template.last).days
        if template.petition["status"] == "closed":
            earliest = latest - (
                HISTORY_DAYS - (template.last - template.petition["received_at"]).days
            )
        else:
            earliest = latest - RECENT_DAYS
        return datetime.timedelta(days=self.rng.randint(min(earliest, latest), latest))

    def users(self, template, grid, flip):
        """Template user id -> clone user, slot by slot (clerk, supervisor, mediator k)."""
        source, zone = template.grid, grid.zone
        mapping = {
            source.zone.clerk.pk: zone.clerk,
            source.zone.supervisor.pk: zone.supervisor,
        }
        for k, mediator in enumerate(source.mediators):
            mapping[mediator.pk] = grid.mediators[(k + flip) % len(grid.mediators)]
        return mapping

    def write(self, picks):
        from casework.models import Petition
        from demo.builders import add_claims

        petitions, workers = [], []
        for template, grid, delta, _flip in picks:
            petitions.append(self.petition(template, grid, delta))
            workers.append(
                [
                    self.workers.row(c["claimed_amount"], is_representative=c["is_representative"])
                    for c in template.claims
                ]
            )
        with historic_updated_at():
            Petition.objects.bulk_create(petitions, batch_size=1000)
        claims = iter(add_claims(zip(petitions, workers, strict=True)))
        rows = [
            (petition, *pick, [next(claims) for _ in pick[0].claims])
            for petition, pick in zip(petitions, picks, strict=True)
        ]
        self.write_history(rows)
        self.write_flow(rows)

    def petition(self, template, grid, delta):
        from casework.models import Petition

        row = template.petition
        received = row["received_at"] + delta
        zone = grid.zone.unit
        year = received.astimezone(self.now.tzinfo).year
        self.serials[(zone.pk, year)] += 1
        return Petition(
            number=f"{zone.code}-{year}-{self.serials[(zone.pk, year)]:06d}",
            zone=zone,
            org_unit=grid.unit,
            channel=row["channel"],
            category=row["category"],
            description=row["description"],
            enterprise=self.rng.choice(grid.enterprises),
            received_at=received,
            owner_missing=row["owner_missing"],
            priority=row["priority"],
            is_group=row["is_group"],
            status=row["status"],
            created_by=grid.zone.clerk,
            updated_at=template.last + delta,
        )

    def write_history(self, rows):
        from casework.models import (
            Agreement,
            AgreementLine,
            CaseEvent,
            Closure,
            MediationSession,
        )

        events, sessions, closures, agreements, lines = [], [], [], [], []
        for petition, template, grid, delta, flip, claims in rows:
            users = self.users(template, grid, flip)
            names = {u: users[u].username for u in users}
            usernames = {
                old.username: users[pk].username
                for pk, old in self.template_users(template).items()
                if pk in names
            }
            for e in template.events:
                data = {
                    k: usernames.get(v, v) if k in ("owner", "from", "to") else v
                    for k, v in e["data"].items()
                }
                events.append(
                    CaseEvent(
                        **fields(e, "petition_id", "actor_id", "at", "data"),
                        petition=petition,
                        actor=users[e["actor_id"]],
                        at=e["at"] + delta,
                        data=data,
                    )
                )
            for s in template.sessions:
                sessions.append(
                    MediationSession(
                        **fields(s, "petition_id", "recorded_by_id", "held_at", "recorded_at"),
                        petition=petition,
                        recorded_by=users[s["recorded_by_id"]],
                        held_at=s["held_at"] + delta,
                        recorded_at=s["recorded_at"] + delta,
                    )
                )
            for c in template.closures:
                closures.append(
                    Closure(
                        **fields(c, "petition_id", "recorded_by_id", "recorded_at"),
                        petition=petition,
                        recorded_by=users[c["recorded_by_id"]],
                        recorded_at=c["recorded_at"] + delta,
                    )
                )
            for a, agreed in template.agreements:
                agreement = Agreement(
                    **fields(
                        a, "petition_id", "recorded_by_id", "recorded_at", "signed_on", "due_date"
                    ),
                    petition=petition,
                    recorded_by=users[a["recorded_by_id"]],
                    recorded_at=a["recorded_at"] + delta,
                    signed_on=a["signed_on"] + delta,
                    due_date=a["due_date"] + delta,
                )
                agreements.append(agreement)
                lines += [(agreement, claims[i], amount) for i, amount in agreed]
        CaseEvent.objects.bulk_create(events, batch_size=2000)
        MediationSession.objects.bulk_create(sessions, batch_size=2000)
        Closure.objects.bulk_create(closures, batch_size=2000)
        Agreement.objects.bulk_create(agreements, batch_size=2000)
        AgreementLine.objects.bulk_create(
            [AgreementLine(agreement=a, claim=c, amount=m) for a, c, m in lines], batch_size=2000
        )

    @staticmethod
    def template_users(template):
        source = template.grid
        return {u.pk: u for u in [source.zone.clerk, source.zone.supervisor, *source.mediators]}

    def write_flow(self, rows):
        from viewflow.workflow.models import Process, Task

        from workflows.models import PetitionProcess, PetitionTask

        processes, tasks, links = [], [], []
        for petition, template, grid, delta, flip, _claims in rows:
            users = self.users(template, grid, flip)
            process_of = {}
            for p in template.processes:
                process = Process(
                    **fields(p, "created", "finished", "artifact_object_id"),
                    created=p["created"] + delta,
                    finished=p["finished"] and p["finished"] + delta,
                    artifact_object_id=petition.pk,
                )
                process_of[p["id"]] = process
                processes.append((process, petition))
            first = len(tasks)
            for t in template.tasks:
                times = {
                    name: t[name] and t[name] + delta
                    for name in ("created", "assigned", "started", "finished", "scheduled")
                }
                task = Task(
                    **fields(t, "process_id", "owner_id", "due_at", "is_open", "in_queue", *times),
                    **times,
                    process=process_of[t["process_id"]],
                    owner=users[t["owner_id"]] if t["owner_id"] else None,
                )
                due = t["due_at"] and t["due_at"] + delta
                tasks.append((task, petition, due, t["is_open"], t["in_queue"]))
            links += [(first + a, first + b) for a, b in template.previous]
        Process.objects.bulk_create([p for p, _ in processes], batch_size=2000)
        insert_rows(
            PetitionProcess,
            ["process_ptr_id", "petition_id"],
            [(p.pk, petition.pk) for p, petition in processes],
        )
        for task, *_ in tasks:
            task.process_id = task.process.pk  # set after the processes got their ids
        Task.objects.bulk_create([t for t, *_ in tasks], batch_size=2000)
        insert_rows(
            PetitionTask,
            ["task_ptr_id", "petition_id", "org_unit_id", "is_open", "in_queue", "due_at"],
            [(t.pk, p.pk, p.org_unit_id, *flags, due) for t, p, due, *flags in tasks],
        )
        Through = Task.previous.through
        Through.objects.bulk_create(
            [Through(from_task_id=tasks[a][0].pk, to_task_id=tasks[b][0].pk) for a, b in links],
            batch_size=2000,
        )

    def save_sequences(self):
        from casework.models import PetitionSequence

        for (zone_id, year), last in self.serials.items():
            PetitionSequence.objects.update_or_create(
                zone_id=zone_id, year=year, defaults={"last_value": last}
            )


@contextmanager
def historic_updated_at():
    """`updated_at` is `auto_now`: let bulk_create keep the clone's own time instead."""
    from casework.models import Petition

    updated_at = Petition._meta.get_field("updated_at")
    updated_at.auto_now = False
    try:
        yield
    finally:
        updated_at.auto_now = True


def fields(row, *excluded):
    """A values() row as constructor arguments, without its id and the named fields."""
    return {k: v for k, v in row.items() if k != "id" and k not in excluded}


def insert_rows(model, columns, rows):
    """Multi-row INSERTs into a multi-table-inheritance child table (`bulk_create` refuses
    those); datetimes adapted as the backend stores them."""
    from django.db import connection

    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    names = ", ".join(ops.quote_name(c) for c in columns)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per = 900 // len(columns)
    with connection.cursor() as cursor:
        for i in range(0, len(rows), per):
            chunk = rows[i : i + per]
            params = [
                ops.adapt_datetimefield_value(v) if isinstance(v, datetime.datetime) else v
                for row in chunk
                for v in row
            ]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(chunk))}", params
            )


# 4. The proof.


def check_every_petition():
    """Every petition not closed: exactly one open human task, at its status's node; closed: none.
    Returns the number of petitions checked."""
    from casework.models import Petition
    from workflows.models import OPEN_TASK_STATUSES, PetitionTask

    open_nodes = defaultdict(list)
    rows = PetitionTask.objects.filter(flow_task_type="HUMAN", status__in=OPEN_TASK_STATUSES)
    for petition_id, node in rows.values_list("petition_id", "flow_task").iterator(10000):
        open_nodes[petition_id].append(node.name)
    checked = 0
    for pk, status in Petition.objects.values_list("pk", "status").iterator(10000):
        expected = [NODE_OF[status]] if status in NODE_OF else []
        assert open_nodes.get(pk, []) == expected, (pk, status, open_nodes.get(pk))
        checked += 1
    return checked


def advance_clones(zones, after, count, rng):
    """Move `count` cloned open petitions (pk > `after`) of the first zone one step on, through
    the services."""
    from casework.models import Petition
    from casework.services import fire_transition

    zone = zones[0]
    grid_of = {grid.unit.pk: grid for grid in zone.grids}
    clones = list(
        Petition.objects.filter(zone=zone.unit, status__in=list(NEXT_STEP), pk__gt=after)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    clones = Petition.objects.filter(pk__in=rng.sample(clones, min(count, len(clones))))
    for petition in clones:
        name = NEXT_STEP[petition.status]
        story = Story(petition, zone, grid_of[petition.org_unit_id], rng, None)
        reason, data = step_input(name, rng)
        fire_transition(petition, name, actor=story.holder(name), reason=reason, data=data)
    return len(clones)


# Measuring.

LISTS = [
    # (label, URL name or path, query, personas)
    ("My tasks page", "workflows:my-tasks", {}, ("mediator", "supervisor")),
    ("Zone queue page", "workflows:queue", {}, ("mediator", "supervisor")),
    ("Board page", "workflows:board", {}, ("supervisor",)),
    ("API mine", "/api/tasks/", {"view": "mine"}, ("mediator", "supervisor")),
    ("API queue", "/api/tasks/", {"view": "queue"}, ("mediator", "supervisor")),
]


def url_of(target):
    from django.urls import NoReverseMatch, reverse

    if target.startswith("/"):
        return target
    try:
        return reverse(target)
    except NoReverseMatch:
        return None


def measure(client, url, query, requests):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARM_UP):
        client.get(url, query)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    queries = captured.captured_queries  # now: the next request empties the log
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url, query)
        timings.append(1000 * (time.perf_counter() - started))
    p50 = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=100, method="inclusive")[94]
    size = None
    if response.get("Content-Type", "").startswith("application/json"):
        size = response.json().get("count")
    return p50, p95, queries, size


def explain(queries, top=2):
    """EXPLAIN ANALYZE of the slowest queries of one request (PostgreSQL)."""
    from django.db import connection

    for query in sorted(queries, key=lambda q: -float(q["time"]))[:top]:
        sql = query["sql"]
        shown = sql if len(sql) <= 600 else sql[:600] + "..."
        say(f"    {float(query['time']) * 1000:.1f} ms: {shown}")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            for (line,) in cursor.fetchall():
                say(f"      {line}")


def run_lists(zones, requests, always_explain):
    from django.db import connection
    from django.test import Client

    zone, grid = zones[0], zones[0].grids[0]
    personas = {"mediator": grid.mediators[0], "supervisor": zone.supervisor}
    results, missing = [], []
    for who, user in personas.items():
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        for label, target, query, whom in LISTS:
            if who not in whom:
                continue
            url = url_of(target)
            status = client.get(url, query).status_code if url else 404
            if status != 200:
                missing.append((label, target, status))
                continue
            p50, p95, queries, size = measure(client, url, query, requests)
            db_ms = sum(1000 * float(q["time"]) for q in queries)
            results.append((who, label, p50, p95, len(queries), db_ms, size))
            say(f"  measured {who} / {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
            if connection.vendor == "postgresql" and (p95 > GOAL_MS or always_explain):
                say(f"  {who} / {label}: p95 {p95:.1f} ms; its slowest queries:")
                explain(queries)
    return personas, results, missing


def report(personas, results, missing, requests):
    say("")
    columns = ("p50 ms", "p95 ms", "queries", "SQL ms", "rows")
    say(f"{'persona':<11}{'list':<17}" + "".join(f"{c:>9}" for c in columns))
    for who, label, p50, p95, queries, db_ms, size in results:
        flag = "" if p95 <= GOAL_MS else f"  over {GOAL_MS} ms"
        rows = "" if size is None else size
        say(f"{who:<11}{label:<17}{p50:9.1f}{p95:9.1f}{queries:9d}{db_ms:9.0f}{rows!s:>9}{flag}")
    who = ", ".join(f"{k} {u.username}" for k, u in personas.items())
    say(f"({requests} requests each after {WARM_UP} to warm up; personas: {who}. SQL ms: the")
    say(" time in SQL of one request, from Django's query log; rows: the API's count)")
    for label, target, status in missing:
        say(
            f"NOT MEASURED: {label} ({target}) answered {status}: the page or API is not there "
            f"yet (being written?). Run this script again once it is."
        )


def describe_rows(personas):
    from casework.models import CaseEvent, Petition
    from workflows.models import OPEN_TASK_STATUSES, PetitionTask

    petitions = Petition.objects.count()
    closed = Petition.objects.filter(status="closed").count()
    human = PetitionTask.objects.filter(flow_task_type="HUMAN")
    open_tasks = human.filter(status__in=OPEN_TASK_STATUSES)
    say(
        f"rows:         {petitions} petitions ({petitions - closed} open, {closed} closed) in "
        f"{ZONES} zones of {GRIDS} grid areas; {PetitionTask.objects.count()} flow tasks "
        f"({human.count()} human, {open_tasks.count()} open, "
        f"{open_tasks.filter(owner=None).count()} of them in a queue); "
        f"{CaseEvent.objects.count()} case events"
    )
    mediator = personas["mediator"]
    grid = mediator.memberships.get().org_unit
    say(
        f"the mediator: {mediator.username} holds {open_tasks.filter(owner=mediator).count()} "
        f"open tasks; {open_tasks.filter(owner=None, petition__org_unit=grid).count()} wait "
        f"unassigned in the grid area's queue"
    )


def bench(args):
    from django.db import connection

    rng = random.Random(SEED)
    say(f"database:     {describe_database()}")
    started = time.perf_counter()
    zones = make_world()
    templates = record_templates(zones, args.real, rng)
    filled = time.perf_counter()
    say(
        f"templates:    {len(templates)} petitions through the services in {filled - started:.0f} s"
    )
    cloner = Cloner(zones, load_templates(templates, zones[0]), rng)
    cloner.clone(args.petitions - len(templates))
    with connection.cursor() as cursor:
        # Planner statistics and (PostgreSQL) the visibility map, as autovacuum gives in use.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    cloned = time.perf_counter()
    clones = args.petitions - len(templates)
    say(f"clones:       {clones} petitions in bulk in {cloned - filled:.0f} s")
    checked = check_every_petition()
    moved = advance_clones(zones, max(p.pk for p in templates), PROVE, rng)
    check_every_petition()
    say(
        f"proof:        {checked} petitions: one open task at the node of the status, none once "
        f"closed; {moved} clones moved one step on through services.fire_transition: consistent"
    )
    personas, results, missing = run_lists(zones, args.requests, args.explain)
    describe_rows(personas)
    report(personas, results, missing, args.requests)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--petitions", type=int, default=100_000, help="petitions in all")
    parser.add_argument("--real", type=int, default=240, help="petitions through the services")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per list")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN every list (PostgreSQL)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args(argv)

    with scratch_database(SCRATCH_PG_NAME, keep=args.keep):
        bench(args)


if __name__ == "__main__":
    main()
