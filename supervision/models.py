"""督办: a higher unit puts a case under supervision with an order (what is required, by when);
the handling unit answers it with progress and result replies; the issuing unit closes it.
Reminders climb one level at a time (`Reminder`, one row per order and level)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.models import OrgUnit, Petition


class SupervisionOrder(models.Model):
    petition = models.ForeignKey(
        Petition,
        verbose_name=_("petition"),
        on_delete=models.PROTECT,
        related_name="supervision_orders",
    )
    # A strict ancestor of the petition's unit: the federation, or the zone above a grid area.
    issuing_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("supervising unit"), on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"))
    requirement = models.TextField(_("what is required"), max_length=2000)
    due_on = models.DateField(_("reply due by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    close_reason = models.TextField(_("reason for closing"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("supervision order")
        verbose_name_plural = _("supervision orders")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "issuing_unit"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_supervision_order_per_unit",
            ),
        ]
        indexes = [
            # The reminders' search for open orders coming due.
            models.Index(
                fields=["due_on"],
                condition=models.Q(closed_at__isnull=True),
                name="supervision_open_due_on",
            ),
        ]

    def __str__(self):
        return f"{self.petition} · {self.issuing_unit}"

    @property
    def is_open(self):
        return self.closed_at is None


class Reply(models.Model):
    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress")
        RESULT = "result", _("Result")

    order = models.ForeignKey(
        SupervisionOrder,
        verbose_name=_("supervision order"),
        on_delete=models.CASCADE,
        related_name="replies",
    )
    kind = models.CharField(_("kind of reply"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("reply"), max_length=4000)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("replied at"))

    class Meta:
        verbose_name = _("supervision reply")
        verbose_name_plural = _("supervision replies")
        ordering = ["replied_at", "id"]

    def __str__(self):
        return f"{self.order_id}: {self.get_kind_display()}"


class Reminder(models.Model):
    """A reminder sent at one level of the ladder: at most one per order and level."""

    class Level(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon: the case's holder")
        OVERDUE = "overdue", _("Overdue: the handling unit's supervisors")
        ISSUER = "issuer", _("Long overdue: the supervising unit")

    order = models.ForeignKey(
        SupervisionOrder,
        verbose_name=_("supervision order"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("supervision reminder")
        verbose_name_plural = _("supervision reminders")
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "level"], name="one_supervision_reminder_per_level"
            ),
        ]

    def __str__(self):
        return f"{self.order_id}: {self.level}"


# The ladder's order: a level is sent only while no higher one has been.
LEVELS = [Reminder.Level.DUE_SOON, Reminder.Level.OVERDUE, Reminder.Level.ISSUER]
