"""Transitions per second: `services.fire_transition` beside bare ORM updates with an audit row.

Run from the repository root, on the database DATABASE_URL points at (SQLite by default):

    .venv/bin/python bench/transitions.py [--petitions 200]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/transitions.py

Existing data is never touched: the run has a scratch database of its own (`scratch.py`: a
temporary SQLite file, or `casework_bench` on the same PostgreSQL server), dropped at the end.

In a world built with `demo.builders`, N petitions are recorded through `services.record_petition`
for each side (each starts its `PetitionFlow` path). One side drives them through a full life cycle
with `services.fire_transition`: permission, conditions, the step's form and records (the agreement
with its lines, the closure), optimistic lock, CaseEvent, and, through the signal, the flow's task
completed under the flow lock and the next task created and assigned: that last part is most of the
cost now. The other side makes the same status changes as a bare
`Petition.objects.filter(pk=..).update(status=..)` plus `CaseEvent.objects.create(..)`, one
transaction per step, and leaves the flow alone. The two sides run in alternating rounds in the
same process, so the ratio is fair even if the machine is busy.
"""

import argparse
import time

from scratch import describe_database, scratch_database

SCRATCH_PG_NAME = "casework_bench"
ROUNDS = 10
WARM_UP = 10

# What the steps need besides a reason: the agreement's dates (filled in at start, from today)
# and the closing notice with a rating.
AGREEMENT = {}
CLOSURE = {"outcome_notice": "Told the workers by phone.", "rating": "5", "comment": "Thanks."}
# (transition, from, to, reason, data): most cases settle, every fourth is referred.
SETTLED = [
    ("accept", "received", "accepted", "", {}),
    ("start_mediation", "accepted", "in_mediation", "", {}),
    ("reach_agreement", "in_mediation", "agreement_reached", "", AGREEMENT),
    ("confirm_fulfilment", "agreement_reached", "fulfilled", "", {}),
    ("close", "fulfilled", "closed", "", CLOSURE),
]
REFERRED = [
    ("accept", "received", "accepted", "", {}),
    ("start_mediation", "accepted", "in_mediation", "", {}),
    ("fail_mediation", "in_mediation", "mediation_failed", "The employer did not come.", {}),
    (
        "refer",
        "mediation_failed",
        "referred",
        "",
        {"referral_type": "arbitration", "body": "Labor dispute arbitration commission"},
    ),
    ("close", "referred", "closed", "", CLOSURE),
]


def life_cycle(index):
    return REFERRED if index % 4 == 3 else SETTLED


def date_the_agreement():
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    AGREEMENT["signed_on"] = today.isoformat()
    AGREEMENT["due_date"] = (today + datetime.timedelta(days=15)).isoformat()


def make_world():
    from demo import builders

    tree = builders.org_tree("Bench federation", "Bench zone", "BENCH", ["Bench grid"])
    # Not a superuser: the permission check does its real work, from the cached memberships. The
    # only mediator: it triages, the flow assigns it every start_mediation, and it keeps the path.
    mediator = builders.Person("bench-mediator", "mediator", [tree.zone])
    (enterprise,) = builders.enterprises(
        [{"name": "Bench enterprise", "grid_area": tree.grids[0]}], codes=builders.CreditCodes()
    )
    return builders.people([mediator])[mediator.username], enterprise


def record_petitions(count, mediator, enterprise, workers):
    """`count` petitions of three workers each (`workers`: a `demo.builders.Workers`), through
    the intake service."""
    from demo import builders

    return [builders.record_petition(mediator, enterprise, workers.rows(3)) for _ in range(count)]


def drive_with_service(petitions, actor):
    from casework import services

    for index, petition in enumerate(petitions):
        for name, _from, _to, reason, data in life_cycle(index):
            services.fire_transition(petition, name, actor=actor, reason=reason, data=data)


def drive_bare(petitions, actor):
    from django.db import transaction
    from django.utils import timezone

    from casework.models import CaseEvent, Petition

    for index, petition in enumerate(petitions):
        for name, from_status, to_status, reason, data in life_cycle(index):
            with transaction.atomic():
                Petition.objects.filter(pk=petition.pk).update(
                    status=to_status, updated_at=timezone.now()
                )
                CaseEvent.objects.create(
                    petition_id=petition.pk,
                    actor=actor,
                    transition=name,
                    from_status=from_status,
                    to_status=to_status,
                    reason=reason,
                    data=data,
                )


