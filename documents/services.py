"""Case documents: issued by a step, rendered and sealed after its commit, served on the workers.

- `issue_for_step` (called by the receivers, inside the step's transaction) writes the documents
  the step issues as PENDING rows, one per worker or one for all parties, and after the commit
  has them rendered: in a thread of this process in the one-person default, else by the timer
  loop (`timer_source`), which also renders whatever an earlier try left pending. A row is taken
  with a conditional update, so two renderers never seal the same document twice.
- Electronic delivery needs the worker's consent (`give_consent`); opening a document on the
  look-up page (`open_document`) is its delivery receipt. Without consent it is served on paper
  and staff record that (`record_paper_delivery`).
- `verify_upload` tells whether a PDF is a sealed original of ours.
"""

import logging
import queue
import threading
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.events import EventName
from casework.exceptions import Conflict
from casework.roles import INTAKE_ROLES, has_role_at
from casework.services import record_event
from lib import files

from . import render, seal
from .models import Delivery, DeliveryConsent, Document

logger = logging.getLogger(__name__)

Kind = Document.Kind

# What each petition step issues, and to whom: per worker (True) or one for all parties.
ON_STEP = {
    "accept": (Kind.ACCEPTANCE, True),
    "reject": (Kind.REFUSAL, True),
    "reach_agreement": (Kind.AGREEMENT, False),
    "fail_mediation": (Kind.TERMINATION, False),
    "close": (Kind.CLOSURE, False),
}
# The fund's approval form is issued when money is paid out: every signature is on it then.
ON_RELEASE_STEP = {"disburse": (Kind.FUND_APPROVAL, False)}

TITLES = {
    Kind.ACCEPTANCE: "受理通知书",
    Kind.REFUSAL: "不予受理通知书",
    Kind.AGREEMENT: "调解协议书",
    Kind.TERMINATION: "调解终止书",
    Kind.FUND_APPROVAL: "欠薪应急周转金审批表",
    Kind.CLOSURE: "结案通知书",
}
# How long a renderer holds a document before another may take it (the first one died).
LEASE = timedelta(minutes=5)


def _title(kind, claim, event):
    title = TITLES[kind]
    if kind == Kind.FUND_APPROVAL:
        title = f"{title}（第 {event.data.get('release')} 号）"
    if claim is not None:
        title = f"{title}（{claim.name}）"
    return title[: Document._meta.get_field("title").max_length]


def issue_for_step(petition, event, *, kind, per_worker):
    """Write the step's documents, pending, in the caller's transaction; they are rendered after
    the commit. Returns them."""
    claims = list(petition.claims.order_by("pk")) if per_worker else [None]
    documents = Document.objects.bulk_create(
        Document(
            petition=petition,
            event=event,
            kind=kind,
            claim=claim,
            title=_title(kind, claim, event),
            created_by=event.actor,
        )
        for claim in claims
    )
    ids = [document.pk for document in documents]
    transaction.on_commit(lambda: render_soon(ids))
    return documents


def render_soon(ids):
    """Render these documents soon in this process's documents thread, where background work
    runs in process (the one-person default); elsewhere the timer loop's workers take them."""
    if not settings.CASEWORK["TIMERS_IN_PROCESS"]:
        return
    _queue.put(list(ids))
    with _started:
        global _worker
        if _worker is None:
            _worker = threading.Thread(target=_work, name="documents", daemon=True)
            _worker.start()


# One thread per process renders what its steps issued, one document at a time: a step with
# 150 workers queues 150 notices and returns at once.
_queue = queue.SimpleQueue()
_started = threading.Lock()
_worker = None


def _work():
    while True:
        ids = _queue.get()
        try:
            render_ids(ids)
        except Exception:  # the timer loop renders what is left; the thread lives on
            logger.exception("documents: rendering failed; the timer loop will try again")
        finally:
            close_old_connections()


def _take(pk):
    """Hold a pending document for LEASE; False if another renderer holds it or it is done."""
    now = timezone.now()
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    held = Document.objects.filter(free, pk=pk, state=Document.State.PENDING).update(
        claimed_until=now + LEASE
    )
    return held == 1


def render_ids(ids):
    """Render and seal each of these documents that is still pending; the number sealed."""
    return sum(1 for pk in ids if _take(pk) and render_document(pk))


