"""Pages of the emergency fund: a release's draft and its page, the supervisor's approvals queue,
the committee liaison's signing, finance's payments and recoveries, and the fund statement.

Each view authorizes through `access`, loads, calls one `fund.services` function and renders;
a refused step re-renders the release's page with the reason and 400, 403 or 409.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from casework import access
from casework.pages import SERVICE_ERRORS, petition_for, refusal
from casework.roles import (
    FINANCE_ROLES,
    FUND_CONTROL_ROLES,
    FUND_ROLES,
    LIAISON_ROLES,
    MEDIATION_ROLES,
    SUPERVISOR_ROLES,
)
from lib.money import format_yuan
from lib.redirects import redirect_next

from . import reports, services
from .flows import open_release_task
from .forms import (
    ContributionForm,
    CorrectionForm,
    DecisionForm,
    RecoveryForm,
    ReleaseDraftForm,
    StatementForm,
    WriteOffForm,
)
from .models import (
    OPEN_LINE_STATES,
    Correction,
    FundPurpose,
    JournalEntry,
    Release,
    ReleaseLine,
    ReleaseStatus,
    WriteOff,
)

STATEMENT_LABELS = {
    "summary": gettext_lazy("Statement"),
    "opening": gettext_lazy("Opening balance"),
    "contributions": gettext_lazy("Contributions"),
    "releases": gettext_lazy("Releases paid out"),
    "recoveries": gettext_lazy("Recoveries"),
    "corrections": gettext_lazy("Corrections"),
    "closing": gettext_lazy("Closing balance"),
    "write_offs": gettext_lazy("Written off"),
    "outstanding": gettext_lazy("Outstanding recoveries at the end"),
    "by_enterprise": gettext_lazy("Outstanding by enterprise"),
    "entries": gettext_lazy("Entries"),
    "entry_columns": [
        gettext_lazy("Booked at"),
        gettext_lazy("Kind"),
        gettext_lazy("Source"),
        gettext_lazy("Petition"),
        gettext_lazy("Enterprise"),
        gettext_lazy("Reference"),
        gettext_lazy("Cash (yuan)"),
        gettext_lazy("Booked by"),
    ],
}


def _release_for(user, pk):
    """The release if its petition lies in the user's subtree; a 404 otherwise."""
    return get_object_or_404(
        services.visible_releases(user).select_related("petition__org_unit", "fund"), pk=pk
    )


def _clear_for(releases, user):
    """Ids of the releases whose next step the four-eyes rule lets `user` take."""
    return {release.pk for release in releases if services.is_clear_of(release, user)}


def _signable(write_off, user, unit):
    """The write-off, marked with whether `user` may sign it (the page's Sign button)."""
    write_off.signable = services.write_off_signature(write_off, user, unit) is not None
    return write_off


def _require_fund_role(user):
    if not access.holds_role(user, FUND_ROLES):
        raise PermissionDenied(_("The emergency fund's pages are for its officers."))


# A release: draft, page, steps.


def _draft_form(petition, fund, data=None, release=None):
    claims = list(petition.claims.order_by("name", "id"))
    initial = {} if data is not None else _draft_initial(petition, fund, release)
    return ReleaseDraftForm(data, initial=initial, claims=claims, purposes=fund.allowed_purposes)


def _draft_initial(petition, fund, release):
    """What an unposted draft form starts from: the release's lines, or the proposed ones (a
    posted form ignores its initial values, so it spares these queries)."""
    if release is not None:
        lines = release.lines.all()
        initial = {"reason": release.reason}
    else:
        proposed = services.proposed_lines(petition, fund, services.travel_costs(petition))
        lines = [ReleaseLine(**ln) for ln in proposed]
        initial = {}
    for line in lines:
        initial[f"amount_{line.worker.pk}_{line.purpose}"] = line.amount
    return initial


def _render_draft(request, petition, fund, form, release=None, status=200):
    try:
        caps = services.caps_for(petition, fund, exclude=release)
    except ValidationError as err:
        caps, form_error = None, err.messages[0]
    else:
        form_error = None
    context = {
        "nav": "fund",
        "petition": petition,
        "fund": fund,
        "form": form,
        "release": release,
        "caps": caps,
        "caps_error": form_error,
    }
    return render(request, "fund/release_form.html", context, status=status)


