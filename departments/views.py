"""The departments' pages: the zone's list (supervisors), a referral and a joint-handling part
from the case page, the department's reply, and the inbox of a department liaison or a unit
asked for a part. Views load what the user may see (404 otherwise), call one service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import access
from casework.exceptions import Conflict, TransitionRefused
from casework.models import OrgUnit
from casework.pages import add_service_errors, petition_for, refusal, run_service
from casework.views import render_case

from . import services
from .forms import (
    AwardForm,
    DepartmentForm,
    ExtensionForm,
    FinishForm,
    LiaisonForm,
    PartForm,
    ReferenceForm,
    ReferralForm,
    ReplyForm,
    WithdrawForm,
)
from .models import Department, JointPart, Liaison, Referral


def _posted(request):
    return request.POST if request.method == "POST" else None


def _visible_unit_ids(user):
    return [pk for pk, _path in access.units_under(user)]


def _department_for(user, pk):
    """A department of a zone the user sees (404 otherwise) that they manage (403 otherwise)."""
    queryset = Department.objects.select_related("zone")
    if not user.is_superuser:
        queryset = queryset.filter(zone__in=_visible_unit_ids(user))
    department = get_object_or_404(queryset, pk=pk)
    if not services.may_manage(user, department.zone):
        raise PermissionDenied(_("Only the zone's supervisors may."))
    return department


def _referral_for(user, pk):
    """A referral of a petition the user sees, or of their department (404 otherwise), that
    they may answer (403 otherwise)."""
    queryset = Referral.objects.select_related("petition__enterprise", "department", "sent_by")
    seen = queryset.filter(petition__in=access.petitions_visible_to(user))
    referral = seen.filter(pk=pk).first() or services.inbox_referrals(user).filter(pk=pk).first()
    if referral is None:
        raise Http404
    referral = queryset.get(pk=referral.pk)
    if not services.may_answer(user, referral):
        raise PermissionDenied(_("Only the petition's mediators may."))
    return referral


def _part_for(user, pk):
    """A part of a petition the user sees, or held by them, their unit or department."""
    queryset = JointPart.objects.select_related(
        "petition__enterprise", "petition__org_unit", "unit", "department", "holder"
    )
    seen = queryset.filter(petition__in=access.petitions_visible_to(user)).filter(pk=pk)
    if not seen.exists() and not services.inbox_parts(user).filter(pk=pk).exists():
        raise Http404
    return queryset.get(pk=pk)


def _alert(form):
    """A form's errors as one line, each after its field's label."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts += [f"{label}: {error}" if label else error for error in errors]
    return " ".join(parts)


def _back(request, petition, form=None, err=None):
    """The case page again with the refusal or the form's errors above it."""
    if err is not None:
        status, alert = refusal(err)
    else:
        status, alert = 400, _alert(form)
    return render_case(request, petition, status=status, alert=alert)


def _done(request, petition, message):
    messages.success(request, message)
    if services.may_lead(request.user, petition):
        return redirect("casework:petition-detail", pk=petition.pk)
    return redirect("departments:inbox")


def _form_page(request, form, call, *, context, done):
    """A page with one form: shown, or posted to the service `call` (then `done()`)."""
    status, alert = 200, None
    if request.method == "POST":
        status, alert = run_service(form, call)
        if status == 200:
            return done()
    context = {"form": form, "alert": alert, **context}
    return render(request, "departments/form.html", context, status=status)


# The zone's departments.


@login_required
def department_list(request):
    zones = services.managed_zones(request.user)
    if not zones.exists():
        raise PermissionDenied(_("Only a zone's supervisors manage its departments."))
    departments = Department.objects.filter(zone__in=zones).prefetch_related("liaisons__user")
    rows = [(zone, [d for d in departments if d.zone_id == zone.pk]) for zone in zones]
    return render(request, "departments/list.html", {"nav": "board", "rows": rows})


@login_required
def department_new(request, pk):
    zone = get_object_or_404(
        OrgUnit.objects.filter(pk__in=_visible_unit_ids(request.user), kind=OrgUnit.Kind.ZONE)
        if not request.user.is_superuser
        else OrgUnit.objects.filter(kind=OrgUnit.Kind.ZONE),
        pk=pk,
    )
    if not services.may_manage(request.user, zone):
        raise PermissionDenied(_("Only the zone's supervisors may."))
    form = DepartmentForm(_posted(request))
    return _form_page(
        request,
        form,
        lambda data: services.add_department(zone, actor=request.user, **data),
        context={"title": _("New department of %(zone)s") % {"zone": zone}, "zone": zone},
        done=lambda: redirect("departments:list"),
    )


@login_required
def department_edit(request, pk):
    department = _department_for(request.user, pk)
    form = DepartmentForm(_posted(request), instance=department)
    return _form_page(
        request,
        form,
        lambda data: services.edit_department(department, actor=request.user, **data),
        context={"title": _("Edit %(name)s") % {"name": department}, "zone": department.zone},
        done=lambda: redirect("departments:list"),
    )


@login_required
@require_POST
def department_active(request, pk):
    department = _department_for(request.user, pk)
    active = request.POST.get("active")
    if active not in ("0", "1"):
        raise BadRequest("active: 0 or 1")
    services.set_active(department, actor=request.user, active=active == "1")
    return redirect("departments:list")


