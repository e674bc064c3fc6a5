"""The case records: the org tree (federation -> zone union -> grid area) and who holds which role
in it, enterprises and workers, the petition with its status life cycle (django-fsm transitions,
each checked for role and condition), its claims, mediation sessions, agreements and closure,
the append-only `CaseEvent` history, the per-zone petition numbers and the API's stored
Idempotency-Key answers.

The steps themselves are taken in `casework.services`; the tasks, deadlines and fund built on a
petition live in the apps above (workflows, fund, escalation).
"""

import secrets
import threading
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from lib import files, validators

from . import hooks
from .events import EventName
from .exceptions import AppendOnlyError
from .roles import INTAKE_ROLES, MEDIATION_ROLES, SUPERVISOR_ROLES, Role, has_role_at


class OrgUnit(models.Model):
    """A node of the federation -> zone union -> grid area tree.

    `path` holds the ids from the root ("000001/000004/000019/"), so a whole subtree is one
    `path__startswith` query and a unit's ancestors are read off its own path.
    """

    class Kind(models.TextChoices):
        FEDERATION = "federation", _("Federation of trade unions")
        ZONE = "zone", _("Zone union")
        GRID = "grid", _("Grid area")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(
        _("case number prefix"),
        max_length=8,
        blank=True,
        help_text=_("Zone unions only: the prefix of their petition numbers, e.g. JS."),
    )
    path = models.CharField(_("path"), max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("organization unit")
        verbose_name_plural = _("organization units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(kind="zone"),
                name="unique_zone_code",
            ),
        ]

    def __str__(self):
        return self.name

    @transaction.atomic
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        old_path = self.path
        new_path = (self.parent.path if self.parent_id else "") + f"{self.pk:06d}/"
        if new_path != old_path:
            # Moving a unit moves its whole subtree: one UPDATE rewrites every path under it.
            subtree = Q(pk=self.pk) | Q(path__startswith=old_path) if old_path else Q(pk=self.pk)
            OrgUnit.objects.filter(subtree).update(
                path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
            )
            self.path = new_path

    def clean(self):
        if self.kind == self.Kind.ZONE and not self.code:
            raise ValidationError({"code": _("A zone union needs a case number prefix.")})
        if self.parent_id and self.path and self.parent.path.startswith(self.path):
            raise ValidationError({"parent": _("A unit cannot be placed under itself.")})

    @property
    def ancestor_paths(self):
        """This unit's path and those of all its ancestors, without a query."""
        parts = self.path.split("/")[:-1]
        return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]

    def ancestor_ids(self):
        return [int(part) for part in self.path.split("/")[:-1]]

    def subtree(self):
        return OrgUnit.objects.filter(path__startswith=self.path)

    def zone(self):
        """The zone union this unit belongs to (itself if it is one)."""
        if self.kind == self.Kind.ZONE:
            return self
        return OrgUnit.objects.filter(pk__in=self.ancestor_ids(), kind=self.Kind.ZONE).first()