def _save_draft(request, petition, fund, release=None):
    if not access.has_role_at(request.user, petition.org_unit, MEDIATION_ROLES):
        raise PermissionDenied(_("You may not draft releases for this petition."))
    form = _draft_form(petition, fund, request.POST or None, release)
    if request.method != "POST":
        return _render_draft(request, petition, fund, form, release)
    status = 400
    if form.is_valid():
        kwargs = {
            "actor": request.user,
            "reason": form.cleaned_data["reason"],
            "lines": form.lines(),
        }
        try:
            if release is None:
                release = services.draft_release(petition, **kwargs)
            else:
                release = services.revise_release(release, **kwargs)
        except SERVICE_ERRORS as err:
            _add_errors(form, err, kwargs["lines"])
            status = refusal(err)[0]
        else:
            messages.success(request, _("Release saved as a draft: check it, then submit it."))
            return redirect("fund:release-detail", pk=release.pk)
    return _render_draft(request, petition, fund, form, release, status=status)


def _add_errors(form, err, lines):
    """The service's refusal above the form; a line's own message names its worker."""
    if not isinstance(err, ValidationError):
        form.add_error(None, str(err))
        return
    names = {claim.worker_id: claim.name for claim, _cells in form.rows}
    per_line = getattr(err, "error_dict", {}).get("lines", [])
    for index, error in enumerate(per_line):
        message = " ".join(error.messages)
        if message:
            line = lines[index]
            label = f"{names.get(line['worker'], '')} · {FundPurpose(line['purpose']).label}"
            form.add_error(None, f"{label}: {message}")
    for message in [] if per_line else err.messages:
        form.add_error(None, message)


@login_required
def release_new(request, pk):
    petition = petition_for(request.user, pk)
    try:
        fund = services.fund_of(petition)
    except ValidationError as err:
        raise Http404(err.messages[0]) from None
    return _save_draft(request, petition, fund)


@login_required
def release_edit(request, pk):
    release = _release_for(request.user, pk)
    if release.status != ReleaseStatus.DRAFT:
        return redirect("fund:release-detail", pk=release.pk)
    petition = petition_for(request.user, release.petition_id)
    return _save_draft(request, petition, release.fund, release)


def _release_page(request, release, *, status=200, alert=None):
    user, unit = request.user, release.petition.org_unit
    row = reports.queue_rows(Release.objects.filter(pk=release.pk))[0]
    release = row.release
    may = {
        "edit": release.status == ReleaseStatus.DRAFT
        and access.has_role_at(user, unit, MEDIATION_ROLES),
        "approve": release.status == ReleaseStatus.SUBMITTED
        and access.has_role_at(user, unit, SUPERVISOR_ROLES)
        and services.is_clear_of(release, user),
        "sign": release.status == ReleaseStatus.AWAITING_SIGNATURE
        and access.has_role_at(user, unit, LIAISON_ROLES)
        and services.is_clear_of(release, user),
        "pay": release.status in (ReleaseStatus.APPROVED, ReleaseStatus.DISBURSED)
        and any(ln.state in OPEN_LINE_STATES for ln, _c, _u in row.lines)
        and access.has_role_at(user, unit, FINANCE_ROLES)
        and services.is_clear_of(release, user),
        "recover": release.status == ReleaseStatus.DISBURSED
        and access.has_role_at(user, unit, FINANCE_ROLES),
        "write_off": release.status == ReleaseStatus.DISBURSED
        and access.has_role_at(user, unit, FUND_CONTROL_ROLES),
    }
    context = {
        "nav": "fund",
        "row": row,
        "release": release,
        "petition": release.petition,
        "may": may,
        "alert": alert,
        "full_ids": access.may_see_full_id_numbers(user, unit),
        "decision_form": DecisionForm(auto_id="id_decision_%s"),
        "recovery_form": RecoveryForm(auto_id="id_recovery_%s"),
        "write_off_form": WriteOffForm(auto_id="id_write_off_%s"),
        "write_offs": [
            _signable(w, user, unit)
            for w in release.write_offs.select_related("proposed_by", "supervisor", "liaison")
        ],
        "entries": release.entries.select_related("booked_by").order_by("booked_at", "pk"),
        "task": open_release_task(release),
    }
    return render(request, "fund/release_detail.html", context, status=status)


