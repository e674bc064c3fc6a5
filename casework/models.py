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

from lib import validators

from .exceptions import AppendOnlyError
from .roles import INTAKE_ROLES, MEDIATION_ROLES, SUPERVISOR_ROLES, Role


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
        unique=True,
        validators=[validators.validate_credit_code],
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

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]

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
        from .access import has_role_at

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
        custom={"label": _("Accept"), "form": _FORMS + "TransitionForm"},
    )
    def accept(self):
        pass

    @transition(
        status,
        source=Status.RECEIVED,
        target=Status.REJECTED,
        permission=_held_by(*MEDIATION_ROLES),
        custom={"label": _("Reject"), "form": _FORMS + "ReasonRequiredForm"},
    )
    def reject(self):
        pass

    @transition(
        status,
        source=Status.RECEIVED,
        target=Status.REFERRED_OUT,
        permission=_held_by(*INTAKE_ROLES),
        custom={"label": _("Refer to another body"), "form": _FORMS + "ReferOutForm"},
    )
    def refer_out(self):
        pass

    @transition(
        status,
        source=[Status.ACCEPTED, Status.REOPENED],
        target=Status.IN_MEDIATION,
        permission=_held_by(*MEDIATION_ROLES),
        custom={"label": _("Start mediation"), "form": _FORMS + "TransitionForm"},
    )
    def start_mediation(self):
        pass

    @transition(
        status,
        source=Status.IN_MEDIATION,
        target=Status.AGREEMENT_REACHED,
        permission=_held_by(*MEDIATION_ROLES),
        custom={"label": _("Agreement reached"), "form": _FORMS + "AgreementForm"},
    )
    def reach_agreement(self):
        pass

    @transition(
        status,
        source=Status.IN_MEDIATION,
        target=Status.MEDIATION_FAILED,
        permission=_held_by(*MEDIATION_ROLES),
        custom={"label": _("Mediation failed"), "form": _FORMS + "ReasonRequiredForm"},
    )
    def fail_mediation(self):
        pass

    @transition(
        status,
        source=Status.AGREEMENT_REACHED,
        target=Status.FULFILLED,
        permission=_held_by(*MEDIATION_ROLES),
        custom={"label": _("Agreement fulfilled"), "form": _FORMS + "TransitionForm"},
    )
    def confirm_fulfilment(self):
        pass

    @transition(
        status,
        source=Status.AGREEMENT_REACHED,
        target=Status.BREACHED,
        permission=_held_by(*MEDIATION_ROLES),
        custom={"label": _("Agreement breached"), "form": _FORMS + "ReasonRequiredForm"},
    )
    def record_breach(self):
        pass

    @transition(
        status,
        source=[Status.BREACHED, Status.MEDIATION_FAILED],
        target=Status.REFERRED,
        permission=_held_by(*MEDIATION_ROLES),
        custom={"label": _("Refer for enforcement"), "form": _FORMS + "ReferralForm"},
    )
    def refer(self):
        pass

    @transition(
        status,
        source=[Status.FULFILLED, Status.REFERRED, Status.REJECTED, Status.REFERRED_OUT],
        target=Status.CLOSED,
        permission=_held_by(*MEDIATION_ROLES),
        custom={"label": _("Close"), "form": _FORMS + "ClosureForm"},
    )
    def close(self):
        pass

    @transition(
        status,
        source=Status.CLOSED,
        target=Status.REOPENED,
        permission=_held_by(*SUPERVISOR_ROLES),
        custom={"label": _("Reopen"), "form": _FORMS + "ReasonRequiredForm"},
    )
    def reopen(self):
        pass


class Claim(models.Model):
    """One worker on one petition, as this petition records them: another petition naming the
    same person (even in another zone) neither reads nor changes these facts."""

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
    transition = models.CharField(_("step"), max_length=40)
    from_status = models.CharField(_("from"), max_length=30, blank=True)
    to_status = models.CharField(_("to"), max_length=30)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["petition", "at"])]

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
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__range=(1, 5)),
                name="rating_one_to_five",
            )
        ]

    def __str__(self):
        return f"{self.petition} · {self.rating or '-'}"


# Emergency fund (欠薪应急周转金): the zone union's revolving fund, its rules, its double-entry
# ledger and the releases it advances to workers, recovered later from the employer (追偿).
# Money is Decimal with two places throughout; the operations live in `services.fund`.

MONEY = {"max_digits": 14, "decimal_places": 2}


