"""Intake, a transition and linked facts write their CaseEvent first, then send their signal:
a receiver finds the step already on the petition's timeline (casework/signals.py)."""

import pytest

from casework import services, signals

from ..factories import record, step, worker_row


@pytest.fixture
def timeline_at_signal():
    """Connects a receiver to the three signals; returns what each saw on the timeline."""
    seen = []

    def listen(sender, petition, signal, **kwargs):
        steps = list(petition.events.order_by("at", "id").values_list("transition", flat=True))
        seen.append(steps)

    for signal in (signals.petition_recorded, signals.petition_transitioned, signals.facts_linked):
        signal.connect(listen, dispatch_uid="test-timeline-at-signal")
    yield seen
    for signal in (signals.petition_recorded, signals.petition_transitioned, signals.facts_linked):
        signal.disconnect(dispatch_uid="test-timeline-at-signal")


def test_intake_sends_petition_recorded_after_the_receive_event(
    clerk, enterprise, timeline_at_signal
):
    record(clerk, enterprise)

    # The complexity tier is chosen by an earlier receiver of the same signal (workflows).
    assert timeline_at_signal == [["receive", "tier_set"]]


def test_a_transition_sends_petition_transitioned_after_its_event(
    clerk, supervisor, enterprise, timeline_at_signal
):
    petition = record(clerk, enterprise)

    step(petition, "accept", supervisor)

    assert timeline_at_signal[-1] == ["receive", "tier_set", "accept"]


def test_linking_facts_sends_facts_linked_after_its_event(clerk, enterprise, timeline_at_signal):
    petition = record(clerk, enterprise)

    services.link_facts(petition, actor=clerk, description="More unpaid.", workers=[worker_row()])

    # A second worker makes the simple case ordinary, chosen again by an earlier receiver.
    assert timeline_at_signal[-1] == ["receive", "tier_set", "link_facts", "tier_set"]
