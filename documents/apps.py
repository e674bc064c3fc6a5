from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Case documents")

    def ready(self):
        from workflows.timers import register_timer_source

        from . import receivers, services  # noqa: F401 - receivers connects the signals

        # Whatever the step's own render did not finish (a stopped process) is rendered here.
        register_timer_source(services.timer_source)
