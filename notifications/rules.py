"""Who is told, per kind of event: resolved against roles and the org tree.

A role held at a unit covers its whole subtree, so "the supervisors of a petition" are those who
hold the role at the petition's unit or at one of its ancestors (zone union, federation).
"""

from django.contrib.auth import get_user_model

from casework.access import users_holding
from casework.models import Membership, Role
from casework.roles import FINANCE_ROLES, GROUP_ALERT_ROLES, SUPERVISOR_ROLES
from workflows.flows import PetitionFlow
from workflows.models import PetitionTask

# Group petition filed (Art. 7 and Art. 29 of the wage regulations: handled and reported).


def _without(users, *people):
    excluded = {person.pk for person in people if person is not None}
    return [user for user in users if user.pk not in excluded]


def group_petition_watchers(petition):
    """Supervisors and committee liaisons of the petition's unit, its zone and every unit above."""
    return list(users_holding(petition.org_unit, GROUP_ALERT_ROLES))


def warning_watchers(enterprise):
    """Supervisors and committee liaisons of the enterprise's grid area, its zone and above."""
    return list(users_holding(enterprise.grid_area, GROUP_ALERT_ROLES))


def warning_handlers(enterprise, *, owner=None):
    """Who handles a new warning: its task's holder, or else the mediators of the enterprise's
    grid area and above (the task waits in their queue)."""
    if owner is not None:
        return [owner]
    return list(users_holding(enterprise.grid_area, (Role.MEDIATOR,)))


def release_approvers(petition, *, drafted_by, submitted_by=None, roles=SUPERVISOR_ROLES):
    """Those who may approve a release at the petition's unit or above; never its drafter or
    submitter (four eyes). `roles`: the committee liaisons for a release awaiting signature."""
    return _without(users_holding(petition.org_unit, roles), drafted_by, submitted_by)


def paymasters(petition):
    """Finance officers of the petition's unit and above: they pay an approved release."""
    return list(users_holding(petition.org_unit, FINANCE_ROLES))


def committee_liaisons(petition):
    """The committee liaisons of the petition's unit and above: an escalation is theirs."""
    return list(users_holding(petition.org_unit, (Role.COMMITTEE_LIAISON,)))


def deadline_watchers(petition, *, assignee=None):
    """The task's assignee and the supervisors of the petition's unit and above."""
    supervisors = list(users_holding(petition.org_unit, SUPERVISOR_ROLES))
    if assignee is None or any(user.pk == assignee.pk for user in supervisors):
        return supervisors
    return [assignee, *supervisors]


def mediators_of(petition, *, actor=None):
    """Whoever held the petition's mediation tasks, in any of its paths, but the one who acts."""
    holders = PetitionTask.objects.filter(
        petition=petition,
        flow_task__in=[PetitionFlow.start_mediation, PetitionFlow.mediate],
        owner__isnull=False,
    ).values("owner")
    users = get_user_model().objects.filter(pk__in=holders, is_active=True).order_by("pk")
    return _without(users, actor)


# Monthly arrears reports not filed by their due day.


def _active(members):
    return list(get_user_model().objects.filter(pk__in=members, is_active=True).order_by("pk"))


def enterprise_union(enterprise):
    """The users who are the enterprise's union (it files the enterprise's reports)."""
    return _active(
        Membership.objects.filter(role=Role.ENTERPRISE_UNION, enterprise=enterprise).values("user")
    )


def missing_report_watchers(enterprise):
    """The mediators and supervisors of the enterprise's grid area and zone: those holding the
    role at a unit from its zone down to its grid area. Not the federation's above: a missing
    report is the zone's to chase, and the federation sees it on the missing list."""
    grid = enterprise.grid_area
    zone = grid.zone() or grid
    paths = [path for path in grid.ancestor_paths if path.startswith(zone.path)]
    return _active(
        Membership.objects.filter(
            role__in=(Role.MEDIATOR, Role.SUPERVISOR), org_unit__path__in=paths
        ).values("user")
    )
