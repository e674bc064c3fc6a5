"""督办: issue an order on a case, reply to it, close it, and remind up the ladder.

Who may do what is decided here, once, and used by the views, the card and the timer:
- the supervising unit is a strict ancestor of the petition's unit; its supervisors and admins
  (a role held above covers it too) issue and close, and at the federation the committee
  liaison as well;
- the handling side is the petition's unit and the units between it and the supervising unit:
  people with mediation roles there reply;
- anyone else who holds a role over the petition reads the orders; the rest get a 404.

Each step is one transaction and writes the petition's timeline; the signals in
`supervision.signals` carry it to the notifications.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import access
from casework.events import EventName
from casework.exceptions import CalendarUnknown, Conflict, TransitionRefused
from casework.models import Membership, OrgUnit, Petition
from casework.roles import MEDIATION_ROLES, SUPERVISOR_ROLES, Role, has_role_at, memberships_of
from casework.services import record_event
from workflows import calendar
from workflows.services import open_task

from .models import LEVELS, Reminder, Reply, SupervisionOrder
from .signals import order_issued, order_replied, reminder_due

# Who reads the lists of cases under supervision.
READER_ROLES = (Role.MEDIATOR, Role.SUPERVISOR, Role.COMMITTEE_LIAISON, Role.AUDITOR, Role.ADMIN)


def _setting(name):
    return settings.CASEWORK[name]


# Who may.


# The party working committee sits with a union (the seeds' development-zone committee with its
# zone union): its liaison there supervises that union's cases as the union's supervisors do.
ISSUING_ROLES = (*SUPERVISOR_ROLES, Role.COMMITTEE_LIAISON)


def may_act_for(user, unit):
    """Whether the user issues and closes orders in the name of `unit`."""
    return has_role_at(user, unit, ISSUING_ROLES)


def issuing_units(user, petition):
    """The strict ancestors of the petition's unit the user may issue an order for, nearest
    first."""
    above = petition.org_unit.ancestor_paths[:-1]
    units = OrgUnit.objects.filter(path__in=above).order_by("-path")
    return [unit for unit in units if may_act_for(user, unit)]


def may_see(user, petition):
    """Whether the user reads the petition's orders: a role held over its unit (the supervising
    units are above it). An enterprise union's reach, one enterprise, does not include them."""
    return access.has_any_role_at(user, petition.org_unit)


def _handling_paths(order):
    """The paths of the handling side: the petition's unit up to, not including, the
    supervising unit."""
    cut = len(order.issuing_unit.path)
    return [p for p in order.petition.org_unit.ancestor_paths if len(p) > cut]


def may_reply(user, order):
    if user.is_superuser:
        return True
    paths = set(_handling_paths(order))
    return any(role in MEDIATION_ROLES and path in paths for role, path in memberships_of(user))


def may_close(user, order):
    return may_act_for(user, order.issuing_unit)


# Dates.


def default_due(today=None):
    return calendar.add_working_days(
        today or timezone.localdate(), _setting("SUPERVISION_DEFAULT_WORKING_DAYS")
    )


def due_status(order, today=None):
    """(working days left, negative when late; overdue; first provisional year or None)."""
    today = today or timezone.localdate()
    left = calendar.working_days_left(order.due_on, today)
    start, end = sorted((today, order.due_on))
    return left, order.is_open and today > order.due_on, calendar.provisional_year(start, end)


def _check_due(due_on, today):
    if due_on <= today:
        raise ValidationError({"due_on": _("Choose a date after today.")})
    try:
        calendar.working_days_left(due_on, today)
    except CalendarUnknown as err:
        raise ValidationError({"due_on": str(err)}) from err


# The steps.


def _locked(order):
    return (
        SupervisionOrder.objects.select_for_update()
        .select_related("petition__org_unit", "issuing_unit")
        .get(pk=order.pk)
    )


