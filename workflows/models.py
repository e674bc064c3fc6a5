from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process, Task

from casework.models import Petition


class PetitionProcess(Process):
    """One path of a petition through the flow: from intake, or from a reopening."""

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="processes"
    )

    class Meta:
        verbose_name = _("petition process")
        verbose_name_plural = _("petition processes")


class PetitionTask(Task):
    """A task of the petition flow. The petition is copied from the process, so queues filter and
    sort tasks without going through the process; `due_at` orders "my tasks"."""

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="tasks"
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("petition task")
        verbose_name_plural = _("petition tasks")

    def save(self, *args, **kwargs):
        if self._state.adding:
            process = self.process
            self.petition_id = getattr(process, "petition_id", None) or (
                PetitionProcess.objects.values_list("petition_id", flat=True).get(pk=process.pk)
            )
            self.due_at = self.compute_due_at()
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
