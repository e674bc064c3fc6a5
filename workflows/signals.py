"""What the workflow layer announces, inside the transaction that records it (see the senders):
receivers store with it and leave anything outward for after the commit."""

from django.dispatch import Signal

# deadline, kind ("reminder" or "breach"): sent by `deadlines.announce`.
deadline_announced = Signal()
# task, reassigned (it had another owner): a petition task got a new owner, whichever way (the
# flow's `.Assign(...)` at creation, a claim, a reassignment, a step completing an unassigned
# task). Sent by `PetitionTask.save`, in the caller's transaction.
task_assigned = Signal()
