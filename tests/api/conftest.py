import pytest
from rest_framework.test import APIClient

from .helpers import json_row


@pytest.fixture
def api():
    """api(user) -> an APIClient authenticated as that user; api() -> an anonymous one."""

    def client_for(user=None):
        # English, so tests can read the messages whatever the translations say.
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            client.force_authenticate(user)
        return client

    return client_for


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
