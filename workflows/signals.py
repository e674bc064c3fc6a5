"""What the workflow layer announces, inside the transaction that records it (see the senders):
receivers store with it and leave anything outward for after the commit."""

from contextvars import ContextVar

from lib.signals import Announcement

# The user whose operation in `workflows.services` is under way (set around each operation on a
# task): `PetitionTask.save` sends it as `task_assigned`'s `by`.
acting_user = ContextVar("workflows_acting_user", default=None)

deadline_announced = Announcement(
    """A deadline is near or has passed.

    Sent by `workflows.deadlines.announce`, once per fired timer, from `deadlines.fire_timer`
    inside the transaction that records the firing, after its "deadline_reminder" or
    "deadline_breached" CaseEvent. Arguments: `deadline`, `kind` ("reminder" or "breach").""",
    receivers=[
        "escalation.receivers.escalate_on_breach",
        "notifications.receivers.tell_deadline_watchers",
    ],
)

task_assigned = Announcement(
    """A petition task got a new owner, whichever way: the flow's `.Assign(...)` as the task is
    created, a claim, a reassignment, a step completing an unassigned task.

    Sent by `PetitionTask.save`, in the caller's transaction (a claim or reassignment writes its
    CaseEvent after it; a step has written its own before). Arguments: `task`, `reassigned` (it
    had another owner), `by` (the user whose operation in `workflows.services` gave it, or None
    when the flow did on its own, as when a reopened petition starts again).""",
    receivers=[
        "notifications.receivers.note_assignment",
    ],
)

transfer_announced = Announcement(
    """A petition was handed to another unit, or the receiver answered.

    Sent by `workflows.transfers`, inside the step's transaction, after its CaseEvent.
    Arguments: `transfer`, `step` ("requested", "accepted" or "returned").""",
    receivers=[
        "notifications.receivers.tell_about_transfer",
    ],
)

tasks_released = Announcement(
    """A mediator's leave has started: their open tasks went back to the queue.

    Sent by `workflows.absences`, inside the transaction that released them, after each task's
    "unassign" CaseEvent (once per leave, from its recording or the timer loop). Arguments:
    `absence` (a `MediatorAbsence`), `tasks` (the tasks released, perhaps none).""",
    receivers=[
        "notifications.receivers.tell_supervisor_tasks_released",
    ],
)