class MinimumWage(models.Model):
    """The monthly minimum wage of a jurisdiction from a date on; the newest row in force wins,
    and a unit without its own rows uses its nearest ancestor's."""

    jurisdiction = models.ForeignKey(
        OrgUnit, verbose_name=_("jurisdiction"), on_delete=models.CASCADE, related_name="+"
    )
    monthly_amount = models.DecimalField(_("monthly minimum wage (yuan)"), **MONEY)
    effective_from = models.DateField(_("effective from"))

    class Meta:
        verbose_name = _("minimum wage")
        verbose_name_plural = _("minimum wages")
        ordering = ["jurisdiction", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "effective_from"], name="one_minimum_wage_per_day"
            ),
            models.CheckConstraint(
                condition=models.Q(monthly_amount__gt=0), name="minimum_wage_positive"
            ),
        ]

    def __str__(self):
        return f"{self.jurisdiction} · {self.monthly_amount} · {self.effective_from}"

    @classmethod
    def in_force_for(cls, units, on_date):
        """{unit id: the row in force there on `on_date`} for these units, in one query."""
        ancestors = {unit.pk: unit.ancestor_ids() for unit in units}
        rows = list(
            cls.objects.filter(
                jurisdiction_id__in={i for ids in ancestors.values() for i in ids},
                effective_from__lte=on_date,
            ).select_related("jurisdiction")
        )
        # The deepest unit with a row, then its newest row.
        return {
            pk: max(
                (r for r in rows if r.jurisdiction_id in ids),
                key=lambda r: (len(r.jurisdiction.path), r.effective_from),
                default=None,
            )
            for pk, ids in ancestors.items()
        }


class FundPurpose(models.TextChoices):
    WAGES = "wages", _("Wages")
    LIVING_COSTS = "living_costs", _("Basic living costs")
    TRAVEL_HOME = "travel_home", _("Travel home")


