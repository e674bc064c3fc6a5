from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from casework.models import OrgUnit, Petition

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
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("petition task")
        verbose_name_plural = _("petition tasks")
        indexes = [
            models.Index(fields=["org_unit"], condition=Q(is_open=True), name="open_task_unit"),
            models.Index(fields=["org_unit"], condition=Q(in_queue=True), name="queued_task_unit"),
            models.Index(fields=["due_at"], condition=Q(is_open=True), name="open_task_due"),
        ]

    def save(self, *args, **kwargs):
        if self._state.adding:
            process = self.process
            self.petition_id = getattr(process, "petition_id", None) or (
                PetitionProcess.objects.values_list("petition_id", flat=True).get(pk=process.pk)
            )
            self.org_unit_id = self.petition.org_unit_id
            self.due_at = self.compute_due_at()
        # viewflow fills flow_task_type in its own save(), after this.
        kind = self.flow_task_type or getattr(self.flow_task, "task_type", "")
        self.is_open = kind == "HUMAN" and self.status in OPEN_TASK_STATUSES
        self.in_queue = self.is_open and self.owner_id is None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"status", "owner"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "is_open", "in_queue"}
        super().save(*args, **kwargs)

    def compute_due_at(self):
        """From the rules in settings.CASEWORK["TASK_DUE_DAYS"]; the fulfilment check falls due
        at the end of the agreement's payment day."""
        name = self.flow_task.name if self.flow_task else ""
        if name == "check_fulfilment":
            agreement = self.petition.agreements.last()
            return timezone.make_aware(datetime.combine(agreement.due_date, time(23, 59)))
        days = settings.CASEWORK["TASK_DUE_DAYS"].get(name)
        if days is None:
            return None
        start = self.petition.received_at if name == "triage" else timezone.now()
        return start + timedelta(days=days)
