import pytest

from tests.clock import clock, fresh_calendar  # noqa: F401 - due dates on a moved clock

from .helpers import json_row


@pytest.fixture
def payload(enterprise):
    """payload(**overrides) -> a valid intake body for `enterprise`, with two workers."""

    def build(**overrides):
        body = {
            "enterprise": enterprise.pk,
            "channel": "visit",
            "category": "remuneration",
            "description": "Wages unpaid since March.",
            "workers": [json_row(), json_row(non_local=True, is_representative=True)],
        }
        body.update(overrides)
        return body

    return build
