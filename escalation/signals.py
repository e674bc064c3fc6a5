"""What the committee's escalation announces, inside the transaction that records it (see the
senders): receivers store with it and leave anything outward for after the commit."""

from lib.signals import Announcement

escalation_announced = Announcement(
    """An escalation to the party working committee took a step.

    Sent by `escalation.services.announce` inside the step's transaction, after the step's
    CaseEvent ("escalate", "escalation_acknowledged", "escalation_closed"). Arguments:
    `escalation`, `step` ("escalated", "acknowledged", "closed").""",
    receivers=[
        "notifications.receivers.tell_committee",
    ],
)

travel_home_recorded = Announcement(
    """The committee recorded what non-local workers need to travel home: a release for them can
    be drafted.

    Sent by `escalation.services.record_travel_home` inside its transaction, after the
    "travel_home_recorded" CaseEvent. Arguments: `escalation`, `needs` (the TravelHomeNeed
    rows), `actor`.""",
    receivers=[
        "notifications.receivers.tell_mediators_travel_home",
    ],
)
