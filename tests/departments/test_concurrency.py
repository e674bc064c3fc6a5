"""Two people acting on the same referral or part at the same moment: one wins, the other is
told (409), on SQLite as on PostgreSQL."""

import pytest
from django.test import Client
from django.utils import timezone

from casework.events import EventName
from departments import services
from departments.models import JointPart, Referral

from ..concurrency import run_together
from .conftest import refer

pytestmark = pytest.mark.django_db(transaction=True)


def _client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _post(user, url, body):
    client = _client(user)

    def job(barrier):
        barrier.wait()
        return client.post(url, body).status_code

    return job


def test_finishing_and_withdrawing_a_part_at_once_one_wins(
    mediator, colleague, petition, inspection
):
    part = services.request_part(petition, actor=mediator, asked="Verify.", department=inspection)

    results = run_together(
        _post(mediator, f"/departments/parts/{part.pk}/withdraw/", {"reason": "Paid."}),
        _post(colleague, f"/departments/parts/{part.pk}/finish/", {"result": "Verified."}),
    )

    assert sorted(results) == [302, 409]
    part.refresh_from_db()
    assert part.state != JointPart.State.OPEN
    finished = petition.events.filter(
        transition__in=[EventName.JOINT_PART_DONE, EventName.JOINT_PART_WITHDRAWN]
    )
    assert finished.count() == 1


def test_two_finishing_the_same_part_at_once_one_wins(mediator, colleague, petition, inspection):
    part = services.request_part(petition, actor=mediator, asked="Verify.", department=inspection)
    url = f"/departments/parts/{part.pk}/finish/"

    results = run_together(
        _post(mediator, url, {"result": "First."}), _post(colleague, url, {"result": "Second."})
    )

    assert sorted(results) == [302, 409]
    assert petition.events.filter(transition=EventName.JOINT_PART_DONE).count() == 1


def test_two_replies_at_once_record_one(mediator, colleague, petition, inspection):
    referral = refer(petition, mediator, inspection)
    url = f"/departments/referrals/{referral.pk}/reply/"
    today = timezone.localdate().isoformat()

    results = run_together(
        _post(mediator, url, {"decision": "accepted", "replied_on": today, "result": "Yes."}),
        _post(colleague, url, {"decision": "declined", "replied_on": today, "result": "No."}),
    )

    assert sorted(results) == [302, 409]
    referral.refresh_from_db()
    assert referral.state != Referral.State.SENT
    assert petition.events.filter(transition=EventName.REFERRAL_ANSWERED).count() == 1


def test_two_timer_loops_remind_once(mediator, petition, inspection):
    referral = refer(petition, mediator, inspection)
    Referral.objects.filter(pk=referral.pk).update(remind_on=timezone.localdate())

    def loop(barrier):
        barrier.wait()
        return services.send_reminders()

    assert sorted(run_together(loop, loop)) == [0, 1]
    assert petition.events.filter(transition=EventName.REFERRAL_REMINDER).count() == 1
