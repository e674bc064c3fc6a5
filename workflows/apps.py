from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    """Viewflow flows on top of the petition life cycle: queues, assignment, deadlines."""

    name = "workflows"
    verbose_name = _("Workflows")

    def ready(self):
        from casework.events import register_data_values
        from casework.hooks import register_merge_check, register_task_layer
        from casework.models import Petition

        from . import (
            absences,
            receivers,  # noqa: F401 - connects the signal receivers
        )
        from .checks import check_settings
        from .flows import PetitionFlow
        from .hooks import PetitionTasks
        from .models import DeadlineExtension, DeadlineKind
        from .timers import register_timer_source
        from .transfers import accept_unanswered, transfer_stops_merge

        register_task_layer(PetitionTasks())
        # Transfers nobody answered in time are taken as accepted.
        register_timer_source(accept_unanswered)
        register_merge_check(transfer_stops_merge)
        # A mediator's leave that has started sends their open tasks back to the queue.
        register_timer_source(absences.release_due)
        # How this layer's values read on a petition's timeline.
        register_data_values(
            "task",
            {n.name: getattr(n, "task_title", n.name) for n in PetitionFlow.instance.nodes()},
        )
        register_data_values("deadline", DeadlineKind.choices)
        register_data_values("decision", DeadlineExtension.Decision.choices)
        # A tier changed by hand: from one tier to another.
        register_data_values("from", Petition.Tier.choices)
        register_data_values("to", Petition.Tier.choices)
        checks.register(check_settings)
