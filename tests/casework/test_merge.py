"""Merging two open petitions of the same workers or employer (casework.services.merge): every
worker and every event is on the survivor exactly once, the merged one is closed with a link and
its path ends, only a supervisor of both units merges, and two opposite merges at once give one
merge and one conflict."""

from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from viewflow.workflow.status import PROCESS

from casework import hooks, services
from casework.exceptions import Conflict, TransitionRefused
from casework.models import CaseEvent, Petition, Role, Status
from casework.services import merge
from fund.services import releases_stop_merge
from notifications.models import Kind, Notification
from workflows import services as workflow
from workflows.models import Deadline, PetitionProcess

from ..concurrency import run_together
from ..factories import (
    EnterpriseFactory,
    agreement_reached,
    photo,
    record,
    step,
    user_with_role,
    worker_row,
)
from ..notifications.conftest import reads_english

REASON = "The same workers filed twice about March's wages."


def repeat_pair(clerk, enterprise, *, shared_amount="5000.00"):
    """Two open petitions against one employer naming one worker in common: `first` of three
    workers, `second` of one other worker to which the shared worker was added later (as a
    clerk links new facts), claiming `shared_amount` there."""
    shared = worker_row(claimed_amount=Decimal("5000.00"))
    first = record(clerk, enterprise, workers=[shared, worker_row(), worker_row()])
    second = record(clerk, enterprise, workers=[worker_row()])
    services.link_facts(
        second,
        actor=clerk,
        description="One of them came again.",
        workers=[{**shared, "claimed_amount": Decimal(shared_amount)}],
    )
    return first, second


def workers_on(petition):
    return Counter(petition.claims.values_list("worker_id", flat=True))


def test_merge_keeps_every_worker_and_every_event_exactly_once(clerk, supervisor, enterprise):
    merged, survivor = repeat_pair(clerk, enterprise)
    everyone = set(workers_on(merged)) | set(workers_on(survivor))
    events_before = set(merged.events.values_list("pk", flat=True)) | set(
        survivor.events.values_list("pk", flat=True)
    )

    merge.merge_petitions(merged, survivor, actor=supervisor, reason=REASON)

    assert workers_on(survivor) == Counter({worker: 1 for worker in everyone})
    shown = [event.pk for event in merge.timeline(survivor)]
    assert len(shown) == len(set(shown))
    added = set(
        CaseEvent.objects.filter(transition__in=["merge", "merged_in"]).values_list("pk", flat=True)
    )
    assert set(shown) == events_before | added


def test_merged_petition_is_closed_with_a_link_and_both_timelines_say_so(
    clerk, supervisor, enterprise
):
    merged, survivor = repeat_pair(clerk, enterprise)

    event = merge.merge_petitions(merged, survivor, actor=supervisor, reason=REASON)

    merged.refresh_from_db()
    assert (merged.status, merged.merged_into) == (Status.CLOSED, survivor)
    closing = merged.events.get(transition="merge")
    assert (closing.from_status, closing.to_status, closing.reason) == (
        "received",
        "closed",
        REASON,
    )
    assert closing.data == {"merged_into": survivor.number, "workers_moved": 2}
    assert (event.petition, event.transition, event.actor) == (survivor, "merged_in", supervisor)
    assert event.data["merged_from"] == merged.number
    assert event.data["workers_added"] == 2 and event.data["workers_on_both"] == 1


def test_a_worker_on_both_keeps_the_survivors_claim_and_the_other_amount_is_recorded(
    clerk, supervisor, enterprise
):
    merged, survivor = repeat_pair(clerk, enterprise, shared_amount="6200.00")
    shared = survivor.claims.get(worker__in=merged.claims.values("worker"))

    event = merge.merge_petitions(merged, survivor, actor=supervisor, reason=REASON)

    assert survivor.claims.get(worker=shared.worker) == shared
    assert survivor.claims.get(worker=shared.worker).claimed_amount == Decimal("6200.00")
    assert event.data["claims_differ"] == [f"{shared.name}: 5000.00"]


def test_the_merged_petitions_task_is_cancelled_and_its_path_ends(clerk, supervisor, enterprise):
    merged, survivor = repeat_pair(clerk, enterprise)
    task = workflow.open_task(merged)

    merge.merge_petitions(merged, survivor, actor=supervisor, reason=REASON)

    task.refresh_from_db()
    assert (task.status, task.is_open) == ("CANCELED", False)
    assert workflow.open_task(merged) is None
    assert set(
        PetitionProcess.objects.filter(petition=merged).values_list("status", flat=True)
    ) == {PROCESS.CANCELED}
    assert not Deadline.objects.filter(petition=merged, closed_at=None).exists()
    assert workflow.open_task(survivor) is not None


def test_the_merged_petitions_task_moves_stay_on_the_survivors_timeline(
    clerk, supervisor, enterprise
):
    merged, survivor = repeat_pair(clerk, enterprise)
    workflow.claim_task(workflow.open_task(merged), actor=clerk)

    merge.merge_petitions(merged, survivor, actor=supervisor, reason=REASON)

    claims = [e for e in merge.timeline(survivor) if e.transition == "claim"]
    assert [e.petition for e in claims] == [merged]


