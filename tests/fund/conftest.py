"""The fund's personas and a funded zone A fund: minimum wage ¥2,490, per-worker cap one month,
travel home ¥500, total cap 30% of owed wages, the committee signs above ¥5,000."""

import datetime
from decimal import Decimal

import pytest

from fund import services as services
from fund.models import EmergencyFund, MinimumWage

from ..factories import record, worker_row


@pytest.fixture
def fund(org, finance):
    MinimumWage.objects.create(
        jurisdiction=org["zone_a"],
        monthly_amount=Decimal("2490.00"),
        effective_from=datetime.date(2024, 1, 1),
    )
    fund = EmergencyFund.objects.create(
        zone=org["zone_a"],
        name="Zone A emergency fund",
        worker_cap_months=Decimal("1"),
        travel_cap=Decimal("500"),
        total_cap_percent=Decimal("30"),
        committee_threshold=Decimal("5000"),
    )
    services.record_contribution(fund, actor=finance, amount="100000.00", source="government")
    fund.refresh_from_db()
    return fund


@pytest.fixture
def wage_petition(clerk, enterprise, fund):
    """Three workers owed ¥8,000, ¥8,000 and ¥6,000 (cap 30%: ¥6,600); the second is
    non-local."""
    rows = [
        worker_row(claimed_amount=Decimal("8000.00")),
        worker_row(claimed_amount=Decimal("8000.00"), non_local=True),
        worker_row(claimed_amount=Decimal("6000.00")),
    ]
    return record(clerk, enterprise, workers=rows)
