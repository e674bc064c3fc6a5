"""The petition flow's process and tasks (viewflow's `Process` and `Task`, with the petition and
its unit copied onto each task for the queues), the working-day calendar's local days and
hand-entered years, and deadlines: the rules per kind, each petition's clocks, their extensions
and the timers that remind and breach.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from casework.models import Enterprise, OrgUnit, Petition, Role

from . import calendar
from .signals import acting_user, task_assigned

OPEN_TASK_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


class PetitionProcess(Process):
    """One path of a petition through the flow: from intake, or from a reopening."""

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="processes"
    )

    class Meta:
        verbose_name = _("petition process")
        verbose_name_plural = _("petition processes")


class PetitionTask(Task):
    """A task of the petition flow. The petition and its unit are copied from the process, so
    queues filter and sort tasks without joining the process or the org tree; `due_at` orders
    "my tasks". `is_open` (an open human task) and `in_queue` (one nobody holds) mirror the
    status and the owner, which live in viewflow's table: the lists read small partial indexes
    of this one instead of visiting every task of a zone there."""

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="tasks"
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("organization unit"), on_delete=models.PROTECT, related_name="+"
    )
    is_open = models.BooleanField(_("open"), default=True, editable=False)
    in_queue = models.BooleanField(_("in the queue"), default=True, editable=False)
    # Indexed only among open tasks (`open_task_due`): a full index lures the planner into walking
    # every closed task in deadline order to find a zone's few queued ones.
    due_at = models.DateTimeField(_("due"), null=True, blank=True)

    class Meta:
        verbose_name = _("petition task")
        verbose_name_plural = _("petition tasks")
        indexes = [
            models.Index(fields=["org_unit"], condition=Q(is_open=True), name="open_task_unit"),
            models.Index(fields=["org_unit"], condition=Q(in_queue=True), name="queued_task_unit"),
            models.Index(fields=["due_at"], condition=Q(is_open=True), name="open_task_due"),
        ]

    @classmethod
    def from_db(cls, db, field_names, values):
        task = super().from_db(db, field_names, values)
        # From __dict__: reading a deferred owner_id here would cost a query per loaded task.
        task._saved_owner_id = task.__dict__.get("owner_id")
        return task

    def save(self, *args, **kwargs):
        if self._state.adding:
            process = self.process
            self.petition_id = getattr(process, "petition_id", None) or (
                PetitionProcess.objects.values_list("petition_id", flat=True).get(pk=process.pk)
            )
            self.org_unit_id = self.petition.org_unit_id
            # The step knows its deadline rule (`flows.Step.due_for`); other nodes have none.
            due_for = getattr(self.flow_task, "due_for", None)
            self.due_at = due_for(self) if due_for else None
        # viewflow fills flow_task_type in its own save(), after this.
        kind = self.flow_task_type or getattr(self.flow_task, "task_type", "")
        self.is_open = kind == "HUMAN" and self.status in OPEN_TASK_STATUSES
        self.in_queue = self.is_open and self.owner_id is None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"status", "owner"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "is_open", "in_queue"}
        super().save(*args, **kwargs)
        saved = update_fields is None or bool({"owner", "owner_id"} & set(update_fields))
        before = getattr(self, "_saved_owner_id", None)
        if saved and self.owner_id is not None and self.owner_id != before:
            self._saved_owner_id = self.owner_id
            task_assigned.send(
                PetitionTask, task=self, reassigned=before is not None, by=acting_user.get()
            )

    @property
    def due_provisional_year(self):
        """The first year counted to `due_at` whose official holiday arrangement is not known
        yet, or None: the due date is provisional until it is."""
        if self.due_at is None:
            return None
        start = timezone.localdate(self.created or self.due_at)
        return calendar.provisional_year(start, timezone.localdate(self.due_at))


# Working days, deadlines and their timers. The rules are rows (seeded from settings.CASEWORK by
# migration, edited in admin); the operations live in `workflows.calendar` and `.deadlines`.


class CalendarDay(models.Model):
    """A day that differs from the national calendar (`chinese_calendar`): a local extra day
    off, or, for a year the package does not know yet, the official holidays and make-up working
    days (调休) copied from the State Council's notice."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off")
        WORKING_DAY = "working_day", _("Working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DAY_OFF)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} · {self.get_kind_display()}"


class CalendarYear(models.Model):
    """A year the `chinese_calendar` package does not cover, whose official arrangement has been
    entered as calendar days: until then its deadlines are provisional (`workflows.calendar`),
    and saving it recomputes them."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(
        _("source"),
        max_length=200,
        help_text=_("The State Council notice the holidays and make-up working days come from."),
    )

    class Meta:
        verbose_name = _("calendar year entered by hand")
        verbose_name_plural = _("calendar years entered by hand")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)


class DeadlineKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Decide acceptance")
    MEDIATION = "mediation", _("Mediation (Art. 14)")
    HANDLING = "handling", _("Handling")
    PAYMENT = "payment", _("Payment under the agreement (Art. 16)")
    ESCALATION_ACK = "escalation_ack", _("Acknowledge the escalation")
    # A first result from receipt, one kind per complexity tier (`rules.TIER_DEADLINES`).
    RESULT_SIMPLE = "result_simple", _("First result (simple case)")
    RESULT_ORDINARY = "result_ordinary", _("First result (ordinary case)")
    RESULT_COMPLEX = "result_complex", _("First result (complex case)")


class DeadlineRule(models.Model):
    """How long one kind of deadline runs. What opens and closes it is fixed per kind (see
    `rules.DEADLINE_MEANING` and `deadlines.CLOSES`); the numbers are local rules, so they are
    data."""

    class StartEvent(models.TextChoices):
        RECEIVED = "receive", _("Petition received")
        MEDIATION_STARTED = "start_mediation", _("Mediation started")
        PAYMENT_DATE = "reach_agreement", _("The agreed payment date")
        ESCALATED = "escalate", _("Escalated to the committee")

    class Unit(models.TextChoices):
        WORKING = "working", _("working days")
        CALENDAR = "calendar", _("calendar days")

    kind = models.CharField(_("deadline"), max_length=20, choices=DeadlineKind.choices, unique=True)
    start_event = models.CharField(
        _("counted from"), max_length=20, choices=StartEvent.choices, editable=False
    )
    length = models.PositiveSmallIntegerField(_("length"))
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    responsible_role = models.CharField(_("responsible"), max_length=30, choices=Role.choices)
    reminder_percent = models.PositiveSmallIntegerField(
        _("reminder at (percent of the time)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("Empty: no reminder."),
    )
    extension_length = models.PositiveSmallIntegerField(
        _("extension (same unit)"),
        default=0,
        help_text=_("Granted once, with a reason and a supervisor's approval. 0: not extendable."),
    )

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["kind"]

    def __str__(self):
        return self.get_kind_display()


class Deadline(models.Model):
    """One clock on one petition, from its start event to the event that stops it. `due_at` is
    empty while the working-day calendar does not know a year the period runs into, and
    provisional (`provisional_year`) while it counts a year whose official arrangement is not
    known yet: it is recomputed when that arrives (`deadlines.reschedule_open`)."""

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="deadlines"
    )
    rule = models.ForeignKey(
        DeadlineRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"))
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    unknown_year = models.PositiveSmallIntegerField(_("calendar year missing"), null=True)
    provisional_year = models.PositiveSmallIntegerField(
        _("provisional calendar year"), null=True, blank=True
    )
    extended_by = models.PositiveSmallIntegerField(_("extended by"), default=0)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["opened_at", "id"]
        # The figures of a period: deadlines stopped in it, and breached in it; the open ones
        # overdue now, among millions stopped.
        indexes = [
            models.Index(fields=["closed_at"]),
            models.Index(fields=["breached_at"]),
            models.Index(
                fields=["due_at"], condition=Q(closed_at__isnull=True), name="deadline_open_due"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "rule"],
                condition=Q(closed_at__isnull=True),
                name="one_open_deadline_per_rule",
            )
        ]

    def __str__(self):
        return f"{self.petition} · {self.rule}"

    @property
    def is_open(self):
        return self.closed_at is None


class DeadlineExtension(models.Model):
    """A request to extend a deadline and a supervisor's decision on it."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    deadline = models.ForeignKey(
        Deadline, verbose_name=_("deadline"), on_delete=models.PROTECT, related_name="extensions"
    )
    days = models.PositiveSmallIntegerField(_("days"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["requested_at", "id"]
        constraints = [
            # One request waits at a time, and a deadline is extended at most once.
            models.UniqueConstraint(
                fields=["deadline"], condition=Q(decision="pending"), name="one_pending_extension"
            ),
            models.UniqueConstraint(
                fields=["deadline"], condition=Q(decision="approved"), name="extended_once"
            ),
        ]

    def __str__(self):
        return f"{self.deadline} +{self.days} · {self.get_decision_display()}"


class DeadlineTimer(models.Model):
    """A reminder or breach waiting to fire. Our own table, not viewflow's `workflow_timers`: a
    deadline belongs to the petition, not to one flow task (handling spans every task and a
    reopened path), an extension moves it, and firing only records and announces, never moves
    the flow. A timer fires once: it is claimed under `SELECT ... SKIP LOCKED` and marked fired
    by a conditional update in the transaction that records it. A timer set for an earlier due
    time (before an extension or a calendar change) is skipped, not moved."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        BREACH = "breach", _("Breach")

    class Outcome(models.TextChoices):
        FIRED = "fired", _("Fired")
        SKIPPED = "skipped", _("Skipped: closed or moved")

    deadline = models.ForeignKey(
        Deadline, verbose_name=_("deadline"), on_delete=models.CASCADE, related_name="timers"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    fire_at = models.DateTimeField(_("fires at"))
    for_due_at = models.DateTimeField(_("for the due time"))
    fired_at = models.DateTimeField(_("fired at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    last_error = models.TextField(_("last error"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("deadline timer")
        verbose_name_plural = _("deadline timers")
        ordering = ["fire_at", "id"]
        indexes = [
            models.Index(fields=["fire_at"], condition=Q(fired_at__isnull=True), name="timer_due")
        ]

    def __str__(self):
        return f"{self.deadline} · {self.get_kind_display()} @ {self.fire_at:%Y-%m-%d %H:%M}"


class Transfer(models.Model):
    """A petition handed to another unit (another zone union, the federation, a grid area). Until
    the receiving unit accepts it, it stays the sender's ("in transfer"): a case is never
    nobody's. The receiver accepts it (its open task joins their queue) or sends it back with a
    reason by `answer_by`; one not answered by then is taken as accepted."""

    class State(models.TextChoices):
        PENDING = "pending", _("In transfer")
        ACCEPTED = "accepted", _("Taken over")
        RETURNED = "returned", _("Sent back")

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="transfers"
    )
    from_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("to"), on_delete=models.PROTECT, related_name="incoming_transfers"
    )
    reason = models.TextField(_("reason for the transfer"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("transferred by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("transferred at"), default=timezone.now)
    answer_by = models.DateTimeField(_("answer by"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for sending it back"), blank=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["petition"], condition=Q(state="pending"), name="one_pending_transfer"
            )
        ]
        indexes = [
            models.Index(fields=["to_unit"], condition=Q(state="pending"), name="incoming_pending"),
        ]

    def __str__(self):
        return f"{self.petition} → {self.to_unit} · {self.get_state_display()}"


# Complexity tiers and who may be given work: the tier rules, mediators' leave and recusals.


class TierRule(models.Model):
    """One rule of the complexity tiers: a petition matching every condition set here gets
    `tier`. Rules are tried in `position` order and the first match wins; a petition matching
    none is ordinary. Seeded from settings.CASEWORK["TIER_RULES"], edited in admin."""

    position = models.PositiveSmallIntegerField(_("position"), default=0)
    tier = models.CharField(_("complexity tier"), max_length=10, choices=Petition.Tier.choices)
    workers_at_least = models.PositiveIntegerField(_("workers at least"), null=True, blank=True)
    workers_at_most = models.PositiveIntegerField(_("workers at most"), null=True, blank=True)
    amount_at_least = models.DecimalField(
        _("claimed total at least (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    amount_at_most = models.DecimalField(
        _("claimed total at most (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    owner_missing = models.BooleanField(
        _("owner missing"), null=True, blank=True, help_text=_("Empty: either.")
    )
    is_group = models.BooleanField(
        _("group petition"), null=True, blank=True, help_text=_("Empty: either.")
    )
    category = models.CharField(
        _("category"),
        max_length=30,
        choices=Petition.Category.choices,
        blank=True,
        help_text=_("Empty: any category."),
    )

    class Meta:
        verbose_name = _("tier rule")
        verbose_name_plural = _("tier rules")
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.position} · {self.get_tier_display()}"


class MediatorAbsence(models.Model):
    """A mediator's leave, first to last day: meanwhile they are given no new work, and their
    open tasks go back to the queue when it starts (`released_at`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mediator"),
        on_delete=models.PROTECT,
        related_name="absences",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    released_at = models.DateTimeField(_("tasks released at"), null=True, blank=True)

    class Meta:
        verbose_name = _("mediator absence")
        verbose_name_plural = _("mediator absences")
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(
                fields=["starts_on"], condition=Q(released_at=None), name="absence_to_release"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="absence_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.starts_on} – {self.ends_on}"


class Recusal(models.Model):
    """A mediator's recorded conflict with an enterprise (回避): they are never given its cases."""

    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mediator"),
        on_delete=models.PROTECT,
        related_name="recusals",
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["mediator", "enterprise"], name="one_recusal_each")
        ]

    def __str__(self):
        return f"{self.mediator} · {self.enterprise}"
