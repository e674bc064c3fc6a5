"""Counting tries in the cache: how often a client address, a user name or a case number did
something in a window. The sign-in lockout, the workers' look-up and filing, the voting page and
the documents' verification page all count with `count`; keys are hashes, so no name, number or
address is stored. With REDIS_URL the cache (and so every count) is shared by all processes."""

import hashlib

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


def key(prefix, value):
    return f"{prefix}:{hashlib.sha256(str(value).encode()).hexdigest()}"


def count(key, seconds):
    """Add one to the counter `key`, which starts at its first try and ends `seconds` later;
    returns the count so far."""
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        return 1


def posted_bytes(request):
    """The size of the request's body as its client declared it, before anything is read
    (0 when it declared none, or nonsense)."""
    length = request.META.get("CONTENT_LENGTH") or ""
    return int(length) if length.isdigit() else 0
