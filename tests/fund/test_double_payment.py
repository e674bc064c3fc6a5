import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from fund.models import ReleaseLine

from .helpers import disbursed, draft, line, workers_of

pytestmark = pytest.mark.django_db


def test_a_worker_is_listed_once_per_purpose_per_release(wage_petition, mediator):
    first, *_ = workers_of(wage_petition)

    with pytest.raises(ValidationError) as err:
        draft(wage_petition, mediator, [line(first, amount="100"), line(first, amount="100")])

    assert err.value.message_dict["lines"] == [
        "",
        "This worker is listed twice for the same purpose.",
    ]


def test_a_worker_paid_for_a_purpose_cannot_be_put_on_another_release(
    wage_petition, mediator, supervisor, finance
):
    disbursed(wage_petition, mediator, supervisor, finance)
    first, *_ = workers_of(wage_petition)

    with pytest.raises(ValidationError) as err:
        draft(wage_petition, mediator, [line(first, amount="1.00")])

    assert "already has a payment for this purpose" in err.value.message_dict["lines"][0]


def test_the_database_refuses_a_second_live_line_for_the_same_worker_and_purpose(
    wage_petition, mediator, supervisor, finance
):
    release = disbursed(wage_petition, mediator, supervisor, finance)
    paid = release.lines.first()
    other = draft(wage_petition, mediator, [line(workers_of(wage_petition)[2], amount="10")])

    with pytest.raises(IntegrityError), transaction.atomic():
        ReleaseLine.objects.create(
            release=other,
            petition=wage_petition,
            worker=paid.worker,
            purpose=paid.purpose,
            amount="1.00",
        )


def test_the_database_refuses_the_same_worker_twice_in_one_release(wage_petition, mediator):
    release = draft(wage_petition, mediator)
    existing = release.lines.first()
    ReleaseLine.objects.filter(pk=existing.pk).update(live=False)  # even one that no longer counts

    with pytest.raises(IntegrityError), transaction.atomic():
        ReleaseLine.objects.create(
            release=release,
            petition=wage_petition,
            worker=existing.worker,
            purpose=existing.purpose,
            amount="1.00",
        )
