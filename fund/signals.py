"""What the emergency fund announces, inside the transaction of the step that sends it."""

from django.dispatch import Signal

# release, actor, step ("submit", "approve", "sign", "reject", "disburse", "recover", "close", ...)
# Sent by `fund.services` inside the step's transaction; announce with transaction.on_commit.
release_stepped = Signal()