def render_document(pk):
    """Render, seal and store one held document; record its hash on the timeline. A failure is
    kept on the row (tried again up to DOCUMENT_RENDER_ATTEMPTS times, then shown as failed)."""
    document = Document.objects.select_related(
        "petition__org_unit", "petition__zone", "petition__enterprise", "event__actor", "claim"
    ).get(pk=pk)
    try:
        sealed = seal.seal(render.pdf_bytes(document))
    except Exception as err:  # a font, a certificate, a template: any of them is kept and shown
        logger.exception("document %s could not be rendered", pk)
        _failed(document, err)
        return False
    digest = files.sha256(sealed)
    with transaction.atomic():
        document.file.save(f"{document.petition.number}-{document.kind}.pdf", ContentFile(sealed))
        document.sha256, document.state = digest, Document.State.READY
        document.issued_at, document.claimed_until, document.error = timezone.now(), None, ""
        document.save(
            update_fields=["file", "sha256", "state", "issued_at", "claimed_until", "error"]
        )
        record_event(
            document.petition,
            EventName.DOCUMENT_SEALED,
            data={"document": document.title, "sha256": digest},
        )
    return True


def _failed(document, err):
    attempts = document.attempts + 1
    give_up = attempts >= settings.CASEWORK["DOCUMENT_RENDER_ATTEMPTS"]
    Document.objects.filter(pk=document.pk).update(
        attempts=attempts,
        error=f"{type(err).__name__}: {err}"[: Document._meta.get_field("error").max_length],
        state=Document.State.FAILED if give_up else Document.State.PENDING,
        claimed_until=None,
    )


def timer_source():
    """For the timer loop: render a batch of the documents still pending."""
    now = timezone.now()
    ids = list(
        Document.objects.filter(state=Document.State.PENDING)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[: settings.CASEWORK["DOCUMENT_RENDER_BATCH"]]
    )
    return render_ids(ids)


def _require_front_desk(actor, petition):
    if not has_role_at(actor, petition.org_unit, INTAKE_ROLES):
        raise PermissionDenied(_("You may not record deliveries on this petition."))


@transaction.atomic
def regenerate(document, *, actor):
    """Try again a document that could not be prepared."""
    _require_front_desk(actor, document.petition)
    changed = Document.objects.filter(pk=document.pk, state=Document.State.FAILED).update(
        state=Document.State.PENDING, attempts=0, error="", claimed_until=None
    )
    if not changed:
        raise Conflict(_("This document is not marked as failed; reload the page."))
    transaction.on_commit(lambda: render_soon([document.pk]))


# Consent and delivery.


def standing_consent(claim):
    return claim.consents.filter(withdrawn_at__isnull=True).first()


def has_consent(claim):
    return claim.consents.filter(withdrawn_at__isnull=True).exists()


def give_consent(claim, *, channel, actor=None):
    """Record the worker's consent to electronic delivery (once: a standing consent is returned
    as it is). `channel` is a DeliveryConsent.Channel; staff record it by phone or in person."""
    if channel not in DeliveryConsent.Channel.values:
        raise ValidationError({"channel": _("Choose how the consent was given.")})
    if actor is not None:
        _require_front_desk(actor, claim.petition)
    try:
        with transaction.atomic():
            consent = DeliveryConsent.objects.create(
                claim=claim, channel=channel, recorded_by=actor
            )
            record_event(
                claim.petition,
                EventName.DELIVERY_CONSENT,
                actor=actor,
                data={"worker": claim.name, "channel": channel},
            )
    except IntegrityError:  # already given, here or by a request at the same moment
        return standing_consent(claim)
    return consent


@transaction.atomic
def withdraw_consent(claim, *, actor=None):
    """End the worker's consent: documents from now on are served on paper."""
    if actor is not None:
        _require_front_desk(actor, claim.petition)
    ended = claim.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    if ended:
        record_event(
            claim.petition,
            EventName.DELIVERY_CONSENT_WITHDRAWN,
            actor=actor,
            data={"worker": claim.name},
        )
    return bool(ended)


class Served:
    """How one document stands with one worker."""

    OPENED = "opened"
    PAPER = "paper"
    ONLINE = "online"
    AWAITING_PAPER = "awaiting_paper"
    LABELS = {
        OPENED: gettext_lazy("Opened online"),
        PAPER: gettext_lazy("Delivered on paper"),
        ONLINE: gettext_lazy("On the look-up page, not opened yet"),
        AWAITING_PAPER: gettext_lazy("To be delivered on paper"),
    }


@dataclass
class Addressed:
    document: Document
    claim: object
    state: str
    delivery: Delivery | None

    @property
    def state_label(self):
        return Served.LABELS[self.state]

    @property
    def delivered(self):
        return self.delivery is not None


def _state(delivery, consented):
    if delivery is not None:
        return Served.OPENED if delivery.method == Delivery.Method.ELECTRONIC else Served.PAPER
    return Served.ONLINE if consented else Served.AWAITING_PAPER


