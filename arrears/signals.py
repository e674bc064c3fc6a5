"""What the monthly arrears reports announce, to the layers built on arrears (see each signal
for when it is sent: inside the transaction that records it, or after the commit)."""

from lib.signals import Announcement

report_overdue = Announcement(
    """A month's report was not filed by its due day: the enterprise union is reminded, or,
    a working day after that reminder, the grid's mediators and the zone's supervisors are
    alerted.

    Sent by `arrears.timers.send_notice`, once per enterprise, month and kind, inside the
    transaction that records the `ReportNotice`: receivers store with it and leave anything
    outward for after the commit. Arguments: `notice` (its `kind` "reminder" or "alert",
    `enterprise`, `month`), `due_on` (the date the report was due by).""",
    receivers=[
        "notifications.receivers.tell_report_overdue",
    ],
)

report_filed = Announcement(
    """A monthly report was filed (not a zero report).

    Sent by `arrears.services.file_report` once the filing has committed, so a receiver's work
    (an early warning) is its own transaction and never undoes the report. Arguments: `report`,
    `actor` (who filed it).""",
    receivers=[
        "prevention.receivers.warn_on_report",
    ],
)
