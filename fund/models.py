"""The emergency fund (欠薪应急周转金): a zone union's revolving fund, its rules, its double-entry
ledger, the releases it advances to workers, their recovery from the employer (追偿), write-offs
and corrections, and the process and tasks of `fund.flows.ReleaseFlow`.

Money is Decimal with two places throughout; the operations live in `fund.services`. The tables
keep the names they had when this lived in casework and workflows (`db_table`): no data moved.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from viewflow.workflow.models import Process, Task

from casework.exceptions import AppendOnlyError
from casework.models import (
    CaseEventQuerySet,
    Claim,
    OneReloadAtATime,
    OrgUnit,
    Petition,
    Worker,
)

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
        db_table = "casework_minimumwage"
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
    `fund.services` in the transaction that books the entry, under this row's lock, and checked
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
        db_table = "casework_emergencyfund"
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

    Its status changes only through the transitions below, fired by `fund.services`; the
    `fund.flows.ReleaseFlow` task for each step completes in the same transaction.
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
        db_table = "casework_release"
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
        db_table = "casework_releaseline"
        verbose_name = _("release line")
        verbose_name_plural = _("release lines")
        ordering = ["release", "claim__name", "purpose"]
        indexes = [models.Index(fields=["paid_at"])]  # the figures of a period
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
        db_table = "casework_journalentry"
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
        db_table = "casework_posting"
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
        db_table = "casework_writeoff"
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
        db_table = "casework_correction"
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


# Emergency-fund releases: the process and tasks of `flows.ReleaseFlow`.


class ReleaseProcess(Process):
    """The path of one emergency-fund release, from its submission to its recovery."""

    release = models.OneToOneField(
        Release,
        verbose_name=_("emergency-fund release"),
        on_delete=models.PROTECT,
        related_name="process",
    )

    class Meta:
        db_table = "workflows_releaseprocess"
        verbose_name = _("release process")
        verbose_name_plural = _("release processes")


class ReleaseTask(Task):
    """A task of the release flow; the release is copied from the process for lookups."""

    release = models.ForeignKey(
        Release,
        verbose_name=_("emergency-fund release"),
        on_delete=models.PROTECT,
        related_name="tasks",
    )

    class Meta:
        db_table = "workflows_releasetask"
        verbose_name = _("release task")
        verbose_name_plural = _("release tasks")

    def save(self, *args, **kwargs):
        if self._state.adding:
            self.release_id = getattr(self.process, "release_id", None) or (
                ReleaseProcess.objects.values_list("release_id", flat=True).get(pk=self.process_id)
            )
        super().save(*args, **kwargs)
