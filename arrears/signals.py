"""What the monthly arrears reports announce, to the layers built on arrears."""

from lib.signals import Announcement

report_filed = Announcement(
    """A monthly report was filed (not a zero report).

    Sent by `arrears.services.file_report` once the filing has committed, so a receiver's work
    (an early warning) is its own transaction and never undoes the report. Arguments: `report`,
    `actor` (who filed it).""",
    receivers=[
        "prevention.receivers.warn_on_report",
    ],
)
