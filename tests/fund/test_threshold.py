"""The committee's threshold counts everything released on the petition, approved and pending,
so splitting a release in two does not avoid the liaison's signature."""

from decimal import Decimal

import pytest

from fund import services as services
from fund.models import ReleaseStatus

from .helpers import approved, line, submitted, workers_of

pytestmark = pytest.mark.django_db


def split(petition):
    """¥4,000 and ¥2,500 on one petition: each below the ¥5,000 threshold, together above."""
    first, second, third = workers_of(petition)
    return (
        [line(first), line(second)],
        [line(third), line(second, "travel_home", "500.00")],
    )


def test_a_second_release_that_takes_the_petition_above_the_threshold_needs_a_signature(
    wage_petition, mediator, supervisor
):
    first_lines, second_lines = split(wage_petition)
    approved(wage_petition, mediator, supervisor, first_lines)

    second = services.approve_release(
        submitted(wage_petition, mediator, second_lines), actor=supervisor
    )

    assert second.total == Decimal("2500.00")
    assert second.status == ReleaseStatus.AWAITING_SIGNATURE
    assert second.needs_signature


def test_a_pending_release_counts_towards_the_threshold(wage_petition, mediator, supervisor):
    first_lines, second_lines = split(wage_petition)
    first = submitted(wage_petition, mediator, first_lines)
    submitted(wage_petition, mediator, second_lines)

    first = services.approve_release(first, actor=supervisor)

    assert first.status == ReleaseStatus.AWAITING_SIGNATURE


def test_a_rejected_release_does_not_count_towards_the_threshold(
    wage_petition, mediator, supervisor
):
    first_lines, second_lines = split(wage_petition)
    rejected = submitted(wage_petition, mediator, first_lines)
    services.reject_release(rejected, actor=supervisor, note="Paid by the contractor.")

    second = services.approve_release(
        submitted(wage_petition, mediator, second_lines), actor=supervisor
    )

    assert second.status == ReleaseStatus.APPROVED
