"""Deadline tests: a calendar read afresh for each test, and a clock the test moves."""

import pytest

from tests.clock import clock, fresh_calendar, local  # noqa: F401 - shared with other folders
from workflows import deadlines


@pytest.fixture(autouse=True)
def no_first_result_clock(monkeypatch):
    """These tests watch the petition's other clocks one at a time: the first-result clock of
    the complexity tier (tests/workflows/test_tiers.py) is not opened here."""
    monkeypatch.setattr(deadlines, "open_first_result", lambda petition: None)
