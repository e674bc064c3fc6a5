"""Signing a mediation agreement, and asking the court to confirm it.

A `SigningSession` collects the signatures on one agreement as issued (the sealed 调解协议书 and
its SHA-256): each worker on it, the employer's representative and the mediator is a `Signer`
with a one-time code, kept only as a keyed hash. A `Signature` (one per signer: a database
constraint) keeps the drawn image, the time, how the code was checked and the hash of the
document signed. When every signer has signed, the session is SIGNED and the final PDF is made
(a `documents.Document` of kind SIGNED_AGREEMENT, sealed).

A `JudicialConfirmation` is the application for judicial confirmation (司法确认) prepared from a
signed session, and the court's ruling on it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import Agreement, Claim, Petition
from documents.models import Document
from lib import files


class SigningSession(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Open for signatures")
        SIGNED = "signed", _("Signed by every party")
        CANCELLED = "cancelled", _("Cancelled")

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="+"
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="signing_sessions",
    )
    # The agreement as issued, and the hash every signature is checked against.
    document = models.ForeignKey(
        Document, verbose_name=_("document signed"), on_delete=models.PROTECT, related_name="+"
    )
    document_sha256 = models.CharField(_("SHA-256 of the document signed"), max_length=64)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    # Signed: when the last signature came, the moment the agreement takes effect.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    signed_document = models.ForeignKey(
        Document,
        verbose_name=_("signed agreement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Why the signed PDF could not be made yet (the timer loop tries again).
    error = models.CharField(_("why the signed PDF is missing"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("signing session")
        verbose_name_plural = _("signing sessions")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement"], condition=Q(state="open"), name="one_open_signing"
            ),
            models.UniqueConstraint(
                fields=["agreement"], condition=Q(state="signed"), name="signed_once"
            ),
        ]
        indexes = [
            # The timer loop's look for signed sessions whose PDF is still missing.
            models.Index(
                fields=["closed_at"],
                condition=Q(state="signed", signed_document__isnull=True),
                name="signing_pdf_missing",
            ),
        ]

    def __str__(self):
        return f"{self.petition} · {self.get_state_display()}"

    @property
    def is_open(self):
        return self.state == self.State.OPEN

    @property
    def effective_on(self):
        """The day the agreement took effect: the day of its last signature."""
        if self.state != self.State.SIGNED:
            return None
        return timezone.localdate(self.closed_at)


class Signer(models.Model):
    class Role(models.TextChoices):
        WORKER = "worker", _("Worker")
        EMPLOYER = "employer", _("Employer's representative")
        MEDIATOR = "mediator", _("Mediator")

    session = models.ForeignKey(
        SigningSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="signers"
    )
    role = models.CharField(_("signs as"), max_length=10, choices=Role.choices)
    name = models.CharField(_("name"), max_length=100)
    claim = models.ForeignKey(
        Claim, verbose_name=_("worker"), null=True, blank=True, on_delete=models.PROTECT
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mediator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The current one-time code: a keyed hash, its time limit and the wrong tries at it.
    code_hash = models.CharField(_("code hash"), max_length=64, blank=True)
    code_issued_at = models.DateTimeField(_("code issued at"), null=True, blank=True)
    code_expires_at = models.DateTimeField(_("code valid until"), null=True, blank=True)
    code_failures = models.PositiveSmallIntegerField(_("wrong tries"), default=0)

    class Meta:
        verbose_name = _("signer")
        verbose_name_plural = _("signers")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "claim"],
                condition=Q(claim__isnull=False),
                name="one_signer_per_worker",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class Signature(models.Model):
    class Device(models.TextChoices):
        OWN_PHONE = "own_phone", _("On the worker's own look-up page")
        STAFF_DEVICE = "staff_device", _("On the mediator's device")

    signer = models.OneToOneField(
        Signer, verbose_name=_("signer"), on_delete=models.CASCADE, related_name="signature"
    )
    signed_at = models.DateTimeField(_("signed at"))
    image = models.FileField(_("drawn signature"), storage=files.private, upload_to="signatures/")
    image_sha256 = models.CharField(_("SHA-256 of the drawing"), max_length=64)
    document_sha256 = models.CharField(_("SHA-256 of the document signed"), max_length=64)
    # The code check: when the code used was issued, and the wrong tries before it.
    code_issued_at = models.DateTimeField(_("code issued at"))
    code_failures = models.PositiveSmallIntegerField(_("wrong tries before"), default=0)
    device = models.CharField(_("where signed"), max_length=20, choices=Device.choices)
    # The staff member signed in on the device, when it was theirs.
    device_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("device signed in as"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at", "id"]

    def __str__(self):
        return f"{self.signer} · {self.signed_at:%Y-%m-%d %H:%M}"


class JudicialConfirmation(models.Model):
    class Ruling(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed: the agreement can be enforced")
        NOT_CONFIRMED = "not_confirmed", _("Not confirmed")

    session = models.OneToOneField(
        SigningSession,
        verbose_name=_("signed agreement"),
        on_delete=models.PROTECT,
        related_name="confirmation",
    )
    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="+"
    )
    court = models.CharField(_("court"), max_length=200)
    application = models.ForeignKey(
        Document, verbose_name=_("application packet"), on_delete=models.PROTECT, related_name="+"
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    prepared_at = models.DateTimeField(_("prepared at"))
    ruling = models.CharField(_("ruling"), max_length=20, choices=Ruling.choices, blank=True)
    ruling_number = models.CharField(_("ruling number"), max_length=100, blank=True)
    ruled_on = models.DateField(_("ruled on"), null=True, blank=True)
    ruling_note = models.TextField(_("note"), blank=True)
    ruling_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ruling recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ruling_recorded_at = models.DateTimeField(_("ruling recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("judicial confirmation")
        verbose_name_plural = _("judicial confirmations")
        ordering = ["-prepared_at", "-id"]

    def __str__(self):
        return f"{self.petition} · {self.court}"

    @property
    def confirmed(self):
        return self.ruling == self.Ruling.CONFIRMED
