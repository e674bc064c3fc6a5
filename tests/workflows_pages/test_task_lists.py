"""My tasks, the zone queue and Done: who sees what, in which order, with filters and counts."""

import datetime

from django.urls import reverse
from django.utils import timezone

from casework.models import Petition, Role
from tests.factories import EnterpriseFactory, record, step, user_with_role
from workflows import services as workflow
from workflows.models import PetitionTask

from .conftest import task_of

MINE = reverse("workflows:my-tasks")
QUEUE = reverse("workflows:queue")
DONE = reverse("workflows:done")


def rows(response):
    return [task.pk for task in response.context["page"].object_list]


def claimed(petition, user):
    return workflow.claim_task(task_of(petition), actor=user)


def test_anonymous_is_sent_to_login(client):
    for url in (MINE, QUEUE, DONE):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_my_tasks_lists_what_the_mediator_holds(login, mediator, petition, mediating):
    task = task_of(mediating)

    response = login(mediator).get(MINE)

    assert response.status_code == 200
    assert rows(response) == [task.pk]
    assert reverse("workflows:task", args=[task.pk]) in response.text
    assert "Mediate" in response.text


def test_my_tasks_sorted_by_deadline_then_urgent_first(login, mediator, clerk, enterprise):
    normal = record(clerk, enterprise)
    urgent = record(clerk, enterprise, priority=Petition.Priority.URGENT)
    earlier = record(clerk, enterprise)
    tasks = {p: claimed(p, mediator) for p in (normal, urgent, earlier)}
    due = timezone.now() + datetime.timedelta(days=5)
    PetitionTask.objects.filter(pk__in=[t.pk for t in tasks.values()]).update(due_at=due)
    PetitionTask.objects.filter(pk=tasks[earlier].pk).update(due_at=due - datetime.timedelta(1))

    response = login(mediator).get(MINE)

    assert rows(response) == [tasks[earlier].pk, tasks[urgent].pk, tasks[normal].pk]


def test_overdue_tasks_are_highlighted(login, mediator, petition):
    task = claimed(petition, mediator)
    PetitionTask.objects.filter(pk=task.pk).update(
        due_at=timezone.now() - datetime.timedelta(days=1)
    )

    text = login(mediator).get(MINE).text

    assert '<tr class="overdue">' in text
    assert "Overdue" in text


def test_queue_offers_unassigned_tasks_the_user_may_take(login, mediator, petition):
    response = login(mediator).get(QUEUE)

    assert rows(response) == [task_of(petition).pk]
    assert f'action="{reverse("workflows:claim", args=[task_of(petition).pk])}"' in response.text


def test_queue_leaves_out_other_grid_areas_and_held_tasks(
    login, mediator, colleague, petition, petition_a2, clerk, enterprise
):
    held = record(clerk, enterprise)
    claimed(held, colleague)

    response = login(mediator).get(QUEUE)

    assert rows(response) == [task_of(petition).pk]
    assert petition_a2.number not in response.text


def test_queue_follows_the_steps_roles(login, clerk, supervisor, petition, enterprise):
    """A clerk may triage but not mediate: only the triage task is in the clerk's queue."""
    accepted = record(clerk, enterprise)
    step(accepted, "accept", supervisor)  # no mediator in the grid: start_mediation waits
    assert task_of(accepted).owner is None

    assert rows(login(clerk).get(QUEUE)) == [task_of(petition).pk]
    assert sorted(rows(login(supervisor).get(QUEUE))) == sorted(
        [task_of(petition).pk, task_of(accepted).pk]
    )


def test_done_lists_tasks_the_user_finished(login, mediator, petition):
    triage = task_of(petition)
    step(petition, "accept", mediator)

    response = login(mediator).get(DONE)

    assert rows(response) == [triage.pk]
    assert "Triage" in response.text


def test_auditor_and_outsider_see_empty_lists(login, auditor, outsider, petition):
    for user in (auditor, outsider):
        browser = login(user)
        for url in (MINE, QUEUE, DONE):
            response = browser.get(url)
            assert response.status_code == 200
            assert rows(response) == []
            assert petition.number not in response.text


