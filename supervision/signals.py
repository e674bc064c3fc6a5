"""What the supervision steps announce, each sent inside the step's transaction.

Receivers: notifications.receivers (`tell_handling_unit_of_order`, `tell_issuer_of_reply`,
`send_supervision_reminder`), which tell who must act now.
"""

from django.dispatch import Signal

# order, actor: a new order; the handling side must answer it.
order_issued = Signal()
# reply, actor: the handling side answered; the supervising unit reads it (and closes on a result).
order_replied = Signal()
# order, level, recipients: a reminder of the ladder is due (recorded once per level).
reminder_due = Signal()
