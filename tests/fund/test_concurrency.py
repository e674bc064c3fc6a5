"""Many people acting on the fund at the same moment, on PostgreSQL: the row locks and the database
constraints keep the money exact. (SQLite serializes writers, so these run on PostgreSQL only.)"""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from casework.models import Role
from fund import services as services
from fund.models import (
    Account,
    Correction,
    EmergencyFund,
    JournalEntry,
    Posting,
    Release,
    ReleaseLine,
    ReleaseStatus,
)

from ..concurrency import run_together
from ..factories import record, user_with_role, worker_row
from .helpers import corrected, default_lines, submitted

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 50


def reconciles():
    return all(result.ok for result in services.reconcile())


def test_fifty_people_approving_and_paying_at_once_pay_exactly_once(
    wage_petition, mediator, supervisor, finance, fund
):
    release = submitted(wage_petition, mediator)
    payments = {
        pk: {"reference": f"BANK-{pk}"} for pk in release.lines.values_list("pk", flat=True)
    }

    def job(barrier):
        mine = Release.objects.get(pk=release.pk)
        barrier.wait()
        outcomes = []
        for act in (
            lambda r: services.approve_release(r, actor=supervisor, note="Go."),
            lambda r: services.disburse_release(r, actor=finance, payments=payments),
        ):
            try:
                mine = act(mine)
                outcomes.append("done")
            except (services.Conflict, services.TransitionRefused) as err:
                outcomes.append(type(err).__name__)
                mine = Release.objects.get(pk=release.pk)
        return outcomes

    results = run_together(*[job] * THREADS)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r[0] == "done" for r in results) == 1
    assert sum(r[1] == "done" for r in results) == 1
    assert JournalEntry.objects.filter(kind=JournalEntry.Kind.DISBURSEMENT).count() == 1
    assert set(ReleaseLine.objects.values_list("state", flat=True)) == {"paid"}
    fund.refresh_from_db()
    assert fund.balance == Decimal("95500.00")
    steps = list(wage_petition.events.values_list("transition", flat=True))
    assert (steps.count("fund_approve"), steps.count("fund_disburse")) == (1, 1)
    assert Release.objects.get(pk=release.pk).status == ReleaseStatus.DISBURSED
    assert reconciles()


def test_two_releases_racing_for_the_last_yuan_one_wins_the_other_changes_nothing(
    clerk, enterprise, mediator, supervisor, finance, fund
):
    corrected(JournalEntry.objects.get(), finance, supervisor, "Test setup.")
    services.record_contribution(fund, actor=finance, amount="4500.00", source="union_dues")
    releases = []
    for _ in range(2):
        rows = [
            worker_row(claimed_amount=Decimal("8000")),
            worker_row(claimed_amount=Decimal("8000"), non_local=True),
            worker_row(claimed_amount=Decimal("6000")),
        ]
        petition = record(clerk, enterprise, workers=rows)
        releases.append(submitted(petition, mediator, default_lines(petition)))  # ¥4,500 each

    def approve(release):
        def job(barrier):
            mine = Release.objects.get(pk=release.pk)
            barrier.wait()
            return services.approve_release(mine, actor=supervisor)

        return job

    results = run_together(*[approve(r) for r in releases])

    refused = [r for r in results if isinstance(r, services.InsufficientFunds)]
    winners = [r for r in results if isinstance(r, Release)]
    assert len(refused) == 1 and len(winners) == 1, results
    # (The threads speak the default language: the figures are what the test reads.)
    assert "¥0.00" in str(refused[0]) and "¥4,500.00" in str(refused[0])
    loser = next(r for r in releases if r.pk != winners[0].pk)
    loser.refresh_from_db()
    assert loser.status == ReleaseStatus.SUBMITTED
    assert not loser.petition.events.filter(transition="fund_approve").exists()
    assert loser.tasks.get(status="NEW").flow_task.name == "approve"
    assert reconciles()


def test_two_payments_racing_for_the_last_yuan_one_is_refused(
    wage_petition, mediator, supervisor, finance, fund
):
    release = services.approve_release(submitted(wage_petition, mediator), actor=supervisor)
    # The money was there when it was approved; then a contribution was found to be wrong.
    corrected(JournalEntry.objects.get(), finance, supervisor, "Bounced.")
    services.record_contribution(fund, actor=finance, amount="2500.00", source="donation")
    lines = list(release.lines.order_by("id"))  # ¥2,000, ¥2,000 and ¥500
    services.disburse_release(release, actor=finance, payments={lines[2].pk: {"reference": "B"}})

    def pay(line):
        def job(barrier):
            mine = Release.objects.get(pk=release.pk)
            barrier.wait()
            return services.disburse_release(
                mine, actor=finance, payments={line.pk: {"reference": f"B-{line.pk}"}}
            )

        return job

    results = run_together(pay(lines[0]), pay(lines[1]))

    refused = [r for r in results if isinstance(r, services.InsufficientFunds)]
    assert len(refused) == 1, results
    fund.refresh_from_db()
    assert fund.balance == 0
    assert ReleaseLine.objects.filter(state="paid").count() == 2  # the ¥500 and one ¥2,000
    assert reconciles()


def test_an_entry_that_does_not_balance_cannot_be_committed(fund, finance):
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        entry = JournalEntry.objects.create(fund=fund, kind="contribution", booked_by=finance)
        Posting.objects.create(entry=entry, fund=fund, account=Account.CASH, amount=1)
        EmergencyFund.objects.filter(pk=fund.pk).update(balance=fund.balance + 1)


def test_two_people_confirming_a_correction_at_once_one_wins_the_other_gets_a_conflict(
    fund, finance, supervisor, org
):
    second_finance = user_with_role(Role.FINANCE_OFFICER, org["zone_a"], username="cashier")
    proposal = services.propose_correction(
        JournalEntry.objects.get(), actor=finance, reason="Booked twice."
    )

    def confirm(actor):
        def job(barrier):
            mine = Correction.objects.get(pk=proposal.pk)
            barrier.wait()
            return services.confirm_correction(mine, actor=actor)

        return job

    results = run_together(confirm(second_finance), confirm(supervisor))

    assert sum(isinstance(r, Correction) for r in results) == 1, results
    assert sum(isinstance(r, services.Conflict) for r in results) == 1, results
    fund.refresh_from_db()
    assert fund.balance == 0 and reconciles()
    assert JournalEntry.objects.filter(kind="correction").count() == 1