class Membership(models.Model):
    """A user holds a role at an org unit and acts only inside that unit's subtree; an enterprise
    union's reach is narrower: the one enterprise it names, in that unit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("organization unit"), on_delete=models.CASCADE
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    enterprise = models.ForeignKey(
        "Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="union_memberships",
        help_text=_("Enterprise unions only: the enterprise whose union this is."),
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "org_unit", "role"], name="unique_membership"),
            models.CheckConstraint(
                condition=Q(enterprise__isnull=True) | Q(role="enterprise_union"),
                name="enterprise_only_for_enterprise_unions",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} @ {self.org_unit}"

    def clean(self):
        if self.role != Role.ENTERPRISE_UNION:
            if self.enterprise_id:
                raise ValidationError({"enterprise": _("Only an enterprise union names one.")})
        elif self.enterprise_id is None:
            raise ValidationError({"enterprise": _("Name the enterprise whose union this is.")})
        elif self.enterprise.grid_area_id != self.org_unit_id:
            raise ValidationError({"enterprise": _("The enterprise must lie in this grid area.")})


class Enterprise(models.Model):
    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validators.validate_credit_code],
        help_text=_("Blank only for an employer a worker named online without it."),
    )
    grid_area = models.ForeignKey(
        OrgUnit,
        verbose_name=_("grid area"),
        on_delete=models.PROTECT,
        limit_choices_to={"kind": OrgUnit.Kind.GRID},
        related_name="enterprises",
    )
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), default=0)
    has_union = models.BooleanField(_("has a trade union"), default=False)
    named_online = models.BooleanField(
        _("named by a worker online"),
        default=False,
        help_text=_("Not in the register yet: check its name and credit code."),
    )

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="unique_credit_code"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.credit_code = validators.normalize_code(self.credit_code)


class Worker(models.Model):
    """A person, known only by the ID number: what links their petitions (repeats) and their
    fund payments. What a petition says about them (name, phone, non-local) is on its Claim."""

    id_number = models.CharField(
        _("resident ID number"),
        max_length=18,
        unique=True,
        validators=[validators.validate_id_number],
    )

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["id"]

    def __str__(self):
        return self.masked_id_number

    @property
    def masked_id_number(self):
        return validators.mask_id_number(self.id_number)


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    REFERRED_OUT = "referred_out", _("Referred to another body")
    IN_MEDIATION = "in_mediation", _("In mediation")
    AGREEMENT_REACHED = "agreement_reached", _("Agreement reached")
    MEDIATION_FAILED = "mediation_failed", _("Mediation failed")
    FULFILLED = "fulfilled", _("Agreement fulfilled")
    BREACHED = "breached", _("Agreement breached")
    REFERRED = "referred", _("Referred for enforcement")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


# A petition in one of these states no longer blocks a new one for the same worker and employer.
FINISHED_STATUSES = (Status.CLOSED, Status.REJECTED, Status.REFERRED_OUT)


def _held_by(*roles):
    """Transition permission: the user holds one of `roles` at the petition's unit or above."""

    def check(petition, user):
        return has_role_at(user, petition.org_unit, roles)

    check.roles = frozenset(roles)  # read by the workflow to scope its queues

    return check


def _condition(message):
    """Mark a transition condition with the message a refused user reads."""

    def decorate(func):
        func.message = message
        return func

    return decorate


@_condition(_("A petition needs at least one worker."))
def has_workers(petition):
    return petition.claims.exists()


def nothing_left_open(petition):
    """The apps above may hold a closure back (a joint-handling part still open, no callback)."""
    return not hooks.reasons_not_to_close(petition)


nothing_left_open.reasons = hooks.reasons_not_to_close


@_condition(_("A merged petition is continued on the petition it was merged into."))
def not_merged(petition):
    return petition.merged_into_id is None


# The steps a petition's mediator took: who may not call its workers back about the outcome.
MEDIATOR_STEPS = (EventName.START_MEDIATION, EventName.REACH_AGREEMENT, EventName.RECORD_SESSION)


def mediated_by(petition, user):
    return petition.events.filter(transition__in=MEDIATOR_STEPS, actor=user.pk).exists()


def _caller():
    """Transition permission for the callback: the front desk or a supervisor of the petition's
    unit, but never one who mediated it (the rating is the worker's, not the mediator's)."""
    held = _held_by(*INTAKE_ROLES)

    def check(petition, user):
        return held(petition, user) and not mediated_by(petition, user)

    check.roles = held.roles
    return check


# Who may take which kind of step, at the petition's unit or above.
_FORMS = "casework.forms."


class PetitionQuerySet(models.QuerySet):
    def with_totals(self):
        """Each petition with its number of workers and total claimed, for lists."""
        # Meta.ordering is not applied to aggregated (GROUP BY) queries: order explicitly.
        return (
            self.select_related("enterprise", "org_unit")
            .annotate(
                workers_count=models.Count("claims"),
                claimed_total=Coalesce(
                    models.Sum("claims__claimed_amount"),
                    models.Value(Decimal("0")),
                    output_field=models.DecimalField(max_digits=14, decimal_places=2),
                ),
            )
            .order_by("-received_at", "-id")
        )


