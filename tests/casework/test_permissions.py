"""Who may take which step, inside and outside their part of the organization tree."""

import pytest
from django.core.exceptions import PermissionDenied

from casework import access, services
from casework.models import Role, Status

from ..factories import EnterpriseFactory, drive_to, record, release, step, user_with_role

# Roles at zone A and the steps each may take on a petition in zone A.
MAY = {
    Role.INTAKE_CLERK: {"accept", "refer_out", "record_callback", "return_to_mediation"},
    Role.MEDIATOR: {
        "accept",
        "reject",
        "refer_out",
        "start_mediation",
        "reach_agreement",
        "fail_mediation",
        "confirm_fulfilment",
        "record_breach",
        "refer",
        "record_callback",
        "return_to_mediation",
        "close",
    },
    Role.COMMITTEE_LIAISON: set(),
    Role.FINANCE_OFFICER: set(),
    Role.ENTERPRISE_UNION: set(),
    Role.AUDITOR: set(),
}
MAY[Role.SUPERVISOR] = MAY[Role.MEDIATOR] | {"reopen"}
MAY[Role.ADMIN] = MAY[Role.SUPERVISOR]

STATE_BEFORE = {
    "accept": "received",
    "reject": "received",
    "refer_out": "received",
    "start_mediation": "accepted",
    "reach_agreement": "in_mediation",
    "fail_mediation": "in_mediation",
    "confirm_fulfilment": "agreement_reached",
    "record_breach": "agreement_reached",
    "refer": "breached",
    "record_callback": "fulfilled",
    "return_to_mediation": "fulfilled",
    "close": "referred",
    "reopen": "closed",
}
CASES = [(role, name) for role in Role.values for name in STATE_BEFORE]


@pytest.mark.parametrize(("role", "name"), CASES, ids=str)
def test_role_at_zone_may_or_may_not_take_step(role, name, org, petition, supervisor):
    drive_to(petition, STATE_BEFORE[name], supervisor)
    release(petition, supervisor)
    user = user_with_role(role, org["zone_a"])

    if name in MAY[role]:
        step(petition, name, user)
        assert petition.events.last().transition == name
    else:
        with pytest.raises(PermissionDenied):
            step(petition, name, user)
        petition.refresh_from_db()
        assert petition.status == STATE_BEFORE[name]


def test_supervisor_of_another_zone_may_not_act(petition, outsider):
    with pytest.raises(PermissionDenied):
        step(petition, "accept", outsider)
    assert not petition.events.filter(transition="accept").exists()


def test_mediator_of_a_grid_area_acts_there(petition, mediator):
    step(petition, "accept", mediator)
    assert petition.status == Status.ACCEPTED


def test_mediator_may_not_act_in_the_neighbouring_grid_area(org, clerk, mediator):
    petition = record(clerk, EnterpriseFactory(grid_area=org["grid_a2"]))

    with pytest.raises(PermissionDenied):
        step(petition, "accept", mediator)


def test_federation_role_reaches_every_zone(org, petition):
    chair = user_with_role(Role.SUPERVISOR, org["federation"])
    step(petition, "accept", chair)
    assert petition.status == Status.ACCEPTED


def test_clerk_may_not_record_outside_their_zone(org, clerk):
    with pytest.raises(PermissionDenied):
        record(clerk, EnterpriseFactory(grid_area=org["grid_b1"]))


def test_auditor_may_not_record_petitions(auditor, enterprise):
    with pytest.raises(PermissionDenied):
        record(auditor, enterprise)


def test_visible_petitions_are_those_of_the_subtree(org, clerk, mediator, outsider, petition):
    other_grid = record(clerk, EnterpriseFactory(grid_area=org["grid_a2"]))

    assert set(access.petitions_visible_to(clerk)) == {petition, other_grid}
    assert set(access.petitions_visible_to(mediator)) == {petition}
    assert list(access.petitions_visible_to(outsider)) == []


def test_user_without_roles_sees_nothing(db, petition):
    from ..factories import UserFactory

    assert list(access.petitions_visible_to(UserFactory())) == []


@pytest.mark.parametrize(
    ("role", "whole"),
    [
        (Role.MEDIATOR, True),
        (Role.SUPERVISOR, True),
        (Role.FINANCE_OFFICER, True),
        (Role.INTAKE_CLERK, False),
        (Role.AUDITOR, False),
        (Role.ENTERPRISE_UNION, False),
    ],
)
def test_whole_id_numbers_only_for_roles_that_need_them(role, whole, org):
    user = user_with_role(role, org["zone_a"])
    assert access.may_see_full_id_numbers(user, org["grid_a1"]) is whole


def test_whole_id_numbers_not_outside_the_subtree(org, outsider):
    assert access.may_see_full_id_numbers(outsider, org["grid_a1"]) is False


def test_available_steps_respect_the_role(petition, clerk, auditor):
    assert {t.name for t in services.available_transitions(petition, clerk)} == {
        "accept",
        "refer_out",
    }
    assert services.available_transitions(petition, auditor) == []
