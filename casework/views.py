"""Pages for the front desk and mediators: intake, the case list and the case page.

Each view authorizes through `access`, loads, calls one service function and renders; the rules
live in `services`, so the pages, the API and admin behave the same.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.forms import formset_factory
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.exceptions import Conflict, RepeatPetition, TransitionRefused
from casework.roles import INTAKE_ROLES

from . import access, evidence, hooks, services
from .filters import PetitionFilter
from .forms import IdNumberSearchForm
from .intake import IntakeForm, LinkFactsForm, TypedWorkerRowForm, rows_to_text
from .models import Petition, Status
from .pages import add_service_errors, petition_for
from .services import merge
from .templatetags.casework_pages import may_intake
from .throttles import SearchRateThrottle

PAGE_SIZE = 25
TYPED_ROWS = 3
WorkerRowFormSet = formset_factory(TypedWorkerRowForm, extra=TYPED_ROWS)
_NOT_TRANSITION_DATA = {"csrfmiddlewaretoken", "expected_status", "reason"}


# Intake.


def _recorded_message(petition):
    if petition.is_group:
        return _("Petition %(number)s recorded: a group petition of %(count)d workers.") % {
            "number": petition.number,
            "count": petition.claims.count(),
        }
    return _("Petition %(number)s recorded.") % {"number": petition.number}


@login_required
def intake(request):
    if not may_intake(request.user):
        raise PermissionDenied(_("You may not record petitions."))
    typed = WorkerRowFormSet(request.POST or None, prefix="w")
    form = IntakeForm(
        request.POST or None, request.FILES or None, user=request.user, typed_rows=typed
    )
    repeat = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                petition = services.record_petition(actor=request.user, **form.record_kwargs())
                evidence.attach(petition, form.evidence, actor=request.user)
        except RepeatPetition as err:
            repeat = err.petition
        except ValidationError as err:
            add_service_errors(form, err)
        else:
            messages.success(request, _recorded_message(petition))
            return redirect("casework:petition-detail", pk=petition.pk)
    context = {
        "nav": "intake",
        "form": form,
        "typed": typed,
        "repeat": repeat,
        "repeat_workers": rows_to_text(form.workers) if repeat else "",
    }
    return render(request, "casework/intake.html", context)


# The case list.


def _list_page(request, filters, page, *, id_form=None, status=200):
    if id_form is None and access.may_search_id_numbers(request.user):
        id_form = IdNumberSearchForm()
    context = {"nav": "list", "filters": filters.form, "page": page, "id_form": id_form}
    return render(request, "casework/petition_list.html", context, status=status)


def _too_many_searches(request):
    """None if the user may search now; else the page that says when they may again."""
    throttle = SearchRateThrottle()
    if throttle.allow_request(request, None):
        return None
    messages.error(
        request,
        _("Too many searches: try again in %(seconds)d seconds.")
        % {"seconds": max(1, round(throttle.wait()))},
    )
    page = Paginator(Petition.objects.none(), PAGE_SIZE).get_page(1)
    return _list_page(request, PetitionFilter(request=request), page, status=429)


def _new_search(request):
    """Whether the list is asked for a search term other than the user's last one: paging, a
    reload or the page's live refresh repeat a search and reveal nothing new, so only a new term
    counts against the limit."""
    term = request.GET.get("search", "").strip()
    if not term or term == request.session.get("last_search"):
        return False
    request.session["last_search"] = term
    return True


@login_required
def petition_list(request):
    if _new_search(request) and (refused := _too_many_searches(request)):
        return refused
    filters = PetitionFilter(
        request.GET, queryset=access.petitions_visible_to(request.user), request=request
    )
    # An invalid filter shows its error beside the field and lists nothing.
    petitions = filters.qs.with_totals() if filters.is_valid() else Petition.objects.none()
    page = Paginator(petitions, PAGE_SIZE).get_page(request.GET.get("page"))
    return _list_page(request, filters, page)


@login_required
@require_POST
def find_by_id_number(request):
    """The case list of one worker, found by a posted ID number (it never enters an address)."""
    if not access.may_search_id_numbers(request.user):
        raise PermissionDenied(_("You may not search by ID number."))
    if refused := _too_many_searches(request):
        return refused
    id_form = IdNumberSearchForm(request.POST)
    found = id_form.is_valid()
    rows = []
    if found:
        named = access.petitions_naming(request.user, id_form.cleaned_data["id_number"])
        rows = list(named.with_totals())
    # One page for all: a link to a second page would have to carry the number.
    page = Paginator(rows, max(len(rows), 1)).get_page(1)
    filters = PetitionFilter(request=request)
    return _list_page(request, filters, page, id_form=id_form, status=200 if found else 400)


# The case page.


def _transition_form(spec, petition, data=None):
    form_class = services.transition_form_class(spec)
    return form_class(data, petition=petition, auto_id=f"id_{spec.name}_%s")


def render_case(
    request, petition, *, status=200, failed=None, alert=None, link_form=None, evidence_form=None
):
    """The case page; `failed` = (step name, posted data, message) re-shows a refused step."""
    user = request.user
    task = hooks.tasks().open_task(petition)
    specs = services.available_transitions(petition, user)
    steps = []
    for spec in hooks.tasks().steps_open_to(user, petition, task, specs):
        if failed and failed[0] == spec.name:
            form = _transition_form(spec, petition, failed[1])
            if failed[2]:
                form.add_error(None, failed[2])
        else:
            form = _transition_form(spec, petition)
        steps.append({"spec": spec, "form": form, "target_label": Status(spec.target).label})
    if failed and failed[2] and not any(s["spec"].name == failed[0] for s in steps):
        alert = failed[2]
    may_link = petition.is_open and access.has_role_at(user, petition.org_unit, INTAKE_ROLES)
    claims = list(petition.claims.select_related("worker"))
    context = {
        "nav": "list",
        "petition": petition,
        "claims": claims,
        "total_claimed": sum(claim.claimed_amount for claim in claims),
        "events": merge.timeline(petition),
        "full_ids": access.may_see_full_id_numbers(user, petition.org_unit),
        "full_phones": access.may_see_full_phones(user, petition.org_unit),
        "steps": steps,
        "task": task,
        "sessions": petition.sessions.select_related("recorded_by"),
        "agreements": petition.agreements.select_related("recorded_by").prefetch_related(
            "lines__claim__worker"
        ),
        "alert": alert,
        "link_form": (link_form or LinkFactsForm(auto_id="id_link_%s")) if may_link else None,
        "evidence_form": evidence_form,
    }
    return render(request, "casework/petition_detail.html", context, status=status)


@login_required
def petition_detail(request, pk):
    return render_case(request, petition_for(request.user, pk))


def fire_posted_transition(request, petition, name):
    """Fire a step from a posted step form (the case page's and the task page's alike)."""
    data = {k: v for k, v in request.POST.items() if k not in _NOT_TRANSITION_DATA}
    return services.fire_transition(
        petition,
        name,
        actor=request.user,
        reason=request.POST.get("reason", ""),
        data=data,
        expected_status=request.POST.get("expected_status", ""),
    )


@login_required
@require_POST
def fire_transition(request, pk, name):
    petition = petition_for(request.user, pk)
    if name not in services.transition_names():
        raise Http404
    try:
        event = fire_posted_transition(request, petition, name)
    except Conflict:
        alert = _(
            "This petition was changed by someone else in the meantime. The page has been "
            "reloaded with its current state: check it, then try again."
        )
        return render_case(request, petition_for(request.user, pk), status=409, alert=alert)
    except TransitionRefused as err:
        return render_case(request, petition, status=400, failed=(name, request.POST, str(err)))
    except ValidationError:
        return render_case(request, petition, status=400, failed=(name, request.POST, None))
    messages.success(
        request,
        _("%(number)s: %(status)s.") % {"number": petition.number, "status": event.to_label},
    )
    return redirect("casework:petition-detail", pk=petition.pk)


@login_required
@require_POST
def link_facts(request, pk):
    petition = petition_for(request.user, pk)
    if not access.has_role_at(request.user, petition.org_unit, INTAKE_ROLES):
        raise PermissionDenied(_("You may not add to this petition."))
    form = LinkFactsForm(request.POST, request.FILES, auto_id="id_link_%s")
    if form.is_valid():
        try:
            with transaction.atomic():
                event = services.link_facts(
                    petition,
                    actor=request.user,
                    description=form.cleaned_data["description"],
                    workers=form.workers,
                )
                evidence.attach(petition, form.evidence, actor=request.user)
        except TransitionRefused as err:
            form.add_error(None, str(err))
        except ValidationError as err:
            add_service_errors(form, err)
        else:
            messages.success(
                request,
                _("New facts added to %(number)s (%(count)d workers added).")
                % {"number": petition.number, "count": event.data["workers_added"]},
            )
            return redirect("casework:petition-detail", pk=petition.pk)
    return render_case(request, petition, status=400, link_form=form)
