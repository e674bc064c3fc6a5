"""What the workflow layer announces, inside the transaction that records it (see the senders):
receivers store with it and leave anything outward for after the commit."""

from contextvars import ContextVar

from django.dispatch import Signal

# deadline, kind ("reminder" or "breach"): sent by `deadlines.announce`.
deadline_announced = Signal()
# task, reassigned (it had another owner), by (the user whose operation in `workflows.services`
# gave it, or None when the flow did on its own): a petition task got a new owner, whichever way
# (the flow's `.Assign(...)` at creation, a claim, a reassignment, a step completing an
# unassigned task). Sent by `PetitionTask.save`, in the caller's transaction.
task_assigned = Signal()

# The user whose operation in `workflows.services` is under way (set around each operation on a
# task): `PetitionTask.save` sends it as `task_assigned`'s `by`.
acting_user = ContextVar("workflows_acting_user", default=None)
