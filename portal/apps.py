from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Workers' portal")

    def ready(self):
        from casework import evidence
        from workflows.timers import register_timer_source

        # Files kept for a filing form that was never sent again.
        register_timer_source(evidence.remove_abandoned)
