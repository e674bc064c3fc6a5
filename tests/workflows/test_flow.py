"""The petition flow: one open task per open petition, always matching its status."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from viewflow.workflow.status import PROCESS

from casework import services
from casework.models import Role, Status
from workflows import services as workflow
from workflows.models import PetitionProcess, PetitionTask

from ..factories import (
    PATH_TO,
    EnterpriseFactory,
    UserFactory,
    actor_for,
    drive_to,
    record,
    step,
    user_with_role,
)

# The node whose task must be open in each status (None: the path has ended).
NODE_FOR = {
    "received": "triage",
    "accepted": "start_mediation",
    "reopened": "start_mediation",
    "in_mediation": "mediate",
    "agreement_reached": "check_fulfilment",
    "mediation_failed": "refer",
    "breached": "refer",
    "fulfilled": "callback",
    "referred": "close",
    "rejected": "close",
    "referred_out": "close",
    "closed": None,
}


def open_node(petition):
    task = workflow.open_task(petition)
    return task.flow_task.name if task else None


def assert_task_matches_status(petition):
    petition.refresh_from_db()
    expected = NODE_FOR[petition.status]
    if petition.events.last().transition == "record_callback":
        expected = "close"  # the worker was called back: the case may close
    assert open_node(petition) == expected, petition.status
    assert (
        PetitionTask.objects.filter(petition=petition, flow_task_type="HUMAN")
        .exclude(status__in=["DONE", "CANCELED"])
        .count()
        <= 1
    )


def walk(petition, path, actor):
    for name in path:
        step(petition, name, actor_for(petition, name, actor))
        assert_task_matches_status(petition)


def test_intake_starts_exactly_one_path_at_triage(petition):
    assert PetitionProcess.objects.filter(petition=petition).count() == 1
    assert open_node(petition) == "triage"
    assert workflow.open_task(petition).owner is None


@pytest.mark.parametrize("status", [s for s in PATH_TO if s != "reopened"])
def test_task_and_status_agree_after_every_step(status, petition, supervisor):
    walk(petition, PATH_TO[status], supervisor)


def test_closed_path_is_finished(petition, supervisor):
    walk(petition, PATH_TO["closed"], supervisor)

    assert PetitionProcess.objects.get(petition=petition).status == PROCESS.DONE


def test_reopened_petition_starts_a_new_path_at_mediation(petition, supervisor):
    walk(petition, PATH_TO["reopened"], supervisor)

    processes = PetitionProcess.objects.filter(petition=petition).order_by("pk")
    assert [p.status for p in processes] == [PROCESS.DONE, PROCESS.NEW]
    walk(petition, ["start_mediation", "fail_mediation"], supervisor)
    assert "receive" in petition.events.values_list("transition", flat=True)


def test_breach_of_a_wage_agreement_goes_to_a_payment_order(petition, supervisor):
    walk(petition, PATH_TO["breached"], supervisor)

    step(petition, "refer", supervisor, data={"referral_type": "payment_order", "body": "Court"})

    assert_task_matches_status(petition)
    assert petition.status == Status.REFERRED


def test_agreement_records_per_worker_amounts_and_due_date(petition, supervisor):
    drive_to(petition, "in_mediation", supervisor)
    first = petition.claims.first()

    step(
        petition,
        "reach_agreement",
        supervisor,
        data={"signed_on": "2026-01-05", "due_date": "2026-01-20", f"amount_{first.pk}": "1000"},
    )

    agreement = petition.agreements.get()
    amounts = {line.claim_id: line.amount for line in agreement.lines.all()}
    assert amounts[first.pk] == 1000
    assert len(amounts) == petition.claims.count()
    task = workflow.open_task(petition)
    assert task.flow_task.name == "check_fulfilment"
    assert task.due_at.date().isoformat() == "2026-01-20"


def test_closure_records_notice_and_rating(petition, supervisor):
    walk(petition, PATH_TO["closed"], supervisor)

    closure = petition.closures.get()
    assert (closure.outcome_notice, closure.rating) == ("Told by phone.", 5)


def test_mediation_goes_to_the_grid_mediator_with_fewest_open_tasks(org, clerk, supervisor):
    enterprise = EnterpriseFactory(grid_area=org["grid_a1"])
    mediators = [user_with_role(Role.MEDIATOR, org["grid_a1"]) for _ in range(3)]
    user_with_role(Role.MEDIATOR, org["grid_a2"])  # not of this grid area

    owners = []
    for _ in range(6):
        petition = record(clerk, enterprise)
        step(petition, "accept", supervisor)
        owners.append(workflow.open_task(petition).owner)

    assert {owner: owners.count(owner) for owner in owners} == {m: 2 for m in mediators}


def test_mediation_waits_in_the_queue_when_the_grid_has_no_mediator(petition, supervisor):
    step(petition, "accept", supervisor)

    assert workflow.open_task(petition).owner is None


def test_assigned_mediator_takes_the_next_steps(petition, mediator, supervisor):
    step(petition, "accept", supervisor)
    step(petition, "start_mediation", mediator)

    assert workflow.open_task(petition).owner == mediator


def test_another_mediator_may_not_act_on_a_held_task(org, petition, mediator, supervisor):
    step(petition, "accept", supervisor)
    colleague = user_with_role(Role.MEDIATOR, org["grid_a1"])
    held_by = workflow.open_task(petition).owner

    with pytest.raises(PermissionDenied, match="held by"):
        step(petition, "start_mediation", colleague if held_by == mediator else mediator)

    petition.refresh_from_db()
    assert petition.status == Status.ACCEPTED


def test_supervisor_may_act_on_a_held_task(petition, mediator, supervisor):
    step(petition, "accept", supervisor)
    assert workflow.open_task(petition).owner == mediator

    step(petition, "start_mediation", supervisor)

    assert_task_matches_status(petition)


def test_claim_from_the_queue_and_twice_is_a_conflict(org, petition, mediator):
    other = user_with_role(Role.MEDIATOR, org["grid_a1"])
    task = workflow.open_task(petition)

    workflow.claim_task(task, actor=mediator)

    with pytest.raises(services.Conflict):
        workflow.claim_task(workflow.open_task(petition), actor=other)
    assert workflow.open_task(petition).owner == mediator


def test_mediator_may_not_claim_outside_their_grid_area(org, clerk, mediator):
    petition = record(clerk, EnterpriseFactory(grid_area=org["grid_a2"]))

    with pytest.raises(PermissionDenied):
        workflow.claim_task(workflow.open_task(petition), actor=mediator)


def test_unassign_returns_the_task_to_the_queue(petition, mediator):
    task = workflow.claim_task(workflow.open_task(petition), actor=mediator)

    workflow.unassign_task(task, actor=mediator, reason="on leave")

    assert workflow.open_task(petition).owner is None
    assert petition.events.last().transition == "unassign"


def test_supervisor_reassigns_with_a_reason(org, petition, mediator, supervisor):
    other = user_with_role(Role.MEDIATOR, org["grid_a1"])
    task = workflow.claim_task(workflow.open_task(petition), actor=mediator)

    workflow.reassign_task(task, actor=supervisor, to_user=other, reason="workload")

    assert workflow.open_task(petition).owner == other
    event = petition.events.last()
    assert (event.transition, event.reason, event.data["to"]) == (
        "reassign",
        "workload",
        other.username,
    )


def test_mediator_may_not_reassign(org, petition, mediator):
    other = user_with_role(Role.MEDIATOR, org["grid_a1"])
    task = workflow.claim_task(workflow.open_task(petition), actor=mediator)

    with pytest.raises(PermissionDenied):
        workflow.reassign_task(task, actor=mediator, to_user=other, reason="swap")


def test_supervisor_of_another_zone_may_not_reassign(org, petition, mediator, outsider):
    task = workflow.claim_task(workflow.open_task(petition), actor=mediator)

    with pytest.raises(PermissionDenied):
        workflow.reassign_task(task, actor=outsider, to_user=outsider, reason="mine now")


def test_reassign_needs_someone_who_may_take_the_task(org, petition, mediator, supervisor):
    task = workflow.claim_task(workflow.open_task(petition), actor=mediator)

    with pytest.raises(services.ValidationError):
        workflow.reassign_task(
            task, actor=supervisor, to_user=user_with_role(Role.AUDITOR, org["zone_a"]), reason="x"
        )


def test_sessions_are_recorded_while_mediating(petition, supervisor):
    drive_to(petition, "in_mediation", supervisor)

    services.record_session(
        petition,
        actor=supervisor,
        data={
            "held_at": "2026-01-03T10:00",
            "place": "Zone union, room 2",
            "parties_present": "Workers' representatives; the employer's HR manager",
            "outcome": "continued",
        },
    )

    assert petition.sessions.get().place == "Zone union, room 2"
    assert petition.events.last().transition == "record_session"
    assert_task_matches_status(petition)


def test_no_session_outside_mediation(petition, supervisor):
    with pytest.raises(services.TransitionRefused):
        services.record_session(petition, actor=supervisor, data={})


def test_flow_admin_pages_list_processes_and_tasks(client, petition):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for model in ("petitionprocess", "petitiontask"):
        page = client.get(reverse(f"admin:workflows_{model}_changelist"))
        assert page.status_code == 200
        assert petition.number in page.text


def test_close_after_a_clerks_referral_waits_in_the_queue(petition, clerk):
    step(petition, "refer_out", clerk)

    task = workflow.open_task(petition)
    assert (task.flow_task.name, task.owner) == ("close", None)
