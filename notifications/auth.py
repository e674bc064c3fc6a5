"""Who is at the other end of a notification socket.

Pages use their session cookie; other clients send their API token, as a header
(`Authorization: Token <key>`) or, where a client cannot set headers, as `?token=<key>`.
A token that is given but unknown never falls back to the session.
"""

from urllib.parse import parse_qs, urlsplit

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http.request import validate_host
from rest_framework.authtoken.models import Token


def _header(scope, name):
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin1")
    return None


def token_key(scope):
    """The API token the client sent, or None."""
    authorization = _header(scope, b"authorization") or ""
    scheme, _space, key = authorization.partition(" ")
    if scheme.lower() == "token" and key.strip():
        return key.strip()
    keys = parse_qs(scope.get("query_string", b"").decode("latin1")).get("token")
    return keys[0] if keys else None


@database_sync_to_async
def user_for_token(key):
    token = Token.objects.select_related("user").filter(key=key).first()
    return token.user if token is not None and token.user.is_active else AnonymousUser()


def origin_allowed(scope):
    """A cookie rides along with any page's socket, so a session socket must come from one of
    our own pages (a browser always sends Origin); a token is not sent by other sites."""
    origin = _header(scope, b"origin")
    if not origin:
        return False
    allowed = settings.ALLOWED_HOSTS
    if not allowed and settings.DEBUG:
        allowed = [".localhost", "127.0.0.1", "[::1]"]  # as Django's own host check
    return validate_host(urlsplit(origin).hostname or "", allowed)


class TokenOrSessionAuthMiddleware:
    """Sets scope["user"] from the token if one is given, else from the session cookie, and
    scope["auth"] to "token" or "session"."""

    def __init__(self, inner):
        self.inner = inner
        self.by_session = AuthMiddlewareStack(inner)

    async def __call__(self, scope, receive, send):
        key = token_key(scope)
        if key is None:
            return await self.by_session(dict(scope, auth="session"), receive, send)
        user = await user_for_token(key)
        return await self.inner(dict(scope, user=user, auth="token"), receive, send)
