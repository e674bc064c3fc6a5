"""Reversing an entry takes two people: one proposes, a second confirms; only then is the
reversing entry booked."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from casework.models import Role
from fund import services as services
from fund.models import Correction, JournalEntry

from ..factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_finance(org):
    return user_with_role(Role.FINANCE_OFFICER, org["zone_a"], username="cashier")


def balance(fund):
    fund.refresh_from_db()
    return fund.balance


def test_one_finance_officer_alone_cannot_reverse_a_contribution(fund, finance):
    contribution = JournalEntry.objects.get()

    proposal = services.propose_correction(contribution, actor=finance, reason="Booked twice.")
    with pytest.raises(PermissionDenied):
        services.confirm_correction(proposal, actor=finance)

    assert balance(fund) == Decimal("100000.00")
    assert JournalEntry.objects.count() == 1


def test_a_second_finance_officer_confirms_and_the_reversal_is_booked(
    fund, finance, second_finance
):
    contribution = JournalEntry.objects.get()
    proposal = services.propose_correction(contribution, actor=finance, reason="Booked twice.")

    confirmed = services.confirm_correction(proposal, actor=second_finance)

    assert confirmed.state == Correction.State.BOOKED
    assert confirmed.booking.reverses == contribution
    assert confirmed.booking.booked_by == second_finance
    assert balance(fund) == 0


def test_a_mediator_cannot_confirm_a_correction(fund, finance, mediator):
    proposal = services.propose_correction(
        JournalEntry.objects.get(), actor=finance, reason="Booked twice."
    )

    with pytest.raises(PermissionDenied):
        services.confirm_correction(proposal, actor=mediator)

    assert balance(fund) == Decimal("100000.00")


def test_a_second_proposal_for_the_same_entry_is_a_conflict(fund, finance, second_finance):
    contribution = JournalEntry.objects.get()
    services.propose_correction(contribution, actor=finance, reason="Booked twice.")

    with pytest.raises(services.Conflict):
        services.propose_correction(contribution, actor=second_finance, reason="Again.")


def test_confirming_twice_is_a_conflict(fund, finance, second_finance, supervisor):
    proposal = services.propose_correction(
        JournalEntry.objects.get(), actor=finance, reason="Booked twice."
    )
    services.confirm_correction(proposal, actor=second_finance)

    with pytest.raises(services.Conflict):
        services.confirm_correction(proposal, actor=supervisor)

    assert balance(fund) == 0


def statement(fund):
    return f"/fund/statement/?fund={fund.pk}&start=2000-01-01&end=2100-12-31"


def test_on_the_statement_page_one_proposes_and_another_confirms(login, fund, finance, supervisor):
    entry = JournalEntry.objects.get()
    query = statement(fund).split("?")[1]

    proposed = login(finance).post(
        f"/fund/entries/{entry.pk}/correct/?{query}", {"reason": "Booked twice."}
    )
    assert proposed.status_code == 302 and proposed.url == statement(fund)
    assert balance(fund) == Decimal("100000.00")
    proposal = Correction.objects.get()
    page = login(supervisor).get(statement(fund)).content.decode()
    assert "Booked twice." in page and f"/fund/corrections/{proposal.pk}/confirm/" in page

    confirmed = login(supervisor).post(f"/fund/corrections/{proposal.pk}/confirm/?{query}")

    assert confirmed.status_code == 302 and balance(fund) == 0


def test_the_proposer_confirming_on_the_page_is_refused(login, fund, finance):
    proposal = services.propose_correction(
        JournalEntry.objects.get(), actor=finance, reason="Booked twice."
    )

    response = login(finance).post(f"/fund/corrections/{proposal.pk}/confirm/")

    assert response.status_code == 403
    assert "fund/statement.html" in [t.name for t in response.templates]
    assert "someone else must confirm it" in response.text
    assert balance(fund) == Decimal("100000.00")


def test_confirming_a_booked_correction_on_the_page_is_409(
    login, fund, finance, second_finance, supervisor
):
    proposal = services.propose_correction(
        JournalEntry.objects.get(), actor=finance, reason="Booked twice."
    )
    services.confirm_correction(proposal, actor=second_finance)

    response = login(supervisor).post(
        f"/fund/corrections/{proposal.pk}/confirm/?{statement(fund).split('?')[1]}"
    )

    assert response.status_code == 409
    assert "already been booked" in response.content.decode()
