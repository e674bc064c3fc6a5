"""What people are told: one `Notification` row per event and recipient, in the recipient's
language (`Preference`), kept `settings.NOTIFICATIONS["KEEP_DAYS"]` days; `Kind` names every
event they can be told of. Written by `notifications.services`, pushed by the consumer.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    GROUP_PETITION_FILED = "group_petition_filed", _("Group petition filed")
    RELEASE_AWAITING_APPROVAL = "release_awaiting_approval", _("Release awaiting approval")
    TASK_ASSIGNED = "task_assigned", _("Task assigned")
    DEADLINE_NEAR = "deadline_near", _("Deadline near")
    DEADLINE_PASSED = "deadline_passed", _("Deadline passed")
    CASE_CLOSED = "case_closed", _("Case closed")
    RELEASE_TO_PAY = "release_to_pay", _("Release to pay")
    ESCALATED = "escalated", _("Escalated to the committee")
    TRAVEL_HOME_RECORDED = "travel_home_recorded", _("Travel-home costs recorded")
    REPORT_REMINDER = "report_reminder", _("Monthly report overdue")
    REPORT_MISSING = "report_missing", _("Monthly report missing")
    RED_WARNING = "red_warning", _("Red early warning")
    WARNING_TO_HANDLE = "warning_to_handle", _("Early warning to handle")
    TRANSFER_TO_ANSWER = "transfer_to_answer", _("Transfer to accept or send back")
    TRANSFER_ANSWERED = "transfer_answered", _("Transfer answered")
    CALLBACK_RETURNED = "callback_returned", _("Sent back to mediation after the callback")
    TASKS_RELEASED = "tasks_released", _("Tasks released to the queue")
    REFERRAL_ANSWERED = "referral_answered", _("Department replied")
    REFERRAL_REMINDER = "referral_reminder", _("Department has not replied")
    JOINT_PART_ASKED = "joint_part_asked", _("Joint handling asked of you")
    JOINT_PART_FINISHED = "joint_part_finished", _("Joint handling part finished")
    LIMITATION_NEAR = "limitation_near", _("Limitation period running out")
    SUPERVISION_ORDERED = "supervision_ordered", _("Case put under supervision")
    SUPERVISION_REPLIED = "supervision_replied", _("Reply to a supervision order")
    SUPERVISION_REMINDER = "supervision_reminder", _("Supervision order reminder")


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at=None)

    def expired(self):
        keep = timedelta(days=settings.NOTIFICATIONS["KEEP_DAYS"])
        return self.filter(created__lt=timezone.now() - keep)


class Notification(models.Model):
    """One event for one person, in that person's language. Written in the transaction of the
    change that caused it and pushed to their sockets after it commits; the id orders catch-up."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    petition = models.ForeignKey(
        "casework.Petition",
        verbose_name=_("petition"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    text = models.CharField(_("text"), max_length=500)
    link = models.CharField(_("link"), max_length=200, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-id"]
        indexes = [
            # Catch-up after a reconnect and the inbox: one person's rows by id.
            models.Index(fields=["recipient", "id"], name="notification_recipient_id"),
            # The bell: one person's unread rows.
            models.Index(
                fields=["recipient"], condition=Q(read_at=None), name="notification_unread"
            ),
        ]

    def __str__(self):
        return f"{self.recipient} · {self.get_kind_display()} · {self.text}"

    @property
    def is_read(self):
        return self.read_at is not None

    def as_message(self, petition_number=None):
        """The JSON a socket receives (schema in the package docstring)."""
        return {
            "type": "notification",
            "id": self.pk,
            "kind": self.kind,
            "petition": petition_number
            if petition_number is not None
            else (self.petition.number if self.petition_id else None),
            "text": self.text,
            "time": self.created.isoformat(),
            "link": self.link,
            "data": self.data,
            "read": self.is_read,
        }


class Preference(models.Model):
    """The language a person's notifications are written in (their last language on a page)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user} · {self.get_language_display()}"
