"""The producers wired here: signals in, `services.announce_*` out, published after commit.

- Group petition filed: `casework.signals.petition_recorded`, sent inside the intake transaction,
  or `facts_linked` when the workers added make an open petition a group (once).
- Case closed: `casework.signals.petition_transitioned` for the "close" step; for the "merge"
  step, the mediators of both petitions are told which one goes on.
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
- Supervision (督办): `supervision.signals`, inside the step's transaction: an order issued ->
  the case's holder (or the handling side's mediators); a reply -> the supervising unit; a
  reminder -> the people of its level (`supervision.services.RECIPIENTS`).
- Other departments: `departments.signals.referral_stepped`, inside the step's transaction: a
  reply recorded, a reminder of an unanswered referral or the arbitration limitation running
  out -> the referral's sender; `part_requested`: a joint-handling part -> its holder (or the
  department's liaisons); `part_finished`: done by its holder -> the lead who asked.
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
from django.utils import formats
from django.utils.translation import gettext as _

from arrears.models import ReportNotice
from arrears.signals import report_overdue
from casework.models import CaseEvent, Membership
from casework.roles import LIAISON_ROLES
from casework.signals import facts_linked, petition_recorded, petition_transitioned
from departments.models import Liaison
from departments.signals import part_finished, part_requested, referral_stepped
from escalation.signals import escalation_announced, travel_home_recorded
from fund.models import ReleaseStatus
from fund.signals import release_stepped
from prevention import services as prevention
from prevention.models import Level
from prevention.signals import warning_raised
from supervision import services as supervision
from supervision.models import Reminder
from supervision.signals import order_issued, order_replied, reminder_due
from workflows.services import open_task
from workflows.signals import (
    deadline_announced,
    task_assigned,
    tasks_released,
    transfer_announced,
)

from . import services
from .models import Kind


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
    elif transition == "merge":
        services.announce_case_merged(petition, actor=actor)


@receiver(petition_transitioned, dispatch_uid="notifications-sent-back-to-mediation")
def tell_mediators_sent_back(sender, petition, actor, transition, **kwargs):
    if transition == "return_to_mediation":
        services.announce_sent_back_to_mediation(petition, actor=actor)


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


@receiver(transfer_announced, dispatch_uid="notifications-transfer")
def tell_about_transfer(sender, transfer, step, **kwargs):
    services.announce_transfer(transfer, step=step)


def _order_link(order):
    return reverse("supervision:order", args=[order.pk])


@receiver(order_issued, dispatch_uid="notifications-supervision-ordered")
def tell_handling_unit_of_order(sender, order, actor, **kwargs):
    petition = order.petition
    names = {"unit": order.issuing_unit.name, "number": petition.number, "due": order.due_on}
    services.publish_on_commit(
        Kind.SUPERVISION_ORDERED,
        recipients=[user for user in supervision.handlers(order) if user.pk != actor.pk],
        text=lambda: (
            _("%(unit)s put %(number)s under supervision: reply by %(due)s.")
            % {**names, "due": formats.date_format(names["due"], "SHORT_DATE_FORMAT")}
        ),
        petition=petition,
        data={"supervision_order": order.pk, "due": order.due_on.isoformat()},
        link=_order_link(order),
    )


@receiver(order_replied, dispatch_uid="notifications-supervision-replied")
def tell_issuer_of_reply(sender, reply, actor, **kwargs):
    order, petition = reply.order, reply.order.petition
    result = reply.kind == reply.Kind.RESULT

    def text():
        if result:
            return _("%(number)s: the result is reported on your supervision order; close it.") % {
                "number": petition.number
            }
        return _("%(number)s: progress is reported on your supervision order.") % {
            "number": petition.number
        }

    services.publish_on_commit(
        Kind.SUPERVISION_REPLIED,
        recipients=[user for user in supervision.supervising_people(order) if user.pk != actor.pk],
        text=text,
        petition=petition,
        data={"supervision_order": order.pk, "reply": reply.kind},
        link=_order_link(order),
    )


@receiver(reminder_due, dispatch_uid="notifications-supervision-reminder")
def send_supervision_reminder(sender, order, level, recipients, **kwargs):
    petition = order.petition

    def text():
        names = {
            "number": petition.number,
            "unit": order.issuing_unit.name,
            "due": formats.date_format(order.due_on, "SHORT_DATE_FORMAT"),
        }
        if level == Reminder.Level.DUE_SOON:
            return _("The supervision order of %(unit)s on %(number)s is due on %(due)s.") % names
        return (
            _("The supervision order of %(unit)s on %(number)s is overdue since %(due)s.") % names
        )

    services.publish_on_commit(
        Kind.SUPERVISION_REMINDER,
        recipients=recipients,
        text=text,
        petition=petition,
        data={"supervision_order": order.pk, "reminder": level, "due": order.due_on.isoformat()},
        link=_order_link(order),
    )


@receiver(tasks_released, dispatch_uid="notifications-tasks-released")
def tell_supervisor_tasks_released(sender, absence, tasks, **kwargs):
    """The supervisor who recorded the leave learns what went back to the queue."""
    names = {
        "user": absence.user.get_username(),
        "count": len(tasks),
        "numbers": "、".join(task.petition.number for task in tasks) or "—",
    }
    services.publish_on_commit(
        Kind.TASKS_RELEASED,
        recipients=[absence.recorded_by],
        text=lambda: (
            _("%(user)s is on leave: %(count)s open tasks went back to the queue (%(numbers)s).")
            % names
        ),
        data={"absence": absence.pk, "tasks": [task.pk for task in tasks]},
        link=reverse("workflows:queue"),
    )


@receiver(referral_stepped, dispatch_uid="notifications-referral")
def tell_referral_sender(sender, referral, step, actor=None, **kwargs):
    petition = referral.petition
    if actor is not None and actor.pk == referral.sent_by_id:
        return  # they recorded the reply themselves
    names = {"number": petition.number, "department": referral.department.name}

    def text():
        if step == "answered":
            return _("%(department)s replied on %(number)s.") % names
        if step == "reminder":
            return _("%(department)s has not replied on %(number)s yet: remind them.") % names
        return _("%(number)s: the limitation for arbitration runs out soon.") % names

    kinds = {
        "answered": Kind.REFERRAL_ANSWERED,
        "reminder": Kind.REFERRAL_REMINDER,
        "limitation": Kind.LIMITATION_NEAR,
    }
    services.publish_on_commit(
        kinds[step],
        recipients=[referral.sent_by],
        text=text,
        petition=petition,
        data={"referral": referral.pk, "step": step},
        link=reverse("casework:petition-detail", args=[petition.pk]),
    )


@receiver(part_requested, dispatch_uid="notifications-joint-part")
def tell_part_holder(sender, part, actor, **kwargs):
    if part.holder is not None:
        holders = [part.holder]
    else:
        holders = [
            liaison.user
            for liaison in Liaison.objects.filter(
                department=part.department, user__is_active=True
            ).select_related("user")
        ]
    petition = part.petition
    services.publish_on_commit(
        Kind.JOINT_PART_ASKED,
        recipients=[user for user in holders if user.pk != actor.pk],
        text=lambda: (
            _("Joint handling asked of you on %(number)s, due %(due)s.")
            % {
                "number": petition.number,
                "due": formats.date_format(part.due_on, "SHORT_DATE_FORMAT"),
            }
        ),
        petition=petition,
        data={"joint_part": part.pk, "due": part.due_on.isoformat()},
        link=reverse("departments:inbox"),
    )


@receiver(part_finished, dispatch_uid="notifications-joint-part-finished")
def tell_part_asker(sender, part, actor, **kwargs):
    if actor.pk == part.asked_by_id:
        return  # the lead finished it themselves
    petition = part.petition
    names = {"number": petition.number, "who": str(part.doer)}
    services.publish_on_commit(
        Kind.JOINT_PART_FINISHED,
        recipients=[part.asked_by],
        text=lambda: _("%(who)s finished its part on %(number)s.") % names,
        petition=petition,
        data={"joint_part": part.pk},
        link=reverse("casework:petition-detail", args=[petition.pk]),
    )
