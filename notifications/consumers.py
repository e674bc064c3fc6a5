"""The notification socket, `/ws/notifications/` (protocol in the package docstring)."""

from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.http import HttpRequest
from django.utils import translation

from . import services
from .auth import origin_allowed

# Application close codes (4000-4999 are free for applications, RFC 6455).
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN_ORIGIN = 4403
CLOSE_NO_ROLE = 4403
# Why a person may not (or no longer) listen (services.listener_refusal) -> close code.
REFUSAL_CODES = {"inactive": CLOSE_UNAUTHENTICATED, "no_role": CLOSE_NO_ROLE}

# Channel-layer events pushed to the client as they come (handlers below).
LIVE_EVENTS = {"notification.message", "notification.read", "petition.changed"}


def _page_language(scope):
    """The language the person's pages are in: their language cookie, else Accept-Language."""
    request = HttpRequest()
    request.COOKIES = scope.get("cookies", {})
    for name, value in scope.get("headers", ()):
        if name == b"accept-language":
            request.META["HTTP_ACCEPT_LANGUAGE"] = value.decode("latin1")
    return translation.get_language_from_request(request)


def _query(scope, name):
    values = parse_qs(scope.get("query_string", b"").decode("latin1")).get(name, [""])
    return values[0]


def _last_id(scope):
    """The id of the last notification the client saw (`?last_id=`), or None."""
    value = _query(scope, "last_id")
    return int(value) if value.isdigit() else None


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    """Joins the person's group (and, for a page that shows petitions, their units' groups)
    first, then sends what they missed after `?last_id=`, in order, then their state, then live
    events."""

    async def connect(self):
        # Accepted first: a socket refused during the handshake gets no close code at all.
        await self.accept()
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        by_session = self.scope.get("auth") == "session"
        if by_session and not origin_allowed(self.scope):
            await self.close(code=CLOSE_FORBIDDEN_ORIGIN)
            return
        self.user = user
        self.replayed = set()
        self.joined = [services.user_group(user.pk)]
        # Joined before the check: a deactivation committed in between is heard, not missed.
        await self.channel_layer.group_add(self.joined[0], self.channel_name)
        if await self._refused():
            return
        language = _page_language(self.scope) if by_session else None
        units = await database_sync_to_async(self._units)(language)
        # Only a page that shows petitions (`?rows=1`) hears of their changes.
        self.rows = _query(self.scope, "rows") == "1"
        await self._follow_units(units if self.rows else ())
        # Only now, with the groups joined, is the past read: nothing falls in between.
        missed, resync, state = await database_sync_to_async(self._catch_up)(_last_id(self.scope))
        if resync:
            await self.send_json({"type": "resync"})
        for message in missed:
            self.replayed.add(message["id"])
            await self.send_json(message)
        await self.send_json(state)

    def _units(self, language):
        if language:
            services.remember_language(self.user, language)
        return services.unit_ids(self.user)

    def _catch_up(self, last_id):
        missed, resync = ([], False) if last_id is None else services.catch_up(self.user, last_id)
        return missed, resync, services.state(self.user)

    async def _refused(self):
        """Close the socket if its person may no longer listen; True if closed."""
        refusal = await database_sync_to_async(services.listener_refusal)(self.user.pk)
        if refusal is not None:
            await self.close(code=REFUSAL_CODES[refusal])
        return refusal is not None

    async def _follow_units(self, units):
        """Be in exactly these units' groups (besides the person's own)."""
        wanted = [services.unit_group(unit) for unit in units]
        for group in [group for group in self.joined[1:] if group not in wanted]:
            await self.channel_layer.group_discard(group, self.channel_name)
            self.joined.remove(group)
        for group in wanted:
            if group not in self.joined:
                await self.channel_layer.group_add(group, self.channel_name)
                self.joined.append(group)

    async def access_changed(self, event):
        if not await self._refused() and self.rows:
            await self._follow_units(await database_sync_to_async(services.unit_ids)(self.user))

    async def dispatch(self, message):
        # Channels closes stale database connections before every handler, with a hop to the
        # database thread: a round trip per delivered message. The live handlers touch no
        # database, and connect's queries run in database_sync_to_async, which closes them.
        if message["type"] in LIVE_EVENTS:
            await getattr(self, get_handler_name(message))(message)
        else:
            await super().dispatch(message)

    async def disconnect(self, code):
        for group in getattr(self, "joined", ()):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        """Clients have nothing to say; the socket is for listening."""

    async def notification_message(self, event):
        if event["id"] in self.replayed:  # committed while we replayed: already sent
            self.replayed.discard(event["id"])
            return
        await self.send_json({**event, "type": "notification"})

    async def notification_read(self, event):
        await self.send_json({**event, "type": "read"})

    async def petition_changed(self, event):
        await self.send_json({**event, "type": "petition"})
