"""The case events are append-only: through the ORM everywhere, and through SQL on PostgreSQL."""

import pytest
from django.db import connection, transaction
from django.db.models.deletion import ProtectedError
from django.db.utils import DatabaseError

from casework.exceptions import AppendOnlyError
from casework.models import CaseEvent

from ..factories import step


def test_intake_is_the_first_event(petition, clerk):
    event = petition.events.get(transition="receive")
    assert (event.transition, event.from_status, event.to_status) == ("receive", "", "received")
    assert event.actor == clerk
    assert event.data["workers"] == 3


def test_event_cannot_be_changed(petition):
    event = petition.events.get(transition="receive")
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_event_cannot_be_deleted(petition):
    with pytest.raises(AppendOnlyError):
        petition.events.get(transition="receive").delete()


def test_events_cannot_be_bulk_updated_or_deleted(petition):
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(petition=petition).update(reason="x")
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(petition=petition).delete()
    assert petition.events.get(transition="receive").reason == ""


def test_petition_with_history_cannot_be_deleted(petition):
    with pytest.raises(ProtectedError):
        petition.delete()


def test_refused_step_writes_no_event(petition, auditor):
    with pytest.raises(Exception):  # noqa: B017 - any refusal will do; the count is the point
        step(petition, "accept", auditor)
    assert list(petition.events.values_list("transition", flat=True)) == ["receive", "tier_set"]


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE casework_caseevent SET reason = 'rewritten'",
        "DELETE FROM casework_caseevent",
    ],
)
def test_database_refuses_changes_to_events(petition, sql):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert petition.events.get(transition="receive").reason == ""
