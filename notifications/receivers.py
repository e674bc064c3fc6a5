"""The producers wired here: signals in, `services.announce_*` out, published after commit.

- Group petition filed: `casework.signals.petition_recorded`, sent inside the intake transaction,
  or `facts_linked` when the workers added make an open petition a group (once).
- Case closed: `casework.signals.petition_transitioned` for the "close" step.
- Task assigned or reassigned: `workflows.signals.task_assigned`, sent by `PetitionTask.save`
  whenever the task gets a new owner. Once it has committed, the owner is told, unless they gave
  it to themselves (`by`: a claim, or a step whose next task stays with its taker).
- Emergency-fund release: `fund.signals.release_stepped`, inside the step's transaction:
  submitted -> its approvers; approved awaiting signature -> the committee liaisons; approved (or
  signed) for payment -> finance.
- Deadlines: `workflows.signals.deadline_announced`, inside the timer's transaction.
- Escalation: `escalation.signals.escalation_announced` ("escalated") and `travel_home_recorded`,
  inside the step's transaction.
- Monthly report not filed by its due day: `arrears.signals.report_overdue`, inside the timer's
  transaction: a reminder -> the enterprise union; an alert -> the grid's mediators and the
  zone's supervisors.
- Early warning: `prevention.signals.warning_raised`, inside the transaction that opens or
  raises it: a new warning -> its task's holder (or the grid's mediators); a warning turning
  red -> the zone's supervisors and committee liaisons.
- Every case event: the open pages of the petition's units refresh its rows.
- A user deactivated, or a role assignment given or removed: the person's open sockets check
  whether they may still listen (and close if not), and pages follow the units they now hold.
"""

from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse

from arrears.models import ReportNotice
from arrears.signals import report_overdue
from casework.models import CaseEvent, Membership
from casework.roles import LIAISON_ROLES
from casework.signals import facts_linked, petition_recorded, petition_transitioned
from escalation.signals import escalation_announced, travel_home_recorded
from fund.models import ReleaseStatus
from fund.signals import release_stepped
from prevention import services as prevention
from prevention.models import Level
from prevention.signals import warning_raised
from workflows.services import open_task
from workflows.signals import deadline_announced, task_assigned

from . import services


@receiver(petition_recorded, dispatch_uid="notifications-group-petition")
def alert_group_petition(sender, petition, actor, **kwargs):
    if petition.is_group:
        services.announce_group_petition(petition)


@receiver(facts_linked, dispatch_uid="notifications-group-petition-by-new-workers")
def alert_petition_become_group(sender, petition, actor, became_group=False, **kwargs):
    if became_group:
        services.announce_group_petition(petition)


@receiver(petition_transitioned, dispatch_uid="notifications-case-closed")
def tell_mediators_case_closed(sender, petition, actor, transition, **kwargs):
    if transition == "close":
        services.announce_case_closed(petition, actor=actor)


@receiver(release_stepped, dispatch_uid="notifications-release")
def tell_who_acts_next_on_release(sender, release, actor, step, **kwargs):
    petition, facts = release.petition, {"release_id": release.pk, "amount": release.total}
    if step == "submit":
        services.announce_release_awaiting_approval(
            petition,
            **facts,
            drafted_by=release.created_by,
            submitted_by=release.submitted_by,
            link=reverse("fund:approvals"),
        )
    elif step == "approve" and release.status == ReleaseStatus.AWAITING_SIGNATURE:
        services.announce_release_awaiting_approval(
            petition,
            **facts,
            drafted_by=release.created_by,
            submitted_by=release.submitted_by,
            roles=LIAISON_ROLES,
            link=reverse("fund:signing"),
        )
    elif step in ("approve", "sign") and release.status == ReleaseStatus.APPROVED:
        services.announce_release_to_pay(petition, **facts, link=reverse("fund:finance"))


@receiver(deadline_announced, dispatch_uid="notifications-deadline")
def tell_deadline_watchers(sender, deadline, kind, **kwargs):
    task = open_task(deadline.petition)
    services.announce_deadline(
        deadline.petition,
        step=deadline.rule.get_kind_display(),
        due_at=deadline.due_at,
        passed=kind == "breach",
        assignee=task.owner if task else None,
        data={"deadline": deadline.rule.kind},
    )


@receiver(report_overdue, dispatch_uid="notifications-report-overdue")
def tell_report_overdue(sender, notice, due_on, **kwargs):
    enterprise, month = notice.enterprise, notice.month
    alert = notice.kind == ReportNotice.Kind.ALERT
    if alert:
        link = f"{reverse('arrears:missing')}?month={month:%Y-%m}"
    else:
        link = reverse("arrears:enterprise", args=[enterprise.pk])
    services.announce_report_overdue(enterprise, month=month, due_on=due_on, alert=alert, link=link)


@receiver(escalation_announced, dispatch_uid="notifications-escalated")
def tell_committee(sender, escalation, step, **kwargs):
    if step == "escalated":
        services.announce_escalation(
            escalation.petition,
            reasons=escalation.reasons,
            link=reverse("escalation:detail", args=[escalation.pk]),
        )


@receiver(travel_home_recorded, dispatch_uid="notifications-travel-home")
def tell_mediators_travel_home(sender, escalation, needs, **kwargs):
    petition = escalation.petition
    services.announce_travel_home(
        petition,
        workers=len(needs),
        total=sum(need.amount for need in needs),
        link=reverse("fund:release-new", args=[petition.pk]),
    )


@receiver(warning_raised, dispatch_uid="notifications-red-warning")
def alert_red_warning(sender, warning, previous, **kwargs):
    if warning.level == Level.RED and previous != Level.RED:
        services.announce_red_warning(
            warning, link=reverse("prevention:warning", args=[warning.pk])
        )


@receiver(warning_raised, dispatch_uid="notifications-warning-to-handle")
def tell_warning_handler(sender, warning, previous, **kwargs):
    if previous is None:
        task = prevention.open_task(warning)
        services.announce_warning_to_handle(
            warning,
            owner=task.owner if task else None,
            link=reverse("prevention:warning", args=[warning.pk]),
        )


@receiver(task_assigned, dispatch_uid="notifications-task-assigned")
def note_assignment(sender, task, reassigned, by=None, **kwargs):
    if by is not None and by.pk == task.owner_id:
        return  # they took it themselves
    tell = partial(_tell_assignee, task, task.owner_id, reassigned)
    transaction.on_commit(tell, robust=True)


def _tell_assignee(task, owner_id, reassigned):
    if task.owner_id != owner_id:
        return  # given to someone else later in the same transaction: they are told
    services.announce_task_assigned(task, reassigned=reassigned)


@receiver(post_save, sender=CaseEvent, dispatch_uid="notifications-case-event")
def refresh_pages(sender, instance, created, **kwargs):
    if created:
        changed = partial(services.announce_petition_changed, [instance.petition_id])
        transaction.on_commit(changed, robust=True)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="notifications-deactivated")
def close_sockets_of_deactivated(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and "is_active" not in update_fields:
        return
    if not instance.is_active:
        services.recheck_sockets_on_commit(instance.pk)


@receiver(post_save, sender=Membership, dispatch_uid="notifications-role-given")
@receiver(post_delete, sender=Membership, dispatch_uid="notifications-role-removed")
def recheck_sockets_of_member(sender, instance, **kwargs):
    services.recheck_sockets_on_commit(instance.user_id)
