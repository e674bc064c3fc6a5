"""Monthly wage-arrears reports (欠薪月报): each enterprise with a union files one per month
through its enterprise-union user, a zero report (零报告) when nothing is owed; the day of the
following month it is due by (a rule row per zone, seeded from settings.CASEWORK, edited in
admin); the reminders and alerts sent when one is not filed by then; and the arrears-reporting
responsibility letter each enterprise union signs.

Filing goes through `arrears.services`, which checks who may file and for which month; the
reminders and alerts are sent by `arrears.timers`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import Enterprise, OrgUnit

# Due days stop at 28: every month has them.
LAST_DUE_DAY = 28


class ReportDueRule(models.Model):
    """By which day of the following month a zone's monthly reports are due. The row without a
    zone holds for every zone that has none of its own."""

    zone = models.ForeignKey(
        OrgUnit,
        verbose_name=_("zone union"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        limit_choices_to={"kind": OrgUnit.Kind.ZONE},
        related_name="+",
        help_text=_("Empty: every zone union without a rule of its own."),
    )
    due_day = models.PositiveSmallIntegerField(
        _("due day of the following month"),
        validators=[MinValueValidator(1), MaxValueValidator(LAST_DUE_DAY)],
    )

    class Meta:
        verbose_name = _("monthly report due day")
        verbose_name_plural = _("monthly report due days")
        ordering = ["zone__path"]
        constraints = [
            # One row per zone, and one without a zone.
            models.UniqueConstraint(
                Coalesce("zone", Value(0)),
                name="one_due_day_per_zone",
                violation_error_message=_("This zone union already has a due day."),
            ),
            models.CheckConstraint(
                condition=Q(due_day__gte=1, due_day__lte=LAST_DUE_DAY),
                name="due_day_in_every_month",
            ),
        ]

    def __str__(self):
        where = self.zone.name if self.zone_id else _("Every zone union")
        return f"{where}: {self.due_day}"


class WagesPaid(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    UNPAID = "unpaid", _("Unpaid")


# The risk signals a report may declare: (field name, label), each a BooleanField below.
RISK_SIGNALS = (
    ("social_insurance_unpaid", _("Social insurance unpaid")),
    ("production_stopped", _("Production stopped")),
    ("owner_unreachable", _("Owner unreachable")),
    ("utilities_cut", _("Utilities cut off")),
    ("mass_resignations", _("Mass resignations")),
    ("large_order_lost", _("A large order lost")),
)
NO_SIGNAL = Q(**{name: False for name, _label in RISK_SIGNALS})
NO_ARREARS = Q(wages=WagesPaid.ON_TIME, months_in_arrears=0, workers_affected=0, amount_owed=0)


# The fields of `ArrearsFacts`, in the order forms and admin show them.
FACT_FIELDS = (
    "wages",
    "months_in_arrears",
    "workers_affected",
    "amount_owed",
    *(name for name, _label in RISK_SIGNALS),
)


class ArrearsFacts(models.Model):
    """What a monthly report declares and a screening visit finds: whether wages are paid, how
    many months and workers are owed how much, and the risk signals."""

    wages = models.CharField(
        _("wages paid"), max_length=10, choices=WagesPaid.choices, default=WagesPaid.ON_TIME
    )
    months_in_arrears = models.PositiveSmallIntegerField(_("months in arrears"), default=0)
    workers_affected = models.PositiveIntegerField(_("workers affected"), default=0)
    amount_owed = models.DecimalField(
        _("amount owed (yuan)"), max_digits=14, decimal_places=2, default=0
    )
    social_insurance_unpaid = models.BooleanField(RISK_SIGNALS[0][1], default=False)
    production_stopped = models.BooleanField(RISK_SIGNALS[1][1], default=False)
    owner_unreachable = models.BooleanField(RISK_SIGNALS[2][1], default=False)
    utilities_cut = models.BooleanField(RISK_SIGNALS[3][1], default=False)
    mass_resignations = models.BooleanField(RISK_SIGNALS[4][1], default=False)
    large_order_lost = models.BooleanField(RISK_SIGNALS[5][1], default=False)

    class Meta:
        abstract = True

    def clean(self):
        """Unpaid wages must say how many workers are owed how much."""
        errors = {}
        if self.wages == WagesPaid.UNPAID:
            if not self.workers_affected:
                errors["workers_affected"] = _("Unpaid wages: say how many workers are owed.")
            if not self.amount_owed:
                errors["amount_owed"] = _("Unpaid wages: say how much is owed.")
        if errors:
            raise ValidationError(errors)

    @property
    def signals(self):
        """The labels of the risk signals declared."""
        return [label for name, label in RISK_SIGNALS if getattr(self, name)]


class MonthlyReport(ArrearsFacts):
    """An enterprise's wage-payment report for one month, filed once."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="monthly_reports",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month reported on."))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    is_zero = models.BooleanField(_("zero report (nothing owed)"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("monthly arrears report")
        verbose_name_plural = _("monthly arrears reports")
        ordering = ["-month", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "month"], name="one_report_per_enterprise_and_month"
            ),
            models.CheckConstraint(
                condition=Q(is_zero=False) | (NO_ARREARS & NO_SIGNAL),
                name="zero_report_declares_nothing",
            ),
            models.CheckConstraint(
                condition=Q(amount_owed__gte=0), name="amount_owed_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.month:%Y-%m}"

    @property
    def declares_arrears(self):
        return self.wages != WagesPaid.ON_TIME or self.amount_owed > 0 or bool(self.signals)


class ResponsibilityLetter(models.Model):
    """The arrears-reporting responsibility letter (欠薪报告责任书) an enterprise union signed."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="responsibility_letters",
    )
    signed_on = models.DateField(_("signed on"))
    signed_by = models.CharField(_("signed by"), max_length=100)
    valid_until = models.DateField(_("valid until"))

    class Meta:
        verbose_name = _("responsibility letter")
        verbose_name_plural = _("responsibility letters")
        ordering = ["enterprise__name", "-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("signed_on")),
                name="letter_valid_after_signing",
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.signed_on}"


class ReportNotice(models.Model):
    """A reminder (to the enterprise union) or an alert (to the grid's mediators and the zone's
    supervisors) sent because a month's report was not filed by its due day. One of each kind
    per enterprise and month: the constraint is what makes a timer fire once, whichever timer
    process gets there first."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        ALERT = "alert", _("Alert")

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="report_notices",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month reported on."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("missing report notice")
        verbose_name_plural = _("missing report notices")
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "month", "kind"], name="one_notice_per_report_and_kind"
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.month:%Y-%m} · {self.get_kind_display()}"
