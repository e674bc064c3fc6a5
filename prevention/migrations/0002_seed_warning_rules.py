"""Hand-written: the warning rules a new database starts with (prevention.rules, from
settings.CASEWORK); admin edits them afterwards."""

from django.db import migrations

from prevention.rules import seed_warning_rules


def seed(apps, schema_editor):
    seed_warning_rules(apps.get_model("prevention", "WarningRule"))


class Migration(migrations.Migration):
    dependencies = [("prevention", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
