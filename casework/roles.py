"""The roles a person holds at a unit of the org tree, and every set of them a rule names.

Each set is defined here once and imported by name wherever a rule checks it; the sets that a
deployment may change (who sees whole ID numbers and phones) are settings: `settings.CASEWORK`.
A role held at a unit covers the unit's whole subtree. Whether a user holds one is answered here
too, from the user's memberships read once and kept on the user: the models' transition checks
need it, and `access` builds every other rule on it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INTAKE_CLERK = "intake_clerk", _("Intake clerk")
    MEDIATOR = "mediator", _("Mediator")
    SUPERVISOR = "supervisor", _("Supervisor")
    COMMITTEE_LIAISON = "committee_liaison", _("Committee liaison")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")
    ENTERPRISE_UNION = "enterprise_union", _("Enterprise union")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Administrator")


# Record petitions and link new facts to them (the front desk).
INTAKE_ROLES = (Role.INTAKE_CLERK, Role.MEDIATOR, Role.SUPERVISOR, Role.ADMIN)
# Mediate, and draft the emergency-fund releases of the petitions they mediate.
MEDIATION_ROLES = (Role.MEDIATOR, Role.SUPERVISOR, Role.ADMIN)
# Decide: approve releases and extensions, escalate, reassign tasks.
SUPERVISOR_ROLES = (Role.SUPERVISOR, Role.ADMIN)
# The party working committee's side: sign large releases and write-offs, work escalations.
LIAISON_ROLES = (Role.COMMITTEE_LIAISON, Role.ADMIN)
# Pay releases out and book contributions and recoveries.
FINANCE_ROLES = (Role.FINANCE_OFFICER, Role.ADMIN)
# Propose a write-off, and confirm a correction someone else proposed.
FUND_CONTROL_ROLES = (*FINANCE_ROLES, *SUPERVISOR_ROLES)
# See the emergency fund's pages.
FUND_ROLES = (
    Role.SUPERVISOR,
    Role.COMMITTEE_LIAISON,
    Role.FINANCE_OFFICER,
    Role.AUDITOR,
    Role.ADMIN,
)
# File an enterprise's monthly arrears report on its behalf (its own union files it too).
ARREARS_FILING_ROLES = (Role.MEDIATOR, Role.SUPERVISOR, Role.ADMIN)
# See their units' monthly arrears reports and which are missing.
ARREARS_READER_ROLES = (
    Role.MEDIATOR,
    Role.SUPERVISOR,
    Role.COMMITTEE_LIAISON,
    Role.AUDITOR,
    Role.ADMIN,
)
# See the figures of the units they serve (the statistics page, its export and the API).
FIGURES_ROLES = (Role.SUPERVISOR, Role.COMMITTEE_LIAISON, Role.AUDITOR, Role.ADMIN)
# Told at once of a group petition (Art. 7 and Art. 29 of the wage regulations).
GROUP_ALERT_ROLES = (Role.SUPERVISOR, Role.COMMITTEE_LIAISON)


def _load_memberships(user):
    """Read the user's role assignments once, with one query, and keep them on the user."""
    rows = user.memberships.values_list("role", "org_unit__path", "enterprise")
    memberships, enterprises = [], []
    for role, path, enterprise in rows:
        if role != Role.ENTERPRISE_UNION:
            memberships.append((role, path))
        elif enterprise is not None:
            enterprises.append(enterprise)
    # Set only when complete: a reader never sees a half-filled list.
    user._casework_memberships, user._casework_enterprises = memberships, enterprises


def memberships_of(user):
    """[(role, unit path)] of the user, cached on the user object. An enterprise union is not
    among them: it reaches one enterprise, not a subtree (`enterprises_represented`)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if getattr(user, "_casework_memberships", None) is None:
        _load_memberships(user)
    return user._casework_memberships


def enterprises_represented(user):
    """Ids of the enterprises whose union the user is, cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    if getattr(user, "_casework_enterprises", None) is None:
        _load_memberships(user)
    return user._casework_enterprises


def holds_role(user, roles):
    """Whether the user holds one of `roles` at some unit (no query: memberships are cached).
    An enterprise union holds its role only while it names its enterprise."""
    if getattr(user, "is_superuser", False):
        return True
    if Role.ENTERPRISE_UNION in roles and enterprises_represented(user):
        return True
    return any(role in roles for role, _path in memberships_of(user))


def has_role_at(user, unit, roles):
    """True if the user holds one of `roles` at `unit` or one of its ancestors."""
    if getattr(user, "is_superuser", False):
        return True
    return any(role in roles and unit.path.startswith(path) for role, path in memberships_of(user))