@login_required
def release_detail(request, pk):
    return _release_page(request, _release_for(request.user, pk))


def _payments(post):
    """{line id: {"reference"|"failure_reason": text}} from the finance page's per-line inputs."""
    payments = {}
    for key, value in post.items():
        kind, _sep, line_id = key.partition("_")
        if kind in ("ref", "fail") and line_id.isdigit() and value.strip():
            field = "reference" if kind == "ref" else "failure_reason"
            payments.setdefault(int(line_id), {})[field] = value
    return payments


def _form_step(form_class, step):
    """A step whose input is a form: invalid input is a ValidationError, as the service's own."""

    def run(release, request):
        form = form_class(request.POST)
        if not form.is_valid():
            # Named by their labels: the release page shows them above its forms.
            raise ValidationError(
                [f"{form.fields[name].label}: {' '.join(e)}" for name, e in form.errors.items()]
            )
        return step(release, request, form.cleaned_data)

    return run


def _note(request):
    return request.POST.get("note", "")


STEPS = {
    "submit": lambda r, q: services.submit_release(r, actor=q.user),
    "approve": lambda r, q: services.approve_release(r, actor=q.user, note=_note(q)),
    "reject": lambda r, q: services.reject_release(r, actor=q.user, note=_note(q)),
    "sign": lambda r, q: services.sign_release(r, actor=q.user, note=_note(q)),
    "disburse": lambda r, q: services.disburse_release(r, actor=q.user, payments=_payments(q.POST)),
    "recover": _form_step(
        RecoveryForm, lambda r, q, data: services.record_recovery(r, actor=q.user, **data)
    ),
    "write-off": _form_step(
        WriteOffForm, lambda r, q, data: services.propose_write_off(r, actor=q.user, **data)
    ),
}
DONE = {
    "submit": gettext_lazy("Submitted for approval."),
    "approve": gettext_lazy("Approved."),
    "reject": gettext_lazy("Rejected."),
    "sign": gettext_lazy("Signed."),
    "disburse": gettext_lazy("Payments recorded."),
    "recover": gettext_lazy("Recovery booked."),
    "write-off": gettext_lazy(
        "Write-off proposed: it needs the supervisor's and the committee's signatures."
    ),
}


@login_required
@require_POST
def release_step(request, pk, step):
    release = _release_for(request.user, pk)
    if step not in STEPS:
        raise Http404
    try:
        services.expect_status(release, request.POST.get("expected_status"))
        STEPS[step](release, request)
    except SERVICE_ERRORS as err:
        status, message = refusal(err)
        fresh = _release_for(request.user, pk)
        return _release_page(request, fresh, status=status, alert=message)
    messages.success(request, DONE[step])
    return redirect_next(request, reverse("fund:release-detail", args=[pk]))


@login_required
@require_POST
def write_off_sign(request, pk):
    write_off = get_object_or_404(
        WriteOff.objects.filter(release__in=services.visible_releases(request.user)), pk=pk
    )
    try:
        services.sign_write_off(write_off, actor=request.user)
    except SERVICE_ERRORS as err:
        status, message = refusal(err)
        fresh = _release_for(request.user, write_off.release_id)
        return _release_page(request, fresh, status=status, alert=message)
    messages.success(request, _("Write-off signed."))
    return redirect_next(request, reverse("fund:release-detail", args=[write_off.release_id]))


# Queues: each one's releases, for its page and for the counts on the fund's home page.


def _to_sign(user):
    return services.releases_in(user, LIAISON_ROLES).filter(status=ReleaseStatus.AWAITING_SIGNATURE)


