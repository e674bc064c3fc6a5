# A TextField's max_length is not in the database: the state alone changes, so SQLite need not
# rebuild the timers table for it.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('workflows', '0008_escalation_and_release_flow_move_out'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='deadlinetimer',
                    name='last_error',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='last error'),
                ),
            ],
        ),
    ]