def _served_to(claim):
    """The documents served on this worker: addressed to them or to all parties, never the
    fund's internal form."""
    return (
        Document.objects.filter(petition_id=claim.petition_id)
        .filter(Q(claim=claim) | Q(claim__isnull=True))
        .exclude(kind=Kind.FUND_APPROVAL)
    )


def documents_for(claim):
    """[Addressed] of the documents issued to this worker (or to all parties of their
    petition), oldest first, each with its delivery state."""
    documents = _served_to(claim).filter(state=Document.State.READY).order_by("issued_at", "pk")
    deliveries = {d.document_id: d for d in claim.deliveries.all()}
    consented = has_consent(claim)
    return [
        Addressed(d, claim, _state(deliveries.get(d.pk), consented), deliveries.get(d.pk))
        for d in documents
    ]


def open_document(claim, document):
    """The document's PDF bytes for the worker on their look-up page; the first opening is the
    delivery receipt, recorded on the timeline. Raises Document.DoesNotExist for a document not
    served on them, PermissionDenied without their consent to electronic delivery."""
    document = _served_to(claim).get(pk=document.pk, state=Document.State.READY)
    if not has_consent(claim):
        raise PermissionDenied(_("Consent to electronic delivery first."))
    with transaction.atomic():
        _delivery, first = Delivery.objects.get_or_create(
            document=document,
            claim=claim,
            defaults={"method": Delivery.Method.ELECTRONIC, "delivered_at": timezone.now()},
        )
        if first:
            record_event(
                document.petition,
                EventName.DOCUMENT_OPENED,
                data={"document": document.title, "worker": claim.name},
            )
    with document.file.open("rb") as handle:
        return handle.read()


@transaction.atomic
def record_paper_delivery(document, claim, *, actor, delivered_on, how):
    """Staff record that the document was handed or posted to the worker."""
    _require_front_desk(actor, document.petition)
    if not _served_to(claim).filter(pk=document.pk, state=Document.State.READY).exists():
        raise ValidationError({"document": _("This document is not served on this worker.")})
    if delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": _("The date cannot be in the future.")})
    delivered_at = timezone.make_aware(datetime.combine(delivered_on, time.min))
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                document=document,
                claim=claim,
                method=Delivery.Method.PAPER,
                delivered_at=delivered_at,
                how=how.strip(),
                recorded_by=actor,
            )
    except IntegrityError:
        raise Conflict(_("This document was already delivered to this worker.")) from None
    record_event(
        document.petition,
        EventName.DOCUMENT_PAPER_DELIVERY,
        actor=actor,
        data={
            "document": document.title,
            "worker": claim.name,
            "delivered_on": delivered_on.isoformat(),
            "how": delivery.how,
        },
    )
    return delivery


def petition_documents(petition):
    """The petition's documents for its staff card: each with, per worker it is served on,
    how it stands."""
    claims = list(petition.claims.order_by("pk"))
    by_pk = {claim.pk: claim for claim in claims}  # one query for all, not one per notice
    consented = set(
        DeliveryConsent.objects.filter(
            claim__petition=petition, withdrawn_at__isnull=True
        ).values_list("claim_id", flat=True)
    )
    deliveries = {
        (d.document_id, d.claim_id): d for d in Delivery.objects.filter(claim__petition=petition)
    }
    rows = []
    for document in petition.documents.order_by("created_at", "pk"):
        if document.is_internal:
            addressees = []
        else:
            addressees = [by_pk.get(document.claim_id)] if document.claim_id else claims
        served = [
            Addressed(
                document,
                claim,
                _state(deliveries.get((document.pk, claim.pk)), claim.pk in consented),
                deliveries.get((document.pk, claim.pk)),
            )
            for claim in addressees
            if claim is not None
        ]
        rows.append((document, served))
    return rows


# Verification of an uploaded PDF.


@dataclass(frozen=True)
class Verification:
    original: bool
    document: Document | None = None
    reason: str = ""


def verify_upload(data):
    """Whether `data` is a sealed original issued here: our seal, unbroken over the whole file,
    and the file's hash that of a document we stored."""
    verdict = seal.verify(data)
    if not verdict.sealed:
        return Verification(False, reason=_("This file does not carry our seal."))
    if not verdict.intact:
        return Verification(
            False, reason=_("The seal is broken: the file was changed after it was sealed.")
        )
    document = (
        Document.objects.filter(sha256=files.sha256(data), state=Document.State.READY)
        .select_related("petition")
        .first()
    )
    if document is None:
        return Verification(False, reason=_("No document we issued has exactly this content."))
    return Verification(True, document=document)
