"""The departments' steps: the zone's list of departments and their liaisons' logins, referrals
with the department's reply, reminders of unanswered ones and the arbitration clocks, and joint
handling (协办) parts. Each step is one transaction, checks who acts, and writes the petition's
timeline; two people taking the same step at once get one success and one Conflict (a
conditional UPDATE on the state, the same on SQLite and PostgreSQL).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import access
from casework.events import EventName
from casework.exceptions import CalendarUnknown, Conflict, TransitionRefused
from casework.models import OrgUnit
from casework.roles import MEDIATION_ROLES, SUPERVISOR_ROLES, has_role_at, memberships_of
from casework.services import record_event
from workflows import calendar

from . import signals
from .models import Department, JointPart, Liaison, Referral

# Who manages a zone's departments and their liaisons.
MANAGER_ROLES = SUPERVISOR_ROLES
# Who refers a petition, asks for and withdraws joint-handling parts: the lead unit's mediators.
LEAD_ROLES = MEDIATION_ROLES

# A zone's usual departments, for a new zone (the demo loader calls `create_usual_departments`).
USUAL_DEPARTMENTS = (
    (Department.Kind.LABOR_INSPECTION, "劳动保障监察大队"),
    (Department.Kind.ARBITRATION, "劳动人事争议仲裁委员会"),
    (Department.Kind.JUSTICE, "司法所"),
    (Department.Kind.PETITIONS, "信访局"),
    (Department.Kind.HOUSING, "住房和城乡建设局"),
    (Department.Kind.COURT, "人民法院"),
    (Department.Kind.POLICE, "派出所"),
    (Department.Kind.TOWNSHIP, "街道办事处"),
)


def create_usual_departments(zone):
    """The zone's usual departments, one per kind, named "<zone> <department>"; those it has
    already are left as they are. Returns the departments created."""
    created = []
    for kind, name in USUAL_DEPARTMENTS:
        department, new = Department.objects.get_or_create(
            zone=zone, name=f"{zone.name}{name}", defaults={"kind": kind}
        )
        if new:
            created.append(department)
    return created


# Who may do what.


def liaison_of(user):
    """The user's department liaison link, or None (read once per user object)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if memberships_of(user):  # a liaison's login holds no role (read once per request already)
        return None
    if not hasattr(user, "_departments_liaison"):
        user._departments_liaison = (
            Liaison.objects.filter(user=user).select_related("department").first()
        )
    return user._departments_liaison


def may_manage(user, zone):
    return has_role_at(user, zone, MANAGER_ROLES)


def managed_zones(user):
    return access.units_where(user, MANAGER_ROLES).filter(kind=OrgUnit.Kind.ZONE)


def may_lead(user, petition):
    return has_role_at(user, petition.org_unit, LEAD_ROLES)


def _speaks_for(user, department):
    liaison = liaison_of(user)
    return liaison is not None and liaison.department_id == department.pk


def may_answer(user, referral):
    """The lead unit records the reply it was given; the department's liaison gives it."""
    return may_lead(user, referral.petition) or _speaks_for(user, referral.department)


def may_finish(user, part):
    """The lead, the part's holder, the unit's mediators or the department's liaison."""
    if may_lead(user, part.petition) or part.holder_id == user.pk:
        return True
    if part.unit_id is not None:
        return has_role_at(user, part.unit, LEAD_ROLES)
    return _speaks_for(user, part.department)


def _require(allowed, message):
    if not allowed:
        raise PermissionDenied(message)


def _require_lead(user, petition):
    _require(may_lead(user, petition), _("Only the petition's mediators may."))


def _require_open(petition):
    if not petition.is_open:
        raise TransitionRefused(_("This petition is finished."))


def _today():
    return timezone.localdate()


def _not_future(field, day, earliest=None):
    if day > _today():
        raise ValidationError({field: _("A date in the future cannot have happened yet.")})
    if earliest is not None and day < earliest:
        raise ValidationError({field: _("A date before the referral was sent.")})


# The zone's departments and their liaisons.


