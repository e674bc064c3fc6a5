from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiguresConfig(AppConfig):
    name = "figures"
    verbose_name = _("Figures")

    def ready(self):
        from workflows.timers import register_timer_source

        from . import stale, tallies

        stale.connect()
        # The timer loop recounts the stale days, so that the page rarely waits for it.
        register_timer_source(tallies.timer_source)
