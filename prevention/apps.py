from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreventionConfig(AppConfig):
    name = "prevention"
    verbose_name = _("Early warning of wage arrears")

    def ready(self):
        from casework.events import register_data_values

        from . import receivers  # noqa: F401 - connects the signal receivers
        from .models import Level

        # How a warning's level reads on the timeline of the petition it turned into.
        register_data_values("level", Level.choices)