def transitions_in(petitions):
    return sum(len(life_cycle(i)) for i in range(len(petitions)))


def queries_per_transition(drive, petition, actor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        drive([petition], actor)
    return len(captured) / transitions_in([petition])


def chunks(items, count):
    size = -(-len(items) // count)
    return [items[i : i + size] for i in range(0, len(items), size)]


def drive_without_flow(petitions, actor):
    """The service with the workflow's receiver detached: what the flow's task costs is the
    difference to `drive_with_service`. Not a supported mode; measured only."""
    from casework.signals import petition_transitioned
    from workflows.receivers import complete_task

    uid = "workflows-complete-task"
    petition_transitioned.disconnect(dispatch_uid=uid)
    try:
        drive_with_service(petitions, actor)
    finally:
        petition_transitioned.connect(complete_task, dispatch_uid=uid)


SIDES = {
    "service": (drive_with_service, "services.fire_transition, completing the flow's task"),
    "no flow": (drive_without_flow, "the same with the workflow receiver detached (reference)"),
    "bare ORM": (drive_bare, "update() + CaseEvent, atomic per step"),
}


def check(sides, count):
    from casework.models import CaseEvent, Petition
    from workflows.models import OPEN_TASK_STATUSES, PetitionProcess, PetitionTask

    steps = transitions_in(sides["service"])
    every = Petition.objects.filter(pk__in=[p.pk for ps in sides.values() for p in ps])
    assert every.exclude(status="closed").count() == 0, "not every petition reached closed"
    assert CaseEvent.objects.filter(petition__in=every).count() == len(sides) * (count + steps), (
        "an audit row is missing"
    )
    served = Petition.objects.filter(pk__in=[p.pk for p in sides["service"]])
    paths = PetitionProcess.objects.filter(petition__in=served)
    assert paths.filter(status="DONE").count() == count, "a flow path did not end"
    tasks = PetitionTask.objects.filter(petition__in=served)
    assert not tasks.filter(status__in=OPEN_TASK_STATUSES).exists(), "a task was left open"
    assert tasks.filter(flow_task_type="HUMAN").count() == steps, "a step finished no task"


def bench(count):
    from demo.builders import Workers

    date_the_agreement()
    mediator, enterprise = make_world()
    workers = Workers()
    petitions = {side: record_petitions(count, mediator, enterprise, workers) for side in SIDES}
    queries = {}
    for side, (drive, _) in SIDES.items():
        warm = record_petitions(WARM_UP + 1, mediator, enterprise, workers)
        drive(warm[:WARM_UP], mediator)
        queries[side] = queries_per_transition(drive, warm[-1], mediator)

    elapsed = dict.fromkeys(SIDES, 0.0)
    rounds = {side: chunks(petitions[side], ROUNDS) for side in SIDES}
    names = list(SIDES)
    for r in range(len(rounds["service"])):
        for side in names[r % len(names) :] + names[: r % len(names)]:  # each goes first in turn
            started = time.perf_counter()
            SIDES[side][0](rounds[side][r], mediator)
            elapsed[side] += time.perf_counter() - started
    check(petitions, count)

    steps = transitions_in(petitions["service"])
    print(f"database:     {describe_database()}")
    print(f"petitions:    {count} per side, {steps} transitions per side, {ROUNDS} rounds")
    for side, (_, what) in SIDES.items():
        print(
            f"{side + ':':<13} {steps / elapsed[side]:8.1f} transitions/s  ({elapsed[side]:.3f} s,"
            f" {1000 * elapsed[side] / steps:.1f} ms and {queries[side]:.1f} queries per "
            f"transition)  {what}"
        )
    service, bare, unflowed = elapsed["service"], elapsed["bare ORM"], elapsed["no flow"]
    print(
        f"ratio:        service / bare = {bare / service:.2f} (the service takes "
        f"{service / bare:.2f}x the time); the flow's task is {1 - unflowed / service:.0%} of "
        f"the service's time"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--petitions", type=int, default=200, help="petitions per side")
    args = parser.parse_args(argv)

    with scratch_database(SCRATCH_PG_NAME):
        bench(args.petitions)


if __name__ == "__main__":
    main()
