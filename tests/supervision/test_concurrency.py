"""Two people at once: two closes (one wins, the other 409), two replies (both kept), two orders
of one unit (one wins, the other 409), two timer loops (one reminder); on SQLite as on
PostgreSQL."""

import pytest
from django.test import Client

from casework.events import EventName
from casework.exceptions import Conflict
from supervision import services
from supervision.models import Reply, SupervisionOrder

from ..concurrency import run_together
from .conftest import events, issue_body, local

pytestmark = pytest.mark.django_db(transaction=True)


def posting(user, url, body):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)

    def job(barrier):
        barrier.wait()
        return client.post(url, body).status_code

    return job


def test_two_closes_at_once_one_wins_the_other_gets_409(
    order, petition, supervisor, fed_supervisor
):
    url = f"/supervision/orders/{order.pk}/close/"

    results = run_together(
        posting(supervisor, url, {"reason": "Issued in error."}),
        posting(fed_supervisor, url, {"reason": "Taken over."}),
    )

    assert sorted(results) == [302, 409]
    assert len(events(petition, EventName.SUPERVISION_CLOSED)) == 1


def test_two_replies_at_once_are_both_kept(order, petition, mediator, colleague):
    url = f"/supervision/orders/{order.pk}/reply/"

    results = run_together(
        posting(mediator, url, {"kind": "progress", "text": "Called the employer."}),
        posting(colleague, url, {"kind": "progress", "text": "Visited the site."}),
    )

    assert results == [302, 302]
    assert Reply.objects.count() == 2
    assert len(events(petition, EventName.SUPERVISION_REPLIED)) == 2


def test_two_orders_of_one_unit_at_once_one_wins_the_other_gets_409(petition, supervisor, org):
    from casework.models import Role

    from ..factories import user_with_role

    deputy = user_with_role(Role.SUPERVISOR, org["zone_a"])
    url = f"/supervision/petitions/{petition.pk}/issue/"

    results = run_together(
        posting(supervisor, url, issue_body(org["zone_a"])),
        posting(deputy, url, issue_body(org["zone_a"])),
    )

    assert sorted(results) == [302, 409]
    assert SupervisionOrder.objects.count() == 1


def test_two_timer_loops_at_once_send_one_reminder(order, petition, clock):
    clock(local(2026, 3, 11, 9))

    def sweep(barrier):
        barrier.wait()
        return services.send_reminders()

    results = run_together(sweep, sweep)

    assert sorted(results) == [0, 1]
    assert len(events(petition, EventName.SUPERVISION_REMINDER)) == 1


def test_a_close_after_a_close_is_a_conflict(order, supervisor):
    services.close_order(order, actor=supervisor, reason="Issued in error.")

    with pytest.raises(Conflict):
        services.close_order(order, actor=supervisor, reason="Again.")