@login_required
def liaison_new(request, pk):
    department = _department_for(request.user, pk)
    form = LiaisonForm(_posted(request))
    return _form_page(
        request,
        form,
        lambda data: services.add_liaison(department, actor=request.user, **data),
        context={
            "title": _("New liaison login for %(name)s") % {"name": department},
            "zone": department.zone,
            "help": _(
                "The liaison signs in with this name and password and sees only what is "
                "referred or assigned to the department."
            ),
        },
        done=lambda: redirect("departments:list"),
    )


@login_required
@require_POST
def liaison_remove(request, pk):
    queryset = Liaison.objects.select_related("department__zone", "user")
    if not request.user.is_superuser:
        queryset = queryset.filter(department__zone__in=_visible_unit_ids(request.user))
    liaison = get_object_or_404(queryset, pk=pk)
    if not services.may_manage(request.user, liaison.department.zone):
        raise PermissionDenied(_("Only the zone's supervisors may."))
    services.remove_liaison(liaison, actor=request.user)
    return redirect("departments:list")


# Referrals, from the case page.


def _lead_petition(user, pk):
    petition = petition_for(user, pk)
    if not services.may_lead(user, petition):
        raise PermissionDenied(_("Only the petition's mediators may."))
    return petition


@login_required
def refer(request, pk):
    petition = _lead_petition(request.user, pk)
    form = ReferralForm(_posted(request), petition=petition)
    return _form_page(
        request,
        form,
        lambda data: services.send_referral(petition, actor=request.user, **data),
        context={"title": _("Refer to a department"), "petition": petition},
        done=lambda: _done(request, petition, _("The referral is recorded.")),
    )


@login_required
@require_POST
def reference(request, pk):
    referral = _referral_for(request.user, pk)
    form = ReferenceForm(request.POST)
    if not form.is_valid():
        return _back(request, referral.petition, form)
    services.set_reference(referral, actor=request.user, reference=form.cleaned_data["reference"])
    return _done(request, referral.petition, _("The reference number is recorded."))


@login_required
def reply(request, pk):
    referral = _referral_for(request.user, pk)
    form = ReplyForm(_posted(request))

    def call(data):
        services.record_reply(
            referral,
            actor=request.user,
            accepted=data["decision"] == "accepted",
            result=data["result"],
            replied_on=data["replied_on"],
            reference=data["reference"],
        )

    return _form_page(
        request,
        form,
        call,
        context={"title": _("Record the department's reply"), "referral": referral},
        done=lambda: _done(request, referral.petition, _("The reply is recorded.")),
    )


def _card_step(request, petition, form, call, message):
    """A step posted from the case page's card: done, or the case page with why not (bad
    input named after its field's label)."""
    if not form.is_valid():
        return _back(request, petition, form)
    try:
        call(form.cleaned_data)
    except ValidationError as err:
        add_service_errors(form, err)
        return _back(request, petition, form)
    except (Conflict, TransitionRefused) as err:
        return _back(request, petition, err=err)
    return _done(request, petition, message)


@login_required
@require_POST
def extend(request, pk):
    referral = _referral_for(request.user, pk)
    return _card_step(
        request,
        referral.petition,
        ExtensionForm(request.POST),
        lambda data: services.extend_arbitration(referral, actor=request.user, **data),
        _("The arbitration period is extended."),
    )


@login_required
@require_POST
def award(request, pk):
    referral = _referral_for(request.user, pk)
    return _card_step(
        request,
        referral.petition,
        AwardForm(request.POST),
        lambda data: services.record_award(referral, actor=request.user, **data),
        _("The award is recorded."),
    )


# Joint handling.


@login_required
def part_new(request, pk):
    petition = _lead_petition(request.user, pk)
    form = PartForm(_posted(request), petition=petition)
    return _form_page(
        request,
        form,
        lambda data: services.request_part(petition, actor=request.user, **data),
        context={"title": _("Ask for joint handling"), "petition": petition},
        done=lambda: _done(request, petition, _("The part is asked for.")),
    )


@login_required
def part_finish(request, pk):
    part = _part_for(request.user, pk)
    if not services.may_finish(request.user, part):
        raise PermissionDenied(_("Only the part's holder or the lead unit may."))
    form = FinishForm(_posted(request))
    return _form_page(
        request,
        form,
        lambda data: services.finish_part(part, actor=request.user, **data),
        context={"title": _("Joint handling part done"), "part": part},
        done=lambda: _done(request, part.petition, _("The part is done.")),
    )


@login_required
@require_POST
def part_withdraw(request, pk):
    part = _part_for(request.user, pk)
    if not services.may_lead(request.user, part.petition):
        raise PermissionDenied(_("Only the petition's mediators may."))
    return _card_step(
        request,
        part.petition,
        WithdrawForm(request.POST),
        lambda data: services.withdraw_part(part, actor=request.user, **data),
        _("The part is withdrawn."),
    )


@login_required
def inbox(request):
    """What was referred or assigned to the user's department, or asked of them or their unit."""
    referrals = services.inbox_referrals(request.user).select_related(
        "petition__enterprise", "department"
    )
    parts = services.inbox_parts(request.user).select_related(
        "petition__enterprise", "unit", "department", "holder"
    )
    context = {
        "nav": "departments-inbox",
        "awaiting": referrals.filter(state=Referral.State.SENT).order_by("sent_at", "pk"),
        "answered": referrals.exclude(state=Referral.State.SENT).order_by("-sent_at", "-pk"),
        "open_parts": parts.filter(state=JointPart.State.OPEN).order_by("due_on", "pk"),
        "finished_parts": parts.exclude(state=JointPart.State.OPEN).order_by("-asked_at", "-pk"),
        "liaison": services.liaison_of(request.user),
    }
    return render(request, "departments/inbox.html", context)
