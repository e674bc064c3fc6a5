import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casework import services
from casework.api import idempotency
from casework.models import CaseEvent, IdempotencyKey, Membership, Petition, Role, Worker

from ..factories import EnterpriseFactory, UserFactory
from .helpers import error_of, json_row

pytestmark = pytest.mark.django_db

URL = "/api/petitions/"


def test_clerk_records_a_petition(api, clerk, payload):
    response = api(clerk).post(URL, payload(), format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["number"].startswith("JS-")
    assert body["status"] == "received"
    assert len(body["workers"]) == 2
    assert Petition.objects.get().number == body["number"]


def test_created_petition_starts_its_timeline(api, clerk, payload):
    body = api(clerk).post(URL, payload(), format="json").json()

    assert [event["transition"] for event in body["timeline"]] == ["receive", "tier_set"]
    assert body["timeline"][0]["actor"] == "clerk"


def test_bad_id_number_check_digit_is_refused_per_row(api, clerk, payload):
    good = json_row()
    bad = json_row()
    bad["id_number"] = bad["id_number"][:17] + ("0" if bad["id_number"][17] != "0" else "1")

    response = api(clerk).post(URL, payload(workers=[good, bad]), format="json")

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert error["fields"]["workers"][0] == ""
    assert error["fields"]["workers"][1].startswith("id_number:")
    assert "check digit" in error["fields"]["workers"][1]


def test_bad_phone_is_refused_naming_the_field(api, clerk, payload):
    response = api(clerk).post(URL, payload(workers=[json_row(phone="12345")]), format="json")

    assert response.status_code == 400
    assert error_of(response)["fields"]["workers"][0].startswith("phone:")


def test_missing_description_is_refused(api, clerk, payload):
    body = payload()
    del body["description"]

    response = api(clerk).post(URL, body, format="json")

    assert response.status_code == 400
    assert error_of(response)["fields"] == {"description": ["This field is required."]}


def test_missing_worker_name_is_refused_per_row(api, clerk, payload):
    row = json_row()
    del row["name"]

    response = api(clerk).post(URL, payload(workers=[json_row(), row]), format="json")

    assert response.status_code == 400
    assert error_of(response)["fields"]["workers"] == ["", "name: This field is required."]


def test_unknown_channel_is_refused(api, clerk, payload):
    response = api(clerk).post(URL, payload(channel="pigeon"), format="json")

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["channel"]


def test_refused_intake_creates_nothing(api, clerk, payload):
    api(clerk).post(URL, payload(workers=[json_row(phone="12345")]), format="json")
    api(clerk).post(URL, payload(description=""), format="json")

    assert Petition.objects.count() == 0
    assert Worker.objects.count() == 0
    assert CaseEvent.objects.count() == 0


def test_auditor_cannot_record(api, auditor, payload):
    response = api(auditor).post(URL, payload(), format="json")

    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    assert Petition.objects.count() == 0


def test_outsider_cannot_record_for_zone_a(api, outsider, payload):
    response = api(outsider).post(URL, payload(), format="json")

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["enterprise"]
    assert Petition.objects.count() == 0


def test_another_zones_enterprise_answers_as_an_unknown_one(api, outsider, payload, enterprise):
    client = api(outsider)

    unknown = client.post(URL, payload(enterprise=enterprise.pk + 1000), format="json")
    out_of_reach = client.post(URL, payload(), format="json")

    assert out_of_reach.status_code == unknown.status_code == 400
    assert error_of(out_of_reach) == error_of(unknown)


def test_another_zones_unit_answers_as_an_unknown_one(api, clerk, payload, org):
    client = api(clerk)

    unknown = client.post(URL, payload(org_unit=org["grid_b1"].pk + 1000), format="json")
    out_of_reach = client.post(URL, payload(org_unit=org["grid_b1"].pk), format="json")

    assert out_of_reach.status_code == unknown.status_code == 400
    assert error_of(out_of_reach) == error_of(unknown)


def test_org_unit_must_contain_the_enterprise(api, clerk, payload, org):
    response = api(clerk).post(URL, payload(org_unit=org["grid_a2"].pk), format="json")

    assert response.status_code == 400
    assert "org_unit" in error_of(response)["fields"]


def test_ten_workers_make_a_group_petition(api, clerk, payload):
    response = api(clerk).post(URL, payload(workers=[json_row() for _ in range(10)]), format="json")

    assert response.json()["is_group"] is True


# Idempotency-Key


def test_retry_with_same_key_returns_the_first_answer(api, clerk, payload):
    client, body = api(clerk), payload()

    first = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    retry = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert retry.status_code == first.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"


def test_retry_with_same_key_creates_nothing(api, clerk, payload):
    client, body = api(clerk), payload()

    client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert Petition.objects.count() == 1
    assert CaseEvent.objects.filter(transition="receive").count() == 1


def test_same_key_with_a_different_body_is_refused(api, clerk, payload):
    client = api(clerk)
    client.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    response = client.post(
        URL, payload(description="Something else"), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )

    assert response.status_code == 422
    assert error_of(response)["code"] == "idempotency_key_reused"
    assert Petition.objects.count() == 1


def test_same_key_of_another_user_is_a_new_request(api, clerk, supervisor, payload):
    api(clerk).post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    response = api(supervisor).post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert response.status_code == 201
    assert Petition.objects.count() == 2


def test_refused_request_does_not_use_up_its_key(api, clerk, payload):
    client = api(clerk)
    client.post(URL, payload(description=""), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    response = client.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert response.status_code == 201


def test_concurrent_twin_gets_the_stored_answer(api, clerk, payload, monkeypatch):
    """Two requests with one key at once: both pass the look-up before either commits; the later
    one fails on the key's unique constraint, is rolled back and answers as the first did."""
    client, body = api(clerk), payload()
    first = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    # Replay the twin's view of the world: no stored answer yet, no open case yet.
    real_lookup, misses = idempotency.stored_answer, iter([None])
    monkeypatch.setattr(
        idempotency, "stored_answer", lambda *a: next(misses, None) or real_lookup(*a)
    )
    monkeypatch.setattr(services, "find_open_repeat", lambda *a, **k: None)

    twin = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert twin.status_code == 201
    assert twin.json() == first.json()
    assert Petition.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1


def test_expired_key_can_be_used_again(api, clerk, payload, settings):
    client = api(clerk)
    client.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    settings.CASEWORK = {**settings.CASEWORK, "IDEMPOTENCY_KEY_TTL_HOURS": -1}

    response = client.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert response.status_code == 201
    assert Petition.objects.count() == 2


def test_overlong_key_is_refused(api, clerk, payload):
    response = api(clerk).post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="k" * 256)

    assert response.status_code == 400
    assert "Idempotency-Key" in error_of(response)["fields"]


def test_a_role_that_files_no_petitions_is_refused_before_its_body_is_read(
    api, org, payload, enterprise
):
    union = UserFactory()
    neighbour = EnterpriseFactory(name="Neighbour Co", grid_area=org["grid_a1"])
    Membership.objects.create(
        user=union, org_unit=org["grid_a1"], role=Role.ENTERPRISE_UNION, enterprise=neighbour
    )

    response = api(union).post(URL, payload(enterprise=enterprise.pk), format="json")

    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    assert Petition.objects.count() == 0


def test_a_role_that_files_no_petitions_is_refused_before_its_idempotency_key_is_read(api, org):
    union = UserFactory()
    neighbour = EnterpriseFactory(name="Neighbour Co", grid_area=org["grid_a1"])
    Membership.objects.create(
        user=union, org_unit=org["grid_a1"], role=Role.ENTERPRISE_UNION, enterprise=neighbour
    )

    response = api(union).post(
        URL, "{not json", content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
    )

    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"


@pytest.mark.parametrize("received_at", ["2099-01-01T09:00:00+08:00", "1901-01-01T09:00:00+08:00"])
def test_a_received_time_the_intake_page_refuses_is_refused_naming_the_field(
    api, clerk, payload, received_at
):
    response = api(clerk).post(URL, payload(received_at=received_at), format="json")

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["received_at"]
    assert not Petition.objects.exists()


@pytest.mark.parametrize("amount", ["1e30", "9" * 30, 1e30])
def test_an_absurd_amount_is_refused_naming_the_workers_row(api, clerk, payload, amount):
    workers = [json_row(), json_row(claimed_amount=amount)]

    response = api(clerk).post(URL, payload(workers=workers), format="json")

    assert response.status_code == 400
    assert error_of(response)["fields"]["workers"][0] == ""
    assert "claimed_amount" in error_of(response)["fields"]["workers"][1]
    assert not Petition.objects.exists()


def test_a_multipart_body_with_a_file_and_an_idempotency_key_is_a_400(api, clerk):
    body = {"description": "Wages unpaid.", "list": SimpleUploadedFile("list.csv", b"a,b")}

    response = api(clerk).post(URL, body, format="multipart", HTTP_IDEMPOTENCY_KEY="k-1")

    assert response.status_code == 400
    assert "enterprise" in error_of(response)["fields"]
