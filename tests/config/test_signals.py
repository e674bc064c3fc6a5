"""Every project signal names its receivers in its docstring, and that list is the truth: the
functions connected, in the order they run. A receiver connected without being written down, or
a signal without a docstring, fails here."""

import importlib
import importlib.util
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.dispatch import Signal

from casework.signals import petition_recorded
from lib.signals import Announcement


def project_signals():
    """(dotted name, Signal) for every Signal defined in a project app's `signals` module."""
    found, root = {}, Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        if Path(config.path).resolve().parent != root:
            continue  # Django's, viewflow's: not ours to document
        name = f"{config.name}.signals"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        for attribute, value in vars(module).items():
            if isinstance(value, Signal):
                found.setdefault(id(value), (f"{name}.{attribute}", value))
    return sorted(found.values(), key=lambda pair: pair[0])


SIGNALS = project_signals()


def test_the_scan_finds_the_signals_of_every_app_that_announces():
    assert {name for name, _signal in SIGNALS} >= {
        "casework.signals.facts_linked",
        "casework.signals.petition_recorded",
        "casework.signals.petition_transitioned",
        "escalation.signals.escalation_announced",
        "escalation.signals.travel_home_recorded",
        "fund.signals.release_stepped",
        "workflows.signals.deadline_announced",
        "workflows.signals.task_assigned",
    }


@pytest.mark.parametrize(("name", "signal"), SIGNALS, ids=[name for name, _ in SIGNALS])
def test_each_signal_says_who_sends_it_with_what(name, signal):
    assert isinstance(signal, Announcement), f"{name} is a bare Signal: make it an Announcement"
    assert "Sent by" in signal.__doc__
    assert "Arguments:" in signal.__doc__


@pytest.mark.parametrize(("name", "signal"), SIGNALS, ids=[name for name, _ in SIGNALS])
def test_each_signal_lists_its_receivers_in_the_order_they_run(name, signal):
    assert signal.connected_receivers() == list(signal.documented_receivers)
    listed = signal.__doc__.split("Receivers, in the order they run:\n", 1)[1]
    assert listed.splitlines() == [f"- `{receiver}`" for receiver in signal.documented_receivers]


def undocumented(sender, **kwargs):
    pass


def test_a_receiver_connected_without_being_listed_is_caught():
    petition_recorded.connect(undocumented, dispatch_uid="test-undocumented")
    try:
        assert petition_recorded.connected_receivers() == [
            *petition_recorded.documented_receivers,
            "tests.config.test_signals.undocumented",
        ]
        assert petition_recorded.connected_receivers() != list(
            petition_recorded.documented_receivers
        )
    finally:
        petition_recorded.disconnect(dispatch_uid="test-undocumented")
    assert petition_recorded.connected_receivers() == list(petition_recorded.documented_receivers)
