"""How often the public pages may be tried: per client address, and per case number for wrong
answers, counted in the cache in fixed windows (as the sign-in lockout is).

A case number that does not exist is counted like one that does, so the answer "too many tries"
says nothing about whether the case is real. Keys are hashes: no number or address is stored.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache


def client_address(request):
    """The client's address: REMOTE_ADDR, or the one the trusted proxies in front of us saw."""
    proxies = settings.CASEWORK["TRUSTED_PROXIES"]
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies and forwarded[-proxies]:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _window():
    return settings.CASEWORK["PORTAL_WINDOW_MINUTES"] * 60


def _key(kind, value):
    window = int(time.time() // _window())
    digest = hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()
    return f"portal-{kind}-{window}:{digest}"


def count(kind, value):
    """Count one try of `kind` for `value` in this window; returns the count so far."""
    key = _key(kind, value)
    cache.add(key, 0, _window())
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, _window())
        return 1


def used(kind, value):
    return cache.get(_key(kind, value), 0)


def minutes_left():
    """Minutes until the current window ends (when every count starts again)."""
    return max(1, math.ceil((_window() - time.time() % _window()) / 60))
