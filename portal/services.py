"""The workers' own side: finding their case by its number and their phone or query code, what
the case page tells them, and filing a petition themselves.

A look-up answers the same way whether the number exists or not, and every try counts against
the client's address and against the number (`limits`), so neither a case nor a worker on it can
be found by guessing.
"""

import hmac
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework import evidence
from casework import services as casework
from casework.exceptions import RepeatPetition
from casework.models import Agreement, AgreementLine, CaseEvent, Claim, Enterprise, Petition, Status
from documents import services as documents
from documents.models import DeliveryConsent
from fund.models import ReleaseLine
from lib import validators
from workflows.deadlines import deadlines_of
from workflows.models import DeadlineKind

_SEPARATORS = re.compile(r"[\-_]")


def normalize(value):
    """A case number as stored, whatever a phone keyboard or a Chinese input method added:
    full-width characters, spaces, lower case."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", value or "")).upper()


def _normalize_key(value):
    """A phone number or query code, also without the hyphens people write between groups."""
    return _SEPARATORS.sub("", normalize(value))


def look_up(number, key):
    """The claims of petition `number` that `key` (a phone number or a query code) opens, or []."""
    number, key = normalize(number), _normalize_key(key)
    petition = _continued(Petition.objects.filter(number=number))
    claims = list(Claim.objects.filter(petition=petition).only("pk", "phone", "query_code"))
    return [
        claim
        for claim in claims
        if hmac.compare_digest(claim.query_code, key)
        or (claim.phone and hmac.compare_digest(_normalize_key(claim.phone), key))
    ]


# A merged petition goes on as the one it was merged into (its workers moved there), perhaps
# merged again: the number on a worker's notice still finds their case.
MERGE_CHAIN_LIMIT = 10


def _continued(petitions):
    """The id of the petition the matched one goes on as, or None."""
    row = petitions.values_list("pk", "merged_into_id").first()
    for _step in range(MERGE_CHAIN_LIMIT):
        if row is None or row[1] is None:
            break
        row = Petition.objects.filter(pk=row[1]).values_list("pk", "merged_into_id").first()
    return row and row[0]


# The case page.


@dataclass
class Stage:
    label: str
    done: bool
    current: bool = False
    detail: str = ""


@dataclass
class CaseView:
    """What a worker sees: their own lines, the group's totals, the stages in plain words."""

    petition: Petition
    claims: list
    stages: list = field(default_factory=list)
    headline: str = ""
    next_steps: list = field(default_factory=list)
    workers: int = 0
    claimed_total: Decimal = Decimal("0")
    agreement: Agreement | None = None
    agreed_total: Decimal | None = None
    evidence: list = field(default_factory=list)


def _event(petition, name):
    return (
        CaseEvent.objects.filter(petition=petition, transition=name).order_by("-at", "-id").first()
    )


def _headline(petition, agreement):
    status = petition.status
    if status == Status.RECEIVED:
        return _("Your petition has been received. The union is deciding whether to accept it.")
    if status == Status.ACCEPTED:
        return _("Your petition has been accepted. A mediator will contact the parties.")
    if status == Status.REJECTED:
        event = _event(petition, "reject")
        reason = event.reason if event else ""
        return _("Your petition was not accepted. Reason: %(reason)s") % {"reason": reason}
    if status == Status.REFERRED_OUT:
        event = _event(petition, "refer_out")
        body = (event.data or {}).get("body", "") if event else ""
        return _("Your petition was passed to %(body)s, which handles it from now on.") % {
            "body": body
        }
    if status in (Status.IN_MEDIATION, Status.REOPENED):
        return _("Your case is in mediation between you and the employer.")
    if status == Status.AGREEMENT_REACHED:
        return _("An agreement was reached: the employer is to pay by %(date)s.") % {
            "date": agreement.due_date.isoformat() if agreement else "-"
        }
    if status == Status.FULFILLED:
        return _("The employer paid as agreed.")
    if status == Status.MEDIATION_FAILED:
        return _(
            "Mediation did not reach an agreement. You may apply for labor dispute arbitration "
            "within one year (Art. 27)."
        )
    if status == Status.BREACHED:
        return _("The employer did not pay as agreed. The union is taking it further.")
    if status == Status.REFERRED:
        event = _event(petition, "refer")
        body = (event.data or {}).get("body", "") if event else ""
        return _("Your case was referred to %(body)s to enforce your claim.") % {"body": body}
    return _("Your case is closed.")


# Each status's place on the road: received, accepted, in mediation, agreement, paid, closed.
_REACHED = {
    Status.RECEIVED: 0,
    Status.REJECTED: 0,
    Status.REFERRED_OUT: 0,
    Status.ACCEPTED: 1,
    Status.REOPENED: 1,
    Status.IN_MEDIATION: 2,
    Status.MEDIATION_FAILED: 2,
    Status.AGREEMENT_REACHED: 3,
    Status.BREACHED: 3,
    Status.REFERRED: 3,
    Status.FULFILLED: 4,
    Status.CLOSED: 5,
}