def _check_name_free(zone, name, department=None):
    taken = Department.objects.filter(zone=zone, name=name)
    if department is not None:
        taken = taken.exclude(pk=department.pk)
    if taken.exists():
        raise ValidationError({"name": _("The zone already has a department of this name.")})


@transaction.atomic
def add_department(zone, *, actor, **fields):
    _require(may_manage(actor, zone), _("Only the zone's supervisors may."))
    _check_name_free(zone, fields["name"])
    return Department.objects.create(zone=zone, **fields)


@transaction.atomic
def edit_department(department, *, actor, **fields):
    _require(may_manage(actor, department.zone), _("Only the zone's supervisors may."))
    _check_name_free(department.zone, fields["name"], department)
    for name, value in fields.items():
        setattr(department, name, value)
    department.save()
    return department


@transaction.atomic
def set_active(department, *, actor, active):
    """Deactivate a department (it is offered no more; what it holds stays) or take it back."""
    _require(may_manage(actor, department.zone), _("Only the zone's supervisors may."))
    Department.objects.filter(pk=department.pk).update(is_active=active)
    department.is_active = active


@transaction.atomic
def add_liaison(department, *, actor, username, name, password):
    """A new login for the department's liaison: it sees the department's inbox, nothing else."""
    _require(may_manage(actor, department.zone), _("Only the zone's supervisors may."))
    user_model = get_user_model()
    user = user_model(username=username, first_name=name)
    try:
        validate_password(password, user)
    except ValidationError as err:
        raise ValidationError({"password": err.messages}) from err
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as err:
        raise ValidationError({"username": _("This user name is taken.")}) from err
    return Liaison.objects.create(
        user=user, department=department, added_by=actor, added_at=timezone.now()
    )


@transaction.atomic
def remove_liaison(liaison, *, actor):
    """The liaison's login stops working; what they recorded stays theirs."""
    _require(may_manage(actor, liaison.department.zone), _("Only the zone's supervisors may."))
    get_user_model().objects.filter(pk=liaison.user_id).update(is_active=False)


# Referrals and their replies.


def _reminder_day(start):
    return calendar.add_working_days(start, settings.CASEWORK["REFERRAL_REMINDER_WORKING_DAYS"])


def _check_department(petition, department):
    if department.zone_id != petition.zone_id or not department.is_active:
        raise ValidationError({"department": _("Choose a department of the petition's zone.")})


@transaction.atomic
def send_referral(
    petition, *, actor, department, sent_what, reference="", evidence=(), known_on=None
):
    """Refer the petition to a department of its zone. To the arbitration committee, `known_on`
    (the day the worker knew of the infringement) starts the one-year limitation."""
    _require_lead(actor, petition)
    _require_open(petition)
    _check_department(petition, department)
    if department.is_arbitration:
        if known_on is None:
            raise ValidationError(
                {"known_on": _("The arbitration limitation runs from this date: give it.")}
            )
        _not_future("known_on", known_on)
    else:
        known_on = None
    if any(item.petition_id != petition.pk for item in evidence):
        raise ValidationError({"evidence": _("Choose evidence of this petition.")})
    now = timezone.now()
    referral = Referral.objects.create(
        petition=petition,
        department=department,
        reference=reference,
        sent_what=sent_what,
        sent_by=actor,
        sent_at=now,
        remind_on=_reminder_day(timezone.localdate(now)),
        known_on=known_on,
    )
    referral.evidence.set(evidence)
    data = {"department": department.name, "reference": reference}
    if known_on is not None:
        data["limitation_ends"] = _clock_data(limitation_end(referral))
    record_event(petition, EventName.REFERRAL_SENT, actor=actor, reason=sent_what, data=data)
    return referral


@transaction.atomic
def set_reference(referral, *, actor, reference):
    """Add (or correct) the department's reference number."""
    _require(may_answer(actor, referral), _("Only the petition's mediators may."))
    Referral.objects.filter(pk=referral.pk).update(reference=reference)
    referral.reference = reference
    record_event(
        referral.petition,
        EventName.REFERRAL_SENT,
        actor=actor,
        reason=_("Their reference number recorded."),
        data={"department": referral.department.name, "reference": reference},
    )


