"""What the committee's escalation announces, inside the transaction that records it (see the
senders): receivers store with it and leave anything outward for after the commit."""

from django.dispatch import Signal

# escalation, step ("escalated", "acknowledged", ..., "closed"): sent by `services.announce`.
escalation_announced = Signal()
# escalation, needs (TravelHomeNeed rows), actor: sent by `services.record_travel_home`; the
# mediators are told that a release for them can be drafted.
travel_home_recorded = Signal()
