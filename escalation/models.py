"""Escalation to the party working committee (党工委): the rules that send a petition up (rows,
seeded from settings.CASEWORK, edited in admin), the escalation and its path through
`escalation.flows.EscalationFlow`, and what the committee records on the way: the departments it
convened, the task force, the workers' representatives, travel home and job referrals.

The tables keep the names they had in workflows (`db_table`): no data moved.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process, Task

from casework.models import Claim, Petition
from workflows.models import DeadlineKind


class EscalationRule(models.Model):
    """When a petition goes up to the party working committee. Any active rule that matches
    escalates it, once."""

    class Kind(models.TextChoices):
        GROUP = "group", _("Group petition (Art. 7)")
        WORKERS_ABOVE = "workers_above", _("More workers than the threshold")
        OWNER_MISSING = "owner_missing", _("Owner missing")
        CLAIMED_ABOVE = "claimed_above", _("Claimed total above the threshold (yuan)")
        DEADLINE_BREACHED = "deadline_breached", _("A deadline breached")
        DECISION = "decision", _("A supervisor's decision")

    kind = models.CharField(_("rule"), max_length=20, choices=Kind.choices)
    threshold = models.DecimalField(
        _("threshold"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Workers or yuan, for the rules that compare."),
    )
    deadline = models.CharField(
        _("deadline"),
        max_length=20,
        choices=DeadlineKind.choices,
        blank=True,
        help_text=_("For a breached deadline: which one (empty: any)."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        db_table = "workflows_escalationrule"
        verbose_name = _("escalation rule")
        verbose_name_plural = _("escalation rules")
        ordering = ["kind", "id"]

    def __str__(self):
        return self.get_kind_display()

    def clean(self):
        needs = {self.Kind.WORKERS_ABOVE, self.Kind.CLAIMED_ABOVE}
        if self.kind in needs and self.threshold is None:
            raise ValidationError({"threshold": _("This rule compares with a threshold.")})


class Escalation(models.Model):
    """A petition reported to the party working committee: at most one per petition."""

    petition = models.OneToOneField(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="escalation"
    )
    reasons = models.JSONField(_("rules matched"), default=list)
    note = models.TextField(_("note"), blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), default=timezone.now)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("escalated by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.TextField(_("outcome"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        db_table = "workflows_escalation"
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-escalated_at", "-id"]

    def __str__(self):
        return f"{self.petition} · {self.escalated_at:%Y-%m-%d}"

    @property
    def is_open(self):
        return self.closed_at is None

    def reason_labels(self):
        labels = dict(EscalationRule.Kind.choices)
        return [labels.get(kind, kind) for kind in self.reasons]


class EscalationProcess(Process):
    """The escalation's flow, beside the petition's own (linked by the petition, as the
    open-source viewflow has no subprocess)."""

    escalation = models.OneToOneField(
        Escalation, verbose_name=_("escalation"), on_delete=models.PROTECT, related_name="process"
    )

    class Meta:
        db_table = "workflows_escalationprocess"
        verbose_name = _("escalation process")
        verbose_name_plural = _("escalation processes")


class EscalationTask(Task):
    """A task of the escalation flow; the escalation is copied from the process for lookups."""

    escalation = models.ForeignKey(
        Escalation, verbose_name=_("escalation"), on_delete=models.PROTECT, related_name="tasks"
    )

    class Meta:
        db_table = "workflows_escalationtask"
        verbose_name = _("escalation task")
        verbose_name_plural = _("escalation tasks")

    def save(self, *args, **kwargs):
        if self._state.adding:
            self.escalation_id = getattr(self.process, "escalation_id", None) or (
                EscalationProcess.objects.values_list("escalation_id", flat=True).get(
                    pk=self.process_id
                )
            )
        super().save(*args, **kwargs)


class Department(models.TextChoices):
    HUMAN_RESOURCES = "human_resources", _("Human resources and social security")
    LABOR_INSPECTION = "labor_inspection", _("Labor inspection")
    PUBLIC_SECURITY = "public_security", _("Public security")
    COURTS = "courts", _("Courts")
    SUB_DISTRICT = "sub_district", _("Sub-district")


class Coordination(models.Model):
    """A meeting the committee convened: which departments came and what was decided."""

    escalation = models.ForeignKey(
        Escalation,
        verbose_name=_("escalation"),
        on_delete=models.PROTECT,
        related_name="coordinations",
    )
    held_on = models.DateField(_("held on"))
    departments = models.JSONField(_("departments convened"), default=list)
    decisions = models.TextField(_("decisions taken"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        db_table = "workflows_coordination"
        verbose_name = _("coordination")
        verbose_name_plural = _("coordinations")
        ordering = ["held_on", "id"]

    def __str__(self):
        return f"{self.escalation} · {self.held_on}"

    def department_labels(self):
        labels = dict(Department.choices)
        return [labels.get(d, d) for d in self.departments]


class TaskForceMember(models.Model):
    class Position(models.TextChoices):
        LEADER = "leader", _("Leader")
        DEPUTY = "deputy", _("Deputy leader")
        MEMBER = "member", _("Member")

    escalation = models.ForeignKey(
        Escalation,
        verbose_name=_("escalation"),
        on_delete=models.PROTECT,
        related_name="task_force",
    )
    name = models.CharField(_("name"), max_length=50)
    organization = models.CharField(_("organization"), max_length=100)
    position = models.CharField(
        _("position"), max_length=10, choices=Position.choices, default=Position.MEMBER
    )

    class Meta:
        db_table = "workflows_taskforcemember"
        verbose_name = _("task force member")
        verbose_name_plural = _("task force members")
        ordering = ["id"]

    def __str__(self):
        return f"{self.name} ({self.get_position_display()})"


class JobVacancy(models.Model):
    """A partner employer's vacancies offered to the laid-off workers of a group petition."""

    escalation = models.ForeignKey(
        Escalation, verbose_name=_("escalation"), on_delete=models.PROTECT, related_name="vacancies"
    )
    employer = models.CharField(_("employer"), max_length=200)
    positions = models.CharField(_("positions"), max_length=200)
    openings = models.PositiveSmallIntegerField(_("openings"))

    class Meta:
        db_table = "workflows_jobvacancy"
        verbose_name = _("job vacancy")
        verbose_name_plural = _("job vacancies")
        ordering = ["id"]

    def __str__(self):
        return f"{self.employer}: {self.positions} ×{self.openings}"


