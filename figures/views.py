"""The statistics page and its Excel export: authorize, read the period, call
`services.unit_figures`, render."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import access
from casework.roles import FIGURES_ROLES, SUPERVISOR_ROLES

from . import charts, exports, monthly, pdf, services, today

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def visible_units(user):
    """The units whose figures the user may see, parents before their sub-units."""
    if not access.holds_role(user, FIGURES_ROLES):
        raise PermissionDenied(_("The figures are for supervisors, liaisons and auditors."))
    return access.units_where(user, FIGURES_ROLES).order_by("path")


def quick_periods(today):
    """(label, start, end) of the periods offered with one click."""
    return [
        (_("This month"), today.replace(day=1), today),
        (_("This year"), today.replace(month=1, day=1), today),
    ]


def _read(request):
    """(form, report or None): the period of the query string, this year by default. A unit
    the user may not see answers 404, as one that does not exist."""
    units = visible_units(request.user)
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("unit", str(getattr(units.first(), "pk", "")))
    data.setdefault("start", today.replace(month=1, day=1).isoformat())
    data.setdefault("end", today.isoformat())
    form = charts.ChartsForm(data, units=units)
    if not form.is_valid():
        if form.has_error("unit", "invalid_choice"):
            raise Http404(_("No such unit."))
        return form, None
    clean = form.cleaned_data
    return form, services.unit_figures(clean["unit"], clean["start"], clean["end"])


def _page(request, form, report):
    unit = form.cleaned_data.get("unit") if report is None else report.unit
    drawn = charts.charts_for(report, form.cleaned_data["measure"]) if report else None
    context = {
        "nav": "figures",
        "form": form,
        "report": report,
        "rows": services.table(report) if report else [],
        "charts": drawn,
        "chart_data": drawn.data if drawn else None,
        "monthly": monthly.MonthForm(
            initial={
                "unit": unit.pk if unit else "",
                "month": monthly.last_month(),
                "measure": form.cleaned_data.get("measure"),
            },
            units=visible_units(request.user),
        ),
        "quick": [
            (label, start, end, unit.pk if unit else "")
            for label, start, end in quick_periods(timezone.localdate())
        ],
        "query": request.GET.urlencode(),
    }
    return render(request, "figures/figures.html", context, status=200 if report else 400)


@login_required
def figures_page(request):
    form, report = _read(request)
    return _page(request, form, report)


@login_required
def export(request):
    form, report = _read(request)
    if report is None:
        return _page(request, form, report)
    tables = charts.charts_for(report, form.cleaned_data["measure"]).tables
    response = HttpResponse(exports.workbook(report, tables), content_type=XLSX)
    name = f"figures-{report.unit.pk}-{report.start:%Y%m%d}-{report.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _monthly(request):
    """The Monthly of the query's unit and month (the user's first unit and last month when
    the query names none); a unit the user may not see answers 404."""
    units = visible_units(request.user)
    data = request.GET.copy()
    data.setdefault("unit", str(getattr(units.first(), "pk", "")))
    data.setdefault("month", monthly.last_month())
    form = monthly.MonthForm(data, units=units)
    if not form.is_valid():
        if form.has_error("unit", "invalid_choice"):
            raise Http404(_("No such unit."))
        return form, None
    clean = form.cleaned_data
    return form, monthly.monthly_report(clean["unit"], clean["month"], clean["measure"])


def _bad_month(request, form):
    """The month chooser again, each refused field named beside it."""
    return render(request, "figures/monthly.html", {"nav": "figures", "monthly": form}, status=400)


def _attachment(content, content_type, name):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _file_name(month_report, extension):
    return f"monthly-{month_report.report.unit.pk}-{month_report.month:%Y%m}.{extension}"


@login_required
def monthly_xlsx(request):
    form, month_report = _monthly(request)
    if month_report is None:
        return _bad_month(request, form)
    book = exports.workbook(
        month_report.report,
        month_report.charts.tables,
        preface=monthly.preface(month_report),
    )
    return _attachment(book, XLSX, _file_name(month_report, "xlsx"))


@login_required
def monthly_pdf(request):
    form, month_report = _monthly(request)
    if month_report is None:
        return _bad_month(request, form)
    try:
        content = pdf.monthly_pdf(month_report)
    except pdf.FontMissing as missing:
        context = {
            "title": _("The PDF cannot be made here"),
            "message": _(
                "No Chinese TrueType font is installed (%(font)s): run `make install`, which "
                "installs the package fonts-wqy-microhei, or download the report as Excel."
            )
            % {"font": missing},
        }
        return render(request, "casework/error.html", context, status=503)
    return _attachment(content, "application/pdf", _file_name(month_report, "pdf"))


def home(request):
    """The site's front page: a supervisor's numbers that need action today; everyone else goes
    on to the case list, as before."""
    if not access.holds_role(request.user, SUPERVISOR_ROLES):
        return redirect("casework:petition-list")
    context = {"nav": "home", "counts": today.counts_for(request.user)}
    return render(request, "figures/home.html", context)
