"""Deadline tests: a calendar read afresh for each test, and a clock the test moves."""

from tests.clock import clock, fresh_calendar, local  # noqa: F401 - shared with other folders
