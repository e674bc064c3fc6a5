"""What the monthly reports announce, inside the transaction that records it (see the senders):
receivers store with it and leave anything outward for after the commit."""

from lib.signals import Announcement

report_overdue = Announcement(
    """A month's report was not filed by its due day: the enterprise union is reminded, or,
    a working day after that reminder, the grid's mediators and the zone's supervisors are
    alerted.

    Sent by `arrears.timers.send_notice`, once per enterprise, month and kind, inside the
    transaction that records the `ReportNotice`. Arguments: `notice` (its `kind` "reminder" or
    "alert", `enterprise`, `month`), `due_on` (the date the report was due by).""",
    receivers=[
        "notifications.receivers.tell_report_overdue",
    ],
)
