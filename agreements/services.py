"""Signing a mediation agreement and applying for its judicial confirmation.

- `open_signing`: the mediator opens a session on the agreement as issued; the codes of the
  employer's representative and the mediator are returned once, for the mediator's screen (in
  production the representative's goes by SMS). A worker's code is issued on their look-up page
  (`worker_code`): each showing replaces the last.
- `sign`: a drawn signature and the signer's code. The session row is locked, so two signers at
  once both count and the last one closes the session; a signature after it closed is a Conflict.
  The last signature makes the final PDF (`finish`); if that fails it stays recorded and the
  timer loop tries again (`finish_pending`).
- `prepare_application` and `record_ruling`: the application for judicial confirmation within
  JUDICIAL_CONFIRMATION_DAYS of the agreement taking effect (People's Mediation Law Art. 33),
  and the court's ruling.
"""

import datetime
import hmac
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from casework.events import EventName
from casework.exceptions import Conflict, TransitionRefused
from casework.models import Status
from casework.roles import MEDIATION_ROLES, has_role_at
from casework.services import record_event
from documents import seal
from documents.models import Document
from documents.render import person
from lib import files

from . import render
from .models import JudicialConfirmation, Signature, Signer, SigningSession

logger = logging.getLogger(__name__)

CODE_DIGITS = 6
TITLES = {
    Document.Kind.SIGNED_AGREEMENT: "调解协议书（各方签署）",
    Document.Kind.JUDICIAL_APPLICATION: "司法确认申请材料",
}


def may_run(user, petition):
    """The petition's mediators (and supervisors) run its signing and its confirmation."""
    return has_role_at(user, petition.org_unit, MEDIATION_ROLES)


def _require_runner(user, petition):
    if not may_run(user, petition):
        raise PermissionDenied(_("Only the petition's mediator may."))


def _locked(session):
    return SigningSession.objects.select_for_update().select_related("petition").get(pk=session.pk)


# Codes.


def code_hash(signer_id, code):
    """A code's stored form: keyed with SECRET_KEY, so the table alone gives no way to try the
    million codes; salted with the signer, so equal codes hash apart."""
    return salted_hmac(f"signing:{signer_id}", code, algorithm="sha256").hexdigest()


def _issue(signer, now=None):
    """A new code for the signer (the old one stops working); returned this once."""
    now = now or timezone.now()
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    signer.code_hash = code_hash(signer.pk, code)
    signer.code_issued_at = now
    signer.code_expires_at = now + datetime.timedelta(
        minutes=settings.CASEWORK["SIGNING_CODE_MINUTES"]
    )
    signer.code_failures = 0
    signer.save(update_fields=["code_hash", "code_issued_at", "code_expires_at", "code_failures"])
    return code


def _code_refusal(signer, code, now):
    """Why the code does not let this signer sign now (counting a wrong try), or None."""
    if not signer.code_hash:
        return _("Get a signing code first.")
    if signer.code_expires_at <= now:
        return _("This code has expired. Get a new one.")
    if signer.code_failures >= settings.CASEWORK["SIGNING_CODE_TRIES"]:
        return _("Too many wrong tries with this code. Get a new one.")
    if not hmac.compare_digest(signer.code_hash, code_hash(signer.pk, code)):
        signer.code_failures += 1
        signer.save(update_fields=["code_failures"])
        return _("This code is not right.")
    return None


# Opening, signing, finishing.


def agreement_document(petition):
    """The issued 调解协议书 of the petition's latest agreement, or None while it is prepared."""
    return (
        Document.objects.filter(
            petition=petition, kind=Document.Kind.AGREEMENT, state=Document.State.READY
        )
        .order_by("-created_at", "-pk")
        .first()
    )


