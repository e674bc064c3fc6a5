"""What the early warnings announce, to the layers built on prevention."""

from lib.signals import Announcement

warning_raised = Announcement(
    """An early warning was opened, or an open one raised to a higher level.

    Sent by `prevention.services` inside the transaction that opens or raises the warning, after
    its entry is written. Arguments: `warning`, `previous` (its level before, None when it was
    just opened).""",
    receivers=[
        "notifications.receivers.alert_red_warning",
        "notifications.receivers.tell_warning_handler",
    ],
)
