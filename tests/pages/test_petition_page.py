from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework import services
from casework.models import CaseEvent, Status
from tests.factories import record, release, worker_row


def page(petition):
    return reverse("casework:petition-detail", args=[petition.pk])


def step(petition, name):
    return reverse("casework:petition-transition", args=[petition.pk, name])


def step_names(response):
    return [s["spec"].name for s in response.context["steps"]]


def test_anonymous_is_sent_to_login(client, petition):
    response = client.get(page(petition))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_petition_outside_the_users_subtree_is_404(login, outsider, petition):
    browser = login(outsider)

    assert browser.get(page(petition)).status_code == 404
    assert (
        browser.post(step(petition, "accept"), {"expected_status": "received"}).status_code == 404
    )


def test_case_page_shows_summary_workers_and_timeline(login, supervisor, petition):
    services.fire_transition(petition, "accept", actor=supervisor, reason="Facts are clear.")

    response = login(supervisor).get(page(petition))

    assert response.status_code == 200
    assert petition.enterprise.name in response.text
    assert [e.transition for e in response.context["events"]] == ["receive", "tier_set", "accept"]
    assert "Petition received" in response.text
    assert "Facts are clear." in response.text
    assert '<span class="status status-received">Received</span> →' in response.text
    assert "supervisor" in response.text
    for claim in petition.claims.select_related("worker"):
        assert claim.name in response.text


def test_timeline_times_are_shown_in_shanghai_time(login, supervisor, petition):
    event = petition.events.get(transition="receive")

    response = login(supervisor).get(page(petition))

    local = event.at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert local.strftime("%Y-%m-%d %H:%M") in response.text


def test_clerk_sees_the_front_desk_steps_only(login, clerk, petition):
    response = login(clerk).get(page(petition))

    assert sorted(step_names(response)) == ["accept", "refer_out"]
    assert f'action="{step(petition, "reject")}"' not in response.text


def test_supervisor_sees_every_step_open_in_this_state(login, supervisor, petition):
    response = login(supervisor).get(page(petition))

    assert sorted(step_names(response)) == ["accept", "refer_out", "reject"]
    assert 'name="expected_status" value="received"' in response.text
    assert 'name="body"' in response.text  # the receiving body of "refer out"


def test_auditor_sees_no_step_buttons_and_no_link_form(login, auditor, petition):
    response = login(auditor).get(page(petition))

    assert step_names(response) == []
    assert "/transitions/" not in response.text
    assert response.context["link_form"] is None


def test_auditor_posting_a_step_is_refused(login, auditor, petition):
    response = login(auditor).post(step(petition, "accept"), {"expected_status": "received"})

    assert response.status_code == 403
    petition.refresh_from_db()
    assert petition.status == Status.RECEIVED


def test_firing_a_step_from_the_page_records_it(login, supervisor, petition):
    response = login(supervisor).post(
        step(petition, "reject"),
        {"expected_status": "received", "reason": "Not a labor dispute."},
        follow=True,
    )

    petition.refresh_from_db()
    assert petition.status == Status.REJECTED
    event = petition.events.last()
    assert (event.transition, event.reason) == ("reject", "Not a labor dispute.")
    assert event.actor.username == "supervisor"
    assert f"{petition.number}: Rejected." in response.text
    assert step_names(response) == ["close"]


def test_step_extra_fields_go_into_the_event(login, clerk, petition):
    login(clerk).post(
        step(petition, "refer_out"),
        {
            "expected_status": "received",
            "reason": "Social insurance.",
            "body": "Social Security Bureau",
        },
    )

    event = petition.events.last()
    assert event.to_status == Status.REFERRED_OUT
    assert event.data == {"body": "Social Security Bureau"}


def test_missing_reason_is_shown_beside_the_form_with_400(login, supervisor, petition):
    response = login(supervisor).post(step(petition, "reject"), {"expected_status": "received"})

    assert response.status_code == 400
    form = next(s["form"] for s in response.context["steps"] if s["spec"].name == "reject")
    assert "reason" in form.errors
    assert "This field is required." in response.text
    assert not CaseEvent.objects.filter(petition=petition, transition="reject").exists()


def test_step_not_possible_in_this_state_is_400_with_the_reason(login, supervisor, petition):
    response = login(supervisor).post(step(petition, "close"), {"expected_status": "received"})

    assert response.status_code == 400
    assert "is not possible while the petition is" in response.context["alert"]


def test_unknown_step_is_404(login, supervisor, petition):
    response = login(supervisor).post(step(petition, "explode"), {"expected_status": "received"})

    assert response.status_code == 404


def test_stale_page_gets_409_and_the_current_state(login, supervisor, mediator, petition):
    browser = login(mediator)
    browser.get(page(petition))
    services.fire_transition(petition, "reject", actor=supervisor, reason="Duplicate.")
    release(petition, supervisor)  # the closing task waits in the queue, open to the mediator

    response = browser.post(step(petition, "accept"), {"expected_status": "received"})

    assert response.status_code == 409
    assert "changed by someone else" in response.text
    assert response.context["petition"].status == Status.REJECTED
    assert 'name="expected_status" value="rejected"' in response.text
    assert list(petition.events.values_list("transition", flat=True)) == [
        "receive",
        "tier_set",
        "reject",
        "unassign",
    ]


def test_transition_urls_accept_only_post(login, supervisor, petition):
    assert login(supervisor).get(step(petition, "accept")).status_code == 405


def test_id_numbers_are_masked_for_clerk_and_auditor(login, clerk, auditor, petition):
    claim = petition.claims.select_related("worker").first()

    for user in (clerk, auditor):
        text = login(user).get(page(petition)).text
        assert claim.worker.id_number not in text
        assert claim.worker.masked_id_number in text


def test_id_numbers_are_whole_for_the_mediator(login, mediator, petition):
    claim = petition.claims.select_related("worker").first()

    assert claim.worker.id_number in login(mediator).get(page(petition)).text


def test_clerk_links_new_facts_and_workers_from_the_case_page(login, clerk, petition):
    newcomer = worker_row()
    text = f"{newcomer['name']}\t{newcomer['id_number']}\t{newcomer['phone']}\t800\t否\t否"

    response = login(clerk).post(
        reverse("casework:petition-link", args=[petition.pk]),
        {"description": "Two more came forward.", "workers_text": text},
        follow=True,
    )

    assert petition.claims.count() == 4
    assert "New facts linked" in response.text
    assert "Two more came forward." in response.text


def test_linking_without_a_description_is_400(login, clerk, petition):
    response = login(clerk).post(
        reverse("casework:petition-link", args=[petition.pk]), {"description": ""}
    )

    assert response.status_code == 400
    assert response.context["link_form"].errors["description"]


def test_auditor_may_not_link_facts(login, auditor, petition):
    response = login(auditor).post(
        reverse("casework:petition-link", args=[petition.pk]), {"description": "x"}
    )

    assert response.status_code == 403


def test_case_page_query_count_does_not_grow_with_workers_and_events(
    login, supervisor, clerk, enterprise, django_assert_max_num_queries
):
    small = record(clerk, enterprise, workers=2)
    big = record(clerk, enterprise, workers=15)
    for name in ("accept", "start_mediation", "fail_mediation"):
        services.fire_transition(big, name, actor=supervisor, reason="step")
    browser = login(supervisor)
    with CaptureQueriesContext(connection) as baseline:
        browser.get(page(small))

    with django_assert_max_num_queries(len(baseline.captured_queries)):
        browser.get(page(big))
