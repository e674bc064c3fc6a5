"""What the supervision steps announce, each sent inside the step's transaction, after its
`CaseEvent` is written (lib.signals)."""

from lib.signals import Announcement

order_issued = Announcement(
    """A case was put under supervision: the handling side must answer the order.

    Sent by `supervision.services.issue_order`. Arguments: `order`, `actor`.""",
    receivers=[
        "notifications.receivers.tell_handling_unit_of_order",
    ],
)

order_replied = Announcement(
    """The handling side answered an order (progress or result): the supervising unit reads it,
    and closes the order on a result.

    Sent by `supervision.services.reply_to_order`. Arguments: `reply`, `actor`.""",
    receivers=[
        "notifications.receivers.tell_issuer_of_reply",
    ],
)

reminder_due = Announcement(
    """A reminder of the ladder is due (holder, handling supervisors, supervising unit), recorded
    once per level.

    Sent by the supervision timer source. Arguments: `order`, `level`, `recipients`.""",
    receivers=[
        "notifications.receivers.send_supervision_reminder",
    ],
)
