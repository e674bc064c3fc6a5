"""Early warnings listen to the monthly reports: a filed report with arrears or risk signals
opens a warning for its enterprise, or raises the open one, as the rules say."""

from django.dispatch import receiver

from arrears.signals import report_filed

from . import services


@receiver(report_filed, dispatch_uid="prevention-warn-on-report")
def warn_on_report(sender, report, actor, **kwargs):
    services.warn_for(report, actor=actor)
