"""The early warnings' pages: the warnings of the user's units (an enterprise union: its own
enterprise's, read-only), a warning with its task's forms (what was done, close, turn into a
petition), the screening visit form, and the enterprise risk view with each enterprise's page.

A warning or an enterprise outside the user's units is not found (404). Views load, call one
service and render.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arrears import services as arrears
from arrears.models import ResponsibilityLetter
from casework import access
from casework.pages import run_service
from casework.roles import ARREARS_READER_ROLES, Role
from workflows.models import OPEN_TASK_STATUSES

from . import services
from .forms import CloseForm, ConvertForm, NoteForm, VisitForm
from .models import EarlyWarning, WarningStatus, WarningTask

PAGE_SIZE = 50


def _open_tasks():
    tasks = WarningTask.objects.filter(flow_task_type="HUMAN", status__in=OPEN_TASK_STATUSES)
    return Prefetch("tasks", queryset=tasks.select_related("owner"), to_attr="open_tasks")


def _is_reader(user):
    return access.holds_role(user, ARREARS_READER_ROLES)


@login_required
def warning_list(request):
    """Open warnings first (the user's own tasks, then the riskiest), then the last ended."""
    user = request.user
    if not access.holds_role(user, (Role.ENTERPRISE_UNION, *ARREARS_READER_ROLES)):
        raise PermissionDenied(_("Early warnings are for mediators, supervisors and unions."))
    rows = services.warnings_visible_to(user).select_related("enterprise__grid_area", "petition")
    rows = rows.prefetch_related(_open_tasks())

    def order(warning):
        mine = any(task.owner_id == user.pk for task in warning.open_tasks)
        return (not mine, -services.rank(warning.level), warning.pk)

    open_rows = sorted(rows.filter(status=WarningStatus.OPEN), key=order)
    context = {
        "nav": "warnings",
        "tab": "warnings",
        "open": open_rows,
        "ended": rows.exclude(status=WarningStatus.OPEN).order_by("-closed_at", "-pk")[:50],
        "reader": _is_reader(user),
    }
    return render(request, "prevention/list.html", context)


def _warning_for(user, pk):
    visible = services.warnings_visible_to(user).select_related(
        "enterprise__grid_area", "report", "visit", "petition", "closed_by"
    )
    return get_object_or_404(visible, pk=pk)


def _detail(request, warning, *, status=200, alert=None, failed=None):
    """The warning's page; `failed` = (name, bound form) shows a refused form again."""
    handles = warning.is_open and services.may_handle(request.user, warning)
    forms = {}
    if handles:
        source = warning.report or warning.visit
        forms = {
            "action": NoteForm(auto_id="id_action_%s"),
            "close": CloseForm(auto_id="id_close_%s"),
            "convert": ConvertForm(
                auto_id="id_convert_%s",
                initial={"owner_missing": source.owner_unreachable},
            ),
        }
        if failed:
            forms[failed[0]] = failed[1]
    context = {
        "nav": "warnings",
        "warning": warning,
        "task": services.open_task(warning) if warning.is_open else None,
        "entries": warning.entries.select_related("actor", "report", "visit"),
        "forms": forms,
        "alert": alert,
        "reader": _is_reader(request.user),
    }
    return render(request, "prevention/warning.html", context, status=status)


@login_required
def warning_detail(request, pk):
    return _detail(request, _warning_for(request.user, pk))


def _step(request, pk, name, form_class, call, done):
    warning = _warning_for(request.user, pk)
    form = form_class(request.POST, request.FILES, auto_id=f"id_{name}_%s")
    status, alert = run_service(form, lambda data: call(warning, form))
    if status != 200:
        fresh = _warning_for(request.user, pk)
        return _detail(request, fresh, status=status, alert=alert, failed=(name, form))
    messages.success(request, done)
    return redirect("prevention:warning", pk=warning.pk)


@login_required
@require_POST
def record_action(request, pk):
    return _step(
        request,
        pk,
        "action",
        NoteForm,
        lambda w, form: services.record_action(
            w, actor=request.user, note=form.cleaned_data["note"]
        ),
        _("Saved."),
    )


@login_required
@require_POST
def close_warning(request, pk):
    return _step(
        request,
        pk,
        "close",
        CloseForm,
        lambda w, form: services.close_warning(
            w, actor=request.user, note=form.cleaned_data["note"]
        ),
        _("The warning is closed."),
    )


@login_required
@require_POST
def convert_warning(request, pk):
    return _step(
        request,
        pk,
        "convert",
        ConvertForm,
        lambda w, form: services.convert_warning(
            w,
            actor=request.user,
            description=form.cleaned_data["description"],
            workers=form.workers,
            owner_missing=form.cleaned_data["owner_missing"],
        ),
        _("The warning is now a petition."),
    )


# Screening visits.


@login_required
def record_visit(request, pk):
    enterprise = get_object_or_404(
        services.enterprises_screenable_by(request.user).select_related("grid_area"), pk=pk
    )
    form = VisitForm(request.POST or None, initial={"visited_on": timezone.localdate()})
    status, alert = 200, None
    if request.method == "POST":
        status, alert = run_service(
            form,
            lambda data: services.record_visit(enterprise, actor=request.user, **data),
        )
        if status == 200:
            messages.success(request, _("Screening visit recorded."))
            return redirect("prevention:enterprise", pk=enterprise.pk)
    context = {"nav": "warnings", "enterprise": enterprise, "form": form, "alert": alert}
    return render(request, "prevention/visit.html", context, status=status)


# The enterprise risk view.


def _reader_or_403(user):
    if not _is_reader(user):
        raise PermissionDenied(_("Only mediators, supervisors and their units' readers."))


@login_required
def risk(request):
    _reader_or_403(request.user)
    rows = services.enterprises_at_risk_for(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"nav": "warnings", "tab": "risk", "page": page}
    return render(request, "prevention/risk.html", context)


@login_required
def enterprise(request, pk):
    user = request.user
    # Not found for anyone outside the readers of its units, its own union included.
    found = get_object_or_404(services.enterprises_at_risk_for(user), pk=pk)
    context = {
        "nav": "warnings",
        "enterprise": found,
        "rows": arrears.month_rows(found, timezone.localdate()),
        "warnings": EarlyWarning.objects.filter(enterprise=found).select_related("petition"),
        "visits": found.visits.select_related("visited_by"),
        "petitions": access.petitions_visible_to(user)
        .filter(enterprise=found)
        .order_by("-received_at"),
        "letter": ResponsibilityLetter.objects.filter(enterprise=found)
        .order_by("-signed_on")
        .first(),
        "may_screen": services.may_screen(user, found),
    }
    return render(request, "prevention/enterprise.html", context)