class OneReloadAtATime:
    """django-fsm-2's `refresh_from_db` lifts the protection of the status field for the whole
    class while it reloads, and a reload that starts meanwhile sees it lifted and does not
    restore it: that one then fails ("Direct status modification is not allowed") once the
    first has put the protection back. Two conflicts answered at once in a threaded server
    made a 500 of a 409. So reloads of these models take turns."""

    _reloading = threading.Lock()

    def refresh_from_db(self, *args, **kwargs):
        with OneReloadAtATime._reloading:
            super().refresh_from_db(*args, **kwargs)


class Petition(OneReloadAtATime, ConcurrentTransitionMixin, models.Model):
    class Channel(models.TextChoices):
        VISIT = "visit", _("Visit")
        CALL = "call", _("Phone call")
        LETTER = "letter", _("Letter")
        HOTLINE = "hotline_12351", _("12351 hotline")
        ONLINE = "online", _("Online")
        CLUE_PLATFORM = "clue_platform", _("Wage-arrears clue platform referral")

    class Category(models.TextChoices):
        # Labor Dispute Mediation and Arbitration Law, Art. 2 (1)-(6).
        LABOR_RELATION = "labor_relation", _("Confirmation of a labor relation")
        LABOR_CONTRACT = "labor_contract", _("Conclusion, performance or termination of a contract")
        DISMISSAL = "dismissal", _("Removal, dismissal, resignation or leaving")
        WORKING_CONDITIONS = (
            "working_conditions",
            _("Working hours, leave, social insurance, welfare, training, protection"),
        )
        REMUNERATION = (
            "remuneration",
            _("Wage arrears, work-injury medical costs, compensation or indemnity"),
        )
        OTHER = "other", _("Other disputes provided by law")

    class Priority(models.IntegerChoices):
        NORMAL = 0, _("Normal")
        HIGH = 1, _("High")
        URGENT = 2, _("Urgent")

    class Tier(models.TextChoices):
        # As 12351 and the county conflict-mediation centres grade their cases; the working days
        # to a first result of each are deadline rules (workflows.rules).
        SIMPLE = "simple", _("Simple")
        ORDINARY = "ordinary", _("Ordinary")
        COMPLEX = "complex", _("Complex")

    number = models.CharField(_("number"), max_length=32, unique=True, editable=False)
    zone = models.ForeignKey(
        OrgUnit,
        verbose_name=_("zone union"),
        on_delete=models.PROTECT,
        related_name="zone_petitions",
        editable=False,
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("organization unit"),
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    category = models.CharField(
        _("category"), max_length=30, choices=Category.choices, default=Category.REMUNERATION
    )
    description = models.TextField(_("description"))
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="petitions"
    )
    workers = models.ManyToManyField(
        Worker, verbose_name=_("workers"), through="Claim", related_name="petitions"
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    owner_missing = models.BooleanField(_("owner missing"), default=False)
    priority = models.IntegerField(_("priority"), choices=Priority.choices, default=Priority.NORMAL)
    tier = models.CharField(
        _("complexity tier"),
        max_length=10,
        choices=Tier.choices,
        default=Tier.ORDINARY,
        editable=False,  # chosen by the tier rules at intake, changed only with a reason
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_petitions",
        editable=False,
    )
    is_group = models.BooleanField(
        _("group petition"),
        default=False,
        editable=False,
        help_text=_("Ten or more workers with a common claim (Art. 7)."),
    )
    status = FSMField(
        _("status"), max_length=30, choices=Status.choices, default=Status.RECEIVED, protected=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-received_at"]),
            models.Index(fields=["org_unit", "-received_at"]),
            # The figures of a period, over every unit of a federation.
            models.Index(fields=["received_at"]),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self):
        return self.status not in FINISHED_STATUSES

    # The life cycle. Bodies are empty: the service records the step (`services.fire_transition`).

    @transition(
        status,
        source=Status.RECEIVED,
        target=Status.ACCEPTED,
        conditions=[has_workers],
        permission=_held_by(*INTAKE_ROLES),
        custom={"label": EventName.ACCEPT.label, "form": _FORMS + "TransitionForm"},
    )
    def accept(self):
        pass

    @transition(
        status,
        source=Status.RECEIVED,
        target=Status.REJECTED,
        permission=_held_by(*MEDIATION_ROLES),
        custom={"label": EventName.REJECT.label, "form": _FORMS + "ReasonRequiredForm"},
    )
    def reject(self):
        pass

    @transition(
        status,
        source=Status.RECEIVED,
        target=Status.REFERRED_OUT,
        permission=_held_by(*INTAKE_ROLES),
        custom={"label": EventName.REFER_OUT.label, "form": _FORMS + "ReferOutForm"},
    )
    def refer_out(self):
        pass

    @transition(
        status,
        source=[Status.ACCEPTED, Status.REOPENED],
        target=Status.IN_MEDIATION,
        permission=_held_by(*MEDIATION_ROLES),
        custom={"label": EventName.START_MEDIATION.label, "form": _FORMS + "TransitionForm"},
    )
    def start_mediation(self):
        pass

    @transition(
        status,
        source=Status.IN_MEDIATION,
        target=Status.AGREEMENT_REACHED,
        permission=_held_by(*MEDIATION_ROLES),
        custom={"label": EventName.REACH_AGREEMENT.label, "form": _FORMS + "AgreementForm"},
    )
    def reach_agreement(self):
        pass

    @transition(
        status,
        source=Status.IN_MEDIATION,
        target=Status.MEDIATION_FAILED,
        permission=_held_by(*MEDIATION_ROLES),
        custom={"label": EventName.FAIL_MEDIATION.label, "form": _FORMS + "ReasonRequiredForm"},
    )
    def fail_mediation(self):
        pass

    @transition(
        status,
        source=Status.AGREEMENT_REACHED,
        target=Status.FULFILLED,
        permission=_held_by(*MEDIATION_ROLES),
        custom={"label": EventName.CONFIRM_FULFILMENT.label, "form": _FORMS + "TransitionForm"},
    )
    def confirm_fulfilment(self):
        pass

    @transition(
        status,
        source=Status.AGREEMENT_REACHED,
        target=Status.BREACHED,
        permission=_held_by(*MEDIATION_ROLES),
        custom={"label": EventName.RECORD_BREACH.label, "form": _FORMS + "ReasonRequiredForm"},
    )
    def record_breach(self):
        pass

    @transition(
        status,
        source=[Status.BREACHED, Status.MEDIATION_FAILED],
        target=Status.REFERRED,
        permission=_held_by(*MEDIATION_ROLES),
        custom={"label": EventName.REFER.label, "form": _FORMS + "ReferralForm"},
    )
    def refer(self):
        pass

    @transition(
        status,
        source=Status.FULFILLED,
        target=Status.FULFILLED,
        permission=_caller(),
        custom={"label": EventName.RECORD_CALLBACK.label, "form": _FORMS + "CallbackForm"},
    )
    def record_callback(self):
        pass

    @transition(
        status,
        source=Status.FULFILLED,
        target=Status.IN_MEDIATION,
        permission=_caller(),
        custom={
            "label": EventName.RETURN_TO_MEDIATION.label,
            "form": _FORMS + "CallbackReturnForm",
        },
    )
    def return_to_mediation(self):
        pass

    @transition(
        status,
        source=[Status.FULFILLED, Status.REFERRED, Status.REJECTED, Status.REFERRED_OUT],
        target=Status.CLOSED,
        conditions=[nothing_left_open],
        permission=_held_by(*MEDIATION_ROLES),
        custom={"label": EventName.CLOSE.label, "form": _FORMS + "ClosureForm"},
    )
    def close(self):
        pass

    @transition(
        status,
        source=Status.CLOSED,
        target=Status.REOPENED,
        conditions=[not_merged],
        permission=_held_by(*SUPERVISOR_ROLES),
        custom={"label": EventName.REOPEN.label, "form": _FORMS + "ReasonRequiredForm"},
    )
    def reopen(self):
        pass

    # Merging names a second petition: it has its own page (casework.services.merge), and is
    # neither a button among the next steps ("own_page") nor in admin.
    @transition(
        status,
        source=[s for s in Status if s not in FINISHED_STATUSES],
        target=Status.CLOSED,
        permission=_held_by(*SUPERVISOR_ROLES),
        custom={
            "label": EventName.MERGE.label,
            "form": _FORMS + "ReasonRequiredForm",
            "own_page": True,
            "admin": False,
        },
    )
    def merge(self):
        pass


# Query codes: no 0/O, 1/I/L, so that one read off a printed notice is typed right.
QUERY_CODE_CHARS = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
QUERY_CODE_LENGTH = 8


def new_query_code():
    return "".join(secrets.choice(QUERY_CODE_CHARS) for _ in range(QUERY_CODE_LENGTH))


class Claim(models.Model):
    """One worker on one petition, as this petition records them: another petition naming the
    same person (even in another zone) neither reads nor changes these facts.

    `query_code` is the worker's own key to the public look-up, printed on their acceptance
    notice: with the petition number it shows this worker's line and the case's progress."""

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.CASCADE, related_name="claims"
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="claims"
    )
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, validators=[validators.validate_phone]
    )
    non_local = models.BooleanField(
        _("non-local"), default=False, help_text=_("Needs travel home if the job is lost.")
    )
    claimed_amount = models.DecimalField(
        _("claimed amount (yuan)"), max_digits=12, decimal_places=2, default=0
    )
    is_representative = models.BooleanField(_("representative"), default=False)
    query_code = models.CharField(
        _("query code"), max_length=QUERY_CODE_LENGTH, default=new_query_code, editable=False
    )

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "worker"], name="one_claim_per_worker"),
            models.CheckConstraint(
                condition=models.Q(claimed_amount__gte=0), name="claimed_amount_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.name}: {self.claimed_amount}"


class PetitionSequence(models.Model):
    """The last number given per zone and year; incremented under a row lock, so numbers are
    gap-free: a rolled-back intake rolls its number back too."""

    zone = models.ForeignKey(OrgUnit, on_delete=models.CASCADE)
    year = models.PositiveIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("petition number sequence")
        verbose_name_plural = _("petition number sequences")
        constraints = [
            models.UniqueConstraint(fields=["zone", "year"], name="one_sequence_per_zone_year")
        ]

    def __str__(self):
        return f"{self.zone.code}-{self.year}: {self.last_value}"


class CaseEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Case events are append-only.")

    def delete(self):
        raise AppendOnlyError("Case events are append-only.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Case events are append-only.")


class CaseEvent(models.Model):
    """One step in a petition's history. Written with the step, in its transaction; never changed.

    On PostgreSQL a trigger refuses UPDATE and DELETE as well (migration 0002).
    """

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    transition = models.CharField(_("step"), max_length=40, choices=EventName.choices)
    from_status = models.CharField(_("from"), max_length=30, blank=True)
    to_status = models.CharField(_("to"), max_length=30)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["petition", "at"]),
            # The figures: the steps of one kind (closures, agreements...) in a period.
            models.Index(fields=["transition", "at"]),
        ]

    def __str__(self):
        return f"{self.petition_id} {self.transition} {self.from_status}->{self.to_status}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Case events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Case events are append-only.")

    @property
    def from_label(self):
        return Status(self.from_status).label if self.from_status else ""

    @property
    def to_label(self):
        return Status(self.to_status).label


