"""The task page: one screen with the petition and the form of its step."""

from django.urls import reverse

from casework.models import Agreement, CaseEvent, Status
from tests.factories import step
from workflows import services as workflow

from .conftest import task_of


def page(task):
    return reverse("workflows:task", args=[task.pk])


def fire(task, name):
    return reverse("workflows:transition", args=[task.pk, name])


def step_names(response):
    return [s["spec"].name for s in response.context["steps"]]


AGREEMENT = {"expected_status": "in_mediation", "signed_on": "2026-01-05", "due_date": "2026-02-20"}


def test_anonymous_is_sent_to_login(client, petition):
    response = client.get(page(task_of(petition)))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_mediator_sees_the_petition_workers_and_the_steps(login, mediator, mediating):
    task = task_of(mediating)

    response = login(mediator).get(page(task))

    assert response.status_code == 200
    assert mediating.enterprise.name in response.text
    assert sorted(step_names(response)) == ["fail_mediation", "reach_agreement"]
    for claim in mediating.claims.select_related("worker"):
        assert claim.worker.id_number in response.text  # mediators see whole ID numbers
        assert f'name="amount_{claim.pk}"' in response.text  # per-worker agreed amounts
    assert "Start mediation" in response.text  # the timeline
    assert 'id="record-session"' in response.text
    assert f'action="{reverse("workflows:unassign", args=[task.pk])}"' in response.text


def test_auditor_sees_masked_ids_and_no_form(login, auditor, mediating):
    claim = mediating.claims.select_related("worker").first()

    response = login(auditor).get(page(task_of(mediating)))

    assert response.status_code == 200
    assert claim.worker.id_number not in response.text
    assert claim.worker.masked_id_number in response.text
    assert step_names(response) == []
    assert response.context["session_form"] is None
    assert "/claim/" not in response.text


def test_task_outside_the_users_subtree_is_404(login, mediator, outsider, petition, petition_a2):
    assert login(outsider).get(page(task_of(petition))).status_code == 404
    assert login(mediator).get(page(task_of(petition_a2))).status_code == 404
    response = login(mediator).post(
        fire(task_of(petition_a2), "accept"), {"expected_status": "received"}
    )
    assert response.status_code == 404


def test_unassigned_task_offers_claim_and_its_steps(login, mediator, petition):
    task = task_of(petition)

    response = login(mediator).get(page(task))

    assert response.context["may_claim"]
    assert f'action="{reverse("workflows:claim", args=[task.pk])}"' in response.text
    assert sorted(step_names(response)) == ["accept", "refer_out", "reject"]


def test_task_held_by_a_colleague_shows_no_steps(login, mediator, colleague, mediating):
    response = login(colleague).get(page(task_of(mediating)))

    assert step_names(response) == []
    assert "mediator holds this task." in response.text
    assert response.context["session_form"] is None


def test_acting_on_a_task_held_by_a_colleague_is_403(login, colleague, mediating):
    response = login(colleague).post(
        fire(task_of(mediating), "fail_mediation"),
        {"expected_status": "in_mediation", "reason": "Mine now."},
    )

    assert response.status_code == 403
    mediating.refresh_from_db()
    assert mediating.status == Status.IN_MEDIATION


