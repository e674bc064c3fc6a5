"""The roles a person holds at a unit of the org tree, and every set of them a rule names.

Each set is defined here once and imported by name wherever a rule checks it; the sets that a
deployment may change (who sees whole ID numbers and phones) are settings: `settings.CASEWORK`.
A role held at a unit covers the unit's whole subtree.
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
# Told at once of a group petition (Art. 7 and Art. 29 of the wage regulations).
GROUP_ALERT_ROLES = (Role.SUPERVISOR, Role.COMMITTEE_LIAISON)
