"""Hand-written: the due day a new database starts with, for every zone union without a rule of
its own (named once, in settings.CASEWORK); admin edits it and adds per-zone rows afterwards."""

from django.conf import settings
from django.db import migrations


def seed(apps, schema_editor):
    rule = apps.get_model("arrears", "ReportDueRule")
    if not rule.objects.filter(zone__isnull=True).exists():
        rule.objects.create(zone=None, due_day=settings.CASEWORK["ARREARS_REPORT_DUE_DAY"])


class Migration(migrations.Migration):
    dependencies = [("arrears", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