@transaction.atomic
def open_signing(petition, *, actor, representative):
    """Open the signing of the petition's agreement: (session, [(signer, code)]) with the codes
    of the employer's representative and the mediator, shown to the mediator this once."""
    _require_runner(actor, petition)
    representative = (representative or "").strip()
    if not representative:
        raise ValidationError({"representative": _("Type the representative's name.")})
    petition = type(petition).objects.select_for_update().get(pk=petition.pk)
    if petition.status != Status.AGREEMENT_REACHED:
        raise TransitionRefused(_("Only an agreement just reached is signed."))
    agreement = petition.agreements.order_by("recorded_at", "pk").last()
    document = agreement_document(petition)
    if document is None or document.created_at < agreement.recorded_at:
        raise TransitionRefused(_("The agreement is still being prepared; try again shortly."))
    if agreement.signing_sessions.filter(state=SigningSession.State.SIGNED).exists():
        raise TransitionRefused(_("This agreement is already signed."))
    try:
        with transaction.atomic():
            session = SigningSession.objects.create(
                petition=petition,
                agreement=agreement,
                document=document,
                document_sha256=document.sha256,
                opened_by=actor,
            )
    except IntegrityError as err:
        raise Conflict(_("The signing of this agreement is already open.")) from err
    lines = agreement.lines.select_related("claim").order_by("claim_id")
    Signer.objects.bulk_create(
        Signer(session=session, role=Signer.Role.WORKER, name=line.claim.name, claim=line.claim)
        for line in lines
    )
    handed = [
        Signer.objects.create(session=session, role=Signer.Role.EMPLOYER, name=representative),
        Signer.objects.create(
            session=session,
            role=Signer.Role.MEDIATOR,
            name=person(actor),
            user=actor,
        ),
    ]
    record_event(
        petition,
        EventName.SIGNING_OPENED,
        actor=actor,
        data={
            "document": document.title,
            "sha256": document.sha256,
            "signers": len(lines) + len(handed),
        },
    )
    return session, [(signer, _issue(signer)) for signer in handed]


@transaction.atomic
def reissue_code(signer, *, actor):
    """A new code for the employer's representative or the mediator, for the mediator's
    screen; a worker gets theirs on their look-up page."""
    session = _locked(signer.session)
    _require_runner(actor, session.petition)
    if not session.is_open:
        raise Conflict(_("The signing of this agreement is closed."))
    signer = Signer.objects.get(pk=signer.pk)
    if signer.role == Signer.Role.WORKER:
        raise TransitionRefused(_("A worker sees their code on their own look-up page."))
    if Signature.objects.filter(signer=signer).exists():
        raise TransitionRefused(_("This person has already signed."))
    return _issue(signer)


