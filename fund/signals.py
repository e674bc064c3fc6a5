"""What the emergency fund announces, inside the transaction of the step that sends it."""

from lib.signals import Announcement

release_stepped = Announcement(
    """A release of the emergency fund took a step.

    Sent by `fund.services` (its `_record`) inside the step's transaction, after the step's
    "fund_<step>" CaseEvent is written. Arguments: `release`, `actor`, `step` ("draft",
    "revise", "submit", "approve", "reject", "sign", "disburse", "recover", "close", ...).
    Receivers announce with `transaction.on_commit`.""",
    receivers=[
        "documents.receivers.issue_on_release_step",
        "notifications.receivers.tell_who_acts_next_on_release",
    ],
)
