import pytest
from django.core.exceptions import ValidationError

from fund import services as services

from ..factories import EnterpriseFactory, record, worker_row
from .helpers import draft, line, workers_of

pytestmark = pytest.mark.django_db


def first_line_error(petition, mediator, lines):
    with pytest.raises(ValidationError) as err:
        draft(petition, mediator, lines)
    return err.value.message_dict["lines"][0]


def test_travel_home_is_for_non_local_workers_only(wage_petition, mediator):
    first, *_ = workers_of(wage_petition)

    message = first_line_error(wage_petition, mediator, [line(first, "travel_home", "300")])

    assert message == "Travel home is paid to non-local workers only."


def test_a_purpose_the_fund_does_not_allow_is_refused(wage_petition, mediator, fund):
    fund.allows_living_costs = False
    fund.save()
    first, *_ = workers_of(wage_petition)

    message = first_line_error(wage_petition, mediator, [line(first, "living_costs", "300")])

    assert message == "This fund does not pay for “Basic living costs”."


def test_an_unknown_purpose_is_refused(wage_petition, mediator):
    first, *_ = workers_of(wage_petition)

    message = first_line_error(wage_petition, mediator, [line(first, "bonus", "300")])

    assert message.startswith("Choose a purpose")


def test_a_worker_not_on_the_petition_is_refused(wage_petition, mediator, petition):
    stranger = petition.claims.first().worker

    message = first_line_error(wage_petition, mediator, [line(stranger)])

    assert message == "This worker is not on the petition."


def test_amounts_have_at_most_two_decimals_and_are_never_float(wage_petition, mediator):
    first, second, _third = workers_of(wage_petition)

    with pytest.raises(ValidationError) as err:
        draft(wage_petition, mediator, [line(first, amount="10.001"), line(second, amount=10.5)])

    assert err.value.message_dict["lines"] == [
        "At most two decimals (fen).",
        "Send amounts as text or Decimal, not float.",
    ]


def test_a_fund_pays_on_wage_petitions_only(wage_petition, mediator):
    wage_petition.category = "dismissal"
    wage_petition.save(update_fields=["category"])

    with pytest.raises(services.TransitionRefused):
        draft(wage_petition, mediator)


def test_travel_home_follows_the_petitions_own_record_of_the_worker(
    wage_petition, mediator, outsider, org
):
    _first, non_local, _third = wage_petition.claims.order_by("pk")
    row = worker_row(id_number=non_local.worker.id_number, non_local=False)
    # The same person at a zone B intake, said to be local there.
    record(outsider, EnterpriseFactory(grid_area=org["grid_b1"]), workers=[row])

    release = draft(wage_petition, mediator, [line(non_local.worker, "travel_home", "300")])

    assert [ln.purpose for ln in release.lines.all()] == ["travel_home"]
