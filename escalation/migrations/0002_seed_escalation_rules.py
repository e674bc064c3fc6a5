"""Hand-written: the escalation rules a new database starts with (escalation.rules, from the
numbers named once in settings.CASEWORK). A database that had them seeded by workflows 0005,
before escalation became its own app, keeps its rows as admin left them."""

from django.db import migrations

from escalation.rules import seed_escalation_rules


def seed(apps, schema_editor):
    seed_escalation_rules(apps.get_model("escalation", "EscalationRule"))


class Migration(migrations.Migration):
    dependencies = [("escalation", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
