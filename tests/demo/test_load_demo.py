"""`manage.py load_demo`: a zone modeled on the seeds, every role, every state, valid numbers,
and the flow's tasks where a real history would have left them."""

import itertools
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from arrears import services as arrears
from arrears.models import MonthlyReport
from casework import access
from casework.models import (
    Agreement,
    AgreementLine,
    CaseEvent,
    Claim,
    Closure,
    Enterprise,
    MediationSession,
    Membership,
    OrgUnit,
    Petition,
    Role,
    Status,
    Worker,
)
from demo import loader as demo
from departments.models import JointPart
from lib.validators import validate_credit_code, validate_id_number, validate_phone
from prevention.models import EarlyWarning, ScreeningVisit
from supervision.models import SupervisionOrder
from workflows.models import OPEN_TASK_STATUSES, PetitionProcess, PetitionTask, Transfer

# The task that waits for each status that is not closed.
NODE_OF = {
    Status.RECEIVED: "triage",
    Status.ACCEPTED: "start_mediation",
    Status.REOPENED: "start_mediation",
    Status.IN_MEDIATION: "mediate",
    Status.AGREEMENT_REACHED: "check_fulfilment",
    Status.MEDIATION_FAILED: "refer",
    Status.BREACHED: "refer",
    Status.FULFILLED: "callback",
    Status.REFERRED: "close",
    Status.REJECTED: "close",
    Status.REFERRED_OUT: "close",
}


def load():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts():
    models = (
        *(OrgUnit, Enterprise, Worker, Petition, Claim, CaseEvent, Membership, get_user_model()),
        *(PetitionProcess, PetitionTask, MediationSession, Agreement, AgreementLine, Closure),
    )
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture(scope="module")
def loaded_once(django_db_setup, django_db_blocker):
    """The demo loaded once for this module, inside a transaction rolled back at its end: each
    test runs in a savepoint on top of it (`db`), and nothing is left behind for other modules."""
    # The hasher of conftest's autouse `fast_password_hashing`, which a module fixture precedes.
    hashers = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic(), hashers:
        yield load()
        transaction.set_rollback(True)


@pytest.fixture
def output(loaded_once, db):
    return loaded_once


def test_every_role_has_a_user_at_a_unit_of_the_demo_zone(output):
    zone = OrgUnit.objects.get(code=demo.ZONE_CODE)
    held = Membership.objects.filter(org_unit__path__startswith=zone.parent.path)
    assert set(held.values_list("role", flat=True)) == set(Role.values)
    mediators = held.filter(role=Role.MEDIATOR)
    assert mediators.values("user").distinct().count() >= 3
    assert set(mediators.values_list("org_unit__kind", flat=True)) == {OrgUnit.Kind.GRID}
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(demo.DEMO_PASSWORD)
    for username, *_ in demo.USERS:
        assert username in output
    assert demo.DEMO_PASSWORD in output


def test_the_enterprise_union_sees_its_own_enterprises_petitions_only(output):
    union = get_user_model().objects.get(username="enterprise")

    visible = access.petitions_visible_to(union)

    assert visible.exists()
    assert set(visible.values_list("enterprise__name", flat=True)) == {demo.ENTERPRISE_UNION_OF}


def test_the_zone_has_six_grid_areas_and_the_expected_sizes(output):
    zone = OrgUnit.objects.get(code=demo.ZONE_CODE)
    assert zone.parent.kind == OrgUnit.Kind.FEDERATION
    assert zone.children.filter(kind=OrgUnit.Kind.GRID).count() == 6
    assert Enterprise.objects.filter(grid_area__parent=zone).count() == 30
    assert 450 <= Worker.objects.count() <= 560
    # The replayed petitions, and the one an early warning turned into.
    assert Petition.objects.filter(zone=zone).count() == 200 + 1
    assert Petition.objects.filter(is_group=True).count() >= 4


def test_every_status_is_represented(output):
    by_status = Counter(Petition.objects.values_list("status", flat=True))
    assert set(by_status) == set(Status.values)


def test_the_seed_case_is_an_owner_missing_group_of_150_workers(output):
    case = Petition.objects.get(enterprise__name=demo.OWNER_MISSING_ENTERPRISE)
    assert case.owner_missing and case.is_group
    assert case.claims.count() == 150
    assert case.claims.filter(is_representative=True).count() == 5
    assert case.priority == Petition.Priority.URGENT


def test_identifiers_pass_the_validators(output):
    for code in Enterprise.objects.values_list("credit_code", flat=True):
        validate_credit_code(code)
    for id_number in Worker.objects.values_list("id_number", flat=True):
        validate_id_number(id_number)
    for phone in Claim.objects.values_list("phone", flat=True):
        validate_phone(phone)
    assert Claim.objects.filter(non_local=True).exists()
    assert Claim.objects.filter(non_local=False).exists()


