"""Pages of the monthly arrears reports: an enterprise's reports with the form and the one-click
zero report (what its union sees at /arrears/), and, for mediators, supervisors and whoever
reads their units' reports, the reports missing for a month and the filed ones declaring
arrears.

An enterprise is found among `services.enterprises_readable_by(user)`: any other is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import access
from casework.models import Enterprise
from casework.pages import run_service
from casework.roles import ARREARS_READER_ROLES

from . import services, timers
from .forms import MonthForm, ReportForm, ZeroReportForm
from .models import MonthlyReport, ReportNotice, ResponsibilityLetter


def _enterprise_for(user, pk):
    enterprises = services.enterprises_readable_by(user).select_related("grid_area")
    return get_object_or_404(enterprises, pk=pk)


def _enterprise_page(request, enterprise, *, form=None, status=200, alert=None):
    today = timezone.localdate()
    month = services.month_to_report(enterprise, today)
    context = {
        "nav": "arrears",
        "enterprise": enterprise,
        "month": month,
        "may_file": services.may_file(request.user, enterprise),
        "form": form or ReportForm(initial={"month": month}),
        "zero_form": ZeroReportForm(initial={"month": month}, auto_id="zero_%s"),
        "rows": services.month_rows(enterprise, today),
        "letter": ResponsibilityLetter.objects.filter(enterprise=enterprise)
        .order_by("-signed_on")
        .first(),
        "alert": alert,
        "reader": access.holds_role(request.user, ARREARS_READER_ROLES),
    }
    return render(request, "arrears/enterprise.html", context, status=status)


@login_required
def home(request):
    """An enterprise union's own enterprise; the missing reports for whoever reads a unit's."""
    if access.holds_role(request.user, ARREARS_READER_ROLES):
        return missing(request)
    own = services.enterprises_readable_by(request.user).select_related("grid_area")
    own = list(own.order_by("name", "pk"))
    if not own:
        raise PermissionDenied(_("The monthly reports are for enterprise unions and mediators."))
    if len(own) == 1:
        return _enterprise_page(request, own[0])
    return render(request, "arrears/own.html", {"nav": "arrears", "enterprises": own})


@login_required
def enterprise(request, pk):
    return _enterprise_page(request, _enterprise_for(request.user, pk))


@login_required
@require_POST
def file_report(request, pk):
    enterprise = _enterprise_for(request.user, pk)
    form = ReportForm(request.POST)
    status, alert = run_service(
        form,
        lambda data: services.file_report(
            enterprise, data["month"], actor=request.user, **form.report_data()
        ),
    )
    if status != 200:
        return _enterprise_page(request, enterprise, form=form, status=status, alert=alert)
    messages.success(request, _("Report filed."))
    return redirect("arrears:enterprise", pk=enterprise.pk)


@login_required
@require_POST
def file_zero_report(request, pk):
    enterprise = _enterprise_for(request.user, pk)
    form = ZeroReportForm(request.POST)
    status, alert = run_service(
        form,
        lambda data: services.file_zero_report(enterprise, data["month"], actor=request.user),
    )
    if status != 200:
        # The month is a hidden field: its error is shown above the page, named.
        named = [f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()]
        alert = alert or "; ".join(named)
        return _enterprise_page(request, enterprise, status=status, alert=alert)
    messages.success(request, _("Zero report filed: nothing owed."))
    return redirect("arrears:enterprise", pk=enterprise.pk)


def _month_or_400(request):
    """The month asked for (default: last month, whose reports fall due this month), or the
    form with its error."""
    form = MonthForm(request.GET)
    if not form.is_valid():
        return form, None
    return form, form.cleaned_data["month"] or services.last_month(timezone.localdate())


def _readable_units(user):
    units = access.units_where(user, ARREARS_READER_ROLES)
    if not units.exists():
        raise PermissionDenied(_("Only mediators and supervisors see their units' reports."))
    return units


@login_required
def missing(request):
    """The reports of the user's units for a month: missing (with the reminder and alert sent
    about each), not yet due, and not covered."""
    units = _readable_units(request.user)
    form, month = _month_or_400(request)
    context = {"nav": "arrears", "tab": "missing", "form": form, "month": month}
    if month is None:
        return render(request, "arrears/missing.html", context, status=400)
    today = timezone.localdate()
    enterprises = Enterprise.objects.filter(grid_area__in=units)
    due = services.reports_due_among(enterprises, month)
    missing = [e for e in due if e.report is None and e.due_on < today]
    notices = timers.notices_about(missing, month)
    for e in missing:
        e.reminded_at = notices.get(e.pk, {}).get(ReportNotice.Kind.REMINDER)
        e.alerted_at = notices.get(e.pk, {}).get(ReportNotice.Kind.ALERT)
    context.update(
        missing=missing,
        pending=[e for e in due if e.report is None and e.due_on >= today],
        filed=[e for e in due if e.report is not None],
        not_covered=services.not_covered_among(enterprises),
    )
    return render(request, "arrears/missing.html", context)


@login_required
def reports(request):
    """The filed reports of the user's units for a month that declare arrears or a risk."""
    units = _readable_units(request.user)
    form, month = _month_or_400(request)
    context = {"nav": "arrears", "tab": "reports", "form": form, "month": month}
    if month is None:
        return render(request, "arrears/reports.html", context, status=400)
    filed = MonthlyReport.objects.filter(enterprise__grid_area__in=units, month=month)
    filed = filed.select_related("enterprise__grid_area", "filed_by").order_by(
        "enterprise__name", "pk"
    )
    context["reports"] = [r for r in filed if r.declares_arrears]
    return render(request, "arrears/reports.html", context)
