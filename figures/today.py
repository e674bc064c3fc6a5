"""What needs a supervisor's action today: the few numbers on their home page, each counted from
the same records as the list it links to."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from arrears import services as arrears
from casework import access
from casework.models import Enterprise, Petition, Status
from casework.roles import SUPERVISOR_ROLES
from fund import services as fund
from prevention import services as prevention
from prevention.models import Level, WarningStatus
from workflows import queues


@dataclass
class Count:
    label: str
    number: int
    link: str


def _missing_reports(units, today):
    """The monthly reports missing in the user's units: last month's and the month before's
    (whose due day may have passed), linked to the earlier month's list if it has any."""
    enterprises = Enterprise.objects.filter(grid_area__in=units)
    last = arrears.last_month(today)
    months = [arrears.add_months(last, -1), last]
    missing = {m: len(arrears.missing_among(enterprises, m, today)) for m in months}
    shown = next((m for m in months if missing[m]), months[-1])
    link = reverse("arrears:missing") + "?" + urlencode({"month": shown.strftime("%Y-%m")})
    return sum(missing.values()), link


def counts_for(user, today=None):
    """[Count] for a supervisor: new group petitions (received, not yet accepted), overdue open
    tasks, releases waiting for approval, missing monthly arrears reports and open red early
    warnings."""
    today = today or timezone.localdate()
    units = access.units_where(user, SUPERVISOR_ROLES)
    groups = Petition.objects.filter(org_unit__in=units, is_group=True, status=Status.RECEIVED)
    petitions = reverse("casework:petition-list")
    overdue = queues.tasks().filter(queues.supervised_q(user), due_at__lt=timezone.now())
    missing, missing_link = _missing_reports(units, today)
    return [
        Count(
            _("New group petitions"),
            groups.count(),
            petitions + "?" + urlencode({"is_group": "true", "status": Status.RECEIVED}),
        ),
        Count(_("Overdue tasks"), overdue.count(), reverse("workflows:board")),
        Count(
            _("Releases waiting for approval"),
            fund.releases_to_approve(user).count(),
            reverse("fund:approvals"),
        ),
        Count(_("Missing monthly reports"), missing, missing_link),
        Count(
            _("Open red early warnings"),
            prevention.warnings_visible_to(user)
            .filter(status=WarningStatus.OPEN, level=Level.RED)
            .count(),
            reverse("prevention:warnings"),
        ),
    ]
