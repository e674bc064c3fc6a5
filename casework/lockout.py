"""Guessing passwords: after SIGNIN_FAILURE_LIMIT failed sign-ins for one user name, that name is
refused for SIGNIN_LOCKOUT_MINUTES, however the password is sent (login page, admin, API token).

Counted in the cache, as the search limit is. `LockoutBackend` refuses a locked-out name; the
receivers below count the failures Django reports and forget them after a success.
"""

import math
import time

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from lib import limits


def _key(kind, username):
    return limits.key(f"signin-{kind}", str(username or "").strip().lower())


def seconds_left(username):
    """Seconds until a locked-out user name may sign in again; 0 if it may now."""
    until = cache.get(_key("locked", username))
    return max(0, math.ceil(until - time.time())) if until else 0


def record_failure(username):
    if seconds_left(username):
        return  # attempts while locked out do not prolong the lockout
    seconds = settings.CASEWORK["SIGNIN_LOCKOUT_MINUTES"] * 60
    key = _key("failures", username)
    if limits.count(key, seconds) >= settings.CASEWORK["SIGNIN_FAILURE_LIMIT"]:
        cache.set(_key("locked", username), time.time() + seconds, seconds)
        cache.delete(key)


def forget_failures(username):
    cache.delete_many([_key("failures", username), _key("locked", username)])


class LockoutBackend(ModelBackend):
    """Django's own backend, refusing a locked-out user name before its password is checked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if seconds_left(username or kwargs.get("username")):
            # Stops every backend; Django then reports the failure (which is not counted).
            raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed, dispatch_uid="casework-count-failed-signin")
def count_failure(sender, credentials, **kwargs):
    record_failure(credentials.get("username"))


@receiver(user_logged_in, dispatch_uid="casework-forget-failed-signins")
def forget_on_success(sender, user, **kwargs):
    forget_failures(user.get_username())
