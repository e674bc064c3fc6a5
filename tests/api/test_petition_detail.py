import pytest

from casework import services
from tests.clock import local
from tests.factories import drive_to, record, step

from .helpers import error_of, petition_url

pytestmark = pytest.mark.django_db


def id_numbers(response):
    assert response.status_code == 200, response.json()
    return [worker["id_number"] for worker in response.json()["workers"]]


def test_detail_lists_the_workers_with_their_claims(api, mediator, petition):
    workers = api(mediator).get(petition_url(petition)).json()["workers"]

    assert len(workers) == 3
    assert set(workers[0]) == {
        "worker_id",
        "name",
        "id_number",
        "phone",
        "claimed_amount",
        "non_local",
        "is_representative",
    }
    assert workers[0]["claimed_amount"] == "5000.00"


@pytest.mark.parametrize("persona", ["clerk", "auditor"])
def test_id_numbers_are_masked_for(api, petition, persona, request):
    user = request.getfixturevalue(persona)

    shown = id_numbers(api(user).get(petition_url(petition)))

    assert all("*" * 10 in number for number in shown)


@pytest.mark.parametrize("persona", ["mediator", "supervisor"])
def test_id_numbers_are_whole_for(api, petition, persona, request):
    user = request.getfixturevalue(persona)

    shown = id_numbers(api(user).get(petition_url(petition)))

    assert sorted(shown) == sorted(petition.workers.values_list("id_number", flat=True))


def test_outsider_gets_404(api, outsider, petition):
    response = api(outsider).get(petition_url(petition))

    assert response.status_code == 404
    assert error_of(response) == {"code": "not_found", "message": "Not found."}


def test_unknown_petition_gets_the_same_404(api, outsider, petition):
    response = api(outsider).get("/api/petitions/999999/")

    assert response.status_code == 404
    assert error_of(response) == {"code": "not_found", "message": "Not found."}


def test_available_transitions_are_those_the_user_may_take(api, mediator, petition):
    steps = api(mediator).get(petition_url(petition)).json()["available_transitions"]

    assert {step["name"] for step in steps} == {"accept", "reject", "refer_out"}


def test_clerk_is_not_offered_rejection(api, clerk, petition):
    steps = api(clerk).get(petition_url(petition)).json()["available_transitions"]

    assert {step["name"] for step in steps} == {"accept", "refer_out"}


def test_available_transitions_say_what_the_form_needs(api, mediator, petition):
    steps = api(mediator).get(petition_url(petition)).json()["available_transitions"]
    by_name = {step["name"]: step for step in steps}

    assert by_name["accept"]["reason_required"] is False
    assert by_name["accept"]["fields"] == []
    assert by_name["reject"]["reason_required"] is True
    assert by_name["refer_out"]["fields"] == [
        {"name": "body", "label": "Receiving body", "type": "string", "required": True}
    ]


def test_referral_lists_its_choices(api, mediator, petition):
    for name, reason in [("accept", ""), ("start_mediation", ""), ("fail_mediation", "No deal.")]:
        services.fire_transition(petition, name, actor=mediator, reason=reason)

    steps = api(mediator).get(petition_url(petition)).json()["available_transitions"]

    referral_type = steps[0]["fields"][0]
    assert (steps[0]["name"], referral_type["name"]) == ("refer", "referral_type")
    assert {"value": "arbitration", "label": "Labor dispute arbitration"} in referral_type[
        "choices"
    ]


def test_steps_of_a_task_held_by_someone_else_are_not_offered(api, mediator, supervisor, petition):
    drive_to(petition, "in_mediation", supervisor)  # the supervisor now holds "mediate"

    steps = api(mediator).get(petition_url(petition)).json()["available_transitions"]

    assert steps == []


def test_supervisor_is_offered_the_steps_of_a_mediators_task(api, mediator, supervisor, petition):
    drive_to(petition, "in_mediation", mediator)

    steps = api(supervisor).get(petition_url(petition)).json()["available_transitions"]

    assert {step["name"] for step in steps} == {"reach_agreement", "fail_mediation"}


def test_auditor_has_no_transitions(api, auditor, petition):
    assert api(auditor).get(petition_url(petition)).json()["available_transitions"] == []