def test_merging_into_a_merged_survivor_shows_all_three_histories(clerk, supervisor, enterprise):
    first, second = repeat_pair(clerk, enterprise)
    third = record(clerk, enterprise, workers=[worker_row()])
    merge.merge_petitions(first, second, actor=supervisor, reason=REASON)
    second.refresh_from_db()

    merge.merge_petitions(second, third, actor=supervisor, reason="Same employer, same site.")

    shown = {event.petition_id for event in merge.timeline(third)}
    assert shown == {first.pk, second.pk, third.pk}


def test_the_group_flag_is_recomputed_and_announced(
    clerk, supervisor, enterprise, settings, monkeypatch
):
    merged, survivor = repeat_pair(clerk, enterprise)
    monkeypatch.setitem(settings.CASEWORK, "GROUP_PETITION_MIN_WORKERS", 4)

    event = merge.merge_petitions(merged, survivor, actor=supervisor, reason=REASON)

    survivor.refresh_from_db()
    assert survivor.is_group and event.data["group"] is True


def test_representatives_beyond_the_limit_are_no_longer_representatives(
    clerk, supervisor, enterprise, settings, monkeypatch
):
    monkeypatch.setitem(settings.CASEWORK, "MAX_REPRESENTATIVES", 1)
    merged = record(clerk, enterprise, workers=[worker_row(is_representative=True)])
    survivor = record(clerk, enterprise, workers=[worker_row(is_representative=True)])

    event = merge.merge_petitions(merged, survivor, actor=supervisor, reason=REASON)

    assert survivor.claims.filter(is_representative=True).count() == 1
    assert event.data["representatives_dropped"] == 1


def test_evidence_of_the_merged_petition_moves_to_the_survivor(
    login, clerk, supervisor, enterprise
):
    merged, survivor = repeat_pair(clerk, enterprise)
    url = reverse("casework:evidence-add", args=[merged.pk])
    login(clerk).post(url, {"evidence_kind": "iou", "evidence_files": photo()})

    event = merge.merge_petitions(merged, survivor, actor=supervisor, reason=REASON)

    assert survivor.evidence.count() == 1 and event.data["evidence_moved"] == 1


def test_the_mediator_of_the_merged_case_is_told_which_goes_on(
    clerk, mediator, supervisor, enterprise, django_capture_on_commit_callbacks
):
    merged, survivor = repeat_pair(clerk, enterprise)
    reads_english(mediator)
    step(merged, "accept", clerk)
    step(merged, "start_mediation", mediator)

    with django_capture_on_commit_callbacks(execute=True):
        merge.merge_petitions(merged, survivor, actor=supervisor, reason=REASON)

    notes = Notification.objects.filter(kind=Kind.CASE_CLOSED)
    assert list(notes.values_list("recipient__username", "text", "petition")) == [
        ("mediator", f"Case {merged.number} was merged into {survivor.number}.", survivor.pk)
    ]


# Who may merge, and what.


def test_a_mediator_may_not_merge(clerk, mediator, enterprise):
    merged, survivor = repeat_pair(clerk, enterprise)

    with pytest.raises(PermissionDenied, match="supervisor of both"):
        merge.merge_petitions(merged, survivor, actor=mediator, reason=REASON)

    merged.refresh_from_db()
    assert merged.status == Status.RECEIVED and merged.merged_into is None


def test_a_supervisor_of_one_grid_only_may_not_merge_a_petition_of_another(clerk, enterprise, org):
    merged, survivor = repeat_pair(clerk, enterprise)
    elsewhere = record(clerk, EnterpriseFactory(grid_area=org["grid_a2"]), workers=[worker_row()])
    grid_supervisor = user_with_role(Role.SUPERVISOR, org["grid_a1"])

    with pytest.raises(PermissionDenied):
        merge.merge_petitions(elsewhere, survivor, actor=grid_supervisor, reason=REASON)


def test_a_reason_is_required(clerk, supervisor, enterprise):
    merged, survivor = repeat_pair(clerk, enterprise)

    with pytest.raises(ValidationError) as err:
        merge.merge_petitions(merged, survivor, actor=supervisor, reason="  ")

    assert "reason" in err.value.message_dict


def test_a_petition_is_not_merged_into_itself(clerk, supervisor, enterprise):
    merged, _survivor = repeat_pair(clerk, enterprise)

    with pytest.raises(ValidationError, match="into itself"):
        merge.merge_petitions(merged, merged, actor=supervisor, reason=REASON)


def test_petitions_of_different_employers_without_a_common_worker_are_refused(
    clerk, supervisor, enterprise
):
    first = record(clerk, enterprise)
    second = record(clerk, EnterpriseFactory(grid_area=enterprise.grid_area))

    with pytest.raises(TransitionRefused, match="different employers and share no worker"):
        merge.merge_petitions(first, second, actor=supervisor, reason=REASON)


