"""Transfers between units: the sender keeps the petition until the receiver accepts it (its open
task joins their queue) or sends it back with a reason; one not answered in time is taken as
accepted."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casework.exceptions import Conflict, TransitionRefused
from casework.models import Petition, Role
from casework.services import merge
from notifications.models import Kind, Notification
from workflows import services as workflow
from workflows import transfers
from workflows.models import Transfer

from ..concurrency import run_together
from ..factories import drive_to, record, user_with_role
from ..notifications.conftest import reads_english


@pytest.fixture
def zone_b_clerk(org):
    return user_with_role(Role.INTAKE_CLERK, org["zone_b"], username="zone_b_clerk")


@pytest.fixture
def sent(petition, clerk, zone_b_clerk, org):
    return transfers.request_transfer(
        petition, actor=clerk, to_unit=org["zone_b"], reason="The site is in zone B."
    )


def events(petition):
    return list(petition.events.values_list("transition", flat=True))


def test_a_transfer_waits_for_the_receiver_and_the_sender_keeps_the_case(sent, petition, org):
    petition.refresh_from_db()
    assert sent.state == Transfer.State.PENDING
    assert petition.org_unit == org["grid_a1"]
    assert workflow.open_task(petition).org_unit == org["grid_a1"]
    assert events(petition)[-1] == "transfer_requested"
    assert petition.events.last().data["to_unit"] == "Zone B"


def test_the_receiving_front_desk_is_told(sent, zone_b_clerk):
    told = Notification.objects.get(recipient=zone_b_clerk)
    assert told.kind == Kind.TRANSFER_TO_ANSWER
    assert sent.petition.number in told.text


def test_the_answer_is_due_in_working_days(sent):
    due = timezone.localdate(sent.answer_by)
    assert due > timezone.localdate(sent.requested_at)
    assert due.weekday() < 5 or due.isoformat() in {"2026-02-14", "2026-02-28", "2026-10-10"}


def test_accepting_moves_the_case_and_its_task_into_the_receivers_queue(
    sent, petition, zone_b_clerk, org
):
    transfers.accept_transfer(sent, actor=zone_b_clerk)

    petition.refresh_from_db()
    task = workflow.open_task(petition)
    assert petition.org_unit == org["zone_b"]
    assert petition.zone == org["zone_b"]
    assert task.org_unit == org["zone_b"] and task.owner is None
    assert task.flow_task.can_assign(zone_b_clerk, task)
    assert events(petition)[-1] == "transfer_accepted"


def test_a_task_held_by_the_sender_is_released_on_acceptance(
    petition, clerk, mediator, supervisor, zone_b_clerk, org
):
    drive_to(petition, "in_mediation", mediator)
    assert workflow.open_task(petition).owner == mediator
    transfer = transfers.request_transfer(
        petition, actor=supervisor, to_unit=org["zone_b"], reason="Their case."
    )
    transfers.accept_transfer(transfer, actor=zone_b_clerk)

    task = workflow.open_task(petition)
    assert task.owner is None and task.org_unit == org["zone_b"]
    assert not task.flow_task.may_take(mediator, task)


def test_sending_back_needs_a_reason_and_leaves_the_case_where_it_was(
    sent, petition, zone_b_clerk, org
):
    with pytest.raises(ValidationError) as refused:
        transfers.return_transfer(sent, actor=zone_b_clerk, reason="  ")
    assert "reason" in refused.value.message_dict

    transfers.return_transfer(sent, actor=zone_b_clerk, reason="The site is in zone A after all.")
    petition.refresh_from_db()
    assert sent.state == Transfer.State.RETURNED
    assert petition.org_unit == org["grid_a1"]
    assert petition.events.last().reason == "The site is in zone A after all."


def test_the_sender_hears_the_answer(sent, clerk, zone_b_clerk):
    reads_english(clerk)
    transfers.return_transfer(sent, actor=zone_b_clerk, reason="Not ours.")
    told = Notification.objects.get(recipient=clerk, kind=Kind.TRANSFER_ANSWERED)
    assert "sent" in told.text and sent.petition.number in told.text


def test_a_petition_sent_back_can_be_transferred_again_and_accepted(
    sent, petition, clerk, zone_b_clerk, org
):
    transfers.return_transfer(sent, actor=zone_b_clerk, reason="Grid A2's.")
    again = transfers.request_transfer(petition, actor=clerk, to_unit=org["grid_a2"], reason="A2.")
    grid_clerk = user_with_role(Role.INTAKE_CLERK, org["grid_a2"])
    transfers.accept_transfer(again, actor=grid_clerk)

    petition.refresh_from_db()
    assert petition.org_unit == org["grid_a2"]
    assert events(petition)[-4:] == [
        "transfer_requested",
        "transfer_returned",
        "transfer_requested",
        "transfer_accepted",
    ]


def test_one_transfer_at_a_time(sent, petition, clerk, org):
    with pytest.raises(Conflict):
        transfers.request_transfer(petition, actor=clerk, to_unit=org["federation"], reason="Up.")


def test_the_second_answer_is_a_conflict(sent, zone_b_clerk, org):
    federation_clerk = user_with_role(Role.INTAKE_CLERK, org["federation"])
    transfers.accept_transfer(sent, actor=zone_b_clerk)
    with pytest.raises(Conflict):
        transfers.accept_transfer(Transfer.objects.get(pk=sent.pk), actor=federation_clerk)
    with pytest.raises(Conflict):
        transfers.return_transfer(
            Transfer.objects.get(pk=sent.pk), actor=federation_clerk, reason="No."
        )


def test_only_the_receiving_unit_answers(sent, clerk, outsider):
    with pytest.raises(PermissionDenied):
        transfers.accept_transfer(sent, actor=clerk)
    with pytest.raises(PermissionDenied):
        transfers.return_transfer(sent, actor=clerk, reason="Mine.")


def test_only_the_handling_unit_transfers(petition, outsider, org):
    with pytest.raises(PermissionDenied):
        transfers.request_transfer(petition, actor=outsider, to_unit=org["zone_b"], reason="Ours.")


def test_the_target_must_be_another_unit(petition, clerk):
    with pytest.raises(ValidationError) as refused:
        transfers.request_transfer(petition, actor=clerk, to_unit=petition.org_unit, reason="x")
    assert "to_unit" in refused.value.message_dict


def test_a_closed_case_stays_where_it_was_handled(petition, clerk, mediator, org):
    drive_to(petition, "closed", mediator)
    with pytest.raises(TransitionRefused):
        transfers.request_transfer(petition, actor=clerk, to_unit=org["zone_b"], reason="Late.")


def test_an_unanswered_transfer_is_taken_as_accepted(sent, petition, org):
    later = sent.answer_by + datetime.timedelta(minutes=1)
    assert transfers.accept_unanswered(now=later) == 1

    sent.refresh_from_db()
    petition.refresh_from_db()
    assert sent.state == Transfer.State.ACCEPTED and sent.answered_by is None
    assert petition.org_unit == org["zone_b"]
    assert petition.events.last().data["deemed"] is True


def test_after_the_deadline_it_can_no_longer_be_sent_back(sent, zone_b_clerk):
    later = sent.answer_by + datetime.timedelta(minutes=1)
    with pytest.raises(Conflict):
        transfers.return_transfer(sent, actor=zone_b_clerk, reason="Too late.", now=later)


def test_a_hotline_petition_in_the_wrong_area_is_routed_the_same_way(clerk, enterprise, org):
    petition = record(clerk, enterprise, channel=Petition.Channel.HOTLINE)
    transfer = transfers.request_transfer(
        petition, actor=clerk, to_unit=org["grid_b1"], reason="12351 sent it to the wrong area."
    )
    transfers.accept_transfer(transfer, actor=user_with_role(Role.SUPERVISOR, org["zone_b"]))
    petition.refresh_from_db()
    assert petition.org_unit == org["grid_b1"]
    assert workflow.open_task(petition).flow_task.name == "triage"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_units_accepting_at_once_one_wins(sent, zone_b_clerk, org):
    federation_clerk = user_with_role(Role.INTAKE_CLERK, org["federation"])

    def accept(who):
        def job(barrier):
            barrier.wait()
            try:
                transfers.accept_transfer(Transfer.objects.get(pk=sent.pk), actor=who)
                return "done"
            except Conflict:
                return "conflict"

        return job

    results = run_together(accept(zone_b_clerk), accept(federation_clerk))

    assert sorted(results) == ["conflict", "done"]
    assert sent.petition.events.filter(transition="transfer_accepted").count() == 1


def test_a_petition_in_transfer_is_not_merged_away(sent, petition, clerk, supervisor, enterprise):
    other = record(clerk, enterprise)
    with pytest.raises(TransitionRefused, match="in transfer"):
        merge.merge_petitions(petition, other, actor=supervisor, reason="Same workers.")
