"""The public look-up: a case number with the phone given at intake or the worker's query code."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import Claim
from casework.services import merge
from tests.factories import drive_to, record, worker_row

from .conftest import look_up

pytestmark = pytest.mark.django_db


def test_number_and_phone_show_the_workers_own_line_and_the_group_totals(client, petition):
    response = look_up(client, petition.number, "139 0000 0001")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert petition.number in page
    assert "Li Ming" in page and "¥8,000.00" in page
    assert "Wang Fang" not in page and "6,000.00" not in page
    assert "¥14,000.00" in page  # the group's total
    assert "Your petition has been received" in page


def test_the_query_code_opens_only_its_own_workers_line(client, petition):
    wang = petition.claims.get(name="Wang Fang")
    response = look_up(client, petition.number.lower(), wang.query_code.lower())
    page = client.get(response["Location"]).content.decode()
    assert "Wang Fang" in page and "Li Ming" not in page


def test_id_numbers_are_masked_on_the_page(client, petition):
    claim = petition.claims.get(name="Li Ming")
    look_up(client, petition.number, claim.query_code)
    page = client.get("/portal/case/").content.decode()
    assert claim.worker.id_number not in page
    assert claim.worker.masked_id_number in page


def test_wrong_phone_and_unknown_number_get_the_same_answer(client, petition):
    wrong_phone = look_up(client, petition.number, "13911112222")
    unknown = look_up(client, "JS-2026-999999", "13900000001")
    assert wrong_phone.status_code == unknown.status_code == 400
    message = "No case matches this number with this phone number or query code."
    assert message in wrong_phone.content.decode() and message in unknown.content.decode()
    assert "portal" not in wrong_phone.cookies


def test_nothing_of_the_case_travels_in_an_address(client, petition):
    response = look_up(client, petition.number, "13900000001")
    assert response["Location"] == "/portal/case/"


def test_too_many_wrong_answers_lock_the_number_for_everyone(client, petition, settings):
    settings.CASEWORK = {**settings.CASEWORK, "PORTAL_FAILURES_PER_CASE": 3}
    for _ in range(3):
        look_up(client, petition.number, "13911112222")
    right = look_up(client, petition.number, "13900000001")
    assert right.status_code == 429
    assert "Too many tries" in right.content.decode()


def test_a_locked_unknown_number_answers_as_a_locked_real_one(client, petition, settings):
    settings.CASEWORK = {**settings.CASEWORK, "PORTAL_FAILURES_PER_CASE": 1}
    look_up(client, petition.number, "13911112222")
    look_up(client, "JS-2026-999999", "13911112222")
    real = look_up(client, petition.number, "13911112222")
    unknown = look_up(client, "JS-2026-999999", "13911112222")
    assert real.status_code == unknown.status_code == 429


def test_one_address_may_look_up_only_so_often(client, petition, settings):
    settings.CASEWORK = {**settings.CASEWORK, "PORTAL_LOOKUPS_PER_ADDRESS": 2}
    look_up(client, "JS-2026-000001", "13911112222")
    look_up(client, "JS-2026-000002", "13911112222")
    assert look_up(client, petition.number, "13900000001").status_code == 429


def test_the_case_page_without_a_look_up_goes_to_the_form(client, petition):
    assert client.get("/portal/case/")["Location"] == "/portal/lookup/"


def test_a_forged_cookie_opens_nothing(client, petition):
    claim = Claim.objects.filter(petition=petition).first()
    client.cookies["portal"] = f"[{claim.pk}]"
    assert client.get("/portal/case/").status_code == 302


def test_forgetting_ends_the_look_up(client, petition):
    look_up(client, petition.number, "13900000001")
    client.post("/portal/case/forget/")
    assert client.get("/portal/case/").status_code == 302


def test_the_page_says_the_agreed_amount_and_payment_date(client, petition, mediator):
    drive_to(petition, "agreement_reached", mediator)
    look_up(client, petition.number, "13900000001")
    page = client.get("/portal/case/").content.decode()
    assert "the employer is to pay by 2026-01-20" in page
    assert "Amount agreed" in page


def test_a_refused_petition_says_why(client, petition, mediator):
    drive_to(petition, "rejected", mediator)
    look_up(client, petition.number, "13900000001")
    assert "Not a labor dispute." in client.get("/portal/case/").content.decode()


def test_a_referral_names_the_body(client, petition, mediator):
    drive_to(petition, "referred", mediator)
    look_up(client, petition.number, "13900000001")
    assert "Zone arbitration commission" in client.get("/portal/case/").content.decode()


def test_the_next_step_has_its_date(client, petition):
    look_up(client, petition.number, "13900000001")
    page = client.get("/portal/case/").content.decode()
    assert "The union decides on acceptance by" in page


def test_the_handling_unit_is_named_but_no_staff_phone(client, petition, clerk):
    look_up(client, petition.number, "13900000001")
    page = client.get("/portal/case/").content.decode()
    assert "Grid A1" in page
    assert clerk.username not in page


@pytest.mark.parametrize(
    ("number", "key"),
    [("", ""), ("JS-2026-000001", "x" * 500), ("JS\x00", "1"), ("’ OR 1=1 --", "ＡＢＣ")],
)
def test_odd_input_is_a_form_error_never_a_500(client, petition, number, key):
    assert look_up(client, number, key).status_code == 400


def test_the_case_page_does_not_grow_with_the_group(
    client, clerk, enterprise, django_assert_max_num_queries
):
    small = record(clerk, enterprise, workers=[worker_row(phone="13900000011")])
    rows = [worker_row(phone="13900000012")] + [worker_row() for _ in range(40)]
    big = record(clerk, enterprise, workers=rows)
    look_up(client, small.number, "13900000011")
    with CaptureQueriesContext(connection) as baseline:
        client.get("/portal/case/")
    queries = len(baseline.captured_queries)  # before the next request resets the log
    look_up(client, big.number, "13900000012")
    with django_assert_max_num_queries(queries):
        client.get("/portal/case/")


def test_a_landline_given_at_intake_opens_the_case_however_it_is_written(client, clerk, enterprise):
    petition = record(clerk, enterprise, workers=[worker_row(phone="0570-4012345")])
    assert look_up(client, petition.number, "0570 4012345").status_code == 302


def test_a_merged_case_is_found_by_the_number_on_the_workers_notice(
    client, petition, clerk, supervisor, enterprise
):
    other = record(clerk, enterprise, workers=[worker_row(name="Zhao Lei", phone="13900000003")])
    merge.merge_petitions(petition, other, actor=supervisor, reason="Same employer.")

    response = look_up(client, petition.number, "13900000001")
    page = client.get(response["Location"]).content.decode()
    assert other.number in page and "Li Ming" in page