def _stages(petition, agreement, paid):
    labels = [
        _("Received"),
        _("Accepted"),
        _("In mediation"),
        _("Agreement"),
        _("Paid"),
        _("Closed"),
    ]
    at = _REACHED[petition.status]
    stages = [Stage(label, done=i < at, current=i == at) for i, label in enumerate(labels)]
    stages[0].detail = petition.received_at.date().isoformat()
    if agreement:
        stages[3].detail = _("to be paid by %(date)s") % {"date": agreement.due_date.isoformat()}
    if paid:
        stages[4].done = True
    if petition.status == Status.CLOSED:
        stages[5].done = True
    return stages


# Which clocks a worker is told about, in their words.
_NEXT = {
    DeadlineKind.ACCEPTANCE: gettext_lazy("The union decides on acceptance by"),
    DeadlineKind.MEDIATION: gettext_lazy("Mediation is to reach an agreement by"),
    DeadlineKind.PAYMENT: gettext_lazy("The employer is to pay by"),
    DeadlineKind.HANDLING: gettext_lazy("The case is to be handled by"),
}


def _next_steps(petition):
    steps = []
    for deadline in deadlines_of(petition):
        label = _NEXT.get(deadline.rule.kind)
        if deadline.is_open and label and deadline.due_at:
            steps.append(
                {
                    "label": label,
                    "due": deadline.due_at,
                    "provisional": deadline.provisional_year is not None,
                    "working_days": deadline.rule.unit == "working",
                }
            )
    return steps


def case_view(claim_ids):
    claims = list(
        Claim.objects.filter(pk__in=claim_ids)
        .select_related("petition__org_unit", "petition__zone", "petition__enterprise", "worker")
        .order_by("pk")
    )
    if not claims:
        return None
    petition = claims[0].petition
    agreement = petition.agreements.order_by("-recorded_at", "-id").first()
    agreed = {}
    if agreement:
        agreed = dict(
            AgreementLine.objects.filter(agreement=agreement).values_list("claim_id", "amount")
        )
    paid = dict(
        ReleaseLine.objects.filter(
            petition=petition,
            worker__in=[c.worker_id for c in claims],
            state=ReleaseLine.State.PAID,
        )
        .values("worker")
        .annotate(total=Sum("amount"))
        .values_list("worker", "total")
    )
    lines = [
        {
            "claim": claim,
            "masked_id": validators.mask_id_number(claim.worker.id_number),
            "agreed": agreed.get(claim.pk),
            "fund_paid": paid.get(claim.worker_id),
        }
        for claim in claims
    ]
    totals = petition.claims.aggregate(total=Sum("claimed_amount"))
    view = CaseView(
        petition=petition,
        claims=lines,
        headline=_headline(petition, agreement),
        stages=_stages(petition, agreement, petition.status == Status.FULFILLED),
        next_steps=_next_steps(petition),
        workers=petition.claims.count(),
        claimed_total=totals["total"] or Decimal("0"),
        agreement=agreement,
        agreed_total=sum(agreed.values()) if agreement else None,
        evidence=list(
            petition.evidence.filter(filed_by__in=[c.pk for c in claims]).values_list(
                "original_name", flat=True
            )
        ),
    )
    return view


# Filing.


def employers_matching(text, limit=10):
    """Enterprises a worker may mean: by credit code exactly, or by a part of the name."""
    text = normalize(text) if len(text.strip()) == 18 else text.strip()
    if len(text) < 2:
        return []
    query = Q(credit_code=text) | Q(name__icontains=text)
    return list(
        Enterprise.objects.filter(query).select_related("grid_area").order_by("name")[:limit]
    )


def employer_for(*, enterprise, name, credit_code, grid_area):
    """The enterprise a filing names: the one chosen, the registered one with that credit code,
    one already named online in that grid area under the same name, or a new one marked as
    named online for the clerks to check."""
    if enterprise is not None:
        return enterprise
    if credit_code:
        known = Enterprise.objects.filter(credit_code=credit_code).first()
        if known is not None:
            return known
    named = Enterprise.objects.filter(
        grid_area=grid_area, name=name, named_online=True, credit_code=credit_code
    ).first()
    return named or Enterprise.objects.create(
        name=name, credit_code=credit_code, grid_area=grid_area, named_online=True
    )


@dataclass
class Filed:
    """What the filer is told: the new case's number and their own query code, or that their
    filing joined an open case (whose number is not shown: the filer is not verified yet)."""

    petition: Petition | None = None
    claim: Claim | None = None
    linked: bool = False


@transaction.atomic
def file_petition(*, filer, coworkers, employer, description, kept_evidence, consent=False):
    """File a petition online; `filer` is the first worker row (the one who gets the query
    code). A worker already on an open case against the same employer joins that case.
    `consent`: the filer asked for their documents on their look-up page."""
    enterprise = employer_for(**employer)
    rows = [filer, *coworkers]
    try:
        petition = casework.file_online(
            enterprise=enterprise, description=description, workers=rows
        )
        filed = Filed(petition=petition)
    except RepeatPetition as repeat:
        petition = repeat.petition
        casework.link_online_filing(petition, description=description, workers=rows)
        filed = Filed(linked=True)
    filed.claim = petition.claims.get(worker__id_number=filer["id_number"])
    evidence.attach(petition, kept_evidence, filed_by=filed.claim)
    if consent:
        documents.give_consent(filed.claim, channel=DeliveryConsent.Channel.PORTAL)
    return filed
