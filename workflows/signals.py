"""What the workflow layer announces, after the commit that recorded it (see the senders)."""

from django.dispatch import Signal

# deadline, kind ("reminder" or "breach"): sent by `deadlines.announce`.
deadline_announced = Signal()
# escalation, step ("escalated", "acknowledged", ..., "closed"): sent by `escalation.announce`.
escalation_announced = Signal()
# escalation, needs (TravelHomeNeed rows), actor: sent by `escalation.record_travel_home`; the
# mediators are told that a release for them can be drafted.
travel_home_recorded = Signal()
