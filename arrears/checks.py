"""System check of the monthly reports' setting: the due day a new database is seeded with."""

from django.conf import settings
from django.core import checks

from casework.checks import number_errors

from .models import LAST_DUE_DAY

KEY = "ARREARS_REPORT_DUE_DAY"


def check_settings(app_configs=None, **kwargs):
    config = getattr(settings, "CASEWORK", None)
    if not isinstance(config, dict):
        return []  # casework.E001 says so
    if KEY not in config:
        hint = "config/settings.py ships a value for it."
        return [
            checks.Error(f"settings.CASEWORK[{KEY!r}] is missing.", hint=hint, id="arrears.E001")
        ]
    return number_errors("arrears", f"settings.CASEWORK[{KEY!r}]", config[KEY], 1, LAST_DUE_DAY)
