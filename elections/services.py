"""Electing a group petition's representatives: open, vote, close (by hand or at the closing
time), resolve a tie at the last seat. Each step is one transaction and writes the petition's
timeline; the elected replace the claims' earlier `is_representative` flags.

The committee liaison's manual choice (`escalation.services.elect_representatives`) stays for
groups whose workers have no phones; whichever step comes last sets the flags.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from casework.access import has_role_at
from casework.exceptions import Conflict, TransitionRefused
from casework.models import Claim, Petition, new_query_code
from casework.roles import LIAISON_ROLES, MEDIATION_ROLES
from casework.services import record_event

from .models import Choice, Election, Vote, Voter

# Who opens, closes and resolves an election: the petition's mediators and the liaison.
RUNNER_ROLES = (*MEDIATION_ROLES, *LIAISON_ROLES)


def may_run(user, petition):
    return has_role_at(user, petition.org_unit, RUNNER_ROLES)


def normalize_code(text):
    """A code as typed (any case, spaces or dashes as printed on the slip) to its characters."""
    return "".join(ch for ch in (text or "").upper() if ch not in " -")


def code_hash(election_id, code):
    """The stored form of a voting code: keyed with SECRET_KEY, so the table alone gives no way
    to try the 31^8 codes; salted with the election, so equal codes hash apart."""
    return salted_hmac(f"vote:{election_id}", normalize_code(code), algorithm="sha256").hexdigest()


def _require_runner(user, petition):
    if not may_run(user, petition):
        raise PermissionDenied(_("Only the petition's mediator or the committee liaison may."))


def _locked(election):
    return Election.objects.select_for_update().select_related("petition").get(pk=election.pk)


def default_closing(now=None):
    return (now or timezone.now()) + datetime.timedelta(
        hours=settings.CASEWORK["ELECTION_DEFAULT_HOURS"]
    )


def _check_terms(petition, seats, closes_at, now):
    limit = settings.CASEWORK["MAX_REPRESENTATIVES"]
    workers = petition.claims.count()
    if not 1 <= seats <= min(limit, workers):
        raise ValidationError(
            {
                "seats": _("Between 1 and %(most)d seats (%(workers)d workers on the petition).")
                % {"most": min(limit, workers), "workers": workers}
            }
        )
    latest = now + datetime.timedelta(hours=settings.CASEWORK["ELECTION_MAX_HOURS"])
    if not now < closes_at <= latest:
        raise ValidationError(
            {
                "closes_at": _("A closing time after now and at most %(hours)d hours ahead.")
                % {"hours": settings.CASEWORK["ELECTION_MAX_HOURS"]}
            }
        )


def _issue(election, claims, now):
    """New codes for these claims' voters: [(claim, code)]; codes differ within the election."""
    taken = set(election.voters.values_list("code_hash", flat=True))
    slips = []
    for claim in claims:
        code = new_query_code()
        while code_hash(election.pk, code) in taken:
            code = new_query_code()
        taken.add(code_hash(election.pk, code))
        slips.append((claim, code))
    return slips


@transaction.atomic
def open_election(petition, *, actor, seats, closes_at=None):
    """Open an election on a group petition: (election, [(claim, code)]). The codes are
    returned this once, for the slips, and kept only as hashes."""
    _require_runner(actor, petition)
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if not petition.is_group:
        raise TransitionRefused(_("Only a group petition elects representatives."))
    if not petition.is_open:
        raise TransitionRefused(_("This petition is finished."))
    now = timezone.now()
    closes_at = closes_at or default_closing(now)
    _check_terms(petition, seats, closes_at, now)
    if petition.elections.filter(closed_at__isnull=True).exists():
        raise Conflict(_("An election is already open on this petition."))
    try:
        with transaction.atomic():
            election = Election.objects.create(
                petition=petition, seats=seats, opened_by=actor, opened_at=now, closes_at=closes_at
            )
    except IntegrityError as err:
        raise Conflict(_("An election is already open on this petition.")) from err
    claims = list(petition.claims.order_by("name", "pk"))
    slips = _issue(election, claims, now)
    Voter.objects.bulk_create(
        Voter(election=election, claim=claim, code_hash=code_hash(election.pk, code), issued_at=now)
        for claim, code in slips
    )
    record_event(
        petition,
        "election_opened",
        actor=actor,
        data={
            "seats": seats,
            "workers": len(claims),
            "closes_at": timezone.localtime(closes_at).strftime("%Y-%m-%d %H:%M"),
        },
    )
    return election, slips


@transaction.atomic
def reissue_code(election, *, actor, claim):
    """A new code for one worker whose slip was lost; the old one stops working."""
    _require_runner(actor, election.petition)
    election = _locked(election)
    if not election.is_open:
        raise TransitionRefused(_("This election is closed."))
    voter = election.voters.filter(claim=claim).first()
    if voter is None:
        raise ValidationError({"claim": _("Choose a worker of this petition.")})
    if election.votes.filter(claim=claim).exists():
        raise TransitionRefused(_("This worker has already voted."))
    now = timezone.now()
    [(_claim, code)] = _issue(election, [claim], now)
    voter.code_hash, voter.issued_at = code_hash(election.pk, code), now
    voter.save(update_fields=["code_hash", "issued_at"])
    record_event(election.petition, "election_code_reissued", actor=actor, reason=claim.name)
    return code


def find_voter(number, code):
    """The voter of the open election on petition `number` whose code this is, or None: the
    same None whether the petition, the election or the code is missing."""
    number = (number or "").strip().upper()
    election = (
        Election.objects.filter(
            petition__number=number, closed_at__isnull=True, closes_at__gt=timezone.now()
        )
        .select_related("petition")
        .first()
    )
    # Hashed either way, so a missing case is not answered sooner than a wrong code.
    digest = code_hash(election.pk if election else 0, code)
    if election is None:
        return None
    voter = election.voters.filter(code_hash=digest).select_related("claim").first()
    if voter is not None:
        voter.election = election
    return voter


