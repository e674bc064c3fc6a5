"""Recusal (回避): a mediator with a recorded conflict with an enterprise never takes its cases:
not picked, not claimed from the queue, not given by a supervisor."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from workflows import absences, queues
from workflows import services as workflow
from workflows.models import Recusal

from ..factories import EnterpriseFactory, record, step

pytestmark = pytest.mark.django_db


@pytest.fixture
def recused(supervisor, mediator, enterprise):
    return absences.record_recusal(
        actor=supervisor, mediator=mediator, enterprise=enterprise, reason="His brother owns it."
    )


@pytest.fixture
def queued(clerk, supervisor, enterprise):
    """A petition in mediation whose task waits in the queue."""
    petition = record(clerk, enterprise, workers=3)
    step(petition, "accept", clerk)
    task = workflow.open_task(petition)
    if task.owner_id is not None:
        workflow.unassign_task(task, actor=supervisor)
    return workflow.open_task(petition)


def test_a_recused_mediator_may_not_take_the_task(mediator, recused, queued):
    assert not queued.flow_task.can_assign(mediator, queued)


def test_the_claim_is_refused_with_the_reason(mediator, recused, queued):
    with pytest.raises(PermissionDenied) as err:
        workflow.claim_task(queued, actor=mediator)
    assert "recorded conflict with this enterprise" in str(err.value)
    assert workflow.open_task(queued.petition).owner_id is None


def test_the_queue_leaves_the_task_out(mediator, colleague, recused, queued):
    assert queued not in queues.zone_queue(mediator)
    assert queued in queues.zone_queue(colleague)


def test_other_enterprises_cases_stay_open_to_them(clerk, org, mediator, recused):
    other = record(clerk, EnterpriseFactory(grid_area=org["grid_a1"]), workers=3)
    step(other, "accept", clerk)
    assert workflow.open_task(other).owner == mediator


def test_a_supervisor_cannot_give_it_to_them(supervisor, mediator, recused, queued):
    with pytest.raises(ValidationError) as err:
        workflow.reassign_task(queued, actor=supervisor, to_user=mediator, reason="Busy week.")
    assert "to_user" in err.value.message_dict
    assert mediator not in workflow.users_who_may_take(queued)
    assert mediator not in queues.candidates([queued])[queued.pk]


def test_the_board_refuses_to_give_it_to_them(login, supervisor, mediator, recused, queued):
    response = login(supervisor).post(
        reverse("workflows:reassign", args=[queued.pk]),
        {"to_user": mediator.pk, "reason": "Busy week."},
    )
    assert response.status_code == 400
    assert workflow.open_task(queued.petition).owner_id is None


def test_the_claim_page_refuses(login, mediator, recused, queued):
    response = login(mediator).post(reverse("workflows:claim", args=[queued.pk]))
    assert response.status_code == 403
    assert workflow.open_task(queued.petition).owner_id is None


def test_a_recusal_needs_a_reason(supervisor, mediator, enterprise):
    with pytest.raises(ValidationError) as err:
        absences.record_recusal(
            actor=supervisor, mediator=mediator, enterprise=enterprise, reason=""
        )
    assert "reason" in err.value.message_dict


def test_a_recusal_is_recorded_once(supervisor, mediator, enterprise, recused):
    with pytest.raises(ValidationError) as err:
        absences.record_recusal(
            actor=supervisor, mediator=mediator, enterprise=enterprise, reason="Again."
        )
    assert "enterprise" in err.value.message_dict
    assert Recusal.objects.count() == 1


def test_a_mediator_does_not_record_one(mediator, colleague, enterprise):
    with pytest.raises(PermissionDenied):
        absences.record_recusal(
            actor=mediator, mediator=colleague, enterprise=enterprise, reason="Friends."
        )


def test_another_zones_supervisor_does_not_record_one(outsider, mediator, enterprise):
    with pytest.raises(PermissionDenied):
        absences.record_recusal(
            actor=outsider, mediator=mediator, enterprise=enterprise, reason="Friends."
        )


# The page.


def test_a_supervisor_records_one_on_the_page(login, supervisor, mediator, enterprise):
    client = login(supervisor)
    body = {"mediator": mediator.get_username(), "enterprise": enterprise.pk, "reason": "Cousin."}
    assert client.post(reverse("workflows:recusals"), body).status_code == 302
    page = client.get(reverse("workflows:recusals")).content.decode()
    assert "Cousin." in page and enterprise.name in page


def test_the_page_refuses_an_enterprise_of_another_zone(login, supervisor, mediator, org):
    elsewhere = EnterpriseFactory(grid_area=org["grid_b1"])
    body = {"mediator": mediator.get_username(), "enterprise": elsewhere.pk, "reason": "Cousin."}
    response = login(supervisor).post(reverse("workflows:recusals"), body)
    assert response.status_code == 400
    assert not Recusal.objects.exists()


def test_the_page_names_a_missing_reason(login, supervisor, mediator, enterprise):
    body = {"mediator": mediator.get_username(), "enterprise": enterprise.pk, "reason": ""}
    response = login(supervisor).post(reverse("workflows:recusals"), body)
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


@pytest.mark.parametrize("who", ["mediator", "clerk", "liaison"])
def test_only_supervisors_reach_the_page(request, login, who):
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("workflows:recusals")).status_code == 403


def test_what_the_mediator_already_holds_of_the_enterprise_goes_back_to_the_queue(
    clerk, supervisor, mediator, enterprise
):
    held = record(clerk, enterprise, workers=3)
    step(held, "accept", clerk)
    assert workflow.open_task(held).owner == mediator
    other = record(clerk, EnterpriseFactory(grid_area=enterprise.grid_area), workers=2)
    step(other, "accept", clerk)

    absences.record_recusal(
        actor=supervisor, mediator=mediator, enterprise=enterprise, reason="His brother owns it."
    )

    assert workflow.open_task(held).owner is None
    assert held.events.last().reason.endswith("His brother owns it.")
    assert workflow.open_task(other).owner == mediator