def _to_pay(user):
    """Approved releases, and paid ones with lines that could not be paid yet."""
    return (
        services.releases_in(user, FINANCE_ROLES)
        .filter(
            status__in=[ReleaseStatus.APPROVED, ReleaseStatus.DISBURSED],
            lines__state__in=OPEN_LINE_STATES,
        )
        .distinct()
    )


@login_required
def approvals(request):
    """The supervisor's queue: every release awaiting approval in their units, oldest first."""
    if not access.units_where(request.user, SUPERVISOR_ROLES).exists():
        raise PermissionDenied(_("Only supervisors approve releases."))
    rows = reports.queue_rows(
        services.releases_to_approve(request.user).order_by("updated_at", "pk")
    )
    context = {
        "nav": "fund",
        "rows": rows,
        "decidable": _clear_for((row.release for row in rows), request.user),
        "decision_form": DecisionForm(auto_id=None),
    }
    return render(request, "fund/approvals.html", context)


@login_required
def signing(request):
    """The committee liaison's queue: releases above the threshold and write-offs to sign."""
    signer_units = access.units_where(request.user, LIAISON_ROLES)
    if (
        not signer_units.exists()
        and not access.units_where(request.user, SUPERVISOR_ROLES).exists()
    ):
        raise PermissionDenied(_("Only the committee liaison and supervisors sign here."))
    write_offs = (
        WriteOff.objects.filter(
            state=WriteOff.State.PROPOSED,
            release__petition__org_unit__in=access.units_where(
                request.user, (*LIAISON_ROLES, *SUPERVISOR_ROLES)
            ),
        )
        .select_related(
            "release__petition__enterprise",
            "release__petition__org_unit",
            "proposed_by",
            "supervisor",
            "liaison",
        )
        .order_by("proposed_at", "pk")
    )
    rows = reports.queue_rows(_to_sign(request.user).order_by("updated_at", "pk"))
    context = {
        "nav": "fund",
        "rows": rows,
        "decidable": _clear_for((row.release for row in rows), request.user),
        "write_offs": [_signable(w, request.user, w.release.petition.org_unit) for w in write_offs],
        "decision_form": DecisionForm(auto_id=None),
    }
    return render(request, "fund/signing.html", context)


@login_required
def finance(request):
    """Finance: releases to pay, releases open for recovery, and contributions."""
    if not access.units_where(request.user, FINANCE_ROLES).exists():
        raise PermissionDenied(_("Only the finance officer works here."))
    return _finance_page(request)


def _finance_page(request, posted=None, status=200):
    """The finance page; `posted` = (fund, its contribution form) shown again with its errors."""
    mine = services.releases_in(request.user, FINANCE_ROLES)
    open_lines = ReleaseLine.objects.filter(state__in=OPEN_LINE_STATES).select_related("claim")
    to_pay = list(
        _to_pay(request.user)
        .select_related("petition__enterprise", "fund")
        .prefetch_related(Prefetch("lines", queryset=open_lines, to_attr="open_lines"))
        .order_by("updated_at", "pk")
    )
    recovering = (
        reports.with_outstanding(mine.filter(status=ReleaseStatus.DISBURSED))
        .select_related("petition__enterprise")
        .order_by("petition__enterprise__name", "pk")
    )
    posted_fund, posted_form = posted or (None, None)
    contributions = [
        (f, posted_form if f == posted_fund else ContributionForm(auto_id="id_contribution_%s"))
        for f in reports.funds_for(request.user, FINANCE_ROLES)
    ]
    context = {
        "nav": "fund",
        "to_pay": to_pay,
        "payable": _clear_for(to_pay, request.user),
        "recovering": recovering,
        "contributions": contributions,
        "recovery_form": RecoveryForm(auto_id=None),
    }
    return render(request, "fund/finance.html", context, status=status)


def _finance_fund(user, pk):
    return get_object_or_404(reports.funds_for(user, FINANCE_ROLES), pk=pk)


