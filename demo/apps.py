from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data of `make run` and the benches, and `manage.py load_demo`. Installed in
    development only (config/settings.py): production has no command that fills a database with
    made-up people."""

    name = "demo"
    verbose_name = _("Demo data")
