"""What a petition says about a worker belongs to that petition: another zone's intake of the
same person (same ID number) neither reads nor changes it, nor confirms that the person exists."""

from decimal import Decimal

import pytest

from casework.models import Claim

from ..factories import EnterpriseFactory, record, worker_row


@pytest.fixture
def zone_b_enterprise(org):
    return EnterpriseFactory(name="Kaifa Electronics", grid_area=org["grid_b1"])


@pytest.fixture
def known_in_a(clerk, enterprise):
    """A worker on a zone A petition: non-local, with a phone only zone A knows."""
    row = worker_row(name="王五", phone="13911112222", non_local=True)
    return row, record(clerk, enterprise, workers=[row])


def test_intake_in_another_zone_leaves_this_petitions_worker_facts_alone(
    known_in_a, outsider, zone_b_enterprise, enterprise
):
    row, petition = known_in_a

    record(
        outsider,
        zone_b_enterprise,
        workers=[{**row, "name": "王六", "phone": "13933334444", "non_local": False}],
    )

    claim = petition.claims.get()
    assert (claim.name, claim.phone, claim.non_local) == ("王五", "13911112222", True)
    assert claim.petition.enterprise == enterprise


def test_the_other_zones_petition_has_its_own_facts(known_in_a, outsider, zone_b_enterprise):
    row, _petition = known_in_a

    mine = record(
        outsider,
        zone_b_enterprise,
        workers=[{**row, "name": "王六", "phone": "", "non_local": False}],
    )

    claim = mine.claims.get()
    assert (claim.name, claim.phone, claim.non_local) == ("王六", "", False)


def test_a_different_name_does_not_confirm_the_id_number_exists_elsewhere(
    known_in_a, outsider, zone_b_enterprise
):
    row, _petition = known_in_a

    petition = record(outsider, zone_b_enterprise, workers=[{**row, "name": "赵六"}])

    assert petition.claims.get().name == "赵六"


def test_the_api_answer_shows_only_what_this_intake_said(
    api, known_in_a, outsider, zone_b_enterprise
):
    row, _petition = known_in_a
    body = {
        "enterprise": zone_b_enterprise.pk,
        "channel": "visit",
        "category": "remuneration",
        "description": "Wages unpaid since March.",
        "workers": [{**row, "name": "王五", "phone": "", "claimed_amount": "100"}],
    }

    response = api(outsider).post("/api/petitions/", body, format="json")

    assert response.status_code == 201
    [worker] = response.json()["workers"]
    assert worker["phone"] == ""
    assert "13911112222" not in response.text


def test_the_same_person_is_one_worker_identity_across_petitions(
    known_in_a, outsider, zone_b_enterprise
):
    row, petition = known_in_a

    other = record(outsider, zone_b_enterprise, workers=[row])

    assert other.claims.get().worker_id == petition.claims.get().worker_id
    assert Claim.objects.filter(worker__id_number=row["id_number"]).count() == 2
    assert Decimal(other.claims.get().claimed_amount) == row["claimed_amount"]
