import pytest

from casework.models import CaseEvent
from workflows import services as workflow

from .helpers import error_of, open_task, task_url

pytestmark = pytest.mark.django_db

REASON = "Mediator on sick leave."


@pytest.fixture
def held(petition, mediator):
    return workflow.claim_task(open_task(petition), actor=mediator)


def reassign(client, task, **body):
    return client.post(task_url(task, "reassign"), body, format="json")


def test_supervisor_moves_a_task_by_username(api, supervisor, colleague, held, petition):
    response = reassign(api(supervisor), held, to_user="colleague", reason=REASON)

    assert response.status_code == 200
    assert response.json()["owner"] == "colleague"
    assert open_task(petition).owner == colleague
    event = CaseEvent.objects.get(petition=petition, transition="reassign")
    assert (event.actor, event.reason) == (supervisor, REASON)
    assert (event.data["from"], event.data["to"]) == ("mediator", "colleague")


def test_supervisor_moves_a_task_by_id(api, supervisor, colleague, held):
    response = reassign(api(supervisor), held, to_user=str(colleague.pk), reason=REASON)

    assert response.json()["owner"] == "colleague"


def test_supervisor_assigns_a_task_from_the_queue(api, supervisor, colleague, petition):
    response = reassign(api(supervisor), open_task(petition), to_user="colleague", reason=REASON)

    assert response.status_code == 200
    assert open_task(petition).owner == colleague


def test_mediator_may_not_reassign(api, mediator, colleague, held, petition):
    response = reassign(api(mediator), held, to_user="colleague", reason=REASON)

    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    assert open_task(petition).owner == mediator


def test_reason_is_required(api, supervisor, colleague, held):
    response = reassign(api(supervisor), held, to_user="colleague", reason=" ")

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["reason"]


def test_only_to_someone_who_may_take_it(api, supervisor, mediator_a2, held):
    response = reassign(api(supervisor), held, to_user="mediator_a2", reason=REASON)

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["to_user"]


def test_unknown_person_is_a_400(api, supervisor, held):
    response = reassign(api(supervisor), held, to_user="nobody", reason=REASON)

    assert response.status_code == 400
    assert error_of(response)["fields"] == {"to_user": ["No one by that name may take this task."]}


def test_another_zones_person_answers_as_an_unknown_one(api, supervisor, outsider, held):
    client = api(supervisor)
    answers = [
        reassign(client, held, to_user=to_user, reason=REASON)
        for to_user in ["nobody", "outsider", "999999", str(outsider.pk)]
    ]

    assert {response.status_code for response in answers} == {400}
    assert all(error_of(response) == error_of(answers[0]) for response in answers)


def test_outsider_supervisor_gets_404(api, outsider, held):
    assert reassign(api(outsider), held, to_user="outsider", reason=REASON).status_code == 404
