import pytest

from casework.models import CaseEvent
from workflows import services as workflow

from .helpers import error_of, open_task, task_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(petition, mediator):
    """The petition's triage task, held by the mediator."""
    return workflow.claim_task(open_task(petition), actor=mediator)


def unclaim(client, task, **body):
    return client.post(task_url(task, "unclaim"), body, format="json")


def test_holder_puts_the_task_back_in_the_queue(api, mediator, held, petition):
    response = unclaim(api(mediator), held, reason="On leave tomorrow.")

    assert response.status_code == 200
    assert (response.json()["owner"], response.json()["status"]) == (None, "NEW")
    assert open_task(petition).owner is None
    event = CaseEvent.objects.get(petition=petition, transition="unassign")
    assert (event.reason, event.data["owner"]) == ("On leave tomorrow.", "mediator")


def test_supervisor_unclaims_someone_elses_task(api, supervisor, held, petition):
    assert unclaim(api(supervisor), held).status_code == 200
    assert open_task(petition).owner is None


def test_colleague_may_not_unclaim_it(api, colleague, held, petition, mediator):
    response = unclaim(api(colleague), held)

    assert response.status_code == 403
    assert open_task(petition).owner == mediator


def test_unclaiming_a_task_in_the_queue_is_a_409(api, mediator, petition):
    response = unclaim(api(mediator), open_task(petition))

    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"


def test_outsider_gets_404(api, outsider, held):
    assert unclaim(api(outsider), held).status_code == 404
