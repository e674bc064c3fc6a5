"""Guessing voting codes: after VOTE_FAILURES_PER_IP wrong case-number-or-code tries from one
address, or VOTE_FAILURES_PER_CASE for one case number (from any address), that address or
case number is refused for VOTE_LOCKOUT_MINUTES. Counted in the cache, as the failed sign-ins
are (`casework.lockout`), and the same whether the case exists or not."""

import math
import time

from django.conf import settings
from django.core.cache import cache

from lib import limits


def _key(kind, scope, value):
    return limits.key(f"vote-{kind}-{scope}", str(value or "").strip().upper())


def _scopes(address, number):
    return (
        ("ip", address, settings.CASEWORK["VOTE_FAILURES_PER_IP"]),
        ("case", number, settings.CASEWORK["VOTE_FAILURES_PER_CASE"]),
    )


def seconds_left(address, number):
    """Seconds until this address may try this case number again; 0 if it may now."""
    waits = [
        cache.get(_key("locked", scope, value)) for scope, value, _limit in _scopes(address, number)
    ]
    until = max((w for w in waits if w), default=0)
    return max(0, math.ceil(until - time.time())) if until else 0


def record_failure(address, number):
    seconds = settings.CASEWORK["VOTE_LOCKOUT_MINUTES"] * 60
    for scope, value, limit in _scopes(address, number):
        key = _key("failures", scope, value)
        if limits.count(key, seconds) >= limit:
            cache.set(_key("locked", scope, value), time.time() + seconds, seconds)
            cache.delete(key)
