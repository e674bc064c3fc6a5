"""The notification socket: who may connect, catch-up, live delivery, and who gets what."""

import pytest
from django.db import transaction
from rest_framework.authtoken.models import Token

from notifications import services
from notifications.models import Kind, Notification, Preference

from ..factories import record, step
from .conftest import (
    closed_with,
    connect,
    in_db,
    next_of,
    page_of,
    reads_english,
    run,
    socket,
    workers,
)

# Real commits: the consumer's database calls close the connection between calls, as in use.
pytestmark = pytest.mark.django_db(transaction=True)


def note_for(user, text="Something happened.", petition=None):
    """A stored, committed notification (sockets replay it)."""
    return services.publish_on_commit(
        Kind.CASE_CLOSED, recipients=[user], text=lambda: text, petition=petition
    )[0]


def test_an_anonymous_socket_is_closed_with_4401(db):
    async def scenario():
        assert await closed_with(socket(headers=[(b"origin", b"http://testserver")])) == 4401

    run(scenario)


def test_an_unknown_token_is_closed_with_4401_even_with_a_session(supervisor):
    headers = [*page_of(supervisor), (b"authorization", b"Token not-a-token")]

    async def scenario():
        assert await closed_with(socket(headers=headers)) == 4401

    run(scenario)


def test_an_inactive_users_token_is_closed_with_4401(supervisor):
    token = Token.objects.create(user=supervisor)
    supervisor.is_active = False
    supervisor.save()

    async def scenario():
        assert await closed_with(socket(f"/ws/notifications/?token={token.key}")) == 4401

    run(scenario)


def test_a_session_socket_from_a_foreign_page_is_closed_with_4403(supervisor):
    foreign, without = (
        page_of(supervisor, origin=b"https://evil.example"),
        page_of(supervisor, origin=None),
    )

    async def scenario():
        assert await closed_with(socket(headers=foreign)) == 4403
        assert await closed_with(socket(headers=without)) == 4403

    run(scenario)


@pytest.mark.parametrize(
    "origin",
    [b"http://testserver:8080", b"https://testserver", b"http://testserver.evil.example"],
)
def test_a_session_socket_from_another_port_or_scheme_of_the_host_is_closed_with_4403(
    supervisor, origin
):
    headers = page_of(supervisor, origin=origin)

    async def scenario():
        assert await closed_with(socket(headers=headers)) == 4403

    run(scenario)


def test_any_allowed_host_does_not_let_any_site_open_a_session_socket(supervisor, settings):
    settings.ALLOWED_HOSTS = ["*"]
    headers = page_of(supervisor, origin=b"https://evil.example")

    async def scenario():
        assert await closed_with(socket(headers=headers)) == 4403

    run(scenario)


def test_a_session_socket_behind_a_tls_proxy_comes_from_the_https_page(supervisor, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    headers = [*page_of(supervisor, origin=b"https://testserver"), (b"x-forwarded-proto", b"https")]

    async def scenario():
        communicator = socket(headers=headers)
        await connect(communicator)
        await communicator.disconnect()

    run(scenario)


@pytest.mark.parametrize("trusted", ["https://cases.example.org", "https://*.example.org"])
def test_a_session_socket_from_a_trusted_origin_connects(supervisor, settings, trusted):
    settings.CSRF_TRUSTED_ORIGINS = [trusted]
    headers = page_of(supervisor, origin=b"https://cases.example.org")

    async def scenario():
        communicator = socket(headers=headers)
        await connect(communicator)
        await communicator.disconnect()

    run(scenario)


def test_an_api_token_in_the_header_or_the_query_string_authenticates(supervisor):
    key = Token.objects.create(user=supervisor).key
    note = note_for(supervisor)

    async def scenario():
        for ws in (
            socket(headers=[(b"authorization", f"Token {key}".encode())]),
            socket(f"/ws/notifications/?token={key}"),
        ):
            _before, state = await connect(ws)
            assert state == {"type": "state", "unread": 1, "last_id": note.pk}
            await ws.disconnect()

    run(scenario)


def test_a_page_gets_the_bells_figures_on_connect(supervisor):
    first, second = note_for(supervisor), note_for(supervisor)
    services.mark_read(supervisor, [first.pk])

    page = page_of(supervisor)

    async def scenario():
        before, state = await connect(socket(headers=page))
        assert before == []  # no last_id: nothing replayed
        assert state == {"type": "state", "unread": 1, "last_id": second.pk}

    run(scenario)


def test_a_reconnect_gets_what_it_missed_in_order_then_live_events(
    clerk, supervisor, enterprise, committed
):
    reads_english(supervisor)
    seen = note_for(supervisor, "Seen before.")
    missed = [note_for(supervisor, f"Missed {n}.") for n in range(3)]

    page = page_of(supervisor)

    async def scenario():
        ws = socket(f"/ws/notifications/?last_id={seen.pk}", headers=page)
        before, state = await connect(ws)
        assert [(m["id"], m["text"]) for m in before] == [(n.pk, n.text) for n in missed]
        assert state["unread"] == 4
        petition = await in_db(committed, record, clerk, enterprise, workers=workers(12))
        live = await next_of(ws, "notification")
        alert = await in_db(Notification.objects.get, recipient=supervisor, petition=petition)
        assert live == {
            "type": "notification",
            "id": alert.pk,
            "kind": "group_petition_filed",
            "petition": petition.number,
            "text": f"Group petition {petition.number}: 12 workers of Lanxi Textile.",
            "time": alert.created.isoformat(),
            "link": f"/petitions/{petition.pk}/",
            "data": {"workers": 12, "enterprise": "Lanxi Textile", "owner_missing": False},
            "read": False,
        }
        await ws.disconnect()

    run(scenario)


def test_a_notification_committed_during_the_replay_is_sent_once(
    supervisor, monkeypatch, django_capture_on_commit_callbacks
):
    # The consumer joins its group before it reads the past, so a notification committed in
    # between is both replayed and queued live: the client must get it once.
    old, page = note_for(supervisor), page_of(supervisor)
    read_the_past = services.catch_up
    late = []

    def catch_up_while_one_more_commits(user, last_id):
        with django_capture_on_commit_callbacks(execute=True):
            late.append(note_for(supervisor, "Late."))
        return read_the_past(user, last_id)

    monkeypatch.setattr(services, "catch_up", catch_up_while_one_more_commits)

    async def scenario():
        ws = socket(f"/ws/notifications/?last_id={old.pk}", headers=page)
        before, _state = await connect(ws)
        assert [m["id"] for m in before] == [late[0].pk]
        assert await ws.receive_nothing(timeout=0.3)
        await ws.disconnect()

    run(scenario)


def test_an_id_older_than_what_is_kept_answers_resync(supervisor):
    first = note_for(supervisor)
    note_for(supervisor)
    Notification.objects.filter(pk=first.pk).delete()  # pruned

    page = page_of(supervisor)

    async def scenario():
        ws = socket(f"/ws/notifications/?last_id={first.pk - 1}", headers=page)
        before, state = await connect(ws)
        assert before == [{"type": "resync"}]
        assert state["unread"] == 1

    run(scenario)


def test_more_missed_than_the_replay_limit_answers_resync(supervisor, settings):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "REPLAY_LIMIT": 2}
    seen = note_for(supervisor)
    for _ in range(3):
        note_for(supervisor)

    page = page_of(supervisor)

    async def scenario():
        before, _state = await connect(
            socket(f"/ws/notifications/?last_id={seen.pk}", headers=page)
        )
        assert before == [{"type": "resync"}]

    run(scenario)


