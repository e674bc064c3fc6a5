"""Recording a petition: numbers, workers, group cases, repeats and bad input."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casework import services
from casework.models import Petition, Worker

from ..factories import EnterpriseFactory, record, worker_row


def test_numbers_are_sequential_per_zone_and_year(org, clerk, enterprise, outsider):
    year = timezone.localtime().year
    first, second = record(clerk, enterprise), record(clerk, enterprise)
    other_zone = record(outsider, EnterpriseFactory(grid_area=org["grid_b1"]))

    assert first.number == f"JS-{year}-000001"
    assert second.number == f"JS-{year}-000002"
    assert other_zone.number == f"KF-{year}-000001"


def test_numbering_restarts_each_year_in_shanghai_time(clerk, enterprise):
    # 2025-12-31 23:30 in Shanghai is still 2025, although UTC says 15:30 of the same day.
    late = datetime.datetime(2025, 12, 31, 15, 30, tzinfo=datetime.UTC)
    new_year = datetime.datetime(2025, 12, 31, 16, 30, tzinfo=datetime.UTC)

    assert record(clerk, enterprise, received_at=late).number == "JS-2025-000001"
    assert record(clerk, enterprise, received_at=new_year).number == "JS-2026-000001"


def test_rolled_back_intake_leaves_no_gap(clerk, enterprise):
    with pytest.raises(RuntimeError), transaction.atomic():
        record(clerk, enterprise)
        raise RuntimeError("the intake fails after numbering")

    assert record(clerk, enterprise).number.endswith("-000001")


def test_known_worker_is_reused_and_each_petition_keeps_its_own_phone(
    clerk, enterprise, supervisor
):
    row = worker_row(phone="13911112222")
    first = record(clerk, enterprise, workers=[row])
    services.fire_transition(first, "reject", actor=supervisor, reason="premature")

    second = record(clerk, enterprise, workers=[{**row, "phone": "13933334444"}])

    worker = Worker.objects.get(id_number=row["id_number"])
    assert worker.petitions.count() == 2
    assert first.claims.get().phone == "13911112222"
    assert second.claims.get().phone == "13933334444"


def test_repeat_petition_points_to_the_open_case(clerk, enterprise):
    row = worker_row()
    open_case = record(clerk, enterprise, workers=[row, worker_row()])

    with pytest.raises(services.RepeatPetition) as err:
        record(clerk, enterprise, workers=[worker_row(), row])

    assert err.value.petition == open_case
    assert open_case.number in str(err.value)
    assert Petition.objects.count() == 1


def test_same_worker_against_another_employer_is_not_a_repeat(clerk, enterprise):
    row = worker_row()
    record(clerk, enterprise, workers=[row])

    record(clerk, EnterpriseFactory(grid_area=enterprise.grid_area), workers=[row])

    assert Petition.objects.count() == 2


def test_finished_case_does_not_block_a_new_one(clerk, enterprise, supervisor):
    row = worker_row()
    services.fire_transition(
        record(clerk, enterprise, workers=[row]), "reject", actor=supervisor, reason="no case"
    )

    record(clerk, enterprise, workers=[row])

    assert Petition.objects.count() == 2


def test_linking_adds_new_facts_and_workers(clerk, enterprise):
    row = worker_row()
    open_case = record(clerk, enterprise, workers=[row])
    newcomer = worker_row()

    event = services.link_facts(
        open_case, actor=clerk, description="Two more months unpaid.", workers=[row, newcomer]
    )

    assert event.reason == "Two more months unpaid."
    assert event.data["workers_added"] == 1
    assert open_case.claims.count() == 2


def test_linking_can_make_a_group_petition(clerk, enterprise):
    open_case = record(clerk, enterprise, workers=9)

    services.link_facts(open_case, actor=clerk, description="One more", workers=[worker_row()])

    open_case.refresh_from_db()
    assert open_case.is_group


def test_bad_worker_rows_are_reported_per_row_and_nothing_saved(clerk, enterprise):
    rows = [worker_row(), worker_row(id_number="110105194912310021"), worker_row(phone="123")]

    with pytest.raises(ValidationError) as err:
        record(clerk, enterprise, workers=rows)

    messages = err.value.message_dict["workers"]
    assert messages[0] == ""
    assert "check digit" in messages[1]
    assert "phone" in messages[2]
    assert Petition.objects.count() == 0
    assert Worker.objects.count() == 0


def test_worker_listed_twice_is_refused(clerk, enterprise):
    row = worker_row()
    with pytest.raises(ValidationError, match="listed twice"):
        record(clerk, enterprise, workers=[row, dict(row)])


def test_at_most_five_representatives(clerk, enterprise):
    rows = [worker_row(is_representative=True) for _ in range(6)]
    with pytest.raises(ValidationError, match="at most 5 representatives"):
        record(clerk, enterprise, workers=rows)


def test_negative_claim_is_refused(clerk, enterprise):
    with pytest.raises(ValidationError, match="claimed_amount"):
        record(clerk, enterprise, workers=[worker_row(claimed_amount=Decimal("-1"))])


def test_a_petition_needs_workers(clerk, enterprise):
    with pytest.raises(ValidationError, match="at least one worker"):
        record(clerk, enterprise, workers=[])


def test_org_unit_must_contain_the_enterprise(org, clerk, enterprise):
    with pytest.raises(ValidationError) as err:
        record(clerk, enterprise, org_unit=org["grid_a2"])
    assert "org_unit" in err.value.message_dict


def test_petition_at_zone_level(org, clerk, enterprise):
    petition = record(clerk, enterprise, org_unit=org["zone_a"])
    assert petition.org_unit == org["zone_a"]
    assert petition.zone == org["zone_a"]


def test_one_person_in_other_digits_is_not_a_second_worker(clerk, enterprise):
    row = worker_row(id_number="11010519491231002X")
    full_width = {**worker_row(), "id_number": "１１０１０５１９４９１２３１００２ｘ"}

    with pytest.raises(ValidationError, match="listed twice"):
        record(clerk, enterprise, workers=[row, full_width])


def test_an_id_number_in_arabic_indic_digits_is_refused(clerk, enterprise):
    row = worker_row(id_number="١١٠١٠٥١٩٤٩١٢٣١٠٠٢X")

    with pytest.raises(ValidationError, match="17 digits"):
        record(clerk, enterprise, workers=[row])
    assert Worker.objects.count() == 0


def test_a_full_width_id_number_is_stored_in_ascii(clerk, enterprise):
    row = worker_row(id_number="１１０１０５１９４９１２３１００２ｘ")

    petition = record(clerk, enterprise, workers=[row])

    assert petition.claims.get().worker.id_number == "11010519491231002X"
