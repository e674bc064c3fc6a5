"""Early warning of wage arrears (预警): the rules that give a level (rows, seeded from
settings.CASEWORK, edited in admin), the screening visits grid mediators record (矛盾排查), and
the warnings a report or a visit opens, one open per enterprise at a time, each worked as a task
of `prevention.flows.WarningFlow` by the grid area's mediator until it is closed or turned into
a petition.

Warnings change only through `prevention.services`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process, Task

from arrears.models import RISK_SIGNALS, ArrearsFacts
from casework.models import Enterprise, Petition

from .rules import LEVELS


class Level(models.TextChoices):
    BLUE = "blue", _("Blue")
    YELLOW = "yellow", _("Yellow")
    RED = "red", _("Red")


assert tuple(Level.values) == LEVELS  # the rules rank the levels in this order


class WarningRule(models.Model):
    """A level and the thresholds that give it: the rule matches when every threshold it names
    is reached. Of the matching active rules, the highest level wins."""

    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    amount_owed_at_least = models.DecimalField(
        _("amount owed at least (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    workers_affected_at_least = models.PositiveIntegerField(
        _("workers affected at least"), null=True, blank=True
    )
    signals_at_least = models.PositiveSmallIntegerField(
        _("risk signals at least"), null=True, blank=True
    )
    signals = models.JSONField(
        _("any of these risk signals"),
        default=list,
        blank=True,
        help_text=_('Field names of the risk signals, e.g. ["owner_unreachable"].'),
    )
    history_count = models.PositiveSmallIntegerField(
        _("reports with arrears at least"), null=True, blank=True
    )
    history_months = models.PositiveSmallIntegerField(
        _("within the last months"), null=True, blank=True
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("warning rule")
        verbose_name_plural = _("warning rules")
        ordering = ["level", "id"]

    def __str__(self):
        return f"{self.get_level_display()} #{self.pk}"

    def clean(self):
        known = {name for name, _label in RISK_SIGNALS}
        if not isinstance(self.signals, list) or not set(self.signals) <= known:
            raise ValidationError({"signals": _("Name risk signals among: %s") % ", ".join(known)})
        thresholds = (
            self.amount_owed_at_least,
            self.workers_affected_at_least,
            self.signals_at_least,
            self.history_count,
        )
        if all(t is None for t in thresholds) and not self.signals:
            raise ValidationError(_("Name at least one threshold."))
        if self.history_count is not None and not self.history_months:
            raise ValidationError({"history_months": _("Say within how many months.")})


class ScreeningVisit(ArrearsFacts):
    """A grid mediator's screening visit (矛盾排查) to an enterprise, with or without a union:
    the same figures and risk signals as a monthly report, and what was found."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="visits"
    )
    visited_on = models.DateField(_("visited on"), default=timezone.localdate)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visited by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField(_("what was found"))

    class Meta:
        verbose_name = _("screening visit")
        verbose_name_plural = _("screening visits")
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_owed__gte=0), name="visit_amount_owed_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.visited_on}"


class WarningStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    CONVERTED = "converted", _("Turned into a petition")


class EarlyWarning(models.Model):
    """An enterprise's early warning: opened by a report or a visit, raised by later ones while
    open (one open warning per enterprise), closed with a note or turned into a petition."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="warnings"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=WarningStatus.choices, default=WarningStatus.OPEN
    )
    report = models.ForeignKey(
        "arrears.MonthlyReport",
        verbose_name=_("opened by the report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    visit = models.ForeignKey(
        ScreeningVisit,
        verbose_name=_("opened by the visit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    close_note = models.TextField(_("closing note"), blank=True)
    petition = models.OneToOneField(
        Petition,
        verbose_name=_("petition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="early_warning",
    )

    class Meta:
        verbose_name = _("early warning")
        verbose_name_plural = _("early warnings")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(status="open"),
                name="one_open_warning_per_enterprise",
            ),
            models.CheckConstraint(
                condition=Q(report__isnull=False) | Q(visit__isnull=False),
                name="warning_has_a_source",
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.get_level_display()} · {self.opened_at:%Y-%m-%d}"

    @property
    def is_open(self):
        return self.status == WarningStatus.OPEN


class WarningEntry(models.Model):
    """A line of a warning's own history: opened, raised, what was done, closed, converted."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Opened")
        RAISED = "raised", _("Level raised")
        NOTED = "noted", _("A new report or visit, same level")
        ACTION = "action", _("What was done")
        CLOSED = "closed", _("Closed")
        CONVERTED = "converted", _("Turned into a petition")

    warning = models.ForeignKey(
        EarlyWarning, verbose_name=_("warning"), on_delete=models.CASCADE, related_name="entries"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, blank=True)
    report = models.ForeignKey(
        "arrears.MonthlyReport",
        verbose_name=_("report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="warning_entries",
    )
    visit = models.ForeignKey(
        ScreeningVisit,
        verbose_name=_("visit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="warning_entries",
    )
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("warning entry")
        verbose_name_plural = _("warning entries")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.warning_id} · {self.get_kind_display()}"


class WarningProcess(Process):
    """The warning's flow: one path per warning."""

    warning = models.OneToOneField(
        EarlyWarning, verbose_name=_("warning"), on_delete=models.PROTECT, related_name="process"
    )

    class Meta:
        verbose_name = _("warning process")
        verbose_name_plural = _("warning processes")


class WarningTask(Task):
    """A task of the warning flow; the warning is copied from the process for lookups."""

    warning = models.ForeignKey(
        EarlyWarning, verbose_name=_("warning"), on_delete=models.PROTECT, related_name="tasks"
    )

    class Meta:
        verbose_name = _("warning task")
        verbose_name_plural = _("warning tasks")

    def save(self, *args, **kwargs):
        if self._state.adding:
            self.warning_id = getattr(self.process, "warning_id", None) or (
                WarningProcess.objects.values_list("warning_id", flat=True).get(pk=self.process_id)
            )
        super().save(*args, **kwargs)