def test_outsider_sees_their_own_zone(login, outsider, org, petition):
    own = record(outsider, EnterpriseFactory(grid_area=org["grid_b1"]))

    assert rows(login(outsider).get(QUEUE)) == [task_of(own).pk]


def test_every_tab_shows_the_three_counts(login, mediator, clerk, enterprise):
    mine = record(clerk, enterprise)
    claimed(mine, mediator)
    record(clerk, enterprise)
    record(clerk, enterprise)
    finished = record(clerk, enterprise)
    step(finished, "accept", mediator)  # triage done; start_mediation comes to the mediator

    for url in (MINE, QUEUE, DONE):
        response = login(mediator).get(url)
        assert response.context["counts"] == {"mine": 2, "queue": 2, "done": 1}, url
        assert '<span class="count-badge" data-count="queue">2</span>' in response.text


def test_filters_narrow_the_list_and_the_counts(login, mediator, clerk, enterprise, org):
    other = EnterpriseFactory(grid_area=org["grid_a1"])
    group = record(clerk, enterprise, workers=10)
    dismissal = record(clerk, other, category=Petition.Category.DISMISSAL)
    browser = login(mediator)

    assert rows(browser.get(QUEUE, {"is_group": "true"})) == [task_of(group).pk]
    assert rows(browser.get(QUEUE, {"category": "dismissal"})) == [task_of(dismissal).pk]
    assert rows(browser.get(QUEUE, {"enterprise": other.pk})) == [task_of(dismissal).pk]
    response = browser.get(QUEUE, {"status": "accepted"})
    assert rows(response) == []
    assert response.context["counts"]["queue"] == 0
    assert "status=accepted" in response.text  # the tabs keep the filter


def test_enterprise_filter_offers_only_enterprises_in_the_users_subtree(
    login, mediator, enterprise, org
):
    far = EnterpriseFactory(name="Far Away Ltd", grid_area=org["grid_b1"])

    response = login(mediator).get(QUEUE)

    choices = list(response.context["filters"].fields["enterprise"].queryset)
    assert enterprise in choices and far not in choices


def test_an_invalid_filter_lists_nothing(login, mediator, petition):
    response = login(mediator).get(QUEUE, {"status": "nonsense"})

    assert rows(response) == []
    assert response.context["filters"].errors["status"]


def test_lists_are_paginated(login, mediator, clerk, enterprise):
    for _ in range(27):
        record(clerk, enterprise)

    response = login(mediator).get(QUEUE, {"page": 2, "category": "remuneration"})

    assert len(rows(response)) == 2
    assert "Page 2 of 2" in response.text
    assert "category=remuneration" in response.text


def test_nav_offers_the_task_pages_to_those_who_take_tasks(login, mediator, auditor):
    case_list = reverse("casework:petition-list")
    entries = [f'href="{url}" accesskey' for url in (MINE, QUEUE, DONE)]

    mediators = login(mediator).get(case_list).text
    auditors = login(auditor).get(case_list).text

    assert all(entry in mediators for entry in entries)
    assert not any(entry in auditors for entry in entries)


def test_a_mediator_above_the_grid_sees_the_whole_zone(login, clerk, org, petition, petition_a2):
    zone_mediator = user_with_role(Role.MEDIATOR, org["zone_a"])

    response = login(zone_mediator).get(QUEUE)

    assert sorted(rows(response)) == sorted([task_of(petition).pk, task_of(petition_a2).pk])


def test_the_queue_query_agrees_with_step_may_take(
    login, org, clerk, mediator, supervisor, auditor, outsider, petition, petition_a2, enterprise
):
    """The queue is filtered in SQL; it must offer exactly what `Step.can_assign` would allow."""
    accepted = record(clerk, enterprise)
    step(accepted, "accept", supervisor)
    workflow.unassign_task(task_of(accepted), actor=supervisor)
    zone_mediator = user_with_role(Role.MEDIATOR, org["zone_a"])
    open_tasks = [task_of(p) for p in (petition, petition_a2, accepted)]

    for user in (clerk, mediator, supervisor, auditor, outsider, zone_mediator):
        expected = sorted(t.pk for t in open_tasks if t.flow_task.can_assign(user, t))
        assert sorted(rows(login(user).get(QUEUE))) == expected, user