@transaction.atomic
def record_reply(referral, *, actor, accepted, result, replied_on, reference=""):
    """The department's reply: accepted or declined, what it says, the day it came. Recorded
    once: a second reply at the same moment is a Conflict."""
    _require(may_answer(actor, referral), _("Only the petition's mediators may."))
    _not_future("replied_on", replied_on, timezone.localdate(referral.sent_at))
    state = Referral.State.ACCEPTED if accepted else Referral.State.DECLINED
    reference = reference or referral.reference
    changed = Referral.objects.filter(pk=referral.pk, state=Referral.State.SENT).update(
        state=state, result=result, replied_on=replied_on, answered_by=actor, reference=reference
    )
    if not changed:
        raise Conflict(_("The department's reply is already recorded."))
    referral.state, referral.result, referral.replied_on = state, result, replied_on
    referral.answered_by, referral.reference = actor, reference
    petition = referral.petition
    record_event(
        petition,
        EventName.REFERRAL_ANSWERED,
        actor=actor,
        reason=result,
        data={
            "department": referral.department.name,
            "decision": state,
            "replied_on": replied_on.isoformat(),
            "reference": reference,
        },
    )
    if referral.arbitration_accepted:
        record_event(
            petition,
            EventName.ARBITRATION_FILED,
            actor=actor,
            data={"accepted_on": replied_on.isoformat(), "due": _clock_data(award_due(referral))},
        )
    signals.referral_stepped.send(Referral, referral=referral, step="answered", actor=actor)
    return referral


# The arbitration clocks.


@dataclass(frozen=True)
class Clock:
    """A statutory period's last day, moved to the next working day when it falls on a day off;
    `provisional` names the first year counted on a provisional calendar; `missing` the year
    neither calendar knows (then `day` is the unmoved last day)."""

    day: datetime.date
    provisional: int | None = None
    missing: int | None = None


def _period_end(last_day):
    try:
        day = calendar.first_working_day(last_day)
    except CalendarUnknown as err:
        return Clock(last_day, missing=err.year)
    return Clock(day, provisional=calendar.provisional_year(last_day, day))


def _clock_data(clock):
    return clock.day.isoformat()


def award_due(referral):
    """The arbitration award's last day (Art. 43), or None while the committee has not accepted."""
    if not referral.arbitration_accepted or referral.replied_on is None:
        return None
    days = settings.CASEWORK["ARBITRATION_DECISION_DAYS"]
    if referral.extended_at is not None:
        days += settings.CASEWORK["ARBITRATION_EXTENSION_DAYS"]
    return _period_end(referral.replied_on + datetime.timedelta(days=days))


def _years_after(day, years):
    """The same date `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def limitation_end(referral):
    """The last day to apply for arbitration (Art. 27), or None without its start. The start
    day does not count: a period in years ends on the same date (Civil Code Art. 201, 203)."""
    if referral.known_on is None:
        return None
    years = settings.CASEWORK["ARBITRATION_LIMITATION_YEARS"]
    return _period_end(_years_after(referral.known_on, years))


def _locked_accepted(referral):
    referral = Referral.objects.select_for_update().select_related("department").get(pk=referral.pk)
    if not referral.arbitration_accepted:
        raise TransitionRefused(_("The arbitration committee has not accepted the application."))
    return referral


@transaction.atomic
def extend_arbitration(referral, *, actor, reason):
    """Art. 43: the committee's chair extends the period once, by at most 15 days."""
    _require(may_answer(actor, referral), _("Only the petition's mediators may."))
    referral = _locked_accepted(referral)
    if referral.award_on is not None:
        raise TransitionRefused(_("The award is recorded: there is nothing to extend."))
    changed = Referral.objects.filter(pk=referral.pk, extended_at__isnull=True).update(
        extended_at=timezone.now(), extension_reason=reason
    )
    if not changed:
        raise Conflict(_("The period is already extended; it may be extended only once."))
    referral.refresh_from_db()
    record_event(
        referral.petition,
        EventName.ARBITRATION_EXTENDED,
        actor=actor,
        reason=reason,
        data={"department": referral.department.name, "due": _clock_data(award_due(referral))},
    )
    return referral