@login_required
@require_POST
def contribution(request, pk):
    fund = _finance_fund(request.user, pk)
    form = ContributionForm(request.POST, auto_id="id_contribution_%s")
    if form.is_valid():
        try:
            entry = services.record_contribution(fund, actor=request.user, **form.cleaned_data)
        except ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(
                request,
                _("Contribution of %(amount)s booked.")
                % {"amount": format_yuan(entry.postings.get(account="cash").amount)},
            )
            return redirect("fund:finance")
    return _finance_page(request, (fund, form), status=400)


def _refused_correction(request, err):
    status, message = refusal(err)
    return _statement_page(request, status=status, alert=message)


def _back_to_statement(request):
    """The statement page the correction was made from (its period is in the query string)."""
    url = reverse("fund:statement")
    return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)


@login_required
@require_POST
def correct_entry(request, pk):
    """Finance proposes to reverse an entry; a second person confirms it (`confirm_correction`)."""
    entry = get_object_or_404(
        JournalEntry.objects.filter(fund__in=reports.funds_for(request.user, FINANCE_ROLES)),
        pk=pk,
    )
    form = CorrectionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        services.propose_correction(entry, actor=request.user, reason=form.cleaned_data["reason"])
    except SERVICE_ERRORS as err:
        return _refused_correction(request, err)
    messages.success(
        request,
        _("Reversal of entry %(id)s proposed: a second person must confirm it.") % {"id": entry.pk},
    )
    return _back_to_statement(request)


@login_required
@require_POST
def confirm_correction(request, pk):
    correction = get_object_or_404(
        Correction.objects.filter(
            entry__fund__in=reports.funds_for(request.user, FUND_CONTROL_ROLES)
        ).select_related("entry__fund__zone"),
        pk=pk,
    )
    try:
        services.confirm_correction(correction, actor=request.user)
    except SERVICE_ERRORS as err:
        return _refused_correction(request, err)
    messages.success(request, _("Entry %(id)s reversed.") % {"id": correction.entry_id})
    return _back_to_statement(request)


# Overview and statement.


@login_required
def fund_home(request):
    _require_fund_role(request.user)
    funds = list(reports.funds_for(request.user, FUND_ROLES))
    user = request.user
    counts = {
        "approvals": services.releases_to_approve(user).count(),
        "signing": _to_sign(user).count(),
        "to_pay": _to_pay(user).count(),
    }
    summaries = [(f, services.committed(f), reports.fund_outstanding(f)) for f in funds]
    return render(
        request,
        "fund/home.html",
        {"nav": "fund", "summaries": summaries, "counts": counts},
    )


@login_required
def statement(request):
    _require_fund_role(request.user)
    return _statement_page(request)


def _statement_page(request, *, status=None, alert=None):
    """The statement of the period in the query string (this year by default); a refused
    correction shows it again with the reason as `alert`, answering `status`."""
    user = request.user
    funds = reports.funds_for(user, FUND_ROLES)
    today = timezone.localdate()
    data = request.GET or {
        "fund": getattr(funds.first(), "pk", ""),
        "start": today.replace(month=1, day=1).isoformat(),
        "end": today.isoformat(),
    }
    form = StatementForm(data, funds=funds)
    st = None
    if form.is_valid():
        st = reports.statement(
            form.cleaned_data["fund"], form.cleaned_data["start"], form.cleaned_data["end"]
        )
        if request.method == "GET" and request.GET.get("format") == "xlsx":
            return _xlsx(st)
    zone = st.fund.zone if st else None
    context = {
        "nav": "fund",
        "form": form,
        "st": st,
        "rows": [(key, STATEMENT_LABELS[key], amount) for key, amount in st.rows] if st else [],
        "labels": STATEMENT_LABELS,
        "may_correct": st is not None and access.has_role_at(user, zone, FINANCE_ROLES),
        "may_confirm": st is not None and access.has_role_at(user, zone, FUND_CONTROL_ROLES),
        "correctable": services.CORRECTABLE,
        "query": request.GET.urlencode(),
        "alert": alert,
    }
    if status is None:
        status = 200 if st or not request.GET else 400
    return render(request, "fund/statement.html", context, status=status)


def _xlsx(st):
    body = reports.statement_workbook(st, STATEMENT_LABELS)
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"fund-{st.fund.pk}-{st.start:%Y%m%d}-{st.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
