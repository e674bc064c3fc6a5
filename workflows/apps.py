from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    """Viewflow flows on top of the petition life cycle: queues, assignment, deadlines."""

    name = "workflows"
    verbose_name = _("Workflows")

    def ready(self):
        from . import receivers  # noqa: F401 - connects the signal receivers