def test_a_group_petition_is_never_delivered_to_another_zone(
    clerk, supervisor, outsider, enterprise, committed
):
    page, other = page_of(supervisor), page_of(outsider)

    async def scenario():
        queue = "/ws/notifications/?rows=1"  # queue pages: they hear of row changes too
        ours, theirs = socket(queue, headers=page), socket(queue, headers=other)
        await connect(ours)
        await connect(theirs)
        petition = await in_db(committed, record, clerk, enterprise, workers=workers(12))
        received = {}
        while set(received) != {"notification", "petition"}:
            message = await ours.receive_json_from()
            received[message["type"]] = message
        assert received["notification"]["petition"] == received["petition"]["number"]
        assert received["petition"]["number"] == petition.number
        assert await theirs.receive_nothing(timeout=0.3)
        await ours.disconnect()
        await theirs.disconnect()

    run(scenario)


class Refused(Exception):
    pass


def test_a_rolled_back_intake_sends_nothing(clerk, supervisor, enterprise, committed):
    def rolled_back():
        try:
            with transaction.atomic():
                record(clerk, enterprise, workers=workers(12))
                raise Refused
        except Refused:
            pass

    page = page_of(supervisor)

    async def scenario():
        ws = socket(headers=page)
        await connect(ws)
        await in_db(committed, rolled_back)
        assert await ws.receive_nothing(timeout=0.3)
        assert not await in_db(Notification.objects.exists)
        await ws.disconnect()

    run(scenario)


def test_marking_read_on_one_page_updates_the_bell_on_the_others(supervisor, committed):
    notes = [note_for(supervisor), note_for(supervisor)]

    page = page_of(supervisor)

    async def scenario():
        other_page = socket(headers=page)
        await connect(other_page)
        await in_db(committed, services.mark_read, supervisor, [notes[0].pk])
        assert await other_page.receive_json_from() == {
            "type": "read",
            "ids": [notes[0].pk],
            "unread": 1,
        }
        await other_page.disconnect()

    run(scenario)


def test_pages_hear_of_changes_to_petitions_under_their_units(
    clerk, supervisor, mediator, outsider, enterprise, committed
):
    petition = record(clerk, enterprise, workers=2)
    grid, zone, other = page_of(mediator), page_of(supervisor), page_of(outsider)

    async def scenario():
        rows = "/ws/notifications/?rows=1"
        grid_page, zone_page, other_zone = (
            socket(rows, headers=grid),
            socket(rows, headers=zone),
            socket(rows, headers=other),
        )
        for ws in (grid_page, zone_page, other_zone):
            await connect(ws)
        await in_db(committed, step, petition, "accept", supervisor)
        expected = {"type": "petition", "petition": petition.pk, "number": petition.number}
        assert await next_of(zone_page, "petition") == expected
        assert await next_of(grid_page, "petition") == expected
        assert await other_zone.receive_nothing(timeout=0.3)

    run(scenario)


def test_a_page_that_shows_no_petitions_hears_only_its_notifications(
    clerk, supervisor, enterprise, committed
):
    page = page_of(supervisor)

    async def scenario():
        inbox = socket(headers=page)
        await connect(inbox)
        await in_db(committed, record, clerk, enterprise, workers=workers(12))
        assert (await inbox.receive_json_from())["type"] == "notification"
        assert await inbox.receive_nothing(timeout=0.3)

    run(scenario)


def test_a_page_socket_remembers_the_language_notifications_are_written_in(supervisor):
    reads_english(supervisor)
    page = page_of(supervisor, language=b"zh-CN,zh;q=0.9,en;q=0.5")

    async def scenario():
        ws = socket(headers=page)
        await connect(ws)
        await ws.disconnect()

    run(scenario)

    assert Preference.objects.get(user=supervisor).language == "zh-hans"