@transaction.atomic
def record_award(referral, *, actor, award_on, award):
    _require(may_answer(actor, referral), _("Only the petition's mediators may."))
    referral = _locked_accepted(referral)
    _not_future("award_on", award_on, referral.replied_on)
    changed = Referral.objects.filter(pk=referral.pk, award_on__isnull=True).update(
        award_on=award_on, award=award
    )
    if not changed:
        raise Conflict(_("The award is already recorded."))
    referral.award_on, referral.award = award_on, award
    record_event(
        referral.petition,
        EventName.ARBITRATION_DECIDED,
        actor=actor,
        reason=award,
        data={"department": referral.department.name, "award_on": award_on.isoformat()},
    )
    return referral


# The timer source: reminders of unanswered referrals, the limitation warning.


def _remind(referral, today):
    """Remind the sender of one unanswered referral, unless another loop did it first."""
    with transaction.atomic():
        moved = Referral.objects.filter(
            pk=referral.pk, state=Referral.State.SENT, remind_on=referral.remind_on
        ).update(remind_on=_reminder_day(today))
        if not moved:
            return 0
        record_event(
            referral.petition,
            EventName.REFERRAL_REMINDER,
            data={
                "department": referral.department.name,
                "sent_on": timezone.localdate(referral.sent_at).isoformat(),
            },
        )
        signals.referral_stepped.send(Referral, referral=referral, step="reminder", actor=None)
    return 1


def send_reminders(today=None):
    """Remind the sender of each referral unanswered for the reminder period, once per period."""
    today = today or _today()
    due = Referral.objects.filter(state=Referral.State.SENT, remind_on__lte=today)
    return sum(
        _remind(referral, today)
        for referral in due.select_related("petition", "department", "sent_by").order_by("pk")
    )


def _warn(referral, now):
    with transaction.atomic():
        claimed = Referral.objects.filter(pk=referral.pk, limitation_warned_at__isnull=True).update(
            limitation_warned_at=now
        )
        if not claimed:
            return 0
        record_event(
            referral.petition,
            EventName.LIMITATION_WARNING,
            data={
                "department": referral.department.name,
                "limitation_ends": _clock_data(limitation_end(referral)),
            },
        )
        signals.referral_stepped.send(Referral, referral=referral, step="limitation", actor=None)
    return 1


def warn_limitations(now=None):
    """Warn, once, the sender of each arbitration referral whose limitation runs out within
    LIMITATION_WARNING_DAYS while the committee has not accepted the application."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    ahead = datetime.timedelta(days=settings.CASEWORK["LIMITATION_WARNING_DAYS"])
    # The last day is at least a year after `known_on`: later starts cannot be due yet.
    latest_start = _years_after(today + ahead, -settings.CASEWORK["ARBITRATION_LIMITATION_YEARS"])
    candidates = (
        Referral.objects.filter(
            department__kind=Department.Kind.ARBITRATION,
            limitation_warned_at__isnull=True,
            known_on__lte=latest_start + datetime.timedelta(days=1),
        )
        .exclude(state=Referral.State.ACCEPTED)
        .select_related("petition", "department", "sent_by")
        .order_by("pk")
    )
    return sum(
        _warn(referral, now)
        for referral in candidates
        if limitation_end(referral).day - ahead <= today
    )


def fire_due(now=None):
    """The timer source of this app: what it fired."""
    now = now or timezone.now()
    return send_reminders(timezone.localdate(now)) + warn_limitations(now)


# Joint handling (协办).


def units_to_ask(petition):
    """The units a part may be asked of: the petition's zone, its units and those above it."""
    zone = petition.zone
    return OrgUnit.objects.filter(Q(path__startswith=zone.path) | Q(pk__in=zone.ancestor_ids()))


def holders_at(units):
    """Active users holding a role at one of these units (who may hold a part there)."""
    return (
        get_user_model()
        .objects.filter(memberships__org_unit__in=units, is_active=True)
        .distinct()
        .order_by("username")
    )