def test_petitions_of_one_employer_without_a_common_worker_may_be_merged(
    clerk, supervisor, enterprise
):
    first, second = record(clerk, enterprise), record(clerk, enterprise)

    merge.merge_petitions(first, second, actor=supervisor, reason=REASON)

    assert second.claims.count() == 2


def test_a_finished_petition_is_not_merged(clerk, supervisor, enterprise):
    merged, survivor = repeat_pair(clerk, enterprise)
    step(survivor, "reject", supervisor)

    with pytest.raises(TransitionRefused, match="is finished"):
        merge.merge_petitions(merged, survivor, actor=supervisor, reason=REASON)


def test_a_petition_with_an_agreement_is_not_merged_away(clerk, mediator, supervisor, enterprise):
    rows = [worker_row(), worker_row()]
    agreed = agreement_reached(clerk, mediator, enterprise, rows)
    other = record(clerk, enterprise)

    with pytest.raises(TransitionRefused, match="mediation agreement; merge the other"):
        merge.merge_petitions(agreed, other, actor=supervisor, reason=REASON)

    merge.merge_petitions(other, agreed, actor=supervisor, reason=REASON)
    assert agreed.claims.count() == 3


def test_the_apps_above_may_refuse_a_merge(clerk, supervisor, enterprise, monkeypatch):
    merged, survivor = repeat_pair(clerk, enterprise)
    monkeypatch.setattr(hooks, "_merge_checks", [lambda p: f"{p.number} has money on it."])

    with pytest.raises(TransitionRefused, match="has money on it"):
        merge.merge_petitions(merged, survivor, actor=supervisor, reason=REASON)


def test_the_fund_refuses_to_merge_away_a_petition_with_a_release():
    assert releases_stop_merge in hooks._merge_checks


def test_merging_is_no_ordinary_step(clerk, supervisor, enterprise):
    merged, _survivor = repeat_pair(clerk, enterprise)

    assert "merge" not in [t.name for t in services.available_transitions(merged, supervisor)]
    assert "merge" not in services.transition_names()
    with pytest.raises(TransitionRefused, match="no step called"):
        services.fire_transition(merged, "merge", actor=supervisor, reason=REASON)


def test_a_merged_petition_is_not_reopened(clerk, supervisor, enterprise):
    merged, survivor = repeat_pair(clerk, enterprise)
    merge.merge_petitions(merged, survivor, actor=supervisor, reason=REASON)

    with pytest.raises(TransitionRefused, match="continued on the petition it was merged into"):
        step(merged, "reopen", supervisor)


def test_a_stale_read_is_a_conflict(clerk, supervisor, enterprise):
    merged, survivor = repeat_pair(clerk, enterprise)
    stale = Petition.objects.get(pk=merged.pk)
    step(merged, "accept", supervisor)

    with pytest.raises(Conflict):
        merge.merge_petitions(stale, survivor, actor=supervisor, reason=REASON)


# The repeat suggestion.


def test_a_repeat_is_suggested_to_a_supervisor(clerk, supervisor, enterprise):
    first, second = repeat_pair(clerk, enterprise)

    assert merge.repeat_suggestion(second, supervisor) == first
    assert merge.repeat_suggestion(first, supervisor) == second


def test_no_repeat_is_suggested_to_a_mediator(clerk, mediator, enterprise):
    _first, second = repeat_pair(clerk, enterprise)

    assert merge.repeat_suggestion(second, mediator) is None


def test_no_repeat_is_suggested_once_merged(clerk, supervisor, enterprise):
    first, second = repeat_pair(clerk, enterprise)
    merge.merge_petitions(first, second, actor=supervisor, reason=REASON)

    assert merge.repeat_suggestion(second, supervisor) is None


# Two supervisors merging the same pair in opposite directions at once.


@pytest.mark.django_db(transaction=True)
def test_two_opposite_merges_at_once_one_wins_the_other_conflicts(clerk, supervisor, enterprise):
    first, second = repeat_pair(clerk, enterprise)
    other_supervisor = user_with_role(Role.SUPERVISOR, first.org_unit.parent, username="sup2")
    everyone = set(workers_on(first)) | set(workers_on(second))

    def merging(merged_pk, survivor_pk, actor):
        def job(barrier):
            merged, survivor = (
                Petition.objects.get(pk=merged_pk),
                Petition.objects.get(pk=survivor_pk),
            )
            barrier.wait()
            return merge.merge_petitions(merged, survivor, actor=actor, reason=REASON)

        return job

    results = run_together(
        merging(first.pk, second.pk, supervisor), merging(second.pk, first.pk, other_supervisor)
    )

    winners = [r for r in results if isinstance(r, CaseEvent)]
    assert len(winners) == 1 and sum(isinstance(r, Conflict) for r in results) == 1, results
    survivor = winners[0].petition
    assert workers_on(survivor) == Counter({worker: 1 for worker in everyone})
    assert CaseEvent.objects.filter(transition="merge").count() == 1
    assert Petition.objects.filter(merged_into__isnull=False).count() == 1