def candidates(election):
    return Claim.objects.filter(petition_id=election.petition_id).select_related("worker")


def has_voted(voter):
    return Vote.objects.filter(election_id=voter.election_id, claim_id=voter.claim_id).exists()


@transaction.atomic
def cast_vote(voter, *, chosen):
    """The worker's ballot: 1 to `seats` distinct candidates of the petition (claim ids). A
    second ballot of the same worker is a Conflict, however close together they come."""
    election = _locked(voter.election)
    if not election.is_open or election.closes_at <= timezone.now():
        raise TransitionRefused(_("Voting in this election has closed."))
    chosen = set(chosen)
    if not 1 <= len(chosen) <= election.seats:
        raise ValidationError(
            {"candidates": _("Choose 1 to %(seats)d people.") % {"seats": election.seats}}
        )
    if candidates(election).filter(pk__in=chosen).count() != len(chosen):
        raise ValidationError({"candidates": _("Choose among the workers listed.")})
    try:
        with transaction.atomic():
            Vote.objects.create(election=election, claim_id=voter.claim_id, cast_at=timezone.now())
    except IntegrityError as err:
        raise Conflict(_("You have already voted in this election.")) from err
    Choice.objects.bulk_create(Choice(election=election, candidate_id=pk) for pk in sorted(chosen))


@dataclass
class Result:
    """An election's count: `rows` [(claim, votes)] most votes first (only names chosen at
    least once); `elected` the claims sure of a seat; `tied` those level for the last seats,
    of whom `seats_left` are to be chosen."""

    voted: int
    voters: int
    rows: list = field(default_factory=list)
    elected: list = field(default_factory=list)
    tied: list = field(default_factory=list)
    seats_left: int = 0


def turnout(election):
    return election.votes.count(), election.voters.count()


def count(election):
    voted, voters = turnout(election)
    votes = dict(
        election.choices.values("candidate").annotate(n=Count("pk")).values_list("candidate", "n")
    )
    claims = Claim.objects.in_bulk(votes)
    rows = sorted(
        ((claims[pk], n) for pk, n in votes.items()), key=lambda r: (-r[1], r[0].name, r[0].pk)
    )
    result = Result(voted, voters, rows)
    seats = election.seats
    if len(rows) <= seats:
        result.elected = [claim for claim, _n in rows]
        return result
    last = rows[seats - 1][1]
    if rows[seats][1] < last:
        result.elected = [claim for claim, _n in rows[:seats]]
        return result
    result.elected = [claim for claim, n in rows if n > last]
    result.tied = [claim for claim, n in rows if n == last]
    result.seats_left = seats - len(result.elected)
    return result


def _flag(petition, representatives):
    """The claims named become the petition's representatives, and only they."""
    on_case = Claim.objects.filter(petition=petition)
    ids = [claim.pk for claim in representatives]
    on_case.exclude(pk__in=ids).filter(is_representative=True).update(is_representative=False)
    on_case.filter(pk__in=ids).update(is_representative=True)


def _names(claims):
    return [claim.name for claim in claims]


@transaction.atomic
def close_election(election, *, actor=None):
    """Close the election and count it (actor None: its closing time came). The elected
    replace the earlier representatives; a tie at the last seat waits for `resolve_tie`; with
    no vote cast the earlier representatives stay."""
    if actor is not None:
        _require_runner(actor, election.petition)
    election = _locked(election)
    if not election.is_open:
        raise Conflict(_("This election is already closed."))
    result = count(election)
    election.closed_at, election.closed_by = timezone.now(), actor
    election.tie_open = bool(result.tied)
    election.save(update_fields=["closed_at", "closed_by", "tie_open"])
    if result.rows:
        _flag(election.petition, result.elected)
    record_event(
        election.petition,
        "election_closed",
        actor=actor,
        reason="、".join(f"{claim.name} {n}" for claim, n in result.rows),
        data={
            "turnout": f"{result.voted}/{result.voters}",
            "seats": election.seats,
            "elected": _names(result.elected),
            "tied": _names(result.tied),
        },
    )
    return result


@transaction.atomic
def resolve_tie(election, *, actor, chosen):
    """The opener's choice among the candidates tied for the last seats (claim ids)."""
    _require_runner(actor, election.petition)
    election = _locked(election)
    if not election.tie_open:
        raise Conflict(_("This election has no tie to resolve."))
    result = count(election)
    tied = {claim.pk: claim for claim in result.tied}
    chosen = set(chosen)
    if len(chosen) != result.seats_left or not chosen <= set(tied):
        raise ValidationError(
            {
                "chosen": _("Choose %(n)d of the tied candidates.") % {"n": result.seats_left},
            }
        )
    picked = [tied[pk] for pk in sorted(chosen)]
    _flag(election.petition, [*result.elected, *picked])
    election.tie_open = False
    election.save(update_fields=["tie_open"])
    record_event(
        election.petition,
        "election_tie_resolved",
        actor=actor,
        data={"elected": _names([*result.elected, *picked])},
    )


def close_due(now=None):
    """The timer source: close every election past its closing time; how many it closed.
    Several timer loops may run this at once: the row lock lets one of them close each."""
    now = now or timezone.now()
    closed = 0
    due = Election.objects.filter(closed_at__isnull=True, closes_at__lte=now).order_by("pk")
    for election in due.select_related("petition"):
        try:
            close_election(election)
        except Conflict:
            continue  # another loop closed it first
        closed += 1
    return closed