def test_recording_a_session(login, mediator, mediating):
    task = task_of(mediating)

    response = login(mediator).post(
        reverse("workflows:record-session", args=[task.pk]),
        {
            "held_at": "2026-01-03T10:00",
            "place": "Zone union, room 2",
            "parties_present": "Three workers; the employer's HR manager",
            "notes": "The employer offers half now.",
            "outcome": "continued",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == page(task)
    assert mediating.sessions.get().place == "Zone union, room 2"
    assert "Zone union, room 2" in response.text
    assert "Session recorded." in response.text
    assert task_of(mediating).pk == task.pk  # a session does not finish the task


def test_a_session_without_place_is_400_beside_the_form(login, mediator, mediating):
    response = login(mediator).post(
        reverse("workflows:record-session", args=[task_of(mediating).pk]),
        {"held_at": "2026-01-03T10:00", "parties_present": "All", "outcome": "continued"},
    )

    assert response.status_code == 400
    assert response.context["session_form"].errors["place"]
    assert not mediating.sessions.exists()


def test_agreement_with_per_worker_amounts_moves_on_to_the_fulfilment_check(
    login, mediator, mediating
):
    task = task_of(mediating)
    first, *others = mediating.claims.all()

    response = login(mediator).post(
        fire(task, "reach_agreement"),
        {**AGREEMENT, f"amount_{first.pk}": "1200.00", "terms": "In two instalments."},
        follow=True,
    )

    mediating.refresh_from_db()
    assert mediating.status == Status.AGREEMENT_REACHED
    lines = {line.claim_id: line.amount for line in Agreement.objects.get().lines.all()}
    assert lines[first.pk] == 1200
    assert all(lines[claim.pk] == claim.claimed_amount for claim in others)
    following = task_of(mediating)
    assert following.flow_task.name == "check_fulfilment"
    assert following.owner == mediator
    assert response.redirect_chain[-1][0] == page(following)  # the mediator's next task
    assert f"{mediating.number}: Agreement reached." in response.text
    assert "In two instalments." in response.text


def test_without_a_next_task_of_mine_the_page_goes_to_my_tasks(login, supervisor, petition):
    response = login(supervisor).post(
        fire(task_of(petition), "accept"), {"expected_status": "received"}
    )

    assert response.status_code == 302
    assert response.url == reverse("workflows:my-tasks")


def test_missing_agreement_dates_are_400_beside_the_form(login, mediator, mediating):
    response = login(mediator).post(
        fire(task_of(mediating), "reach_agreement"), {"expected_status": "in_mediation"}
    )

    assert response.status_code == 400
    form = next(s["form"] for s in response.context["steps"] if s["spec"].name == "reach_agreement")
    assert set(form.errors) >= {"signed_on", "due_date"}
    mediating.refresh_from_db()
    assert mediating.status == Status.IN_MEDIATION


def test_stale_expected_status_is_409(login, mediator, supervisor, mediating):
    task = task_of(mediating)
    browser = login(mediator)
    browser.get(page(task))
    step(mediating, "fail_mediation", supervisor)

    response = browser.post(fire(task, "reach_agreement"), AGREEMENT)

    assert response.status_code == 409
    assert "changed this task or its petition" in response.text
    assert not response.context["is_open"]
    assert not Agreement.objects.exists()


def test_firing_on_a_finished_task_is_409_even_with_the_current_status(login, supervisor, petition):
    triage = task_of(petition)
    step(petition, "accept", supervisor)

    response = login(supervisor).post(fire(triage, "accept"), {"expected_status": petition.status})

    assert response.status_code == 409


def test_a_step_that_is_not_this_tasks_is_404(login, mediator, mediating):
    response = login(mediator).post(
        fire(task_of(mediating), "accept"), {"expected_status": "in_mediation"}
    )

    assert response.status_code == 404


def test_task_urls_accept_only_post(login, mediator, mediating):
    task = task_of(mediating)
    browser = login(mediator)

    for url in (
        fire(task, "reach_agreement"),
        reverse("workflows:claim", args=[task.pk]),
        reverse("workflows:unassign", args=[task.pk]),
        reverse("workflows:reassign", args=[task.pk]),
        reverse("workflows:record-session", args=[task.pk]),
    ):
        assert browser.get(url).status_code == 405, url


def test_a_finished_task_is_read_only_and_points_to_the_current_one(login, supervisor, petition):
    triage = task_of(petition)
    step(petition, "accept", supervisor)

    response = login(supervisor).get(page(triage))

    assert response.status_code == 200
    assert "This task is done." in response.text
    assert step_names(response) == []
    assert page(task_of(petition)) in response.text


def test_holder_releases_the_task_to_the_queue(login, mediator, mediating):
    task = task_of(mediating)

    response = login(mediator).post(reverse("workflows:unassign", args=[task.pk]))

    assert response.status_code == 302
    assert task_of(mediating).owner is None
    assert CaseEvent.objects.filter(petition=mediating, transition="unassign").exists()


def test_colleague_may_not_release_a_held_task(login, colleague, mediating):
    task = task_of(mediating)

    response = login(colleague).post(reverse("workflows:unassign", args=[task.pk]))

    assert response.status_code == 403
    assert workflow.open_task(mediating).owner_id == task.owner_id
