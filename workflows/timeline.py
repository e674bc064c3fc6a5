"""How the deadline and escalation events read on a petition's timeline (casework_pages merges
these with its own labels)."""

from django.utils.translation import gettext_lazy as _

from .models import DeadlineExtension, DeadlineKind, Department, EscalationRule

STEPS = {
    "deadline_reminder": _("Deadline reminder"),
    "deadline_breached": _("Deadline passed"),
    "extension_requested": _("Extension requested"),
    "extension_decided": _("Extension decided"),
    "escalate": _("Escalated to the party working committee"),
    "escalation_acknowledged": _("Escalation acknowledged"),
    "coordination_recorded": _("Coordination recorded"),
    "task_force_formed": _("Task force formed"),
    "representatives_elected": _("Representatives elected"),
    "travel_home_recorded": _("Travel-home needs recorded"),
    "job_referrals_recorded": _("Job referrals recorded"),
    "escalation_closed": _("Escalation closed"),
}
DATA_LABELS = {
    "deadline": _("Deadline"),
    "due": _("Due"),
    "provisional_year": _("Provisional calendar year"),
    "working_days_left": _("Working days left"),
    "days": _("Days"),
    "decision": _("Decision"),
    "rules": _("Rules matched"),
    "held_on": _("Held on"),
    "departments": _("Departments convened"),
    "members": _("Members"),
    "total": _("Total (yuan)"),
    "employers": _("Partner employers"),
    "referred": _("Workers referred"),
    "hired": _("Hired"),
}
DATA_VALUES = {
    "deadline": dict(DeadlineKind.choices),
    "decision": dict(DeadlineExtension.Decision.choices),
    "rules": dict(EscalationRule.Kind.choices),
    "departments": dict(Department.choices),
}
