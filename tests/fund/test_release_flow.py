"""The release's path: status and the open ReleaseFlow task agree after every step, and every step
is on the petition's timeline."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from casework.services import TransitionRefused
from fund import services as services
from fund.flows import open_release_task
from fund.models import ReleaseLine, ReleaseStatus

from ..factories import step
from .helpers import approved, draft, line, submitted, workers_of

pytestmark = pytest.mark.django_db


def task_name(release):
    task = open_release_task(release)
    return task.flow_task.name if task else None


def fund_steps(petition):
    return [t for t in petition.events.values_list("transition", flat=True) if t.startswith("fund")]


def test_a_submitted_release_waits_in_the_approval_task(wage_petition, mediator):
    release = submitted(wage_petition, mediator)

    assert release.status == ReleaseStatus.SUBMITTED
    assert task_name(release) == "approve"
    assert release.process.release_id == release.pk


def test_a_draft_has_no_task_yet(wage_petition, mediator):
    assert task_name(draft(wage_petition, mediator)) is None


def test_the_whole_path_from_draft_to_closure(
    wage_petition, mediator, supervisor, liaison, finance, fund
):
    fund.committee_threshold = Decimal("1000")
    fund.save()
    release = approved(wage_petition, mediator, supervisor)
    assert (release.status, task_name(release)) == (ReleaseStatus.AWAITING_SIGNATURE, "sign")

    release = services.sign_release(release, actor=liaison, note="Seen.")
    assert (release.status, task_name(release)) == (ReleaseStatus.APPROVED, "disburse")

    lines = list(release.lines.order_by("id"))
    payments = {lines[0].pk: {"reference": "B-1"}, lines[1].pk: {"failure_reason": "Card closed"}}
    release = services.disburse_release(release, actor=finance, payments=payments)
    assert (release.status, task_name(release)) == (ReleaseStatus.DISBURSED, "disburse")

    rest = {ln.pk: {"reference": f"B-{ln.pk}"} for ln in lines[1:]}
    release = services.disburse_release(release, actor=finance, payments=rest)
    assert (release.status, task_name(release)) == (ReleaseStatus.DISBURSED, "recover")

    release = services.record_recovery(release, actor=finance, amount="4500.00", source="employer")
    assert (release.status, task_name(release)) == (ReleaseStatus.CLOSED, None)
    assert release.process.status == "DONE"
    assert fund_steps(wage_petition) == [
        "fund_draft",
        "fund_submit",
        "fund_approve",
        "fund_sign",
        "fund_disburse",
        "fund_disburse",
        "fund_recover",
        "fund_close",
    ]


def test_a_rejection_needs_a_note_and_ends_the_path(wage_petition, mediator, supervisor):
    release = submitted(wage_petition, mediator)

    with pytest.raises(ValidationError):
        services.reject_release(release, actor=supervisor, note=" ")
    release = services.reject_release(release, actor=supervisor, note="The contractor paid.")

    assert (release.status, task_name(release)) == (ReleaseStatus.REJECTED, None)
    assert not release.lines.filter(live=True).exists()
    assert wage_petition.events.get(transition="fund_reject").reason == "The contractor paid."


def test_the_liaison_may_refuse_to_sign(wage_petition, mediator, supervisor, liaison, fund):
    fund.committee_threshold = Decimal("1000")
    fund.save()
    release = approved(wage_petition, mediator, supervisor)

    release = services.reject_release(release, actor=liaison, note="Ask the county first.")

    assert (release.status, task_name(release)) == (ReleaseStatus.REJECTED, None)


def test_a_stale_release_is_a_conflict(wage_petition, mediator, supervisor):
    release = submitted(wage_petition, mediator)
    stale = type(release).objects.get(pk=release.pk)
    services.approve_release(release, actor=supervisor)

    with pytest.raises(services.Conflict):
        services.reject_release(stale, actor=supervisor, note="Too late.")


def test_a_draft_can_be_revised_until_submitted(wage_petition, mediator):
    release = draft(wage_petition, mediator)
    first, *_ = workers_of(wage_petition)

    release = services.revise_release(
        release, actor=mediator, reason="Only the first.", lines=[line(first, amount="100.00")]
    )

    assert release.total == Decimal("100.00")
    assert list(release.lines.values_list("worker", "amount")) == [(first.pk, Decimal("100.00"))]
    release = services.submit_release(release, actor=mediator)
    with pytest.raises(services.TransitionRefused):
        services.revise_release(release, actor=mediator, reason="x", lines=[line(first)])


def test_unpaid_lines_stay_open_with_their_reason(wage_petition, mediator, supervisor, finance):
    release = approved(wage_petition, mediator, supervisor)
    target = release.lines.first()

    services.disburse_release(
        release, actor=finance, payments={target.pk: {"failure_reason": "Account frozen"}}
    )

    target.refresh_from_db()
    assert (target.state, target.failure_reason) == (ReleaseLine.State.FAILED, "Account frozen")
    release.refresh_from_db()
    assert release.status == ReleaseStatus.APPROVED  # nothing paid yet


def test_a_release_whose_petition_was_rejected_meanwhile_cannot_be_approved_only_rejected(
    wage_petition, mediator, supervisor, fund
):
    release = submitted(wage_petition, mediator)
    step(wage_petition, "reject", supervisor)

    with pytest.raises(TransitionRefused, match="finished"):
        services.approve_release(release, actor=supervisor, note="Go.")
    release.refresh_from_db()
    fund.refresh_from_db()
    assert (release.status, services.committed(fund)) == (ReleaseStatus.SUBMITTED, Decimal("0"))

    services.reject_release(release, actor=supervisor, note="The petition was rejected.")
    release.refresh_from_db()
    assert release.status == ReleaseStatus.REJECTED
