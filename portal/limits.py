"""How often the public pages may be tried: per client address, and per case number for wrong
answers, counted in the cache in fixed windows (as the sign-in lockout is).

A case number that does not exist is counted like one that does, so the answer "too many tries"
says nothing about whether the case is real. Keys are hashes: no number or address is stored.
"""

import math
import time

from django.conf import settings
from django.core.cache import cache

from lib import limits


def _window():
    return settings.CASEWORK["PORTAL_WINDOW_MINUTES"] * 60


def _key(kind, value):
    window = int(time.time() // _window())
    return limits.key(f"portal-{kind}-{window}", value)


def count(kind, value):
    """Count one try of `kind` for `value` in this window; returns the count so far."""
    return limits.count(_key(kind, value), _window())


def used(kind, value):
    return cache.get(_key(kind, value), 0)


def minutes_left():
    """Minutes until the current window ends (when every count starts again)."""
    return max(1, math.ceil((_window() - time.time() % _window()) / 60))
