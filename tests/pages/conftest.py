"""The page tests' browser: the test client, logged in, asking for English pages."""

import pytest


@pytest.fixture
def login(client):
    """login(user) -> the test client, logged in as `user`."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    def as_user(user):
        client.force_login(user)
        return client

    return as_user
