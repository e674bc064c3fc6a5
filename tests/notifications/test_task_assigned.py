"""A task given to someone tells them; taking it oneself does not."""

from casework.models import Role
from notifications.models import Kind, Notification
from workflows import services as workflow

from ..factories import record, step, user_with_role
from .conftest import reads_english


def assignments():
    return list(
        Notification.objects.filter(kind=Kind.TASK_ASSIGNED)
        .order_by("pk")
        .values_list("recipient__username", "data")
    )


def test_the_mediator_the_flow_picks_is_told(clerk, supervisor, mediator, enterprise, committed):
    reads_english(mediator)
    petition = record(clerk, enterprise, workers=2)

    committed(step, petition, "accept", supervisor)

    task = workflow.open_task(petition)
    assert task.owner == mediator
    note = Notification.objects.get(kind=Kind.TASK_ASSIGNED)
    assert note.recipient == mediator
    assert note.data == {"task": task.pk, "step": "start_mediation", "reassigned": False}
    assert note.text == f"New task for you: “Start mediation” on {petition.number}."
    assert note.link == f"/tasks/{task.pk}/"


def test_a_person_who_claims_a_task_is_not_told(org, clerk, supervisor, enterprise, committed):
    petition = record(clerk, enterprise, workers=2)
    step(petition, "accept", supervisor)  # no mediator in the grid area yet: the queue
    lu = user_with_role(Role.MEDIATOR, org["grid_a1"], username="lu")

    committed(workflow.claim_task, workflow.open_task(petition), actor=lu)

    assert workflow.open_task(petition).owner == lu
    assert assignments() == []


def test_the_next_step_given_to_whoever_took_this_one_tells_nobody(
    clerk, supervisor, mediator, enterprise, committed
):
    petition = record(clerk, enterprise, workers=2)
    step(petition, "accept", supervisor)

    committed(step, petition, "start_mediation", mediator)

    assert workflow.open_task(petition).owner == mediator  # "mediate", kept by its taker
    assert assignments() == []


def test_a_reassigned_task_tells_its_new_holder_only(
    org, clerk, supervisor, mediator, enterprise, committed
):
    petition = record(clerk, enterprise, workers=2)
    step(petition, "accept", supervisor)
    colleague = user_with_role(Role.MEDIATOR, org["grid_a1"], username="colleague")
    reads_english(colleague)
    task = workflow.open_task(petition)

    committed(workflow.reassign_task, task, actor=supervisor, to_user=colleague, reason="On leave.")

    assert assignments() == [
        ("colleague", {"task": task.pk, "step": "start_mediation", "reassigned": True})
    ]
    assert Notification.objects.get().text == (
        f"“Start mediation” on {petition.number} was passed to you."
    )


def test_a_supervisor_giving_a_queued_task_tells_the_taker(
    org, clerk, supervisor, enterprise, committed
):
    petition = record(clerk, enterprise, workers=2)
    step(petition, "accept", supervisor)
    lu = user_with_role(Role.MEDIATOR, org["grid_a1"], username="lu")

    committed(
        workflow.reassign_task,
        workflow.open_task(petition),
        actor=supervisor,
        to_user=lu,
        reason="Nearest to the enterprise.",
    )

    assert [(name, data["reassigned"]) for name, data in assignments()] == [("lu", False)]
