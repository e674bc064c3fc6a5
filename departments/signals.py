"""What the departments app announces to the layers built on it. Each is sent inside the
transaction of the step, after its `CaseEvent` is written (lib.signals)."""

from lib.signals import Announcement

referral_stepped = Announcement(
    """A referral to a department moved: `step` "answered" (the department's reply is
    recorded: its sender is told, unless they recorded it), "reminder" (still unanswered after
    the reminder period: its sender is reminded) or "limitation" (the one-year limitation of an
    arbitration case runs out soon: its sender is warned, once).

    Sent by `departments.services.record_reply`, `send_reminders` and `warn_limitations`.
    Arguments: `referral`, `step`, `actor` (None for the timer's steps).""",
    receivers=[
        "notifications.receivers.tell_referral_sender",
    ],
)

part_requested = Announcement(
    """A joint-handling part was asked of a unit or a department: its holder is told (a user of
    the unit, or the department's liaisons).

    Sent by `departments.services.request_part`. Arguments: `part`, `actor`.""",
    receivers=[
        "notifications.receivers.tell_part_holder",
    ],
)

part_finished = Announcement(
    """A joint-handling part was done: the lead who asked is told, unless they finished it.

    Sent by `departments.services.finish_part`. Arguments: `part`, `actor`.""",
    receivers=[
        "notifications.receivers.tell_part_asker",
    ],
)