@transaction.atomic
def issue_order(petition, *, actor, issuing_unit, requirement, due_on=None):
    """Put the petition under the supervision of `issuing_unit`. A second open order of the
    same unit on the same petition is a Conflict, however close together they come."""
    if issuing_unit.pk not in {unit.pk for unit in issuing_units(actor, petition)}:
        raise PermissionDenied(_("Only a higher unit's supervisors may put this case under it."))
    petition = Petition.objects.select_for_update().select_related("org_unit").get(pk=petition.pk)
    if not petition.is_open:
        raise TransitionRefused(_("This petition is finished."))
    requirement = (requirement or "").strip()
    if not requirement:
        raise ValidationError({"requirement": _("Say what the handling unit must do.")})
    today = timezone.localdate()
    due_on = due_on or default_due(today)
    _check_due(due_on, today)
    taken = _("%(unit)s already has an open supervision order on this case.") % {
        "unit": issuing_unit.name
    }
    if petition.supervision_orders.filter(issuing_unit=issuing_unit, closed_at=None).exists():
        raise Conflict(taken)
    try:
        with transaction.atomic():
            order = SupervisionOrder.objects.create(
                petition=petition,
                issuing_unit=issuing_unit,
                issued_by=actor,
                issued_at=timezone.now(),
                requirement=requirement,
                due_on=due_on,
            )
    except IntegrityError as err:
        raise Conflict(taken) from err
    data = {"supervising_unit": issuing_unit.name, "due": due_on.isoformat()}
    provisional = calendar.provisional_year(today, due_on)
    if provisional:
        data["provisional_year"] = provisional
    record_event(
        petition, EventName.SUPERVISION_ORDERED, actor=actor, reason=requirement, data=data
    )
    order_issued.send(sender=SupervisionOrder, order=order, actor=actor)
    return order


