"""Other departments a zone union works with (labor inspection, the arbitration committee, the
justice bureau, courts...), referrals of a petition to one of them with their reply and, for the
arbitration committee, its statutory clocks; joint handling (协办): the parts of a case another
unit or department does; and the optional logins of department liaisons.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from casework.models import Evidence, OrgUnit, Petition


class Department(models.Model):
    """A body outside the union that a zone refers cases to or asks for a part; data per zone."""

    class Kind(models.TextChoices):
        LABOR_INSPECTION = "labor_inspection", _("Labor inspection (人社)")
        ARBITRATION = "arbitration", _("Labor dispute arbitration committee")
        JUSTICE = "justice", _("Justice bureau (司法)")
        PETITIONS = "petitions", _("Petitions bureau (信访)")
        HOUSING = "housing", _("Housing and construction (住建)")
        COURT = "court", _("Court")
        POLICE = "police", _("Public security")
        TOWNSHIP = "township", _("Township government")
        OTHER = "other", _("Other")

    zone = models.ForeignKey(
        OrgUnit,
        verbose_name=_("zone union"),
        on_delete=models.PROTECT,
        limit_choices_to={"kind": OrgUnit.Kind.ZONE},
        related_name="departments",
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["zone", "-is_active", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="one_department_name_per_zone"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_arbitration(self):
        return self.kind == self.Kind.ARBITRATION


class Liaison(models.Model):
    """A department's login: the user sees only what was referred or assigned to the department."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="department_liaison",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="liaisons"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"))

    class Meta:
        verbose_name = _("department liaison")
        verbose_name_plural = _("department liaisons")
        ordering = ["department", "user__username"]

    def __str__(self):
        return f"{self.user} · {self.department}"


class Referral(models.Model):
    """A petition referred to a department, and the department's reply. To the arbitration
    committee it also carries the statutory clocks (Art. 27 and Art. 43)."""

    class State(models.TextChoices):
        SENT = "sent", _("Awaiting reply")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="referrals"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="referrals"
    )
    reference = models.CharField(_("their reference number"), max_length=50, blank=True)
    sent_what = models.TextField(_("what was sent"))
    evidence = models.ManyToManyField(
        Evidence, verbose_name=_("evidence sent"), blank=True, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SENT)
    # The next day an unanswered referral reminds its sender; moved one period on at each reminder.
    remind_on = models.DateField(_("next reminder on"), null=True, blank=True)
    replied_on = models.DateField(_("reply date"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reply recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Arbitration only. Art. 27: the limitation runs a year from when the worker knew or should
    # have known of the infringement.
    known_on = models.DateField(_("infringement known on"), null=True, blank=True)
    limitation_warned_at = models.DateTimeField(_("limitation warning sent"), null=True, blank=True)
    # Art. 43: the award is due 45 days after the committee accepted, extendable once by 15.
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    extended_at = models.DateTimeField(_("extended at"), null=True, blank=True)
    award_on = models.DateField(_("award date"), null=True, blank=True)
    award = models.TextField(_("award"), blank=True)

    class Meta:
        verbose_name = _("referral to a department")
        verbose_name_plural = _("referrals to departments")
        ordering = ["-sent_at", "-id"]
        indexes = [
            # The timer's search for unanswered referrals due a reminder.
            models.Index(
                fields=["remind_on"], condition=Q(state="sent"), name="referral_awaiting_reminder"
            ),
        ]

    def __str__(self):
        return f"{self.petition} → {self.department}"

    @property
    def is_answered(self):
        return self.state != self.State.SENT

    @property
    def arbitration_accepted(self):
        """The committee accepted the application: the award clock runs from the reply date."""
        return self.department.is_arbitration and self.state == self.State.ACCEPTED


class JointPart(models.Model):
    """A part of the case the lead unit asks of another unit (a holder there) or a department."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="joint_parts"
    )
    asked = models.TextField(_("what is asked"))
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="joint_parts",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("due"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    result = models.TextField(_("result"), blank=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    asked_at = models.DateTimeField(_("asked at"))
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finished by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("joint handling part")
        verbose_name_plural = _("joint handling parts")
        ordering = ["asked_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(department__isnull=True))
                | (Q(unit__isnull=True) & Q(department__isnull=False)),
                name="joint_part_of_a_unit_or_a_department",
            ),
        ]

    def __str__(self):
        return f"{self.petition}: {Truncator(self.asked).chars(40)}"

    @property
    def is_open(self):
        return self.state == self.State.OPEN

    @property
    def doer(self):
        """Who does the part, as the case page names it."""
        return self.department or self.unit