def _part_target(petition, unit, department, holder):
    """(unit, department, holder) checked: a unit with a holder of its own, or a department of
    the zone (its liaison, when it has exactly one, holds the part)."""
    if (unit is None) == (department is None):
        raise ValidationError({"unit": _("Ask either a unit or a department.")})
    if department is not None:
        _check_department(petition, department)
        liaisons = list(department.liaisons.filter(user__is_active=True).values_list("user"))
        return None, department, (liaisons[0][0] if len(liaisons) == 1 else None)
    if not units_to_ask(petition).filter(pk=unit.pk).exists():
        raise ValidationError({"unit": _("Choose a unit of the petition's zone.")})
    if holder is None or not holder.is_active or not access.has_any_role_at(holder, unit):
        raise ValidationError({"holder": _("Choose a person who works at that unit.")})
    return unit, None, holder.pk


@transaction.atomic
def request_part(petition, *, actor, asked, unit=None, department=None, holder=None, due_on=None):
    _require_lead(actor, petition)
    _require_open(petition)
    unit, department, holder_id = _part_target(petition, unit, department, holder)
    today = _today()
    if due_on is None:
        due_on = calendar.add_working_days(today, settings.CASEWORK["JOINT_PART_DUE_WORKING_DAYS"])
    elif due_on < today:
        raise ValidationError({"due_on": _("A due date from today on.")})
    part = JointPart.objects.create(
        petition=petition,
        asked=asked,
        unit=unit,
        department=department,
        holder_id=holder_id,
        due_on=due_on,
        asked_by=actor,
        asked_at=timezone.now(),
    )
    record_event(
        petition,
        EventName.JOINT_PART_REQUESTED,
        actor=actor,
        reason=asked,
        data={
            "to": str(part.doer),
            "owner": part.holder.get_username() if part.holder else "",
            "due": due_on.isoformat(),
        },
    )
    signals.part_requested.send(JointPart, part=part, actor=actor)
    return part


def _finish(part, *, actor, state, result, event):
    changed = JointPart.objects.filter(pk=part.pk, state=JointPart.State.OPEN).update(
        state=state, result=result, finished_by=actor, finished_at=timezone.now()
    )
    if not changed:
        raise Conflict(_("This part is already finished or withdrawn."))
    part.refresh_from_db()
    record_event(part.petition, event, actor=actor, reason=result, data={"to": str(part.doer)})
    return part


@transaction.atomic
def finish_part(part, *, actor, result):
    """The part is done, with its result: by its holder, its unit, its department or the lead."""
    _require(may_finish(actor, part), _("Only the part's holder or the lead unit may."))
    part = _finish(
        part,
        actor=actor,
        state=JointPart.State.DONE,
        result=result,
        event=EventName.JOINT_PART_DONE,
    )
    signals.part_finished.send(JointPart, part=part, actor=actor)
    return part


@transaction.atomic
def withdraw_part(part, *, actor, reason):
    """The lead no longer needs the part."""
    _require_lead(actor, part.petition)
    return _finish(
        part,
        actor=actor,
        state=JointPart.State.WITHDRAWN,
        result=reason,
        event=EventName.JOINT_PART_WITHDRAWN,
    )


def open_parts_reason(petition):
    """The close check: the parts still open, named, or None."""
    open_parts = petition.joint_parts.filter(state=JointPart.State.OPEN).select_related(
        "unit", "department"
    )
    names = [f"{part.doer}: {part.asked}" for part in open_parts]
    if not names:
        return None
    return _("Joint handling still open: %(parts)s.") % {"parts": "; ".join(names)}


# What a user sees in the inbox.


def inbox_referrals(user):
    """The referrals the user answers for a department: only a liaison has any."""
    liaison = liaison_of(user)
    if liaison is None:
        return Referral.objects.none()
    return Referral.objects.filter(department=liaison.department)


def inbox_parts(user):
    """Parts held by the user, asked of their department, or of a unit where they mediate."""
    liaison = liaison_of(user)
    mine = Q(holder=user)
    if liaison is not None:
        mine |= Q(department=liaison.department)
    units = access.units_where(user, LEAD_ROLES) if not user.is_superuser else None
    if units is not None:
        mine |= Q(unit__in=units)
    return JointPart.objects.filter(mine)
