"""The mediator's steps on a warning: what was done, close with a note, or turn it into a
petition in one step with the workers and amounts, the two linked both ways."""

from decimal import Decimal

import pytest

from casework.models import CaseEvent
from notifications.models import Kind, Notification
from prevention import services
from prevention.models import EarlyWarning

from ..factories import worker_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def warning(report, mediator):
    report(wages="unpaid", workers_affected=3, amount_owed=Decimal("18000"))
    return EarlyWarning.objects.get()


def convert_post(*rows, description="Three months unpaid."):
    lines = [
        f"{r['name']}\t{r['id_number']}\t{r['phone']}\t{r['claimed_amount']}\t否\t否" for r in rows
    ]
    return {"description": description, "workers_text": "\n".join(lines)}


def test_the_task_page_offers_the_mediator_the_three_steps(login, mediator, warning):
    page = login(mediator).get(f"/prevention/warnings/{warning.pk}/").content.decode()

    assert all(f'id="{part}-form"' in page for part in ("action", "close", "convert"))


def test_what_was_done_is_recorded_and_the_warning_stays_open(login, mediator, warning):
    response = login(mediator).post(
        f"/prevention/warnings/{warning.pk}/actions/", {"note": "Talked to the employer."}
    )

    warning.refresh_from_db()
    assert (response.status_code, warning.status) == (302, "open")
    assert warning.entries.last().note == "Talked to the employer."


def test_closing_ends_the_warning_and_its_task(login, mediator, warning):
    login(mediator).post(f"/prevention/warnings/{warning.pk}/close/", {"note": "Paid on 3 Nov."})

    warning.refresh_from_db()
    assert (warning.status, warning.close_note, warning.closed_by) == (
        "closed",
        "Paid on 3 Nov.",
        mediator,
    )
    assert services.open_task(warning) is None


def test_closing_without_a_note_is_a_400_naming_it(login, mediator, warning):
    response = login(mediator).post(f"/prevention/warnings/{warning.pk}/close/", {"note": " "})

    assert response.status_code == 400
    assert "id_close_note" in response.content.decode()


def test_closing_twice_is_a_409(login, mediator, warning):
    client = login(mediator)
    client.post(f"/prevention/warnings/{warning.pk}/close/", {"note": "Paid."})

    response = client.post(f"/prevention/warnings/{warning.pk}/close/", {"note": "Paid."})

    assert response.status_code == 409


def test_a_converted_warning_carries_the_workers_and_amounts(login, mediator, warning):
    rows = [worker_row(claimed_amount=Decimal("6000.00")) for _ in range(3)]

    login(mediator).post(f"/prevention/warnings/{warning.pk}/petition/", convert_post(*rows))

    warning.refresh_from_db()
    claims = warning.petition.claims.order_by("name")
    assert [(c.worker.id_number, c.claimed_amount) for c in claims] == [
        (r["id_number"], Decimal("6000.00")) for r in sorted(rows, key=lambda r: r["name"])
    ]


def test_the_warning_and_the_petition_name_each_other(login, mediator, warning):
    login(mediator).post(f"/prevention/warnings/{warning.pk}/petition/", convert_post(worker_row()))

    warning.refresh_from_db()
    event = CaseEvent.objects.get(petition=warning.petition, transition="from_warning")
    assert (warning.status, warning.petition.early_warning) == ("converted", warning)
    assert event.data == {"warning": warning.pk, "level": warning.level}


def test_the_petition_page_shows_where_it_came_from(login, mediator, warning):
    client = login(mediator)
    client.post(f"/prevention/warnings/{warning.pk}/petition/", convert_post(worker_row()))
    warning.refresh_from_db()

    page = client.get(f"/petitions/{warning.petition_id}/").content.decode()

    assert "Recorded from an early warning" in page


def test_ten_workers_make_a_group_petition_and_alert_the_zone(login, mediator, supervisor, warning):
    rows = [worker_row() for _ in range(10)]
    login(mediator).post(f"/prevention/warnings/{warning.pk}/petition/", convert_post(*rows))

    warning.refresh_from_db()
    assert warning.petition.is_group
    assert Notification.objects.filter(kind=Kind.GROUP_PETITION_FILED, recipient=supervisor)


def test_converting_without_workers_is_a_400_and_changes_nothing(login, mediator, warning):
    response = login(mediator).post(
        f"/prevention/warnings/{warning.pk}/petition/", {"description": "Unpaid."}
    )

    warning.refresh_from_db()
    assert (response.status_code, warning.status) == (400, "open")
    assert "List at least one worker." in response.content.decode()


def test_converting_a_closed_warning_is_a_409(login, mediator, warning):
    client = login(mediator)
    client.post(f"/prevention/warnings/{warning.pk}/close/", {"note": "Paid."})

    response = client.post(
        f"/prevention/warnings/{warning.pk}/petition/", convert_post(worker_row())
    )

    assert response.status_code == 409


def test_a_supervisor_of_another_zone_does_not_find_the_warning(login, outsider, warning):
    response = login(outsider).post(f"/prevention/warnings/{warning.pk}/close/", {"note": "x"})

    assert response.status_code == 404


def test_an_auditor_reads_the_warning_but_may_not_close_it(login, auditor, warning):
    client = login(auditor)

    page = client.get(f"/prevention/warnings/{warning.pk}/")
    refused = client.post(f"/prevention/warnings/{warning.pk}/close/", {"note": "x"})

    assert (page.status_code, refused.status_code) == (200, 403)
    assert 'id="close-form"' not in page.content.decode()
