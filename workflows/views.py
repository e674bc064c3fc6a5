"""The mediator's and the supervisor's pages: My tasks, the zone queue, Done, the board, and the
task page with the form of its step.

Views authorize (`access`, `queues`), load, call one service and render. A task is finished only by
firing its petition transition through `casework.services.fire_transition`, as on the case page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from casework import access
from casework import services as casework
from casework.exceptions import Conflict, TransitionRefused
from casework.forms import MediationSessionForm
from casework.models import Status
from casework.roles import MEDIATION_ROLES
from casework.views import fire_posted_transition
from lib.redirects import redirect_next

from . import queues, services
from .forms import ReassignForm, TaskFilterForm
from .models import OPEN_TASK_STATUSES

PAGE_SIZE = 25
_LISTS = {"mine": queues.my_tasks, "queue": queues.zone_queue, "done": queues.done_tasks}
_CONFLICT = gettext_lazy(
    "Someone else changed this task or its petition in the meantime. The page shows the "
    "current state: check it, then try again."
)


def _task_for(user, pk):
    """The task if its petition lies in the user's subtree; a 404 otherwise."""
    visible = queues.tasks().filter(queues.visible_q(user)).select_related("petition__created_by")
    return get_object_or_404(visible, pk=pk)


def _page(request, rows, count):
    paginator = Paginator(rows, PAGE_SIZE)
    paginator.count = count  # already counted with the tabs: spare a query
    return paginator.get_page(request.GET.get("page"))


def _names(petition, task):
    return {"number": petition.number, "task": task.flow_task.task_title}


# The lists.


def _task_list(request, tab):
    user = request.user
    filters = TaskFilterForm(request.GET or None, user=user)
    condition = filters.condition() if filters.is_bound else None
    counts = queues.counts(user, condition)
    rows = _LISTS[tab](user)
    if condition is not None:
        rows = rows.filter(condition)
    context = {
        "nav": tab,
        "tab": tab,
        "filters": filters,
        "counts": counts,
        "page": _page(request, rows, counts[tab]),
        "now": timezone.now(),
        "done_days": queues.DONE_DAYS,
    }
    return render(request, "workflows/task_list.html", context)


@login_required
def my_tasks(request):
    return _task_list(request, "mine")


@login_required
def queue(request):
    return _task_list(request, "queue")


@login_required
def done(request):
    return _task_list(request, "done")


def _render_board(request, *, status=200, failed=None):
    """The board; `failed` = (task pk, bound ReassignForm) shows a refused move beside its row."""
    user = request.user
    if not queues.may_supervise(user):
        raise PermissionDenied(_("Only supervisors see the board."))
    filters = TaskFilterForm(request.GET or None, user=user)
    rows = queues.board(user)
    if filters.is_bound:
        rows = rows.filter(filters.condition())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    candidates = queues.candidates(page.object_list)
    for task in page.object_list:
        task.candidates = candidates[task.pk]
        task.reassign_form = failed[1] if failed and failed[0] == task.pk else None
    # After a refused move the page answers a POST: its forms lead back to the plain board.
    back = request.get_full_path() if request.method == "GET" else reverse("workflows:board")
    context = {
        "nav": "board",
        "filters": filters,
        "page": page,
        "now": timezone.now(),
        "back": back,
    }
    return render(request, "workflows/board.html", context, status=status)


@login_required
def board(request):
    return _render_board(request)


# The task page.


def _transition_form(spec, petition, data=None):
    form_class = casework.transition_form_class(spec)
    return form_class(data, petition=petition, auto_id=f"id_{spec.name}_%s")


def _steps(task, user, failed):
    """The forms of the task's transitions this user may fire now."""
    petition = task.petition
    if not queues.may_act(user, task):
        return []
    steps = []
    for name in task.flow_task.transitions:
        spec = casework.transition_spec(petition, name)
        if spec is None or not spec.has_perm(petition, user):
            continue
        if failed and failed[0] == name:
            form = _transition_form(spec, petition, failed[1])
            if failed[2]:
                form.add_error(None, failed[2])
        else:
            form = _transition_form(spec, petition)
        steps.append({"spec": spec, "form": form, "target_label": Status(spec.target).label})
    return steps


