"""System check of the monthly reports' settings: the due day a new database is seeded with, and
when the reminders and alerts of missing reports go out."""

from django.conf import settings
from django.core import checks

from casework.checks import number_errors

from .models import LAST_DUE_DAY

# Each setting, with its smallest and largest value.
NUMBERS = {
    "ARREARS_REPORT_DUE_DAY": (1, LAST_DUE_DAY),
    # A reminder on the due day itself would come before the report is late.
    "ARREARS_REMINDER_DAYS": (1, None),
    "ARREARS_ALERT_WORKING_DAYS": (1, None),
    "ARREARS_NOTICE_HOUR": (0, 23),
    "ARREARS_NOTICE_MONTHS": (1, None),
}


def check_settings(app_configs=None, **kwargs):
    config = getattr(settings, "CASEWORK", None)
    if not isinstance(config, dict):
        return []  # casework.E001 says so
    errors = []
    for key, (smallest, largest) in NUMBERS.items():
        name = f"settings.CASEWORK[{key!r}]"
        if key not in config:
            hint = "config/settings.py ships a value for it."
            errors.append(checks.Error(f"{name} is missing.", hint=hint, id="arrears.E001"))
        else:
            errors += number_errors("arrears", name, config[key], smallest, largest)
    return errors
