"""System checks of `settings.CASEWORK`, run by `manage.py check` and on every start: a mistyped
role or number stops the start-up with a message naming it, instead of silently masking ID
numbers from everyone or locking every sign-in out. Checked here: that every key the apps read is
there, and every value that can be judged without the apps above casework. DEADLINES and
TASK_DUE_DAYS name workflows' deadline kinds and flow steps: `workflows.checks` checks their
contents (with `number_errors` from here).
"""

import re
from decimal import Decimal

from django.conf import settings
from django.core import checks
from django.utils import timezone

from .roles import Role

# Lists of the roles that see a number whole.
ROLE_LISTS = ("ID_NUMBER_FULL_ROLES", "PHONE_FULL_ROLES")
# Whole numbers: key -> (smallest, largest or None).
INTEGERS = {
    "GROUP_PETITION_MIN_WORKERS": (2, None),
    "MAX_REPRESENTATIVES": (1, None),
    "SIGNIN_FAILURE_LIMIT": (1, None),
    "SIGNIN_LOCKOUT_MINUTES": (1, None),
    "IDEMPOTENCY_KEY_TTL_HOURS": (1, None),
    "TIMER_INTERVAL_SECONDS": (1, None),
    # The bounds of DeadlineRule.reminder_percent, which the seeded rules take it into.
    "DEADLINE_REMINDER_PERCENT": (1, 99),
    "ESCALATION_WORKERS_ABOVE": (0, None),
}
# Yuan, an int or a Decimal: key -> smallest.
AMOUNTS = {"MAX_CLAIM_AMOUNT": Decimal("0.01"), "ESCALATION_CLAIMED_ABOVE": Decimal(0)}
OTHER_KEYS = ("EARLIEST_YEAR", "SEARCH_RATE", "TIMERS_IN_PROCESS", "DEADLINES", "TASK_DUE_DAYS")
# As DRF's throttles read a rate: requests, a slash, a period beginning with s, m, h or d.
RATE = re.compile(r"[1-9]\d*/[smhd]\w*")


def check_settings(app_configs=None, **kwargs):
    """Every problem of settings.CASEWORK, as check errors; none when it is right."""
    config = getattr(settings, "CASEWORK", None)
    if not isinstance(config, dict):
        hint = "Define CASEWORK in config/settings.py, a dict as the project ships it."
        return [checks.Error(f"settings.CASEWORK is {config!r}.", hint=hint, id="casework.E001")]
    errors = []
    for key in (*ROLE_LISTS, *INTEGERS, *AMOUNTS, *OTHER_KEYS):
        if key not in config:
            hint = "config/settings.py ships a value for it."
            errors.append(checks.Error(f"{label(key)} is missing.", hint=hint, id="casework.E001"))
    bounds = {**INTEGERS, "EARLIEST_YEAR": (1900, timezone.localdate().year)}
    present = [key for key in (*ROLE_LISTS, *bounds, *AMOUNTS) if key in config]
    for key in present:
        if key in ROLE_LISTS:
            errors += role_list_errors(key, config[key])
        elif key in bounds:
            errors += number_errors("casework", label(key), config[key], *bounds[key])
        else:
            errors += number_errors("casework", label(key), config[key], AMOUNTS[key], yuan=True)
    return errors + rate_errors(config) + flag_errors(config)


def label(key):
    return f"settings.CASEWORK[{key!r}]"


def role_list_errors(key, roles):
    """A list of Role values. A string would be searched for substrings ("admin" in
    "mediator,admin"), and an unknown role matches nobody: both mask silently."""
    if not isinstance(roles, list | tuple | set | frozenset):
        message = f"{label(key)} is {roles!r}, not a list of roles."
        hint = 'A list, e.g. ["mediator", "admin"] (the environment variable: comma-separated).'
        return [checks.Error(message, hint=hint, id="casework.E002")]
    return [
        checks.Error(
            f"{label(key)} names {role!r}, which is not a role.",
            hint=f"The roles: {', '.join(Role.values)}.",
            id="casework.E003",
        )
        for role in roles
        if role not in Role.values
    ]


def number_errors(app, name, value, smallest, largest=None, *, yuan=False):
    """`value` must be a whole number (or, for `yuan`, also a Decimal; never a bool or a float)
    from `smallest` to `largest` (None: no bound); else an error `<app>.E004` (not a number) or
    `<app>.E005` (out of range) about `name`."""
    kinds = int | Decimal if yuan else int
    if isinstance(value, bool) or not isinstance(value, kinds):
        hint = 'An int or a Decimal, e.g. Decimal("500000").' if yuan else "An int, e.g. 5."
        message = f"{name} is {value!r}, not {'an amount' if yuan else 'a whole number'}."
        return [checks.Error(message, hint=hint, id=f"{app}.E004")]
    finite = not isinstance(value, Decimal) or value.is_finite()
    if not finite or value < smallest or (largest is not None and value > largest):
        span = f"from {smallest} to {largest}" if largest is not None else f"of at least {smallest}"
        hint = f"{'An amount' if yuan else 'A number'} {span}."
        return [checks.Error(f"{name} is {value!r}, out of range.", hint=hint, id=f"{app}.E005")]
    return []


def rate_errors(config):
    rate = config.get("SEARCH_RATE", "30/min")
    if isinstance(rate, str) and RATE.fullmatch(rate):
        return []
    message = f"{label('SEARCH_RATE')} is {rate!r}, not a rate."
    hint = 'Requests per period, as DRF writes a rate: "30/min", "500/hour", "10/s".'
    return [checks.Error(message, hint=hint, id="casework.E006")]


def flag_errors(config):
    flag = config.get("TIMERS_IN_PROCESS", False)
    if isinstance(flag, bool):
        return []
    message = f"{label('TIMERS_IN_PROCESS')} is {flag!r}, not True or False."
    hint = "A bool (the environment variable reads 1, true, yes or on as True)."
    return [checks.Error(message, hint=hint, id="casework.E007")]
