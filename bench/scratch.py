"""The benches' scratch database: created and migrated for one run, dropped at its end.

Existing data is never touched: Django's test-database machinery creates the scratch database
next to the one DATABASE_URL points at (a file in a new temporary folder on SQLite, not :memory:,
as in use; a database of the bench's own on the same PostgreSQL server), migrates it, and drops
it at the end. A PostgreSQL scratch database that already exists (an interrupted run, or
`--keep`) is refused by name, so that whoever left it drops it.

A bench, run as `python bench/<name>.py`, has this folder on sys.path: it imports this module
first (`from scratch import scratch_database`), which puts the project on sys.path too.
"""

import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402
from django.conf import settings  # noqa: E402


@contextmanager
def scratch_database(pg_name, *, keep=False):
    """Set Django up on a new scratch database for the block; `pg_name` is its name on
    PostgreSQL. `keep` leaves it (and says where) instead of dropping it."""
    db = settings.DATABASES["default"]
    tmpdir = None
    if db["ENGINE"] == "django.db.backends.sqlite3":
        tmpdir = tempfile.mkdtemp(prefix=f"{pg_name}-")
        db.setdefault("TEST", {})["NAME"] = os.path.join(tmpdir, "bench.sqlite3")
    else:
        db.setdefault("TEST", {})["NAME"] = pg_name
    django.setup()
    settings.DEBUG = False  # as in production: no query log kept in memory
    refuse_existing(pg_name)

    from django.test.utils import setup_databases, teardown_databases

    old_config = setup_databases(
        verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set()
    )
    try:
        yield
    finally:
        if keep:
            print(f"kept the scratch database {db['NAME']}: drop it when done (dropdb / rm -r)")
        else:
            teardown_databases(old_config, verbosity=0)
            if tmpdir:
                shutil.rmtree(tmpdir, ignore_errors=True)


def refuse_existing(pg_name):
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [pg_name])
        exists = cursor.fetchone()
    connection.close()
    if exists:
        sys.exit(
            f"Database {pg_name} already exists (an interrupted run, or kept?). Not touching it; "
            f"drop it yourself if it is a leftover: dropdb {pg_name}"
        )


def describe_database():
    from django.db import connection

    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        version = f"PostgreSQL {major}.{minor}"
    else:
        import sqlite3

        version = f"SQLite {sqlite3.sqlite_version}"
    return f"{connection.vendor} ({version}), scratch database {connection.settings_dict['NAME']}"