def signer_of(claim):
    """The worker's place in the latest signing of their agreements, signed or not, or None."""
    return (
        Signer.objects.filter(claim=claim)
        .select_related("session__agreement", "session__petition__enterprise")
        .order_by("-session__opened_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class WorkerSigning:
    """What a worker's look-up page says of their agreement's signing and confirmation."""

    signer: Signer | None = None
    code: str = ""
    signed: object = None  # their Signature, once they signed
    session: SigningSession | None = None
    confirmation: JudicialConfirmation | None = None


@transaction.atomic
def worker_signing(claim):
    """For the worker's look-up page, or None when there is nothing to say. While their
    signature is awaited, a fresh code, shown there: each showing replaces the last."""
    signer = signer_of(claim)
    if signer is None:
        return None
    session = signer.session
    signed = Signature.objects.filter(signer=signer).first()
    if session.state == SigningSession.State.CANCELLED:
        return None
    if session.is_open and signed is None:
        signer = Signer.objects.select_for_update().get(pk=signer.pk)
        return WorkerSigning(signer=signer, code=_issue(signer), session=session)
    return WorkerSigning(
        signer=signer, signed=signed, session=session, confirmation=confirmation_of(session)
    )


@dataclass(frozen=True)
class Drawing:
    """A drawn signature, checked: PNG bytes."""

    png: bytes


@transaction.atomic
def _sign(signer, *, code, drawing, device, device_user):
    session = _locked(signer.session)
    if not session.is_open:
        raise Conflict(_("The signing of this agreement is closed; this signature was not kept."))
    signer = Signer.objects.select_for_update().get(pk=signer.pk)
    if Signature.objects.filter(signer=signer).exists():
        raise Conflict(_("This person has already signed."))
    now = timezone.now()
    refused = _code_refusal(signer, code, now)
    if refused is not None:
        return refused
    signature = Signature(
        signer=signer,
        signed_at=now,
        image_sha256=files.sha256(drawing.png),
        document_sha256=session.document_sha256,
        code_issued_at=signer.code_issued_at,
        code_failures=signer.code_failures,
        device=device,
        device_user=device_user,
    )
    signature.image.save(f"{session.pk}-{signer.pk}.png", ContentFile(drawing.png), save=False)
    signature.save()
    # One use: the code is spent with the signature.
    signer.code_hash, signer.code_expires_at = "", None
    signer.save(update_fields=["code_hash", "code_expires_at"])
    record_event(
        session.petition,
        EventName.AGREEMENT_SIGNATURE,
        actor=device_user,
        data={
            "signer": signer.name,
            "role": signer.role,
            "sha256": session.document_sha256,
        },
    )
    if not session.signers.filter(signature__isnull=True).exists():
        session.state, session.closed_at = SigningSession.State.SIGNED, now
        session.save(update_fields=["state", "closed_at"])
        finish(session)
    return None


def sign(signer, *, code, drawing, device, device_user=None):
    """Record the signer's signature. A wrong, expired or spent code is a ValidationError on
    `code` (a wrong try is counted even so); a closed session or a second signature a Conflict."""
    refused = _sign(signer, code=code, drawing=drawing, device=device, device_user=device_user)
    if refused is not None:
        raise ValidationError({"code": refused})


@transaction.atomic
def cancel_signing(session, *, actor, reason):
    """End an open session without a signed agreement (the agreement must be signed again)."""
    session = _locked(session)
    _require_runner(actor, session.petition)
    if not session.is_open:
        raise Conflict(_("The signing of this agreement is closed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the signing is cancelled.")})
    session.state, session.closed_at = SigningSession.State.CANCELLED, timezone.now()
    session.save(update_fields=["state", "closed_at"])
    record_event(session.petition, EventName.SIGNING_CANCELLED, actor=actor, reason=reason.strip())


def _store(petition, kind, pdf, event_name, *, actor, data, reason=""):
    """Seal the PDF and keep it as a ready Document, its hash on the timeline with `event_name`.
    Raises SealMissing."""
    sealed = seal.seal(pdf)
    digest = files.sha256(sealed)
    title = TITLES[kind]
    event = record_event(
        petition,
        event_name,
        actor=actor,
        reason=reason,
        data={**data, "document": title, "sha256": digest},
    )
    document = Document(
        petition=petition,
        event=event,
        kind=kind,
        title=title,
        state=Document.State.READY,
        sha256=digest,
        created_by=actor,
        issued_at=timezone.now(),
    )
    document.file.save(f"{petition.number}-{kind}.pdf", ContentFile(sealed), save=False)
    document.save()
    return document


def finish(session):
    """Make, seal and keep the signed agreement of a signed session (in the caller's
    transaction, the session locked). A failure is kept on the session for the timer loop."""
    try:
        with transaction.atomic():
            session.signed_document = _store(
                session.petition,
                Document.Kind.SIGNED_AGREEMENT,
                render.signed_agreement_pdf(session),
                EventName.AGREEMENT_SIGNED,
                actor=None,
                data={"signers": session.signers.count()},
            )
    except Exception as err:  # a font or a certificate: the signatures stand, the PDF waits
        logger.exception("signed agreement of session %s could not be made", session.pk)
        session.error = f"{type(err).__name__}: {err}"[
            : SigningSession._meta.get_field("error").max_length
        ]
        session.save(update_fields=["error"])
        return False
    session.error = ""
    session.save(update_fields=["signed_document", "error"])
    return True


def finish_pending():
    """For the timer loop: make the signed PDFs that failed before; the number made."""
    made = 0
    waiting = SigningSession.objects.filter(
        state=SigningSession.State.SIGNED, signed_document__isnull=True
    ).values_list("pk", flat=True)
    for pk in list(waiting[:20]):
        with transaction.atomic():
            session = _locked(SigningSession(pk=pk))
            if session.signed_document_id is None:
                made += finish(session)
    return made


# Judicial confirmation.


@dataclass(frozen=True)
class Window:
    """The days in which the parties may apply for judicial confirmation."""

    effective_on: datetime.date
    last_day: datetime.date
    days_left: int

    @property
    def lapsed(self):
        return self.days_left < 0

    @property
    def near(self):
        return 0 <= self.days_left <= settings.CASEWORK["JUDICIAL_CONFIRMATION_WARN_DAYS"]


def window(session):
    """The application window of a signed session, from the day the agreement took effect."""
    effective_on = session.effective_on
    if effective_on is None:
        return None
    last_day = effective_on + datetime.timedelta(
        days=settings.CASEWORK["JUDICIAL_CONFIRMATION_DAYS"]
    )
    return Window(effective_on, last_day, (last_day - timezone.localdate()).days)


@transaction.atomic
def prepare_application(session, *, actor, court):
    """Prepare the application packet for the court (application form, the signed agreement,
    the parties' identity documents list) as one sealed PDF. Again before a ruling replaces it
    (a corrected court); after the window it is refused with the reason."""
    session = _locked(session)
    _require_runner(actor, session.petition)
    court = (court or "").strip()
    if not court:
        raise ValidationError({"court": _("Name the court.")})
    if session.state != SigningSession.State.SIGNED or session.signed_document_id is None:
        raise TransitionRefused(_("Only an agreement signed by every party can be confirmed."))
    span = window(session)
    if span.lapsed:
        raise TransitionRefused(
            _(
                "The parties could apply for judicial confirmation until %(day)s, within "
                "%(days)d days of the agreement taking effect (People's Mediation Law Art. 33)."
            )
            % {
                "day": span.last_day.isoformat(),
                "days": settings.CASEWORK["JUDICIAL_CONFIRMATION_DAYS"],
            }
        )
    confirmation = JudicialConfirmation.objects.filter(session=session).first()
    if confirmation is not None and confirmation.ruling:
        raise Conflict(_("The court's ruling is already recorded."))
    now = timezone.now()
    confirmation = confirmation or JudicialConfirmation(session=session, petition=session.petition)
    confirmation.court, confirmation.prepared_by, confirmation.prepared_at = court, actor, now
    confirmation.application = _store(
        session.petition,
        Document.Kind.JUDICIAL_APPLICATION,
        render.application_pdf(confirmation),
        EventName.JUDICIAL_APPLICATION,
        actor=actor,
        data={"court": court, "last_day": span.last_day.isoformat()},
    )
    confirmation.save()
    return confirmation


@transaction.atomic
def record_ruling(confirmation, *, actor, ruling, number, ruled_on, note=""):
    """Record the court's ruling, once."""
    session = _locked(confirmation.session)
    _require_runner(actor, session.petition)
    confirmation = JudicialConfirmation.objects.get(pk=confirmation.pk)
    if confirmation.ruling:
        raise Conflict(_("The court's ruling is already recorded."))
    if ruling not in JudicialConfirmation.Ruling.values:
        raise ValidationError({"ruling": _("Choose the court's ruling.")})
    if not (number or "").strip():
        raise ValidationError({"number": _("Type the ruling's number.")})
    if not timezone.localdate(confirmation.prepared_at) <= ruled_on <= timezone.localdate():
        raise ValidationError({"ruled_on": _("A day between the application and today.")})
    confirmation.ruling, confirmation.ruling_number = ruling, number.strip()
    confirmation.ruled_on, confirmation.ruling_note = ruled_on, (note or "").strip()
    confirmation.ruling_recorded_by, confirmation.ruling_recorded_at = actor, timezone.now()
    confirmation.save()
    record_event(
        session.petition,
        EventName.JUDICIAL_RULING,
        actor=actor,
        reason=confirmation.ruling_note,
        data={
            "court": confirmation.court,
            "ruling": ruling,
            "ruling_number": confirmation.ruling_number,
            "ruled_on": ruled_on.isoformat(),
        },
    )
    return confirmation


# What the pages show.


def latest_session(petition):
    return (
        SigningSession.objects.filter(petition=petition)
        .select_related("signed_document")
        .order_by("-opened_at", "-pk")
        .first()
    )


def signed_session(claim):
    """The signed session of the worker's latest agreement, or None."""
    return (
        SigningSession.objects.filter(state=SigningSession.State.SIGNED, signers__claim=claim)
        .order_by("-closed_at")
        .first()
    )


def confirmation_of(session):
    return JudicialConfirmation.objects.filter(session=session).first() if session else None