def _session_form(task, user, data=None):
    """The "record a session" form, while mediating, for those who may act on the task."""
    petition = task.petition
    if task.flow_task.name != "mediate" or petition.status != Status.IN_MEDIATION:
        return None
    if not queues.may_act(user, task):
        return None
    if not access.has_role_at(user, petition.org_unit, MEDIATION_ROLES):
        return None
    initial = {"held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    return MediationSessionForm(data, initial=initial, auto_id="id_session_%s")


def _task_nav(task, user, is_open):
    if task.owner_id == user.pk:
        return "mine" if is_open else "done"
    return "queue" if is_open and task.owner_id is None else None


def _render_task(request, task, *, status=200, failed=None, alert=None, session_form=None):
    """The task page; `failed` = (step name, posted data, message) re-shows a refused step."""
    user = request.user
    petition = task.petition
    steps = _steps(task, user, failed)
    if failed and failed[2] and not any(s["spec"].name == failed[0] for s in steps):
        alert = failed[2]
    is_open = task.status in OPEN_TASK_STATUSES
    claims = list(petition.claims.select_related("worker"))
    context = {
        "nav": _task_nav(task, user, is_open),
        "task": task,
        "petition": petition,
        "is_open": is_open,
        "current": None if is_open else services.open_task(petition),
        "overdue": bool(is_open and task.due_at and task.due_at < timezone.now()),
        "may_claim": is_open and task.flow_task.can_assign(user, task),
        "may_release": is_open
        and task.owner_id is not None
        and task.flow_task.can_unassign(user, task),
        "steps": steps,
        "session_form": session_form or _session_form(task, user),
        "claims": claims,
        "total_claimed": sum(claim.claimed_amount for claim in claims),
        "full_ids": access.may_see_full_id_numbers(user, petition.org_unit),
        "full_phones": access.may_see_full_phones(user, petition.org_unit),
        "sessions": petition.sessions.select_related("recorded_by"),
        "agreements": petition.agreements.select_related("recorded_by").prefetch_related(
            "lines__claim__worker"
        ),
        "events": petition.events.select_related("actor"),
        "alert": alert,
    }
    return render(request, "workflows/task.html", context, status=status)


@login_required
def task_detail(request, pk):
    return _render_task(request, _task_for(request.user, pk))


def _conflict(request, pk, message=_CONFLICT):
    return _render_task(request, _task_for(request.user, pk), status=409, alert=message)


@login_required
@require_POST
def claim(request, pk):
    task = _task_for(request.user, pk)
    try:
        services.claim_task(task, actor=request.user)
    except Conflict as err:
        return _conflict(request, pk, str(err))
    messages.success(request, _("%(number)s is yours: %(task)s.") % _names(task.petition, task))
    return redirect("workflows:task", pk=task.pk)


@login_required
@require_POST
def unassign(request, pk):
    """Back to the queue: the holder releases a task, or a supervisor takes it off someone."""
    task = _task_for(request.user, pk)
    try:
        services.unassign_task(task, actor=request.user, reason=request.POST.get("reason", ""))
    except Conflict as err:
        return _conflict(request, pk, str(err))
    messages.success(
        request, _("%(number)s is back in the queue: %(task)s.") % _names(task.petition, task)
    )
    return redirect_next(request, "workflows:my-tasks")


@login_required
@require_POST
def reassign(request, pk):
    task = _task_for(request.user, pk)
    if not task.flow_task.may_manage(request.user, task):
        raise PermissionDenied(_("Only a supervisor of this unit may reassign its tasks."))
    form = ReassignForm(request.POST, task=task)
    if not form.is_valid():
        return _render_board(request, status=400, failed=(task.pk, form))
    try:
        services.reassign_task(
            task,
            actor=request.user,
            to_user=form.cleaned_data["to_user"],
            reason=form.cleaned_data["reason"],
        )
    except Conflict as err:
        messages.error(request, str(err))
        return _render_board(request, status=409)
    messages.success(
        request,
        _("%(number)s: %(task)s given to %(user)s.")
        % {**_names(task.petition, task), "user": form.cleaned_data["to_user"].get_username()},
    )
    return redirect_next(request, "workflows:board")


@login_required
@require_POST
def fire_transition(request, pk, name):
    task = _task_for(request.user, pk)
    if name not in task.flow_task.transitions:
        raise Http404
    if task.status not in OPEN_TASK_STATUSES:
        return _conflict(request, pk)
    petition = task.petition
    try:
        event = fire_posted_transition(request, petition, name)
    except Conflict:
        return _conflict(request, pk)
    except TransitionRefused as err:
        return _render_task(request, task, status=400, failed=(name, request.POST, str(err)))
    except ValidationError:
        return _render_task(request, task, status=400, failed=(name, request.POST, None))
    messages.success(
        request,
        _("%(number)s: %(status)s.") % {"number": petition.number, "status": event.to_label},
    )
    following = services.open_task(petition)
    if following is not None and following.owner_id == request.user.pk:
        return redirect("workflows:task", pk=following.pk)
    return redirect("workflows:my-tasks")


@login_required
@require_POST
def record_session(request, pk):
    task = _task_for(request.user, pk)
    data = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    try:
        casework.record_session(task.petition, actor=request.user, data=data)
    except TransitionRefused as err:
        return _render_task(request, task, status=400, alert=str(err))
    except ValidationError:
        # The service validates with the same form: binding it again puts each error in place.
        form = MediationSessionForm(request.POST, auto_id="id_session_%s")
        form.is_valid()
        return _render_task(request, task, status=400, session_form=form)
    messages.success(request, _("Session recorded."))
    return redirect("workflows:task", pk=task.pk)
