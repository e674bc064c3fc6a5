"""The committee liaison's pages: the escalations of their units, and one escalation with the
form of its current step. Only a committee liaison of the petition's unit or above (403
otherwise); a petition outside one's subtree is not found (404). Views load, call one service
in `escalation` and render."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import access
from casework.pages import run_service
from casework.roles import LIAISON_ROLES
from casework.views import render_case

from . import services as escalation
from .flows import EscalationFlow, LiaisonStep
from .forms import (
    AcknowledgeForm,
    CoordinationForm,
    EscalateForm,
    OutcomeForm,
    ReferralForm,
    RepresentativesForm,
    TaskForceForm,
    TravelHomeForm,
    VacancyForm,
)
from .models import Escalation


def _escalation_for(user, pk):
    visible = Escalation.objects.filter(petition__in=access.petitions_visible_to(user))
    found = get_object_or_404(
        visible.select_related("petition__org_unit", "petition__enterprise"), pk=pk
    )
    if not escalation.may_liaise(user, found):
        raise PermissionDenied(_("Only a committee liaison of this unit may work on escalations."))
    return found


def _non_local(esc):
    return esc.petition.claims.filter(non_local=True)


# action: (step, form factory, service call with the cleaned data)
ACTIONS = {
    "acknowledge": (
        "acknowledge",
        lambda esc, data: AcknowledgeForm(data),
        lambda esc, user, form: escalation.acknowledge_escalation(
            esc, actor=user, note=form.cleaned_data["note"]
        ),
    ),
    "coordinate": (
        "coordinate",
        lambda esc, data: CoordinationForm(data, auto_id="id_coord_%s"),
        lambda esc, user, form: escalation.record_coordination(
            esc, actor=user, **form.cleaned_data
        ),
    ),
    "task_force": (
        "form_task_force",
        lambda esc, data: TaskForceForm(data, auto_id="id_tf_%s"),
        lambda esc, user, form: escalation.form_task_force(esc, actor=user, members=form.members()),
    ),
    "representatives": (
        "elect_representatives",
        lambda esc, data: RepresentativesForm(data, petition=esc.petition, auto_id="id_rep_%s"),
        lambda esc, user, form: escalation.elect_representatives(
            esc, actor=user, claims=form.cleaned_data["claims"]
        ),
    ),
    "travel_home": (
        "travel_home",
        lambda esc, data: TravelHomeForm(data, claims=_non_local(esc), auto_id="id_th_%s"),
        lambda esc, user, form: escalation.record_travel_home(esc, actor=user, needs=form.needs()),
    ),
    "vacancy": (
        "refer_jobs",
        lambda esc, data: VacancyForm(data, auto_id="id_vac_%s"),
        lambda esc, user, form: escalation.add_vacancy(esc, actor=user, **form.cleaned_data),
    ),
    "referral": (
        "refer_jobs",
        lambda esc, data: ReferralForm(data, escalation=esc, auto_id="id_ref_%s"),
        lambda esc, user, form: escalation.record_referral(esc, actor=user, **form.cleaned_data),
    ),
    "finish_referrals": (
        "refer_jobs",
        lambda esc, data: forms.Form(data),
        lambda esc, user, form: escalation.finish_job_referrals(esc, actor=user),
    ),
    "close": (
        "close",
        lambda esc, data: OutcomeForm(data, auto_id="id_outcome_%s"),
        lambda esc, user, form: escalation.close_escalation(
            esc, actor=user, outcome=form.cleaned_data["outcome"]
        ),
    ),
}
# Steps whose lists take more entries after the step is done, while the escalation is open.
AGAIN = {"coordinate", "task_force", "vacancy", "referral"}


def _steps(esc, task, done):
    """The flow's liaison steps in order, each with its state; group steps only for groups."""
    group_steps = {"elect_representatives", "travel_home", "refer_jobs"}
    current = task.flow_task.name if task else None
    rows = []
    for node in EscalationFlow.instance.nodes():
        if not isinstance(node, LiaisonStep):
            continue
        if node.name in group_steps and not esc.petition.is_group:
            continue
        state = "done" if node.name in done else "current" if node.name == current else "later"
        rows.append({"name": node.name, "title": node.task_title, "state": state})
    return rows


def _render(request, esc, *, status=200, alert=None, failed=None):
    """The escalation page; `failed` = (action, bound form) shows a refused form again."""
    task = escalation.open_task(esc) if esc.is_open else None
    done = escalation.done_steps(esc)
    current = task.flow_task.name if task else None
    forms_by_action = {}
    for action, (step, make, _call) in ACTIONS.items():
        if step == current or (esc.is_open and action in AGAIN and step in done):
            forms_by_action[action] = make(esc, None)
    if failed:
        forms_by_action[failed[0]] = failed[1]
    petition = esc.petition
    context = {
        "nav": "escalations",
        "escalation": esc,
        "petition": petition,
        "task": task,
        "steps": _steps(esc, task, done),
        "forms": forms_by_action,
        "ack_deadline": escalation.acknowledgement_deadline(esc),
        "coordinations": esc.coordinations.select_related("recorded_by"),
        "task_force": esc.task_force.all(),
        "representatives": petition.claims.filter(is_representative=True),
        "travel_home": esc.travel_home.select_related("claim"),
        "vacancies": esc.vacancies.prefetch_related("referrals__claim__worker"),
        "workers": petition.claims.count(),
        "non_local": _non_local(esc).count(),
        "alert": alert,
    }
    return render(request, "escalation/detail.html", context, status=status)


@login_required
def escalation_list(request):
    if not access.holds_role(request.user, LIAISON_ROLES):
        raise PermissionDenied(_("Only committee liaisons work on escalations."))
    rows = escalation.escalations_for(request.user)
    context = {
        "nav": "escalations",
        "open": [e for e in rows if e.is_open],
        "closed": [e for e in rows if not e.is_open][:50],
    }
    return render(request, "escalation/list.html", context)


@login_required
def escalation_detail(request, pk):
    return _render(request, _escalation_for(request.user, pk))


@login_required
@require_POST
def escalation_step(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    esc = _escalation_for(request.user, pk)
    _step, make, call = ACTIONS[action]
    form = make(esc, request.POST)
    status, alert = run_service(form, lambda data: call(esc, request.user, form))
    if status != 200:
        return _render(
            request,
            _escalation_for(request.user, pk),
            status=status,
            alert=alert,
            failed=(action, form),
        )
    messages.success(request, _("Saved."))
    return redirect("escalation:detail", pk=esc.pk)


@login_required
@require_POST
def escalate(request, pk):
    """A supervisor sends a petition to the committee (from the case page)."""
    petition = get_object_or_404(access.petitions_visible_to(request.user), pk=pk)
    form = EscalateForm(request.POST)
    status, alert = run_service(
        form,
        lambda data: escalation.escalate_petition(petition, actor=request.user, note=data["note"]),
    )
    if status != 200:
        # The case page again, the reason above it: its escalate form sits in a side card.
        alert = alert or " ".join(m for errors in form.errors.values() for m in errors)
        return render_case(request, petition, status=status, alert=alert)
    messages.success(
        request,
        _("%(number)s has been reported to the party working committee.")
        % {"number": petition.number},
    )
    return redirect("casework:petition-detail", pk=petition.pk)