def test_timeline_lists_the_events_in_order(api, mediator, petition):
    services.fire_transition(petition, "accept", actor=mediator, reason="Complete file.")

    timeline = api(mediator).get(petition_url(petition)).json()["timeline"]

    assert [(e["transition"], e["from_status"], e["to_status"]) for e in timeline] == [
        ("receive", "", "received"),
        ("tier_set", "received", "received"),
        ("accept", "received", "accepted"),
    ]
    assert timeline[2]["actor"] == "mediator"
    assert timeline[2]["reason"] == "Complete file."
    assert timeline[0]["data"]["workers"] == 3


def test_detail_shows_the_open_task_and_who_holds_it(api, mediator, supervisor, petition):
    drive_to(petition, "in_mediation", supervisor)

    task = api(mediator).get(petition_url(petition)).json()["open_task"]

    assert (task["name"], task["title"], task["owner"]) == ("mediate", "Mediate", "supervisor")
    assert task["due_at"]


def test_open_task_due_on_the_provisional_calendar_names_its_year(
    api, clock, mediator, clerk, enterprise
):
    clock(local(2026, 12, 21, 10))
    petition = record(clerk, enterprise)

    task = api(mediator).get(petition_url(petition)).json()["open_task"]

    assert task["due_at"].startswith("2027-01-12") and task["due_provisional_year"] == 2027


def test_unclaimed_task_has_no_owner(api, mediator, petition):
    task = api(mediator).get(petition_url(petition)).json()["open_task"]

    assert (task["name"], task["owner"]) == ("triage", None)


def test_closed_petition_has_no_open_task(api, supervisor, petition):
    drive_to(petition, "closed", supervisor)

    body = api(supervisor).get(petition_url(petition)).json()

    assert body["open_task"] is None
    assert [(c["outcome_notice"], c["rating"]) for c in body["closures"]] == [("Told by phone.", 5)]


def test_detail_shows_sessions_and_the_agreement_with_its_lines(api, mediator, petition):
    drive_to(petition, "in_mediation", mediator)
    hold_session(petition, mediator, place="Union office")
    first = petition.claims.first()
    step(
        petition,
        "reach_agreement",
        mediator,
        data={"signed_on": "2026-01-05", "due_date": "2026-01-20", f"amount_{first.pk}": "1200"},
    )

    body = api(mediator).get(petition_url(petition)).json()

    assert [(s["place"], s["outcome"], s["recorded_by"]) for s in body["sessions"]] == [
        ("Union office", "continued", "mediator")
    ]
    (agreement,) = body["agreements"]
    assert (agreement["signed_on"], agreement["due_date"]) == ("2026-01-05", "2026-01-20")
    assert [line["amount"] for line in agreement["lines"]] == ["1200.00", "5000.00", "5000.00"]
    assert agreement["lines"][0]["name"] == first.name
    assert body["open_task"]["name"] == "check_fulfilment"


def hold_session(petition, actor, **data):
    data = {
        "held_at": "2026-01-03T10:00",
        "place": "Grid office",
        "parties_present": "Workers and the employer's manager",
        "outcome": "continued",
        **data,
    }
    return services.record_session(petition, actor=actor, data=data)


def test_detail_query_count_does_not_grow_with_workers_and_events(
    api, supervisor, clerk, enterprise, django_assert_max_num_queries
):
    small = record(clerk, enterprise, workers=1)
    big = record(clerk, enterprise, workers=12)
    for petition, sessions in [(small, 1), (big, 3)]:
        drive_to(petition, "in_mediation", supervisor)
        for _ in range(sessions):
            hold_session(petition, supervisor)
        step(petition, "reach_agreement", supervisor)
    client = api(supervisor)
    client.get(petition_url(small))  # the user's roles are now cached on it

    with django_assert_max_num_queries(8) as one:
        client.get(petition_url(small))
    with django_assert_max_num_queries(8) as many:
        client.get(petition_url(big))

    assert len(many.captured_queries) == len(one.captured_queries)


def test_the_close_steps_rating_choices_are_strings_as_the_schema_says(api, supervisor, petition):
    drive_to(petition, "fulfilled", supervisor)

    steps = api(supervisor).get(petition_url(petition)).json()["available_transitions"]

    rating = next(
        f for s in steps if s["name"] == "close" for f in s["fields"] if f["name"] == "rating"
    )
    assert [choice["value"] for choice in rating["choices"]] == ["", "1", "2", "3", "4", "5"]
