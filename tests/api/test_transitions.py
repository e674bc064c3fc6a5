import pytest

from casework import services
from casework.models import CaseEvent, Petition
from tests.factories import STEP_INPUT, drive_to

from .helpers import error_of, transition_url

pytestmark = pytest.mark.django_db


def test_mediator_accepts(api, mediator, petition):
    response = api(mediator).post(transition_url(petition, "accept"), {}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert response.json()["timeline"][-1]["transition"] == "accept"
    assert Petition.objects.get(pk=petition.pk).status == "accepted"


def test_answer_lists_the_next_steps(api, mediator, petition):
    response = api(mediator).post(transition_url(petition, "accept"), {}, format="json")

    assert [s["name"] for s in response.json()["available_transitions"]] == ["start_mediation"]


def test_reason_is_recorded(api, mediator, petition):
    body = {"reason": "Outside our remit."}

    api(mediator).post(transition_url(petition, "reject"), body, format="json")

    assert CaseEvent.objects.get(petition=petition, transition="reject").reason == body["reason"]


def test_form_fields_go_into_the_event(api, mediator, petition):
    body = {"reason": "Civil service matter.", "body": "District HR bureau"}

    response = api(mediator).post(transition_url(petition, "refer_out"), body, format="json")

    assert response.status_code == 200
    event = CaseEvent.objects.get(petition=petition, transition="refer_out")
    assert event.data == {"body": "District HR bureau"}


def test_missing_reason_is_a_400_naming_the_field(api, mediator, petition):
    response = api(mediator).post(transition_url(petition, "reject"), {}, format="json")

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert error["fields"] == {"reason": ["This field is required."]}
    assert Petition.objects.get(pk=petition.pk).status == "received"


def test_missing_form_field_is_a_400_naming_the_field(api, mediator, petition):
    body = {"reason": "Civil service matter."}

    response = api(mediator).post(transition_url(petition, "refer_out"), body, format="json")

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["body"]


def test_step_not_possible_in_this_state_is_a_400_saying_so(api, mediator, petition):
    response = api(mediator).post(transition_url(petition, "start_mediation"), {}, format="json")

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "transition_refused"
    assert "start_mediation" in error["message"]
    assert "Received" in error["message"]


def test_unknown_step_is_a_400_saying_so(api, mediator, petition):
    response = api(mediator).post(transition_url(petition, "teleport"), {}, format="json")

    assert response.status_code == 400
    assert error_of(response)["code"] == "transition_refused"
    assert "teleport" in error_of(response)["message"]


def test_model_method_that_is_not_a_step_is_refused(api, mediator, petition):
    response = api(mediator).post(transition_url(petition, "delete"), {}, format="json")

    assert response.status_code == 400
    assert Petition.objects.filter(pk=petition.pk).exists()


def test_clerk_may_not_reject(api, clerk, petition):
    response = api(clerk).post(transition_url(petition, "reject"), {"reason": "x"}, format="json")

    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"


def test_auditor_may_not_accept(api, auditor, petition):
    response = api(auditor).post(transition_url(petition, "accept"), {}, format="json")

    assert response.status_code == 403
    assert Petition.objects.get(pk=petition.pk).status == "received"


def test_outsider_gets_404(api, outsider, petition):
    response = api(outsider).post(transition_url(petition, "accept"), {}, format="json")

    assert response.status_code == 404
    assert Petition.objects.get(pk=petition.pk).status == "received"


def test_stale_expected_status_is_a_409(api, mediator, supervisor, petition):
    services.fire_transition(petition, "accept", actor=supervisor)

    response = api(mediator).post(
        transition_url(petition, "reject"),
        {"reason": "Outside our remit.", "expected_status": "received"},
        format="json",
    )

    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"
    assert Petition.objects.get(pk=petition.pk).status == "accepted"


def test_matching_expected_status_goes_through(api, mediator, petition):
    body = {"expected_status": "received"}

    response = api(mediator).post(transition_url(petition, "accept"), body, format="json")

    assert response.status_code == 200


def test_unknown_expected_status_is_a_400(api, mediator, petition):
    body = {"expected_status": "teleported"}

    response = api(mediator).post(transition_url(petition, "accept"), body, format="json")

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["expected_status"]


def test_concurrent_change_is_a_409(api, mediator, petition, monkeypatch):
    """Someone else moves the case between our read and our write."""
    real_save = Petition.save

    def save_after_someone_else(self, *args, **kwargs):
        Petition.objects.filter(pk=self.pk).update(status="rejected")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Petition, "save", save_after_someone_else)

    response = api(mediator).post(transition_url(petition, "accept"), {}, format="json")

    assert response.status_code == 409
    assert not CaseEvent.objects.filter(petition=petition, transition="accept").exists()


def test_step_name_in_capitals_is_refused_as_unknown(api, mediator, petition):
    response = api(mediator).post(transition_url(petition, "Accept"), {}, format="json")

    assert response.status_code == 400
    assert error_of(response)["code"] == "transition_refused"


def test_blank_form_field_is_refused_by_the_form(api, mediator, petition):
    body = {"reason": "Civil service matter.", "body": ""}

    response = api(mediator).post(transition_url(petition, "refer_out"), body, format="json")

    assert error_of(response)["fields"] == {"body": ["This field is required."]}


def test_step_of_a_task_held_by_someone_else_is_a_403(api, mediator, supervisor, petition):
    drive_to(petition, "in_mediation", supervisor)  # the supervisor now holds "mediate"

    response = api(mediator).post(
        transition_url(petition, "fail_mediation"), {"reason": "No deal."}, format="json"
    )

    assert response.status_code == 403
    assert "held by supervisor" in error_of(response)["message"]
    assert Petition.objects.get(pk=petition.pk).status == "in_mediation"


def test_agreement_needs_its_dates(api, supervisor, petition):
    drive_to(petition, "in_mediation", supervisor)

    response = api(supervisor).post(transition_url(petition, "reach_agreement"), {}, format="json")

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"signed_on", "due_date"}


def test_agreement_with_its_dates_is_recorded(api, supervisor, petition):
    drive_to(petition, "in_mediation", supervisor)
    body = STEP_INPUT["reach_agreement"]["data"]

    response = api(supervisor).post(
        transition_url(petition, "reach_agreement"), body, format="json"
    )

    assert response.status_code == 200
    assert response.json()["agreements"][0]["due_date"] == body["due_date"]
    assert response.json()["open_task"]["name"] == "check_fulfilment"
