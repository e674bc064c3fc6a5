from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArrearsConfig(AppConfig):
    name = "arrears"
    verbose_name = _("Monthly arrears reports")

    def ready(self):
        from django.core import checks

        from workflows.timers import register_timer_source

        from .checks import check_settings
        from .timers import sweep

        checks.register(check_settings)
        # The missing reports' reminders and alerts go out from the deadline timers' loop.
        register_timer_source(sweep)
