from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from casework.exceptions import AppendOnlyError
from fund import services as services
from fund.models import Account, EmergencyFund, JournalEntry, Posting

from .helpers import corrected, disbursed

pytestmark = pytest.mark.django_db


def cash(fund):
    return sum(
        Posting.objects.filter(fund=fund, account=Account.CASH).values_list("amount", flat=True),
        Decimal("0"),
    )


def test_every_entry_balances_and_the_balance_is_the_cash_accounts_sum(
    wage_petition, mediator, supervisor, finance, fund
):
    release = disbursed(wage_petition, mediator, supervisor, finance)
    services.record_recovery(release, actor=finance, amount="1000.00", source="employer")

    fund.refresh_from_db()
    assert fund.balance == cash(fund) == Decimal("96500.00")
    for entry in JournalEntry.objects.all():
        assert sum(p.amount for p in entry.postings.all()) == 0
    assert services.outstanding(release) == Decimal("3500.00")


def test_a_payment_books_one_receivable_posting_per_paid_line(
    wage_petition, mediator, supervisor, finance
):
    release = disbursed(wage_petition, mediator, supervisor, finance)

    entry = JournalEntry.objects.get(kind=JournalEntry.Kind.DISBURSEMENT)
    receivable = entry.postings.filter(account=Account.RECEIVABLE)
    assert sorted(receivable.values_list("line", flat=True)) == sorted(
        release.lines.values_list("pk", flat=True)
    )


def test_ledger_rows_cannot_be_changed_or_deleted(fund):
    entry = JournalEntry.objects.get()

    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.postings.first().delete()
    with pytest.raises(AppendOnlyError):
        Posting.objects.update(amount=1)


@pytest.mark.postgres
def test_on_postgresql_the_database_refuses_to_edit_a_posting(fund):
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE casework_posting SET amount = amount * 2")


def test_a_correction_is_a_new_entry_that_reverses_the_old(fund, finance, supervisor):
    contribution = JournalEntry.objects.get()

    correction = corrected(contribution, finance, supervisor, "Booked twice.")

    fund.refresh_from_db()
    assert fund.balance == 0 == cash(fund)
    assert correction.reverses == contribution
    assert JournalEntry.objects.count() == 2
    with pytest.raises(services.Conflict):
        services.propose_correction(contribution, actor=finance, reason="Again.")


def test_reconcile_fund_reports_no_difference(fund, capsys):
    call_command("reconcile_fund")

    assert "OK ¥100,000.00" in capsys.readouterr().out


def test_reconcile_fund_fails_on_a_difference(fund):
    EmergencyFund.objects.filter(pk=fund.pk).update(balance=Decimal("100000.01"))

    with pytest.raises(CommandError, match="1 fund"):
        call_command("reconcile_fund")


def test_the_balance_cannot_go_below_zero_in_the_database(fund):
    with pytest.raises(IntegrityError), transaction.atomic():
        EmergencyFund.objects.filter(pk=fund.pk).update(balance=Decimal("-0.01"))


def test_a_payment_the_fund_cannot_cover_is_refused_and_changes_nothing(
    wage_petition, mediator, supervisor, finance, fund
):
    from .helpers import approved, pay_all

    release = approved(wage_petition, mediator, supervisor)
    corrected(JournalEntry.objects.get(), finance, supervisor, "Never arrived.")

    with pytest.raises(services.InsufficientFunds, match="The fund holds ¥0.00"):
        pay_all(release, finance)

    fund.refresh_from_db()
    assert fund.balance == 0
    assert JournalEntry.objects.filter(kind=JournalEntry.Kind.DISBURSEMENT).count() == 0
    assert not release.lines.filter(state="paid").exists()
