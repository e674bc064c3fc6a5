"""Handling runs 60 days, extendable once by 30 with a reason and a supervisor's approval."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from casework.models import Role
from casework.services import Conflict, TransitionRefused
from workflows import deadlines
from workflows.models import Deadline, DeadlineExtension, DeadlineKind

from ..factories import record, user_with_role
from .conftest import local

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def handling(clock, clerk, enterprise):
    clock(local(2026, 6, 1, 9))
    petition = record(clerk, enterprise)
    return Deadline.objects.get(petition=petition, rule__kind=DeadlineKind.HANDLING)


def due(deadline):
    deadline.refresh_from_db()
    return timezone.localdate(deadline.due_at)


def test_a_request_alone_changes_nothing(handling, mediator):
    before = due(handling)

    extension = deadlines.request_extension(handling, actor=mediator, reason="Employer abroad.")

    assert extension.decision == DeadlineExtension.Decision.PENDING
    assert due(handling) == before == D(2026, 7, 31)


def test_approval_moves_the_deadline_by_30_days(handling, mediator, supervisor):
    extension = deadlines.request_extension(handling, actor=mediator, reason="Employer abroad.")

    deadlines.decide_extension(extension, actor=supervisor, approve=True)

    # Jul 31 + 30 calendar days is Sunday Aug 30: the period ends on Monday Aug 31.
    assert due(handling) == D(2026, 8, 31)
    assert handling.petition.events.filter(transition="extension_decided").exists()


def test_approval_sets_new_timers_and_the_old_ones_are_skipped(
    handling, mediator, supervisor, django_capture_on_commit_callbacks
):
    old_due = handling.due_at
    extension = deadlines.request_extension(handling, actor=mediator, reason="Employer abroad.")
    deadlines.decide_extension(extension, actor=supervisor, approve=True)

    with django_capture_on_commit_callbacks(execute=True):
        deadlines.fire_due_timers(now=old_due + datetime.timedelta(hours=1))

    breaches = handling.petition.events.filter(transition="deadline_breached")
    assert not breaches.filter(data__deadline="handling").exists()


def test_the_requester_does_not_approve_their_own_request(handling, supervisor):
    extension = deadlines.request_extension(handling, actor=supervisor, reason="Court backlog.")

    with pytest.raises(PermissionDenied):
        deadlines.decide_extension(extension, actor=supervisor, approve=True)


def test_a_mediator_cannot_approve(handling, org, mediator):
    colleague = user_with_role(Role.MEDIATOR, org["grid_a1"])
    extension = deadlines.request_extension(handling, actor=colleague, reason="Court backlog.")

    with pytest.raises(PermissionDenied):
        deadlines.decide_extension(extension, actor=mediator, approve=True)


def test_an_outsider_cannot_ask(handling, outsider):
    with pytest.raises(PermissionDenied):
        deadlines.request_extension(handling, actor=outsider, reason="Court backlog.")


def test_a_request_needs_a_reason(handling, mediator):
    with pytest.raises(ValidationError):
        deadlines.request_extension(handling, actor=mediator, reason="  ")


def test_a_refusal_needs_a_reason_and_leaves_the_deadline(handling, mediator, supervisor):
    extension = deadlines.request_extension(handling, actor=mediator, reason="Employer abroad.")
    with pytest.raises(ValidationError):
        deadlines.decide_extension(extension, actor=supervisor, approve=False)

    deadlines.decide_extension(extension, actor=supervisor, approve=False, note="Not justified.")

    assert due(handling) == D(2026, 7, 31)


def test_extended_only_once(handling, mediator, supervisor):
    first = deadlines.request_extension(handling, actor=mediator, reason="Employer abroad.")
    deadlines.decide_extension(first, actor=supervisor, approve=True)

    with pytest.raises(TransitionRefused):
        deadlines.request_extension(handling, actor=mediator, reason="Still abroad.")


def test_one_request_waits_at_a_time(handling, mediator):
    deadlines.request_extension(handling, actor=mediator, reason="Employer abroad.")

    with pytest.raises(Conflict):
        deadlines.request_extension(handling, actor=mediator, reason="Again.")


def test_a_decided_request_cannot_be_decided_again(handling, mediator, supervisor, org):
    extension = deadlines.request_extension(handling, actor=mediator, reason="Employer abroad.")
    deadlines.decide_extension(extension, actor=supervisor, approve=True)
    other = user_with_role(Role.SUPERVISOR, org["zone_a"])

    with pytest.raises(Conflict):
        deadlines.decide_extension(extension, actor=other, approve=False, note="No.")


def test_acceptance_is_not_extendable(handling, mediator):
    acceptance = Deadline.objects.get(rule__kind=DeadlineKind.ACCEPTANCE)

    with pytest.raises(TransitionRefused):
        deadlines.request_extension(acceptance, actor=mediator, reason="Busy.")


# The pages.


def test_case_page_offers_the_request_and_then_the_decision(handling, login, mediator, supervisor):
    case = reverse("casework:petition-detail", args=[handling.petition_id])
    page = login(mediator).get(case).content.decode()
    assert reverse("workflows:extension-request", args=[handling.pk]) in page

    response = login(mediator).post(
        reverse("workflows:extension-request", args=[handling.pk]), {"reason": "Employer abroad."}
    )
    assert response.status_code == 302

    extension = DeadlineExtension.objects.get()
    page = login(supervisor).get(case).content.decode()
    assert reverse("workflows:extension-decide", args=[extension.pk]) in page
    response = login(supervisor).post(
        reverse("workflows:extension-decide", args=[extension.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302 and due(handling) == D(2026, 8, 31)


def test_request_without_a_reason_is_400_with_the_field_error(handling, login, mediator):
    response = login(mediator).post(
        reverse("workflows:extension-request", args=[handling.pk]), {"reason": ""}
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not DeadlineExtension.objects.exists()


def test_a_mediator_may_not_decide_403(handling, login, org, mediator):
    colleague = user_with_role(Role.MEDIATOR, org["grid_a1"])
    extension = deadlines.request_extension(handling, actor=colleague, reason="Court backlog.")

    response = login(mediator).post(
        reverse("workflows:extension-decide", args=[extension.pk]), {"decision": "approve"}
    )

    assert response.status_code == 403


def test_outsider_does_not_find_the_deadline_404(handling, login, outsider):
    response = login(outsider).post(
        reverse("workflows:extension-request", args=[handling.pk]), {"reason": "x"}
    )

    assert response.status_code == 404


def test_a_second_request_while_one_waits_is_409(handling, login, mediator):
    deadlines.request_extension(handling, actor=mediator, reason="Employer abroad.")

    response = login(mediator).post(
        reverse("workflows:extension-request", args=[handling.pk]), {"reason": "Again."}
    )

    assert response.status_code == 409
