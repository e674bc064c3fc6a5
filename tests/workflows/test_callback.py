"""The callback (回访) before a fulfilled case closes: someone other than its mediator calls a
worker (for a group, a representative); a worker not satisfied, or an outcome not carried out,
sends the case back to mediation with the reason."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casework.exceptions import TransitionRefused
from casework.models import Callback, Status
from notifications.models import Kind, Notification
from workflows import services as workflow

from ..factories import drive_to, record, step, worker_row


@pytest.fixture
def fulfilled(petition, mediator):
    return drive_to(petition, "fulfilled", mediator)


def test_a_fulfilled_case_waits_for_the_callback_not_the_closure(fulfilled, mediator):
    task = workflow.open_task(fulfilled)
    assert task.flow_task.name == "callback"
    assert task.owner is None
    with pytest.raises(TransitionRefused):
        step(fulfilled, "close", mediator)


def test_the_mediator_may_neither_take_the_callback_nor_record_it(fulfilled, mediator):
    task = workflow.open_task(fulfilled)
    assert not task.flow_task.can_assign(mediator, task)
    with pytest.raises(PermissionDenied):
        step(fulfilled, "record_callback", mediator)


def test_the_front_desk_may_take_the_callback(fulfilled, clerk):
    task = workflow.open_task(fulfilled)
    assert task.flow_task.can_assign(clerk, task)


def test_a_satisfied_worker_lets_the_case_close(fulfilled, clerk, mediator):
    step(fulfilled, "record_callback", clerk, data={"satisfaction": "3", "notes": "Paid in full."})

    callback = Callback.objects.get(petition=fulfilled)
    assert (callback.carried_out, callback.satisfaction) == (True, 3)
    assert callback.called_by == clerk and callback.notes == "Paid in full."
    assert workflow.open_task(fulfilled).flow_task.name == "close"
    step(fulfilled, "close", mediator)
    assert fulfilled.status == Status.CLOSED


def test_the_timeline_shows_the_workers_answer(fulfilled, clerk):
    step(fulfilled, "record_callback", clerk)
    event = fulfilled.events.last()
    assert event.transition == "record_callback"
    assert event.data["satisfaction"] == "4" and event.data["carried_out"] is True


def test_a_worker_not_satisfied_sends_the_case_back_to_its_mediator(fulfilled, clerk, mediator):
    step(
        fulfilled,
        "return_to_mediation",
        clerk,
        reason="Only half was paid.",
        data={"carried_out": "False", "satisfaction": "1"},
    )

    assert fulfilled.status == Status.IN_MEDIATION
    task = workflow.open_task(fulfilled)
    assert task.flow_task.name == "mediate" and task.owner == mediator
    assert fulfilled.events.last().reason == "Only half was paid."
    told = Notification.objects.get(recipient=mediator, kind=Kind.CALLBACK_RETURNED)
    assert fulfilled.number in told.text


def test_a_case_sent_back_needs_a_new_callback_after_its_new_agreement(fulfilled, clerk, mediator):
    step(fulfilled, "return_to_mediation", clerk, data={"carried_out": "False"})
    for name in ("reach_agreement", "confirm_fulfilment"):
        step(fulfilled, name, mediator)
    assert workflow.open_task(fulfilled).flow_task.name == "callback"


def test_an_unsatisfied_answer_cannot_be_recorded_as_settled(fulfilled, clerk):
    with pytest.raises(ValidationError):
        step(fulfilled, "record_callback", clerk, data={"satisfaction": "1"})
    with pytest.raises(ValidationError):
        step(fulfilled, "record_callback", clerk, data={"carried_out": "False"})
    assert not Callback.objects.exists()
    assert fulfilled.status == Status.FULFILLED


def test_sending_back_needs_a_reason(fulfilled, clerk):
    with pytest.raises(ValidationError) as refused:
        step(fulfilled, "return_to_mediation", clerk, reason="")
    assert "reason" in refused.value.message_dict


def test_a_group_is_called_through_its_representatives(clerk, mediator, enterprise):
    rows = [worker_row(is_representative=i == 1) for i in range(3)]
    petition = drive_to(record(clerk, enterprise, workers=rows), "fulfilled", mediator)
    representative = petition.claims.get(is_representative=True)
    other = petition.claims.filter(is_representative=False).first()

    with pytest.raises(ValidationError) as refused:
        step(petition, "record_callback", clerk, data={"claim": str(other.pk)})
    assert "claim" in refused.value.message_dict
    step(petition, "record_callback", clerk, data={"claim": str(representative.pk)})
    assert Callback.objects.get().claim == representative


def test_the_case_page_offers_the_callback_to_the_front_desk(fulfilled, clerk, login):
    page = login(clerk).get(f"/petitions/{fulfilled.pk}/").content.decode()
    assert "Callback recorded" in page
    assert "The worker&#x27;s satisfaction" in page and "Very satisfied" in page