def test_every_petition_has_a_timeline_that_leads_to_its_status(output):
    now = timezone.now()
    for petition in Petition.objects.prefetch_related("events"):
        events = list(petition.events.all())
        assert events[0].transition == "receive"
        assert events[0].at == petition.received_at
        assert events[-1].to_status == petition.status
        for before, after in itertools.pairwise(events):
            assert before.at <= after.at <= now
            assert after.from_status == before.to_status
    assert CaseEvent.objects.filter(transition="link_facts").exists()


def test_petition_numbers_are_gap_free_per_year(output):
    zone = OrgUnit.objects.get(code=demo.ZONE_CODE)
    by_year = {}
    for number in Petition.objects.filter(zone=zone).values_list("number", flat=True):
        prefix, year, serial = number.split("-")
        assert prefix == demo.ZONE_CODE
        by_year.setdefault(year, []).append(int(serial))
    for serials in by_year.values():
        assert sorted(serials) == list(range(1, len(serials) + 1))


def test_running_twice_adds_nothing_and_prints_the_logins_again(output):
    before = counts()
    again = load()
    assert counts() == before
    assert "clerk" in again and demo.DEMO_PASSWORD in again


def open_tasks():
    return PetitionTask.objects.filter(flow_task_type="HUMAN", status__in=OPEN_TASK_STATUSES)


def test_every_open_petition_has_one_open_task_at_the_node_of_its_status(output):
    tasks = defaultdict(list)
    for task in open_tasks():
        tasks[task.petition_id].append(task.flow_task.name)
    for pk, status in Petition.objects.values_list("pk", "status"):
        expected = [] if status == Status.CLOSED else [NODE_OF[status]]
        assert tasks[pk] == expected, (pk, status)


def test_tasks_wait_in_the_zone_queue_and_in_every_mediators_inbox(output):
    queue = open_tasks().filter(owner=None)
    assert {t.flow_task.name for t in queue} >= {"triage", "start_mediation"}
    held = Counter(open_tasks().exclude(owner=None).values_list("owner__username", flat=True))
    mediators = [name for name, role, *_ in demo.USERS if role == Role.MEDIATOR]
    assert all(held[name] >= 5 for name in mediators), held
    assert held["clerk"] >= 1  # triage tasks the clerk claimed
    for task in open_tasks().exclude(owner=None).select_related("owner", "petition__org_unit"):
        assert task.flow_task.may_take(task.owner, task), task


def test_work_is_claimed_released_and_moved_by_the_supervisor(output):
    events = CaseEvent.objects.filter(transition__in=["claim", "unassign", "reassign"])
    by_kind = Counter(events.values_list("transition", flat=True))
    assert by_kind["claim"] >= 20 and by_kind["unassign"] >= 5 and by_kind["reassign"] >= 4
    moves = events.filter(transition="reassign")
    assert set(moves.values_list("actor__username", flat=True)) == {"supervisor"}
    assert all(event.reason for event in moves)
    big = Petition.objects.get(enterprise__name=demo.OWNER_MISSING_ENTERPRISE)
    assert open_tasks().get(petition=big).owner.username == "supervisor"


def test_automatic_assignment_spreads_a_grid_areas_work_between_its_mediators(output):
    grid = OrgUnit.objects.get(name=demo.GRID_NAMES[0])
    started = PetitionTask.objects.filter(petition__org_unit=grid, flow_task_type="HUMAN")
    owners = Counter(
        t.owner.username for t in started.select_related("owner") if t.flow_task.name == "mediate"
    )
    # Fewest open tasks across all their areas: each has a share, not necessarily half.
    assert set(owners) == {"mediator1", "mediator4"}
    assert min(owners.values()) >= 3


def test_every_outcome_follows_one_to_three_sessions_of_that_mediation(output):
    sessions = defaultdict(list)
    for session in MediationSession.objects.all():
        sessions[session.petition_id].append(session.held_at)
    outcomes = 0
    for petition in Petition.objects.prefetch_related("events"):
        started = None
        for event in petition.events.all():
            if event.transition == "start_mediation":
                started = event.at
            if event.transition in ("reach_agreement", "fail_mediation"):
                outcomes += 1
                held = [at for at in sessions[petition.pk] if started < at <= event.at]
                assert 1 <= len(held) <= 3, petition
    assert outcomes >= 80
    outcomes_recorded = MediationSession.objects.exclude(outcome="continued")
    assert outcomes_recorded.count() == outcomes


