"""The case documents a petition's steps issue (notices, the mediation agreement, the fund's
approval form), each a sealed PDF in the private folder; the workers' consent to receive them
electronically, and each document's delivery to each worker (opened online, or on paper).

A document row is written with the step, in its transaction, waiting (`PENDING`); its PDF is
rendered and sealed after the commit (`documents.services`), so no step waits for it and none is
lost: whatever is still pending is rendered by the timer loop.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import CaseEvent, Claim, Petition
from lib import files


class Document(models.Model):
    class Kind(models.TextChoices):
        ACCEPTANCE = "acceptance", _("Acceptance notice")
        REFUSAL = "refusal", _("Refusal notice")
        AGREEMENT = "agreement", _("Mediation agreement")
        TERMINATION = "termination", _("Mediation termination notice")
        FUND_APPROVAL = "fund_approval", _("Emergency-fund approval form")
        CLOSURE = "closure", _("Closure notice")
        # Made by the agreements app, rendered and sealed there (never pending here).
        SIGNED_AGREEMENT = "signed_agreement", _("Signed mediation agreement")
        JUDICIAL_APPLICATION = "judicial_application", _("Application for judicial confirmation")

    class State(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Issued")
        FAILED = "failed", _("Could not be prepared")

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="documents"
    )
    # The step that issued it: its time, actor, reason and data are what the document says.
    event = models.ForeignKey(
        CaseEvent, verbose_name=_("issued by the step"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    claim = models.ForeignKey(
        Claim,
        verbose_name=_("addressed to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        help_text=_("Empty: a document for all parties."),
    )
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    file = models.FileField(
        _("file"), storage=files.private, upload_to="documents/%Y/%m/", blank=True
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("why it failed"), max_length=200, blank=True)
    # A renderer holds the row until then; past it, another may take it (the first one died).
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("sealed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["created_at", "id"]
        indexes = [
            # The timer loop's look for work: only the few rows not yet rendered.
            models.Index(
                fields=["created_at"], condition=Q(state="pending"), name="document_pending"
            ),
        ]
        constraints = [
            # A step issues each document once, per worker or for all parties.
            models.UniqueConstraint(
                fields=["event", "kind", "claim"],
                condition=Q(claim__isnull=False),
                name="one_document_per_step_and_worker",
            ),
            models.UniqueConstraint(
                fields=["event", "kind"],
                condition=Q(claim__isnull=True),
                name="one_document_per_step_for_all",
            ),
        ]

    def __str__(self):
        return f"{self.petition} · {self.title}"

    @property
    def is_internal(self):
        """The fund's approval form is the federation's own record, not served on workers."""
        return self.kind == self.Kind.FUND_APPROVAL


class DeliveryConsent(models.Model):
    """A worker's consent to be served documents electronically (on their look-up page), with
    when and how it was given; withdrawing it keeps the row (the history) and ends it."""

    class Channel(models.TextChoices):
        PORTAL = "portal", _("On the look-up page")
        INTAKE = "intake", _("At intake")
        PHONE = "phone", _("By phone")
        IN_PERSON = "in_person", _("In person")

    claim = models.ForeignKey(
        Claim, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="consents"
    )
    channel = models.CharField(_("given"), max_length=20, choices=Channel.choices)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent to electronic delivery")
        verbose_name_plural = _("consents to electronic delivery")
        ordering = ["given_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_standing_consent_per_claim",
            )
        ]

    def __str__(self):
        return f"{self.claim.name} · {self.get_channel_display()}"


class Delivery(models.Model):
    """A document served on one worker: opened on the look-up page (the receipt is the first
    opening) or handed over on paper, as staff record it."""

    class Method(models.TextChoices):
        ELECTRONIC = "electronic", _("Opened online")
        PAPER = "paper", _("On paper")

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="deliveries"
    )
    claim = models.ForeignKey(
        Claim, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="deliveries"
    )
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    delivered_at = models.DateTimeField(_("delivered at"))
    how = models.CharField(_("how"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["delivered_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "claim"], name="one_delivery_per_worker")
        ]

    def __str__(self):
        return f"{self.document} → {self.claim.name}"
