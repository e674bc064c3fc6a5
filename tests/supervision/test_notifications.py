"""Who is told at once: the handling side of a new order, the supervising unit of a reply."""

import pytest

from notifications.models import Kind, Notification
from supervision import services

from ..notifications.conftest import reads_english

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(mediator, colleague, supervisor):
    """These people read their notifications in English (the tests read the source texts)."""
    reads_english(mediator, colleague, supervisor)


def texts(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", "text", "link"))


def test_the_grid_mediators_are_told_of_a_new_order(
    mediator, colleague, order, petition, supervisor
):
    link = f"/supervision/orders/{order.pk}/"
    for user in (mediator, colleague):
        [(kind, text, sent_link)] = texts(user)
        assert (kind, sent_link) == (Kind.SUPERVISION_ORDERED, link)
        due = order.due_on.strftime("%m/%d/%Y")  # English's short date
        assert text == f"Zone A put {petition.number} under supervision: reply by {due}."
    assert not any(kind == Kind.SUPERVISION_ORDERED for kind, *_rest in texts(supervisor))


def test_the_supervising_unit_is_told_of_a_result(order, petition, mediator, supervisor):
    services.reply_to_order(order, actor=mediator, kind="result", text="Paid in full.")

    kinds_texts = [(k, t) for k, t, _link in texts(supervisor)]
    assert (
        Kind.SUPERVISION_REPLIED,
        f"{petition.number}: the result is reported on your supervision order; close it.",
    ) in kinds_texts
    assert not any("supervision order" in t for _k, t, _l in texts(mediator))
