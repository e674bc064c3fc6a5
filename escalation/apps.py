from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscalationConfig(AppConfig):
    name = "escalation"
    verbose_name = _("Escalation to the party working committee")

    def ready(self):
        from casework.events import register_data_values
        from fund import services as fund

        from . import receivers  # noqa: F401 - connects the signal receivers
        from .models import Department, EscalationRule
        from .services import travel_costs

        # How this app's values read on a petition's timeline.
        register_data_values("rules", EscalationRule.Kind.choices)
        register_data_values("departments", Department.choices)

        # A new emergency-fund release is prefilled with the travel costs the committee recorded.
        if travel_costs not in fund.TRAVEL_COST_SOURCES:
            fund.TRAVEL_COST_SOURCES.append(travel_costs)