class EmergencyFund(models.Model):
    """A zone union's emergency revolving fund and its rules (local rules, so data, not code).

    `balance` is the cash account's sum, kept on the row for speed: changed only by
    `services.fund` in the transaction that books the entry, under this row's lock, and checked
    against the postings by `manage.py reconcile_fund`. The database refuses a negative balance.
    """

    zone = models.OneToOneField(
        OrgUnit,
        verbose_name=_("zone union"),
        on_delete=models.PROTECT,
        limit_choices_to={"kind": OrgUnit.Kind.ZONE},
        related_name="emergency_fund",
    )
    name = models.CharField(_("name"), max_length=100)
    balance = models.DecimalField(_("balance (yuan)"), default=0, editable=False, **MONEY)
    worker_cap_months = models.DecimalField(
        _("per-worker cap (months of minimum wage)"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1"),
        help_text=_("Wages and living costs one worker may receive per petition."),
    )
    travel_cap = models.DecimalField(
        _("travel home cap per worker (yuan)"),
        default=Decimal("500"),
        **MONEY,
    )
    total_cap_percent = models.DecimalField(
        _("total cap (percent of owed wages)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("30"),
        help_text=_("All releases of one petition together, as a share of its claimed wages."),
    )
    committee_threshold = models.DecimalField(
        _("committee signature above (yuan)"),
        default=Decimal("100000"),
        help_text=_(
            "When a petition's releases together (approved and pending) exceed this total, "
            "they need the committee liaison's signature too."
        ),
        **MONEY,
    )
    allows_wages = models.BooleanField(_("wages allowed"), default=True)
    allows_living_costs = models.BooleanField(_("basic living costs allowed"), default=True)
    allows_travel_home = models.BooleanField(_("travel home allowed"), default=True)

    class Meta:
        verbose_name = _("emergency fund")
        verbose_name_plural = _("emergency funds")
        ordering = ["zone"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(balance__gte=0), name="fund_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(total_cap_percent__gte=0, total_cap_percent__lte=100),
                name="fund_total_cap_percent_range",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    worker_cap_months__gte=0, travel_cap__gte=0, committee_threshold__gte=0
                ),
                name="fund_rules_not_negative",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def allowed_purposes(self):
        allowed = {
            FundPurpose.WAGES: self.allows_wages,
            FundPurpose.LIVING_COSTS: self.allows_living_costs,
            FundPurpose.TRAVEL_HOME: self.allows_travel_home,
        }
        return [purpose for purpose, yes in allowed.items() if yes]


class ReleaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting approval")
    AWAITING_SIGNATURE = "awaiting_signature", _("Awaiting committee signature")
    APPROVED = "approved", _("Approved, to be paid")
    REJECTED = "rejected", _("Rejected")
    DISBURSED = "disbursed", _("Paid, open for recovery")
    CLOSED = "closed", _("Recovered or written off")


# Releases whose unpaid lines hold money back from the fund (approved but not yet paid out).
COMMITTING_STATUSES = (
    ReleaseStatus.AWAITING_SIGNATURE,
    ReleaseStatus.APPROVED,
    ReleaseStatus.DISBURSED,
)
# Releases that count towards the committee's threshold on their petition: approved and pending,
# so that splitting one release into several does not avoid the liaison's signature.
RELEASED_STATUSES = (
    ReleaseStatus.SUBMITTED,
    *COMMITTING_STATUSES,
    ReleaseStatus.CLOSED,
)


class Release(OneReloadAtATime, ConcurrentTransitionMixin, models.Model):
    """Money advanced from the fund to a petition's workers, line by line.

    Its status changes only through the transitions below, fired by `services.fund`; the
    `workflows.flows.ReleaseFlow` task for each step completes in the same transaction.
    """

    fund = models.ForeignKey(
        EmergencyFund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="releases"
    )
    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="releases"
    )
    status = FSMField(
        _("status"),
        max_length=30,
        choices=ReleaseStatus.choices,
        default=ReleaseStatus.DRAFT,
        protected=True,
    )
    total = models.DecimalField(_("total (yuan)"), default=0, editable=False, **MONEY)
    reason = models.TextField(_("why the workers need it now"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("drafted at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    needs_signature = models.BooleanField(_("needs the committee's signature"), default=False)
    decision_note = models.TextField(_("decision note"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("emergency-fund release")
        verbose_name_plural = _("emergency-fund releases")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["fund", "status"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(total__gte=0), name="release_total_positive")
        ]

    def __str__(self):
        return _("Release %(id)s for %(number)s") % {"id": self.pk, "number": self.petition}

    @transition(status, source=ReleaseStatus.DRAFT, target=ReleaseStatus.SUBMITTED)
    def submit(self):
        pass

    @transition(status, source=ReleaseStatus.SUBMITTED, target=ReleaseStatus.APPROVED)
    def approve(self):
        pass

    @transition(status, source=ReleaseStatus.SUBMITTED, target=ReleaseStatus.AWAITING_SIGNATURE)
    def approve_for_signature(self):
        pass

    @transition(status, source=ReleaseStatus.AWAITING_SIGNATURE, target=ReleaseStatus.APPROVED)
    def sign(self):
        pass

    @transition(
        status,
        source=[ReleaseStatus.SUBMITTED, ReleaseStatus.AWAITING_SIGNATURE],
        target=ReleaseStatus.REJECTED,
    )
    def reject(self):
        pass

    @transition(
        status,
        source=[ReleaseStatus.APPROVED, ReleaseStatus.DISBURSED],
        target=ReleaseStatus.DISBURSED,
    )
    def disburse(self):
        pass

    @transition(status, source=ReleaseStatus.DISBURSED, target=ReleaseStatus.CLOSED)
    def close(self):
        pass


class ReleaseLine(models.Model):
    """What one worker is to receive for one purpose. A worker is paid at most once per purpose
    on a petition: the partial unique index over live lines (of releases not rejected) says so
    in the database, whatever the code above it does."""

    class State(models.TextChoices):
        OPEN = "open", _("To be paid")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Could not be paid")

    release = models.ForeignKey(
        Release, verbose_name=_("release"), on_delete=models.CASCADE, related_name="lines"
    )
    # Copied from the release, so the database can say "never twice per petition".
    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="fund_lines"
    )
    # The petition's record of the worker (name, non-local): no column, joined on both keys.
    claim = models.ForeignObject(
        Claim,
        verbose_name=_("claim"),
        from_fields=["petition", "worker"],
        to_fields=["petition", "worker"],
        on_delete=models.DO_NOTHING,
        related_name="+",
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=FundPurpose.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    state = models.CharField(_("payment"), max_length=10, choices=State.choices, default=State.OPEN)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    failure_reason = models.CharField(_("why it could not be paid"), max_length=200, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    live = models.BooleanField(_("live"), default=True, editable=False)

    class Meta:
        verbose_name = _("release line")
        verbose_name_plural = _("release lines")
        ordering = ["release", "claim__name", "purpose"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "worker", "purpose"], name="one_line_per_worker_purpose"
            ),
            models.UniqueConstraint(
                fields=["petition", "worker", "purpose"],
                condition=models.Q(live=True),
                name="never_paid_twice_per_petition",
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="line_amount_positive"),
            models.CheckConstraint(
                condition=~models.Q(state="paid") | ~models.Q(payment_reference=""),
                name="paid_line_has_reference",
            ),
        ]

    def __str__(self):
        return f"{self.claim.name} · {self.get_purpose_display()} · {self.amount}"


# Lines still to be paid: new, or tried and failed (they stay open with the reason).
OPEN_LINE_STATES = (ReleaseLine.State.OPEN, ReleaseLine.State.FAILED)


class Account(models.TextChoices):
    """The fund's chart of accounts. Postings are signed: debit positive, credit negative."""

    CASH = "cash", _("Fund cash")
    RECEIVABLE = "receivable", _("Advances recoverable from employers")
    CONTRIBUTIONS = "contributions", _("Contributions")
    WRITE_OFFS = "write_offs", _("Written off")


class AppendOnlyQuerySet(CaseEventQuerySet):
    """Ledger rows, like case events, are never changed or deleted: a correction is an entry."""


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label} is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.label} is append-only.")


class JournalEntry(AppendOnlyModel):
    """One booking: its postings sum to zero (checked on PostgreSQL by a deferred trigger)."""

    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", _("Contribution")
        DISBURSEMENT = "disbursement", _("Release paid out")
        RECOVERY = "recovery", _("Recovery")
        WRITE_OFF = "write_off", _("Write-off")
        CORRECTION = "correction", _("Correction")

    class Source(models.TextChoices):
        UNION_DUES = "union_dues", _("Share of union dues")
        GOVERNMENT = "government", _("Government allocation")
        DONATION = "donation", _("Donation")
        EMPLOYER = "employer", _("Employer")
        EMPLOYER_ASSETS = "employer_assets", _("Employer's assets")
        OTHER = "other", _("Other")

    fund = models.ForeignKey(
        EmergencyFund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, blank=True)
    release = models.ForeignKey(
        Release,
        verbose_name=_("release"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    memo = models.TextField(_("memo"), blank=True)
    booked_at = models.DateTimeField(_("booked at"), default=timezone.now, db_index=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("booked by"), on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["booked_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"


class Posting(AppendOnlyModel):
    entry = models.ForeignKey(
        JournalEntry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="postings"
    )
    # Copied from the entry, so balances are one indexed sum without a join.
    fund = models.ForeignKey(
        EmergencyFund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="+"
    )
    account = models.CharField(_("account"), max_length=20, choices=Account.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    # The receivable's sub-ledger: which release (so which enterprise) owes it.
    release = models.ForeignKey(
        Release,
        verbose_name=_("release"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="postings",
    )
    line = models.ForeignKey(
        ReleaseLine,
        verbose_name=_("release line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="postings",
    )

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["entry", "id"]
        indexes = [models.Index(fields=["fund", "account"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="posting_not_zero"),
            models.CheckConstraint(
                condition=~models.Q(account="receivable") | models.Q(release__isnull=False),
                name="receivable_posting_names_release",
            ),
        ]

    def __str__(self):
        return f"{self.get_account_display()} {self.amount}"


class WriteOff(models.Model):
    """A proposal to write off what cannot be recovered on a release. It is booked only once a
    supervisor and the committee liaison have both signed it, neither being the proposer."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting sign-off")
        BOOKED = "booked", _("Written off")

    release = models.ForeignKey(
        Release, verbose_name=_("release"), on_delete=models.PROTECT, related_name="write_offs"
    )
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    reason = models.TextField(_("reason"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by the supervisor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by the committee liaison"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entry = models.OneToOneField(
        JournalEntry,
        verbose_name=_("entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="write_off",
    )

    class Meta:
        verbose_name = _("write-off")
        verbose_name_plural = _("write-offs")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="write_off_positive"),
            # One proposal at a time per release: two could not both fit the outstanding amount.
            models.UniqueConstraint(
                fields=["release"],
                condition=models.Q(state="proposed"),
                name="one_open_write_off_per_release",
            ),
        ]

    def __str__(self):
        return f"{self.release} · {self.amount}"


class Correction(models.Model):
    """A proposal to reverse a contribution or a recovery booked in error. It is booked, as an
    entry reversing the original, only once a second person confirms it: one officer alone
    cannot take money out of the fund."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting confirmation")
        BOOKED = "booked", _("Reversed")

    entry = models.ForeignKey(
        JournalEntry,
        verbose_name=_("entry to reverse"),
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    reason = models.TextField(_("reason"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    booking = models.OneToOneField(
        JournalEntry,
        verbose_name=_("reversing entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
    )

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"],
                condition=models.Q(state="proposed"),
                name="one_open_correction_per_entry",
            ),
            models.CheckConstraint(
                condition=models.Q(state="proposed") | models.Q(booking__isnull=False),
                name="booked_correction_has_entry",
            ),
        ]

    def __str__(self):
        return f"{self.entry} · {self.get_state_display()}"