class JobReferral(models.Model):
    class Result(models.TextChoices):
        REFERRED = "referred", _("Referred")
        INTERVIEWED = "interviewed", _("Interviewed")
        HIRED = "hired", _("Hired")
        DECLINED = "declined", _("Not taken")

    vacancy = models.ForeignKey(
        JobVacancy, verbose_name=_("vacancy"), on_delete=models.PROTECT, related_name="referrals"
    )
    claim = models.ForeignKey(
        Claim, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(
        _("result"), max_length=12, choices=Result.choices, default=Result.REFERRED
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        db_table = "workflows_jobreferral"
        verbose_name = _("job referral")
        verbose_name_plural = _("job referrals")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "claim"], name="one_referral_per_vacancy")
        ]

    def __str__(self):
        return f"{self.claim_id} → {self.vacancy} · {self.get_result_display()}"


class TravelHomeNeed(models.Model):
    """What a non-local worker of a group petition needs to travel home: the lines of an
    emergency-fund release (purpose "travel home")."""

    escalation = models.ForeignKey(
        Escalation,
        verbose_name=_("escalation"),
        on_delete=models.PROTECT,
        related_name="travel_home",
    )
    claim = models.ForeignKey(
        Claim, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="+"
    )
    destination = models.CharField(_("destination"), max_length=100)
    amount = models.DecimalField(_("cost (yuan)"), max_digits=10, decimal_places=2)

    class Meta:
        db_table = "workflows_travelhomeneed"
        verbose_name = _("travel-home need")
        verbose_name_plural = _("travel-home needs")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["escalation", "claim"], name="one_travel_need"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="travel_cost_positive"),
        ]

    def __str__(self):
        return f"{self.claim_id} → {self.destination}: {self.amount}"
