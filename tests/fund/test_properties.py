"""Property: whatever the sequence of contributions, releases, recoveries, write-offs and
corrections, the fund's balance equals its cash postings and never drops below zero, and every
release's outstanding amount stays between zero and what was paid."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fund import services as services
from fund.models import Account, JournalEntry, Posting, Release, ReleaseStatus

from ..factories import record, worker_row
from .helpers import corrected, line, pay_all, workers_of

pytestmark = pytest.mark.django_db

cents = st.integers(min_value=1, max_value=300_000).map(lambda c: Decimal(c) / 100)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("contribute"), cents),
        st.tuples(st.just("release"), st.integers(1, 249_000).map(lambda c: Decimal(c) / 100)),
        st.tuples(st.just("recover"), st.integers(0, 9), cents),
        st.tuples(st.just("write_off"), st.integers(0, 9), cents),
        st.tuples(st.just("correct"), st.integers(0, 9)),
    ),
    max_size=10,
)
REFUSALS = (ValidationError, services.Conflict, services.TransitionRefused)


class Run:
    def __init__(self, people, fund, enterprise):
        self.people, self.fund, self.enterprise = people, fund, enterprise

    def contribute(self, amount):
        services.record_contribution(
            self.fund, actor=self.people["finance"], amount=amount, source="union_dues"
        )

    def release(self, amount):
        p = self.people
        petition = record(
            p["clerk"], self.enterprise, workers=[worker_row(claimed_amount=Decimal("9000"))]
        )
        release = services.draft_release(
            petition,
            actor=p["mediator"],
            reason="Urgent.",
            lines=[line(workers_of(petition)[0], amount=str(amount))],
        )
        release = services.submit_release(release, actor=p["mediator"])
        release = services.approve_release(release, actor=p["supervisor"])
        pay_all(release, p["finance"])

    def _paid(self, index):
        paid = list(Release.objects.filter(status=ReleaseStatus.DISBURSED).order_by("pk"))
        return paid[index % len(paid)] if paid else None

    def recover(self, index, amount):
        release = self._paid(index)
        if release is not None:
            services.record_recovery(
                release, actor=self.people["finance"], amount=amount, source="employer"
            )

    def write_off(self, index, amount):
        release = self._paid(index)
        if release is not None:
            p = self.people
            proposal = services.propose_write_off(
                release, actor=p["finance"], amount=amount, reason="Assets exhausted."
            )
            services.sign_write_off(proposal, actor=p["supervisor"])
            services.sign_write_off(proposal, actor=p["liaison"])

    def correct(self, index):
        entries = list(
            JournalEntry.objects.filter(kind__in=services.CORRECTABLE, reversed_by=None)
            .exclude(release__status=ReleaseStatus.CLOSED)
            .order_by("pk")
        )
        if entries:
            p = self.people
            corrected(entries[index % len(entries)], p["finance"], p["supervisor"], "Error.")


def cash_postings(fund):
    return sum(
        Posting.objects.filter(fund=fund, account=Account.CASH).values_list("amount", flat=True),
        Decimal("0"),
    )


def check_invariants(fund):
    fund.refresh_from_db()
    assert fund.balance == cash_postings(fund)
    assert fund.balance >= 0
    for release in Release.objects.filter(status__in=["disbursed", "closed"]):
        assert 0 <= services.outstanding(release) <= release.total
    assert all(result.ok for result in services.reconcile())


@pytest.fixture
def people(clerk, mediator, supervisor, liaison, finance):
    return {
        "clerk": clerk,
        "mediator": mediator,
        "supervisor": supervisor,
        "liaison": liaison,
        "finance": finance,
    }


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_the_balance_always_equals_the_postings_and_never_goes_negative(
    ops, people, fund, enterprise
):
    run = Run(people, fund, enterprise)
    with transaction.atomic():  # each example starts from the same funded fund
        for name, *args in ops:
            before = (fund.balance, JournalEntry.objects.count())
            try:
                getattr(run, name)(*args)
            except REFUSALS:
                fund.refresh_from_db()
                assert (fund.balance, JournalEntry.objects.count()) == before  # nothing changed
            check_invariants(fund)
        transaction.set_rollback(True)
