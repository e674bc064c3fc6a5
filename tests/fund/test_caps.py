import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from fund import services as services
from fund.models import MinimumWage, ReleaseStatus

from .helpers import draft, line, submitted, workers_of

pytestmark = pytest.mark.django_db


def refusal(callable_, *args, **kwargs):
    with pytest.raises(ValidationError) as err:
        callable_(*args, **kwargs)
    return err.value.message_dict


def test_a_worker_gets_at_most_one_month_of_minimum_wage(wage_petition, mediator):
    first, *_ = workers_of(wage_petition)

    errors = refusal(draft, wage_petition, mediator, [line(first, amount="2490.01")])

    assert "capped at ¥2,490.00" in errors["lines"][0]


def test_the_cap_counts_wages_and_living_costs_together(wage_petition, mediator):
    first, *_ = workers_of(wage_petition)
    lines = [line(first, amount="2000.00"), line(first, "living_costs", "490.01")]

    errors = refusal(draft, wage_petition, mediator, lines)

    assert errors["lines"][0] == ""
    assert "this makes ¥2,490.01" in errors["lines"][1]


def test_the_cap_counts_the_petitions_other_releases(wage_petition, mediator):
    first, *_ = workers_of(wage_petition)
    draft(wage_petition, mediator, [line(first, amount="2000.00")])

    errors = refusal(draft, wage_petition, mediator, [line(first, "living_costs", "500.00")])

    assert "capped at ¥2,490.00" in errors["lines"][0]


def test_the_newest_minimum_wage_in_force_sets_the_cap(wage_petition, mediator, org):
    MinimumWage.objects.create(
        jurisdiction=org["grid_a1"],
        monthly_amount=Decimal("2660.00"),
        effective_from=datetime.date(2025, 1, 1),
    )
    MinimumWage.objects.create(
        jurisdiction=org["grid_a1"],
        monthly_amount=Decimal("9999.00"),
        effective_from=timezone_tomorrow(),
    )
    first, *_ = workers_of(wage_petition)

    release = draft(wage_petition, mediator, [line(first, amount="2660.00")])

    assert release.total == Decimal("2660.00")


def timezone_tomorrow():
    from django.utils import timezone

    return timezone.localdate() + datetime.timedelta(days=1)


def test_a_petition_without_a_minimum_wage_on_record_cannot_draw(wage_petition, mediator):
    MinimumWage.objects.all().delete()

    with pytest.raises(ValidationError, match="No minimum wage is on record for Grid A1"):
        draft(wage_petition, mediator)


def test_travel_home_has_its_own_cap(wage_petition, mediator):
    _first, second, _third = workers_of(wage_petition)

    errors = refusal(draft, wage_petition, mediator, [line(second, "travel_home", "500.01")])

    assert "Travel home is capped at ¥500.00" in errors["lines"][0]


def test_all_releases_of_a_petition_stay_under_its_share_of_owed_wages(wage_petition, mediator):
    first, second, third = workers_of(wage_petition)
    draft(wage_petition, mediator, [line(first, amount="2490.00"), line(second, amount="2490")])

    with pytest.raises(ValidationError) as err:
        draft(wage_petition, mediator, [line(third, amount="1620.01")])

    assert "above its cap of ¥6,600.00 (30% of ¥22,000.00 owed)" in err.value.messages[0]
    assert draft(wage_petition, mediator, [line(third, amount="1620.00")]).total == Decimal("1620")


def test_a_rejected_release_no_longer_counts_against_the_caps(wage_petition, mediator, supervisor):
    first, *_ = workers_of(wage_petition)
    release = submitted(wage_petition, mediator, [line(first, amount="2490.00")])
    services.reject_release(release, actor=supervisor, note="Paid by the contractor instead.")

    again = draft(wage_petition, mediator, [line(first, amount="2490.00")])

    assert again.status == ReleaseStatus.DRAFT


def test_a_release_at_the_threshold_needs_no_signature(wage_petition, mediator, supervisor):
    first, second, third = workers_of(wage_petition)
    lines = [
        line(first, amount="2490.00"),
        line(second, amount="2490.00"),
        line(third, amount="20"),
    ]

    release = services.approve_release(submitted(wage_petition, mediator, lines), actor=supervisor)

    assert (release.total, release.status) == (Decimal("5000.00"), ReleaseStatus.APPROVED)
    assert not release.needs_signature


def test_a_release_above_the_threshold_waits_for_the_committee(
    wage_petition, mediator, supervisor, fund
):
    fund.committee_threshold = Decimal("4499.99")
    fund.save()

    release = services.approve_release(submitted(wage_petition, mediator), actor=supervisor)

    assert release.status == ReleaseStatus.AWAITING_SIGNATURE
    assert release.needs_signature


def test_prefilled_lines_respect_every_cap(wage_petition, fund):
    lines = services.proposed_lines(wage_petition, fund)

    by_purpose = [(ln["purpose"], ln["amount"]) for ln in lines]
    # 2,490 + 2,490 + 2,490 wages and 500 travel = 7,970, scaled down to the 6,600 cap.
    assert sum(a for _p, a in by_purpose) <= Decimal("6600.00")
    assert [p for p, _a in by_purpose].count("travel_home") == 1
    assert all(a <= Decimal("2490.00") for p, a in by_purpose if p == "wages")