class IdempotencyKeyQuerySet(models.QuerySet):
    def expired(self):
        ttl = timedelta(hours=settings.CASEWORK["IDEMPOTENCY_KEY_TTL_HOURS"])
        return self.filter(created_at__lt=timezone.now() - ttl)


class IdempotencyKey(models.Model):
    """The first answer to a request made with an Idempotency-Key; a retry gets it again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = IdempotencyKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="unique_idempotency_key")
        ]

    def __str__(self):
        return self.key


class MediationSession(models.Model):
    """One sitting of a mediation: who came, what was said, where it stands."""

    class Outcome(models.TextChoices):
        CONTINUED = "continued", _("To be continued")
        AGREEMENT = "agreement", _("Agreement reached")
        NO_AGREEMENT = "no_agreement", _("No agreement")

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="sessions"
    )
    held_at = models.DateTimeField(_("held at"))
    place = models.CharField(_("place"), max_length=200)
    parties_present = models.TextField(_("parties present"))
    notes = models.TextField(_("notes"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.CONTINUED
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["held_at", "id"]

    def __str__(self):
        return f"{self.petition} @ {self.held_at:%Y-%m-%d}"


class Agreement(models.Model):
    """A signed mediation agreement: what each worker is to be paid, and by when."""

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="agreements"
    )
    due_date = models.DateField(_("payment due date"))
    signed_on = models.DateField(_("signed on"))
    terms = models.TextField(_("terms"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("mediation agreement")
        verbose_name_plural = _("mediation agreements")
        ordering = ["recorded_at", "id"]
        indexes = [models.Index(fields=["signed_on"])]  # the figures of a period

    def __str__(self):
        return f"{self.petition} · {self.due_date}"


class AgreementLine(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="lines"
    )
    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.PROTECT)
    amount = models.DecimalField(_("agreed amount (yuan)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("agreed payment")
        verbose_name_plural = _("agreed payments")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "claim"], name="one_line_per_claim"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="agreed_not_negative"),
        ]

    def __str__(self):
        return f"{self.claim.name}: {self.amount}"


class Closure(models.Model):
    """How the petitioner was told the outcome, and how they rated the service (as 12351 does)."""

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="closures"
    )
    outcome_notice = models.TextField(_("outcome notice"))
    rating = models.PositiveSmallIntegerField(
        _("satisfaction (1-5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(_("petitioner's comment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["recorded_at", "id"]
        indexes = [models.Index(fields=["recorded_at"])]  # the figures of a period
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__range=(1, 5)),
                name="rating_one_to_five",
            )
        ]

    def __str__(self):
        return f"{self.petition} · {self.rating or '-'}"


class Callback(models.Model):
    """A call to a worker (for a group, a representative) before the case closes, by someone
    other than its mediator: was the outcome carried out, and how satisfied is the worker. The
    rating is the worker's, so the mediator may not record it."""

    class Satisfaction(models.IntegerChoices):
        VERY_SATISFIED = 4, _("Very satisfied")
        SATISFIED = 3, _("Satisfied")
        FAIRLY_SATISFIED = 2, _("Fairly satisfied")
        NOT_SATISFIED = 1, _("Not satisfied")

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="callbacks"
    )
    claim = models.ForeignKey(
        Claim, verbose_name=_("worker called"), on_delete=models.PROTECT, related_name="+"
    )
    carried_out = models.BooleanField(_("outcome carried out"))
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), choices=Satisfaction.choices)
    notes = models.TextField(_("what the worker said"), blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("called by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    called_at = models.DateTimeField(_("called at"), default=timezone.now)

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        ordering = ["called_at", "id"]

    def __str__(self):
        return f"{self.petition} · {self.get_satisfaction_display()}"

    @property
    def settles(self):
        """The worker confirms the outcome: the case may close."""
        return self.carried_out and self.satisfaction != self.Satisfaction.NOT_SATISFIED


class Evidence(models.Model):
    """A file that backs a petition: a photo of an IOU, a payslip, a chat screenshot, a contract.

    Kept in the private folder (`lib.files`), under a random name; its type was read from its
    content when it came in, and its SHA-256 shows it has not changed since."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo of the site or the work")
        IOU = "iou", _("IOU (欠条)")
        PAYSLIP = "payslip", _("Payslip or wage record")
        CHAT = "chat", _("Chat screenshot")
        CONTRACT = "contract", _("Labor contract")
        OTHER = "other", _("Other")

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("file"), storage=files.private, upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    note = models.CharField(_("note"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_by = models.ForeignKey(
        Claim,
        verbose_name=_("filed online by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return f"{self.petition} · {self.original_name}"

    @property
    def is_image(self):
        return self.content_type.startswith("image/")
