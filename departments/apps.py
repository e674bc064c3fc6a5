from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepartmentsConfig(AppConfig):
    name = "departments"
    verbose_name = _("Departments and joint handling")

    def ready(self):
        from casework.events import register_data_values
        from casework.hooks import register_close_check, register_merge_check
        from workflows.timers import register_timer_source

        from . import services
        from .models import Referral

        # Every pass of the timer loop: reminders of unanswered referrals, limitation warnings.
        register_timer_source(services.fire_due)
        # The lead closes the case only when every joint-handling part is done or withdrawn.
        register_close_check(services.open_parts_reason)
        # Nor is it merged away while a part is asked of someone.
        register_merge_check(services.open_parts_reason)
        register_data_values(
            "decision",
            {
                Referral.State.ACCEPTED: Referral.State.ACCEPTED.label,
                Referral.State.DECLINED: Referral.State.DECLINED.label,
            },
        )
