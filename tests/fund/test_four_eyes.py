import pytest
from django.core.exceptions import PermissionDenied

from casework.models import Membership, Role
from fund import services as services
from fund.models import ReleaseStatus

from ..factories import user_with_role
from .helpers import approved, draft, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_supervisor(org):
    return user_with_role(Role.SUPERVISOR, org["zone_a"], username="deputy")


def test_the_drafter_cannot_approve_their_own_release(wage_petition, supervisor, second_supervisor):
    release = submitted(wage_petition, supervisor)  # a supervisor may draft too

    with pytest.raises(PermissionDenied):
        services.approve_release(release, actor=supervisor)

    approved = services.approve_release(release, actor=second_supervisor)
    assert approved.status == ReleaseStatus.APPROVED


def test_the_submitter_cannot_approve_it_either(
    wage_petition, mediator, supervisor, second_supervisor
):
    release = services.submit_release(draft(wage_petition, mediator), actor=supervisor)

    with pytest.raises(PermissionDenied):
        services.approve_release(release, actor=supervisor)
    with pytest.raises(PermissionDenied):
        services.reject_release(release, actor=supervisor, note="No.")


def test_a_mediator_cannot_approve(wage_petition, mediator, org):
    colleague = user_with_role(Role.MEDIATOR, org["grid_a1"])
    release = submitted(wage_petition, mediator)

    with pytest.raises(PermissionDenied):
        services.approve_release(release, actor=colleague)


def test_a_supervisor_of_another_zone_cannot_approve(wage_petition, mediator, outsider):
    release = submitted(wage_petition, mediator)

    with pytest.raises(PermissionDenied):
        services.approve_release(release, actor=outsider)


def test_the_approver_cannot_also_sign(wage_petition, mediator, supervisor, fund, org):
    fund.committee_threshold = 0
    fund.save()
    both = user_with_role(Role.COMMITTEE_LIAISON, org["zone_a"], username="both")
    Membership.objects.create(user=both, org_unit=org["zone_a"], role=Role.SUPERVISOR)
    release = services.approve_release(submitted(wage_petition, mediator), actor=both)

    with pytest.raises(PermissionDenied):
        services.sign_release(release, actor=both)


def test_the_drafter_cannot_pay_the_release(wage_petition, supervisor, org):
    both = user_with_role(Role.FINANCE_OFFICER, org["zone_a"], username="both")
    Membership.objects.create(user=both, org_unit=org["zone_a"], role=Role.MEDIATOR)
    release = approved(wage_petition, both, supervisor)
    payments = {ln.pk: {"reference": "B1"} for ln in release.lines.all()}

    with pytest.raises(PermissionDenied):
        services.disburse_release(release, actor=both, payments=payments)


def test_the_approver_cannot_pay_the_release(wage_petition, mediator, org):
    both = user_with_role(Role.FINANCE_OFFICER, org["zone_a"], username="both")
    Membership.objects.create(user=both, org_unit=org["zone_a"], role=Role.SUPERVISOR)
    release = approved(wage_petition, mediator, both)
    payments = {ln.pk: {"reference": "B1"} for ln in release.lines.all()}

    with pytest.raises(PermissionDenied):
        services.disburse_release(release, actor=both, payments=payments)

    assert not release.lines.filter(state="paid").exists()


def test_the_signer_cannot_pay_the_release(wage_petition, mediator, supervisor, fund, org):
    fund.committee_threshold = 0
    fund.save()
    both = user_with_role(Role.FINANCE_OFFICER, org["zone_a"], username="both")
    Membership.objects.create(user=both, org_unit=org["zone_a"], role=Role.COMMITTEE_LIAISON)
    release = services.sign_release(approved(wage_petition, mediator, supervisor), actor=both)
    payments = {ln.pk: {"reference": "B1"} for ln in release.lines.all()}

    with pytest.raises(PermissionDenied):
        services.disburse_release(release, actor=both, payments=payments)
