import django.db.models.deletion
from django.db import migrations, models

OPEN_TASK_STATUSES = ("NEW", "ASSIGNED", "STARTED")


def copy_unit_and_open(apps, schema_editor):
    PetitionTask = apps.get_model("workflows", "PetitionTask")
    for task in PetitionTask.objects.select_related("petition").iterator():
        task.org_unit_id = task.petition.org_unit_id
        task.is_open = task.flow_task_type == "HUMAN" and task.status in OPEN_TASK_STATUSES
        task.in_queue = task.is_open and task.owner_id is None
        task.save(update_fields=["org_unit", "is_open", "in_queue"])


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0003_mediation_agreement_closure"),
        ("workflows", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="petitiontask",
            name="is_open",
            field=models.BooleanField(default=True, editable=False, verbose_name="open"),
        ),
        migrations.AddField(
            model_name="petitiontask",
            name="in_queue",
            field=models.BooleanField(default=True, editable=False, verbose_name="in the queue"),
        ),
        migrations.AddField(
            model_name="petitiontask",
            name="org_unit",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="casework.orgunit",
                verbose_name="organization unit",
            ),
        ),
        migrations.RunPython(copy_unit_and_open, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="petitiontask",
            name="org_unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="casework.orgunit",
                verbose_name="organization unit",
            ),
        ),
        migrations.AddIndex(
            model_name="petitiontask",
            index=models.Index(
                condition=models.Q(("is_open", True)), fields=["org_unit"], name="open_task_unit"
            ),
        ),
        migrations.AddIndex(
            model_name="petitiontask",
            index=models.Index(
                condition=models.Q(("in_queue", True)), fields=["org_unit"], name="queued_task_unit"
            ),
        ),
        migrations.AddIndex(
            model_name="petitiontask",
            index=models.Index(
                condition=models.Q(("is_open", True)), fields=["due_at"], name="open_task_due"
            ),
        ),
    ]
