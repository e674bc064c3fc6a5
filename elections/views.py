"""The election's pages: for staff, opening one (its slips are shown in the answer to that POST
and never again), issuing one worker's code again, closing early and resolving a tie; for the
workers, the public voting pages under /vote/ (no login). Views load, call one service in
`elections.services` and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from casework import access
from casework.exceptions import Conflict, TransitionRefused
from casework.pages import add_service_errors, petition_for, refusal, run_service
from casework.views import render_case
from lib.limits import client_address

from . import limits, services
from .forms import BallotForm, OpenElectionForm, ReissueForm, ResolveTieForm, VoterForm
from .models import Election, Voter

SESSION_KEY = "elections_voter"


def _posted(request):
    """The posted data, even empty (an empty POST is a bound form with errors, not a new one)."""
    return request.POST if request.method == "POST" else None


def _runner_only(user, petition):
    if not services.may_run(user, petition):
        raise PermissionDenied(_("Only the petition's mediator or the committee liaison may."))


def _election_for(user, pk):
    """The election if its petition is the user's to see (404 otherwise), and the user one who
    runs it (403 otherwise)."""
    visible = Election.objects.filter(petition__in=access.petitions_visible_to(user))
    election = get_object_or_404(visible.select_related("petition__org_unit"), pk=pk)
    _runner_only(user, election.petition)
    return election


def _slips(request, election, slips, status=200):
    """The printable slips: the one time the codes are shown."""
    context = {
        "petition": election.petition,
        "election": election,
        "slips": slips,
        "vote_url": request.build_absolute_uri(reverse("elections:vote")),
    }
    response = render(request, "elections/slips.html", context, status=status)
    add_never_cache_headers(response)
    return response


@login_required
def open_election(request, pk):
    petition = petition_for(request.user, pk)
    _runner_only(request.user, petition)
    form = OpenElectionForm(_posted(request), petition=petition)
    status, alert, opened = 200, None, []
    if request.method == "POST":
        status, alert = run_service(
            form,
            lambda data: opened.append(
                services.open_election(
                    petition, actor=request.user, seats=data["seats"], closes_at=data["closes_at"]
                )
            ),
        )
        if opened:
            return _slips(request, *opened[0])
    context = {"nav": "list", "petition": petition, "form": form, "alert": alert}
    return render(request, "elections/open.html", context, status=status)


def _back_to_case(request, election, err=None, form=None):
    """The case page again with the refusal above it."""
    if form is not None and form.errors:
        alert = " ".join(m for errors in form.errors.values() for m in errors)
        return render_case(request, election.petition, status=400, alert=alert)
    status, alert = refusal(err)
    return render_case(request, election.petition, status=status, alert=alert)


@login_required
@require_POST
def reissue(request, pk):
    election = _election_for(request.user, pk)
    form = ReissueForm(request.POST, election=election)
    if not form.is_valid():
        return _back_to_case(request, election, form=form)
    claim = form.cleaned_data["claim"]
    try:
        code = services.reissue_code(election, actor=request.user, claim=claim)
    except (ValidationError, TransitionRefused, Conflict) as err:
        return _back_to_case(request, election, err)
    return _slips(request, election, [(claim, code)])


@login_required
@require_POST
def close(request, pk):
    election = _election_for(request.user, pk)
    try:
        services.close_election(election, actor=request.user)
    except (TransitionRefused, Conflict) as err:
        return _back_to_case(request, election, err)
    messages.success(request, _("The election is closed and counted."))
    return redirect("casework:petition-detail", pk=election.petition_id)


@login_required
@require_POST
def resolve(request, pk):
    election = _election_for(request.user, pk)
    form = ResolveTieForm(request.POST, result=services.count(election))
    if not form.is_valid():
        return _back_to_case(request, election, form=form)
    try:
        services.resolve_tie(election, actor=request.user, chosen=form.cleaned_data["chosen"])
    except (ValidationError, Conflict) as err:
        return _back_to_case(request, election, err)
    messages.success(request, _("The representatives are chosen."))
    return redirect("casework:petition-detail", pk=election.petition_id)


# The workers' side.


def _render_vote(request, template, context, status=200):
    response = render(request, template, context, status=status)
    add_never_cache_headers(response)
    return response


@never_cache
def vote(request):
    """Step one: the case number and the worker's code, posted (never in the address)."""
    form = VoterForm(_posted(request))
    if request.method != "POST" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return _render_vote(request, "elections/vote.html", {"form": form}, status)
    address, number = client_address(request), form.cleaned_data["number"]
    if limits.seconds_left(address, number):
        alert = _("Too many wrong tries. Please wait a few minutes and try again.")
        return _render_vote(request, "elections/vote.html", {"form": form, "alert": alert}, 429)
    voter = services.find_voter(number, form.cleaned_data["code"])
    if voter is None:
        limits.record_failure(address, number)
        alert = _(
            "The case number or the code is not right, or voting on this case is closed. "
            "Check the slip you were given."
        )
        return _render_vote(request, "elections/vote.html", {"form": form, "alert": alert}, 400)
    request.session.cycle_key()
    request.session[SESSION_KEY] = voter.pk
    return redirect("elections:ballot")


def _voter_of(request):
    pk = request.session.get(SESSION_KEY)
    voter = (
        Voter.objects.filter(pk=pk, election__closed_at__isnull=True)
        .select_related("election__petition", "claim")
        .first()
    )
    return voter


@never_cache
def ballot(request):
    """Step two: choose, confirm, and the vote is cast."""
    voter = _voter_of(request)
    if voter is None:
        return redirect("elections:vote")
    election = voter.election
    context = {"voter": voter, "election": election, "petition": election.petition}
    if services.has_voted(voter):
        return _render_vote(request, "elections/done.html", {**context, "already": True}, 409)
    form = BallotForm(_posted(request), election=election)
    context["form"] = form
    if request.method != "POST":
        return _render_vote(request, "elections/ballot.html", context)
    if not form.is_valid():
        return _render_vote(request, "elections/ballot.html", context, 400)
    chosen = form.cleaned_data["candidates"]
    if "confirm" not in request.POST:
        names = dict(form.fields["candidates"].choices)
        context["chosen"] = [(pk, names[pk]) for pk in chosen]
        return _render_vote(request, "elections/ballot.html", context)
    try:
        services.cast_vote(voter, chosen=chosen)
    except ValidationError as err:
        add_service_errors(form, err)
        return _render_vote(request, "elections/ballot.html", context, 400)
    except Conflict:
        return _render_vote(request, "elections/done.html", {**context, "already": True}, 409)
    except TransitionRefused as err:
        context["alert"] = str(err)
        return _render_vote(request, "elections/ballot.html", context, 400)
    request.session.pop(SESSION_KEY, None)
    return _render_vote(request, "elections/done.html", context)
