from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArrearsConfig(AppConfig):
    name = "arrears"
    verbose_name = _("Monthly arrears reports")

    def ready(self):
        from django.core import checks

        from .checks import check_settings

        checks.register(check_settings)
