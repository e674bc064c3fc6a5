"""On PostgreSQL, the fund's ledger holds in the database itself, even against raw SQL: journal
entries and postings refuse UPDATE and DELETE (a correction is a new entry), and every entry's
postings must sum to zero when its transaction commits (a deferred constraint trigger, so the
postings of one entry may be inserted one by one). SQLite relies on the model layer's guards."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION casework_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '%% is append-only: %% refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER casework_journalentry_append_only
    BEFORE UPDATE OR DELETE ON casework_journalentry
    FOR EACH ROW EXECUTE FUNCTION casework_ledger_append_only();

CREATE TRIGGER casework_posting_append_only
    BEFORE UPDATE OR DELETE ON casework_posting
    FOR EACH ROW EXECUTE FUNCTION casework_ledger_append_only();

CREATE OR REPLACE FUNCTION casework_posting_balanced() RETURNS trigger AS $$
BEGIN
    IF (SELECT SUM(amount) FROM casework_posting WHERE entry_id = NEW.entry_id) <> 0 THEN
        RAISE EXCEPTION 'journal entry %% does not balance', NEW.entry_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER casework_posting_balanced
    AFTER INSERT ON casework_posting
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION casework_posting_balanced();
"""

DROP = """
DROP TRIGGER IF EXISTS casework_posting_balanced ON casework_posting;
DROP FUNCTION IF EXISTS casework_posting_balanced();
DROP TRIGGER IF EXISTS casework_posting_append_only ON casework_posting;
DROP TRIGGER IF EXISTS casework_journalentry_append_only ON casework_journalentry;
DROP FUNCTION IF EXISTS casework_ledger_append_only();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("casework", "0004_emergency_fund")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
