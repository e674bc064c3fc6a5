from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Signed agreements and judicial confirmation")

    def ready(self):
        from casework.events import register_data_values
        from workflows.timers import register_timer_source

        from . import services
        from .models import JudicialConfirmation, Signer

        # A signed agreement whose PDF could not be made at the last signature is made here.
        register_timer_source(services.finish_pending)
        register_data_values("role", dict(Signer.Role.choices))
        register_data_values("ruling", dict(JudicialConfirmation.Ruling.choices))
