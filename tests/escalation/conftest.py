"""Escalation tests: a calendar read afresh for each test, and a clock the test moves."""

import pytest

from tests.clock import clock, fresh_calendar, local  # noqa: F401 - shared with other folders
from tests.factories import record, worker_row


@pytest.fixture
def group(clerk, enterprise):
    """A group petition of 12 workers, every other one non-local: escalated on intake."""
    rows = [worker_row(non_local=i % 2 == 0) for i in range(12)]
    return record(clerk, enterprise, workers=rows)
