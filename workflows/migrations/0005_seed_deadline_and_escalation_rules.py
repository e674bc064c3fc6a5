"""Hand-written: the deadline rules a new database starts with (workflows.rules, from the
numbers named once in settings.CASEWORK); admin edits them afterwards. The escalation rules,
seeded here too before escalation became its own app, are seeded by escalation 0002 (which
leaves a table that already has rows alone)."""

from django.db import migrations

from workflows.rules import seed_deadline_rules


def seed(apps, schema_editor):
    seed_deadline_rules(apps.get_model("workflows", "DeadlineRule"))


class Migration(migrations.Migration):
    dependencies = [("workflows", "0004_deadlines_escalation")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
