"""With the channel layer down, the request that produced an event still succeeds, the
notification is stored and the failure is logged; the client gets it on its next connect."""

import logging

import pytest

from notifications import services
from notifications.models import Notification

from ..api.helpers import json_row
from .conftest import connect, page_of, run, socket

pytestmark = pytest.mark.django_db(transaction=True)  # real commits: on_commit runs in the request


@pytest.fixture
def redis_down(settings):
    # Port 1: nothing listens, the connection is refused at once. The layer of the settings
    # (pub/sub), whose sends are pipelined.
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": "redis://127.0.0.1:1/0", "socket_timeout": None}]},
        }
    }


def test_a_group_petition_filed_with_redis_down_is_stored_and_the_failure_logged(
    api, clerk, supervisor, enterprise, redis_down, caplog
):
    body = {
        "enterprise": enterprise.pk,
        "channel": "visit",
        "category": "remuneration",
        "description": "The owner is gone; wages unpaid since March.",
        "workers": [json_row() for _ in range(12)],
    }

    with caplog.at_level(logging.ERROR, logger="notifications.services"):
        response = api(clerk).post("/api/petitions/", body, format="json")

    assert response.status_code == 201
    alert = Notification.objects.get(recipient=supervisor)
    assert alert.petition.number == response.json()["number"]
    assert any("Could not push" in r.getMessage() for r in caplog.records)


def test_the_client_gets_what_failed_to_push_on_its_next_connect(supervisor, redis_down, settings):
    stored = services.publish_on_commit(
        "case_closed", recipients=[supervisor], text=lambda: "Closed while Redis was down."
    )[0]
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    page = page_of(supervisor)

    async def scenario():
        before, _state = await connect(socket(f"/ws/notifications/?last_id={stored.pk - 1}", page))
        assert [m["text"] for m in before] == ["Closed while Redis was down."]

    run(scenario)
