"""On PostgreSQL, refuse UPDATE and DELETE of case events in the database itself, so the audit
trail holds even against raw SQL. (SQLite relies on the model layer's guards.)"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION casework_caseevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'casework_caseevent is append-only: %% refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER casework_caseevent_append_only
    BEFORE UPDATE OR DELETE ON casework_caseevent
    FOR EACH ROW EXECUTE FUNCTION casework_caseevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS casework_caseevent_append_only ON casework_caseevent;
DROP FUNCTION IF EXISTS casework_caseevent_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