@transaction.atomic
def reply_to_order(order, *, actor, kind, text):
    """A progress or result reply of the handling side; replies sent at once are all kept."""
    if not may_reply(actor, order):
        raise PermissionDenied(_("Only the handling unit replies to this order."))
    if kind not in Reply.Kind.values:
        raise ValidationError({"kind": _("Choose progress or result.")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what was done.")})
    order = _locked(order)
    if not order.is_open:
        raise Conflict(_("This supervision order has been closed."))
    reply = Reply.objects.create(
        order=order, kind=kind, text=text, replied_by=actor, replied_at=timezone.now()
    )
    record_event(
        order.petition,
        EventName.SUPERVISION_REPLIED,
        actor=actor,
        reason=text,
        data={"supervising_unit": order.issuing_unit.name, "reply": kind},
    )
    order_replied.send(sender=SupervisionOrder, reply=reply, actor=actor)
    return reply


@transaction.atomic
def close_order(order, *, actor, reason=""):
    """Close the order: once a result was reported, or earlier with a reason (the case moved
    on, the order was issued in error). Of two closes at once, one wins; the other is a
    Conflict."""
    if not may_close(actor, order):
        raise PermissionDenied(_("Only the supervising unit closes this order."))
    reason = (reason or "").strip()
    order = _locked(order)
    if not order.is_open:
        raise Conflict(_("This supervision order has already been closed."))
    with_result = order.replies.filter(kind=Reply.Kind.RESULT).exists()
    if not with_result and not reason:
        raise ValidationError(
            {"reason": _("No result has been reported yet: say why the order is closed anyway.")}
        )
    now = timezone.now()
    # Conditional, so that a close racing past the lock (SQLite) still loses.
    closed = SupervisionOrder.objects.filter(pk=order.pk, closed_at=None).update(
        closed_at=now, closed_by=actor, close_reason=reason
    )
    if not closed:
        raise Conflict(_("This supervision order has already been closed."))
    order.closed_at, order.closed_by, order.close_reason = now, actor, reason
    record_event(
        order.petition,
        EventName.SUPERVISION_CLOSED,
        actor=actor,
        reason=reason,
        data={"supervising_unit": order.issuing_unit.name, "with_result": with_result},
    )
    return order


# Closing the case.


def unanswered_orders(petition):
    return petition.supervision_orders.filter(closed_at=None).exclude(
        replies__kind=Reply.Kind.RESULT
    )


def close_check(petition):
    """The case does not close while an open order has no result reply."""
    units = list(unanswered_orders(petition).values_list("issuing_unit__name", flat=True))
    if not units:
        return None
    return _("The supervision order of %(units)s awaits its result reply.") % {
        "units": "、".join(units)
    }


# Reminders.


def _active(members):
    users = get_user_model().objects.filter(pk__in=members.values("user"), is_active=True)
    return list(users.order_by("pk"))


def _handling_side(order, roles):
    return _active(
        Membership.objects.filter(role__in=roles, org_unit__path__in=_handling_paths(order))
    )


def handlers(order):
    """Who answers the order: the holder of the petition's open task, else the handling side's
    mediators."""
    task = open_task(order.petition)
    if task is not None and task.owner is not None and task.owner.is_active:
        return [task.owner]
    return _handling_side(order, (Role.MEDIATOR,))


def handling_supervisors(order):
    """The supervisors of the handling side; where it has none (a grid area under the zone
    that issued), those over the petition's unit."""
    return _handling_side(order, SUPERVISOR_ROLES) or list(
        access.users_holding(order.petition.org_unit, SUPERVISOR_ROLES)
    )


def supervising_people(order):
    """Who closes the order: the supervising unit's supervisors (and its committee liaisons at
    the federation), and whoever issued it."""
    roles = SUPERVISOR_ROLES
    if order.issuing_unit.kind == OrgUnit.Kind.FEDERATION:
        roles = (*SUPERVISOR_ROLES, Role.COMMITTEE_LIAISON)
    people = list(access.users_holding(order.issuing_unit, roles))
    if order.issued_by.is_active and all(p.pk != order.issued_by_id for p in people):
        people.append(order.issued_by)
    return people


RECIPIENTS = {
    Reminder.Level.DUE_SOON: handlers,
    Reminder.Level.OVERDUE: handling_supervisors,
    Reminder.Level.ISSUER: supervising_people,
}


def level_due(order, today):
    """The highest level of the ladder reached today, or None."""
    left = calendar.working_days_left(order.due_on, today)
    if today > order.due_on:
        if -left >= _setting("SUPERVISION_ESCALATE_WORKING_DAYS"):
            return Reminder.Level.ISSUER
        return Reminder.Level.OVERDUE
    if left <= _setting("SUPERVISION_REMIND_WORKING_DAYS"):
        return Reminder.Level.DUE_SOON
    return None


def _waiting(today):
    horizon = calendar.add_working_days(today, _setting("SUPERVISION_REMIND_WORKING_DAYS"))
    answered = Reply.objects.filter(order=OuterRef("pk"), kind=Reply.Kind.RESULT)
    return (
        SupervisionOrder.objects.filter(closed_at=None, due_on__lte=horizon)
        .exclude(Exists(answered))
        .order_by("due_on", "pk")
    )


@transaction.atomic
def _remind(order, today):
    """Send the level reached, unless it or a higher one was sent: whether it was sent."""
    order = _locked(order)
    level = level_due(order, today)
    if not order.is_open or level is None:
        return False
    sent = set(order.reminders.values_list("level", flat=True))
    if any(LEVELS.index(s) >= LEVELS.index(level) for s in sent):
        return False
    try:
        with transaction.atomic():
            Reminder.objects.create(order=order, level=level, sent_at=timezone.now())
    except IntegrityError:
        return False  # another timer loop sent it first
    record_event(
        order.petition,
        EventName.SUPERVISION_REMINDER,
        data={
            "supervising_unit": order.issuing_unit.name,
            "reminder": level,
            "due": order.due_on.isoformat(),
        },
    )
    recipients = RECIPIENTS[level](order)
    reminder_due.send(sender=SupervisionOrder, order=order, level=level, recipients=recipients)
    return True


def send_reminders(today=None):
    """The timer source: each open order without a result is reminded once per level it
    reaches (holder, handling supervisors, supervising unit); how many were sent."""
    today = today or timezone.localdate()
    return sum(_remind(order, today) for order in _waiting(today))
