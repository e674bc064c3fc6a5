from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self):
        from casework.events import register_data_values
        from casework.hooks import register_close_check, register_merge_check
        from workflows.timers import register_timer_source

        from . import services
        from .models import Reminder, Reply

        # Every pass of the timer loop sends the reminders that have come due.
        register_timer_source(services.send_reminders)
        # A case under supervision closes only once its result was reported.
        register_close_check(services.close_check)
        # Nor is it merged away: the order would be left on a closed case.
        register_merge_check(services.close_check)
        register_data_values("reply", Reply.Kind.choices)
        register_data_values("reminder", Reminder.Level.choices)
