import pytest

from tests.factories import drive_to, step
from workflows import services as workflow

from .helpers import error_of, open_task, task_url

pytestmark = pytest.mark.django_db

SESSION = {
    "held_at": "2026-01-03T10:00:00+08:00",
    "place": "Grid A1 office",
    "parties_present": "Three workers; the employer's HR manager",
    "notes": "The employer offers half now.",
    "outcome": "continued",
}


@pytest.fixture
def mediating(petition, mediator):
    """The petition in mediation, its "mediate" task held by the mediator."""
    drive_to(petition, "accepted", mediator)
    task = open_task(petition)  # auto-assigned to one of the grid's mediators
    if task.owner != mediator:
        workflow.unassign_task(task, actor=task.owner)
        workflow.claim_task(task, actor=mediator)
    step(petition, "start_mediation", mediator)
    return open_task(petition)


def record(client, task, **overrides):
    return client.post(task_url(task, "sessions"), {**SESSION, **overrides}, format="json")


def test_holder_records_a_session(api, mediator, mediating, petition):
    response = record(api(mediator), mediating)

    assert response.status_code == 201, response.json()
    assert (response.json()["place"], response.json()["recorded_by"]) == (
        "Grid A1 office",
        "mediator",
    )
    session = petition.sessions.get()
    assert (session.outcome, session.notes) == ("continued", "The employer offers half now.")
    assert petition.events.filter(transition="record_session").count() == 1


def test_session_shows_on_the_petition(api, mediator, mediating, petition):
    record(api(mediator), mediating)

    sessions = api(mediator).get(f"/api/petitions/{petition.pk}/").json()["sessions"]

    assert [s["place"] for s in sessions] == ["Grid A1 office"]


def test_outcome_defaults_to_continued(api, mediator, mediating):
    body = {k: v for k, v in SESSION.items() if k != "outcome"}

    response = api(mediator).post(task_url(mediating, "sessions"), body, format="json")

    assert response.json()["outcome"] == "continued"


def test_missing_place_is_a_400(api, mediator, mediating):
    response = record(api(mediator), mediating, place="")

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["place"]


def test_supervisor_records_on_a_mediators_task(api, supervisor, mediating):
    assert record(api(supervisor), mediating).status_code == 201


def test_colleague_may_not_record_on_the_mediators_task(api, colleague, mediating, petition):
    response = record(api(colleague), mediating)

    assert response.status_code == 403
    assert "held by mediator" in error_of(response)["message"]
    assert not petition.sessions.exists()


def test_not_on_a_triage_task(api, mediator, petition):
    task = workflow.claim_task(open_task(petition), actor=mediator)

    response = record(api(mediator), task)

    assert response.status_code == 400
    assert error_of(response)["code"] == "transition_refused"


def test_not_on_a_finished_mediation(api, mediator, mediating, petition):
    step(petition, "fail_mediation", mediator)

    assert record(api(mediator), mediating).status_code == 409


def test_outsider_gets_404(api, outsider, mediating):
    assert record(api(outsider), mediating).status_code == 404


@pytest.mark.parametrize(
    "held_at", ["9999-12-31T23:59:59+08:00", "0001-01-01T00:00:00Z", "1901-05-01T10:00:00+08:00"]
)
def test_a_session_held_in_an_absurd_year_is_refused_naming_the_field(
    api, mediator, mediating, petition, held_at
):
    response = record(api(mediator), mediating, held_at=held_at)

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["held_at"]
    assert not petition.sessions.exists()
