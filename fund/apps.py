from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    name = "fund"
    verbose_name = _("Emergency fund")

    def ready(self):
        from casework.hooks import register_merge_check

        from .services import releases_stop_merge

        register_merge_check(releases_stop_merge)
