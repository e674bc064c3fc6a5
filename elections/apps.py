from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "elections"
    verbose_name = _("Representative elections")

    def ready(self):
        from workflows.timers import register_timer_source

        from . import services

        # Every pass of the timer loop closes the elections past their closing time.
        register_timer_source(services.close_due)
