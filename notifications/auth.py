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
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.utils.http import is_same_domain
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


class _Handshake(HttpRequest):
    """A socket's opening request as Django reads a page's: its host (checked against
    ALLOWED_HOSTS, proxy headers as configured) and its scheme (`wss` is https)."""

    def __init__(self, scope):
        super().__init__()
        for name, value in scope.get("headers", ()):
            key = name.decode("latin1").upper().replace("-", "_")
            self.META[f"HTTP_{key}"] = value.decode("latin1")
        server = scope.get("server") or ("", "")
        self.META["SERVER_NAME"], self.META["SERVER_PORT"] = server[0], str(server[1])
        self._secure = scope.get("scheme") == "wss"

    def _get_scheme(self):
        return "https" if self._secure else "http"


def origin_allowed(scope):
    """A cookie rides along with any page's socket, so a session socket must come from one of
    our own pages (a browser always sends Origin); a token is not sent by other sites. Our pages
    are, as for Django's CSRF check, the site's own scheme, host and port and
    CSRF_TRUSTED_ORIGINS."""
    origin = _header(scope, b"origin")
    if not origin:
        return False
    request = _Handshake(scope)
    try:
        own = f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return False
    trusted = settings.CSRF_TRUSTED_ORIGINS
    if origin in (own, *trusted):
        return True
    parsed = urlsplit(origin)
    return any(
        is_same_domain(parsed.netloc, urlsplit(pattern).netloc.lstrip("*"))
        for pattern in trusted
        if "*" in pattern and urlsplit(pattern).scheme == parsed.scheme
    )


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
