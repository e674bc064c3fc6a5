from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fund import services as services
from fund.models import JournalEntry, ReleaseStatus, WriteOff

from .helpers import approved, corrected, disbursed

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(wage_petition, mediator, supervisor, finance):
    return disbursed(wage_petition, mediator, supervisor, finance)  # ¥4,500 outstanding


def test_a_recovery_returns_cash_and_lowers_what_is_outstanding(paid, finance, fund):
    services.record_recovery(
        paid, actor=finance, amount="1200.50", source="employer_assets", reference="Court 12"
    )

    fund.refresh_from_db()
    assert fund.balance == Decimal("96700.50")
    assert services.outstanding(paid) == Decimal("3299.50")
    assert paid.petition.events.get(transition="fund_recover").data["outstanding"] == "3299.50"


def test_more_than_is_outstanding_cannot_be_recovered(paid, finance):
    with pytest.raises(ValidationError, match="Only ¥4,500.00 is outstanding"):
        services.record_recovery(paid, actor=finance, amount="4500.01", source="employer")


def test_only_finance_books_recoveries(paid, supervisor):
    with pytest.raises(PermissionDenied):
        services.record_recovery(paid, actor=supervisor, amount="1", source="employer")


def test_nothing_is_recovered_before_payment(wage_petition, mediator, supervisor, finance):
    release = approved(wage_petition, mediator, supervisor)

    with pytest.raises(services.TransitionRefused):
        services.record_recovery(release, actor=finance, amount="1", source="employer")


def test_a_write_off_needs_the_supervisor_and_the_committee(paid, finance, supervisor, liaison):
    proposal = services.propose_write_off(
        paid, actor=finance, amount="4500.00", reason="The company was deregistered."
    )

    services.sign_write_off(proposal, actor=supervisor)
    assert services.outstanding(paid) == Decimal("4500.00")  # one signature books nothing
    proposal = services.sign_write_off(proposal, actor=liaison)

    assert proposal.state == WriteOff.State.BOOKED
    assert services.outstanding(paid) == 0
    paid.refresh_from_db()
    assert paid.status == ReleaseStatus.CLOSED
    assert JournalEntry.objects.get(kind="write_off").memo == "The company was deregistered."


def test_a_write_off_needs_a_reason(paid, finance):
    with pytest.raises(ValidationError):
        services.propose_write_off(paid, actor=finance, amount="1", reason="")


def test_nobody_signs_a_write_off_twice_or_their_own(paid, supervisor, liaison, org):
    proposal = services.propose_write_off(paid, actor=supervisor, amount="10", reason="Lost.")

    with pytest.raises(PermissionDenied):
        services.sign_write_off(proposal, actor=supervisor)
    services.sign_write_off(proposal, actor=liaison)
    with pytest.raises(PermissionDenied):
        services.sign_write_off(proposal, actor=liaison)


def test_finance_alone_cannot_sign_a_write_off(paid, finance, supervisor):
    proposal = services.propose_write_off(paid, actor=supervisor, amount="10", reason="Lost.")

    with pytest.raises(PermissionDenied):
        services.sign_write_off(proposal, actor=finance)


def test_a_reversed_recovery_is_owed_again(paid, finance, supervisor, fund):
    services.record_recovery(paid, actor=finance, amount="1000", source="employer")
    entry = JournalEntry.objects.get(kind="recovery")

    corrected(entry, finance, supervisor, "The cheque bounced.")

    assert services.outstanding(paid) == Decimal("4500.00")
    fund.refresh_from_db()
    assert fund.balance == Decimal("95500.00")