def test_agreements_carry_amounts_and_due_dates_some_still_running_some_overdue(output):
    for agreement in Agreement.objects.prefetch_related("lines", "petition__claims"):
        assert agreement.signed_on <= agreement.due_date
        assert agreement.lines.count() == agreement.petition.claims.count()
    assert AgreementLine.objects.filter(amount__lt=F("claim__claimed_amount")).exists()
    assert (
        Agreement.objects.count() == CaseEvent.objects.filter(transition="reach_agreement").count()
    )
    checks = [
        t for t in open_tasks().select_related("petition") if t.flow_task.name == "check_fulfilment"
    ]
    now = timezone.now()
    assert any(t.due_at > now for t in checks) and any(t.due_at < now for t in checks)
    for task in checks:
        due = task.petition.agreements.last().due_date
        assert timezone.localtime(task.due_at).date() == due


def test_closures_carry_an_outcome_notice_and_mostly_a_rating(output):
    closures = Closure.objects.all()
    assert closures.count() == CaseEvent.objects.filter(transition="close").count()
    assert all(closure.outcome_notice for closure in closures)
    ratings = Counter(closures.values_list("rating", flat=True))
    assert ratings[None] >= 1 and set(ratings) - {None} >= {3, 4, 5}


def test_task_and_record_times_lie_inside_their_petitions_timeline(output):
    """The simulated clock reached viewflow's task times and the records' "recorded at"."""
    span = {
        p.pk: (p.received_at, list(p.events.all())[-1].at)
        for p in Petition.objects.prefetch_related("events")
    }
    for task in PetitionTask.objects.all():
        first, last = span[task.petition_id]
        for moment in (task.created, task.started, task.finished):
            assert moment is None or first <= moment <= last, task
    for model in (MediationSession, Agreement, Closure):
        for row in model.objects.all():
            first, last = span[row.petition_id]
            assert first <= row.recorded_at <= last, row


def test_a_year_of_monthly_reports_with_some_late_some_missing_and_two_in_arrears(output):
    zone = OrgUnit.objects.get(name=demo.ZONE_NAME)
    reports = MonthlyReport.objects.filter(enterprise__grid_area__parent=zone)
    covered = len(arrears.reports_due(zone, arrears.first_of_month(timezone.localdate())))
    months = {r.month for r in reports}
    in_arrears = {r.enterprise.name for r in reports if r.declares_arrears}
    late = [r for r in reports.select_related("enterprise__grid_area") if _late(r)]
    long_ago = arrears.add_months(arrears.first_of_month(timezone.localdate()), -5)

    assert covered == sum(1 for *_, has_union in demo.ENTERPRISES if has_union)
    assert len(months) >= demo.REPORT_MONTHS - 1
    assert in_arrears == set(demo.ARREARS_REPORTS)
    assert late and reports.filter(is_zero=True).count() > len(reports) // 2
    missing = arrears.missing_reports(zone, long_ago, timezone.localdate())
    assert [e.name for e in missing] == ["江山市宏达电子元件有限公司"]


def _late(report):
    [day] = arrears.due_days_of([report.enterprise]).values()
    return timezone.localtime(report.filed_at).date() > arrears.due_on(report.month, day)


def test_two_early_warnings_one_turned_into_a_petition_and_a_screening_visit(output):
    warnings = {w.enterprise.name: w for w in EarlyWarning.objects.select_related("enterprise")}
    converted = warnings[demo.WARNING_TO_PETITION[0]]

    assert len(warnings) == 2
    assert (converted.status, converted.petition.claims.count()) == (
        "converted",
        demo.WARNING_TO_PETITION[1],
    )
    assert ScreeningVisit.objects.filter(enterprise__name=demo.SCREENING_VISIT[0]).exists()


def test_the_figures_tallies_are_counted_and_agree_with_the_demo_records(output):
    from figures import services, tallies
    from figures.models import StaleDay, Tally

    assert not StaleDay.objects.exists()
    assert Tally.objects.filter(grain="year").exists()
    assert tallies.check() == []
    zone = OrgUnit.objects.get(name=demo.ZONE_NAME)
    today = timezone.localdate()
    start = today.replace(year=today.year - 1)
    kept = services.unit_figures(zone, start, today)
    assert services.table(kept) == services.table(services.counted_unit_figures(zone, start, today))
    assert kept.total.batches == Petition.objects.filter(received_at__date__gte=start).count()


def test_other_bodies_are_at_work_and_the_department_liaison_is_printed(output, client):
    part = JointPart.objects.get()
    assert part.holder.username == demo.DEPARTMENT_LIAISON
    assert f"{demo.DEPARTMENT_LIAISON} " in output
    assert SupervisionOrder.objects.get().petition == part.petition
    assert Transfer.objects.get(state=Transfer.State.PENDING).petition.status == Status.RECEIVED
    client.force_login(part.holder)
    assert part.petition.number in client.get("/departments/inbox/").content.decode()
