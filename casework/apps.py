from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Casework")

    def ready(self):
        from . import lockout  # noqa: F401  (connects the failed sign-in counter)
        from .checks import check_settings
        from .events import register_data_values
        from .forms import ReferralForm
        from .models import Callback, MediationSession, Petition

        register_data_values("channel", Petition.Channel.choices)
        register_data_values("referral_type", ReferralForm.REFERRAL_TYPES)
        register_data_values("outcome", MediationSession.Outcome.choices)
        register_data_values(
            "satisfaction", {str(v): label for v, label in Callback.Satisfaction.choices}
        )
        register_data_values("tier", Petition.Tier.choices)
        checks.register(check_settings)
