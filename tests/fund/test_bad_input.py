"""Bad input to the fund is a 400 or a form error naming the field, never a 500, and changes
nothing."""

import re

import pytest
from django.core.exceptions import ValidationError

from fund import services as services
from fund.models import JournalEntry, Release, WriteOff

from ..api.helpers import error_of
from .helpers import default_lines, disbursed

pytestmark = pytest.mark.django_db

HUGE = "1e26"  # 27 integer digits


def test_a_huge_line_amount_is_400_on_the_line(api, wage_petition, mediator):
    lines = [{**ln, "amount": str(ln["amount"])} for ln in default_lines(wage_petition)]
    lines[0]["amount"] = HUGE
    body = {"petition": wage_petition.pk, "reason": "Rent due.", "lines": lines}

    response = api(mediator).post("/api/releases/", body, format="json")

    assert response.status_code == 400
    assert "too large" in error_of(response)["fields"]["lines"][0]
    assert not Release.objects.exists()


def test_an_amount_beyond_what_the_ledger_holds_is_refused_naming_the_field():
    with pytest.raises(ValidationError) as err:
        services.to_money("1000000000000", "reference_amount")  # 13 digits before the point

    assert "reference_amount" in err.value.message_dict


def test_a_huge_recovery_is_400_on_the_amount(api, wage_petition, mediator, supervisor, finance):
    release = disbursed(wage_petition, mediator, supervisor, finance)
    entries = JournalEntry.objects.count()

    response = api(finance).post(
        f"/api/releases/{release.pk}/recover/", {"amount": HUGE, "source": "employer"}
    )

    assert response.status_code == 400 and "amount" in error_of(response)["fields"]
    assert JournalEntry.objects.count() == entries


def test_a_huge_write_off_is_400_on_the_amount(api, wage_petition, mediator, supervisor, finance):
    release = disbursed(wage_petition, mediator, supervisor, finance)

    response = api(finance).post(
        f"/api/releases/{release.pk}/write-offs/", {"amount": HUGE, "reason": "Deregistered."}
    )

    assert response.status_code == 400 and "amount" in error_of(response)["fields"]
    assert not WriteOff.objects.exists()


def test_a_huge_recovery_on_the_page_is_a_form_error(
    login, wage_petition, mediator, supervisor, finance
):
    release = disbursed(wage_petition, mediator, supervisor, finance)

    response = login(finance).post(
        f"/fund/releases/{release.pk}/recover/",
        {"expected_status": "disbursed", "amount": HUGE, "source": "employer"},
    )

    assert response.status_code == 400
    assert "Amount recovered (yuan): Ensure that there are no more than" in (
        response.content.decode()
    )
    assert services.outstanding(release) == release.total


def test_a_contribution_of_zero_is_a_form_error_naming_the_amount(login, fund, finance):
    response = login(finance).post(
        f"/fund/{fund.pk}/contributions/", {"amount": "0", "source": "donation"}
    )

    page = response.content.decode()
    assert response.status_code == 400
    (amount,) = re.findall(r'<input[^>]*id="id_contribution_amount"[^>]*>', page)
    assert 'aria-invalid="true"' in amount
    assert "The amount must be more than zero." in page
    assert JournalEntry.objects.count() == 1  # the fixture's contribution only


def test_a_statement_at_the_end_of_the_calendar_is_400_naming_the_end(api, finance, fund):
    response = api(finance).get(f"/api/funds/{fund.pk}/statement/?start=9999-12-31&end=9999-12-31")

    assert response.status_code == 400 and "end" in error_of(response)["fields"]


def test_a_statement_at_the_start_of_the_calendar_is_400_naming_the_start(api, finance, fund):
    response = api(finance).get(f"/api/funds/{fund.pk}/statement/?start=0001-01-01&end=2026-01-01")

    assert response.status_code == 400 and "start" in error_of(response)["fields"]


def test_a_statement_page_at_the_end_of_the_calendar_is_a_form_error(login, finance, fund):
    response = login(finance).get(
        f"/fund/statement/?fund={fund.pk}&start=9999-12-31&end=9999-12-31"
    )

    assert response.status_code == 400


def test_the_schema_states_the_statement_period_limits(api, finance):
    schema = api(finance).get("/api/schema/?format=json").json()

    parameters = schema["paths"]["/api/funds/{id}/statement/"]["get"]["parameters"]
    end = next(p for p in parameters if p["name"] == "end")
    assert "start" in end["description"] and "9999-12-30" in end["description"]


def test_a_huge_amount_on_the_draft_page_is_a_form_error_on_its_cell(
    login, wage_petition, mediator
):
    first = wage_petition.claims.order_by("id")[0].worker
    name = f"amount_{first.pk}_wages"

    response = login(mediator).post(
        f"/petitions/{wage_petition.pk}/releases/new/", {"reason": "Rent due.", name: HUGE}
    )

    assert response.status_code == 400
    (cell,) = re.findall(rf'<input[^>]*name="{name}"[^>]*>', response.content.decode())
    assert 'aria-invalid="true"' in cell
    assert not Release.objects.exists()


def test_a_huge_write_off_on_the_page_is_refused_naming_the_amount(
    login, wage_petition, mediator, supervisor, finance
):
    release = disbursed(wage_petition, mediator, supervisor, finance)

    response = login(finance).post(
        f"/fund/releases/{release.pk}/write-off/",
        {"expected_status": "disbursed", "amount": HUGE, "reason": "Deregistered."},
    )

    assert response.status_code == 400
    assert "Amount to write off (yuan): " in response.content.decode()
    assert not WriteOff.objects.exists()
