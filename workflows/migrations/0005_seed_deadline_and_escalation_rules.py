"""Hand-written: the deadline and escalation rules a new database starts with (workflows.rules,
from the numbers named once in settings.CASEWORK); admin edits them afterwards."""

from django.db import migrations

from workflows.rules import seed_rules


def seed(apps, schema_editor):
    seed_rules(apps.get_model("workflows", "DeadlineRule"), apps.get_model("workflows", "EscalationRule"))


class Migration(migrations.Migration):
    dependencies = [("workflows", "0004_deadlines_escalation")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
