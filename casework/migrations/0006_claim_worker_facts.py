"""What a petition says about a worker moves from the shared Worker row onto the petition's Claim,
so that another petition (another zone's intake) can no longer read or change it. Worker keeps
only the ID number, the person's identity. Existing claims take the facts their worker had."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

import lib.validators

FACTS = ("name", "phone", "non_local")


def copy_to_claims(apps, schema_editor):
    Claim, Worker = apps.get_model("casework", "Claim"), apps.get_model("casework", "Worker")
    worker = Worker.objects.filter(pk=OuterRef("worker_id"))
    Claim.objects.update(**{f: Subquery(worker.values(f)[:1]) for f in FACTS})


def copy_to_workers(apps, schema_editor):
    """Back to one row per person: the facts of the person's latest claim."""
    Claim, Worker = apps.get_model("casework", "Claim"), apps.get_model("casework", "Worker")
    latest = Claim.objects.filter(worker_id=OuterRef("pk")).order_by("-pk")
    Worker.objects.filter(claims__isnull=False).distinct().update(
        employer_id=Subquery(latest.values("petition__enterprise_id")[:1]),
        **{f: Subquery(latest.values(f)[:1]) for f in FACTS},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0005_ledger_triggers"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="name",
            field=models.CharField(default="", max_length=50, verbose_name="name"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="claim",
            name="phone",
            field=models.CharField(
                blank=True,
                max_length=20,
                validators=[lib.validators.validate_phone],
                verbose_name="phone",
            ),
        ),
        migrations.AddField(
            model_name="claim",
            name="non_local",
            field=models.BooleanField(
                default=False,
                help_text="Needs travel home if the job is lost.",
                verbose_name="non-local",
            ),
        ),
        migrations.RunPython(copy_to_claims, copy_to_workers),
        migrations.RemoveField(model_name="worker", name="employer"),
        migrations.RemoveField(model_name="worker", name="name"),
        migrations.RemoveField(model_name="worker", name="non_local"),
        migrations.RemoveField(model_name="worker", name="phone"),
        migrations.AlterModelOptions(
            name="worker",
            options={
                "ordering": ["id"],
                "verbose_name": "worker",
                "verbose_name_plural": "workers",
            },
        ),
        # No column: the relation joins on (petition, worker). Only the state changes, also since
        # SQLite's schema editor cannot remove a column-less field when this is reversed.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="releaseline",
                    name="claim",
                    field=models.ForeignObject(
                        from_fields=["petition", "worker"],
                        to_fields=["petition", "worker"],
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="casework.claim",
                        verbose_name="claim",
                    ),
                ),
            ]
        ),
        migrations.AlterModelOptions(
            name="releaseline",
            options={
                "ordering": ["release", "claim__name", "purpose"],
                "verbose_name": "release line",
                "verbose_name_plural": "release lines",
            },
        ),
    ]
