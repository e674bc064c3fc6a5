"""Deadlines on petitions: opened and closed as the petition moves, reminded and breached by
timers that fire once even with several timer processes, extended once with a supervisor's
approval. The rules are `DeadlineRule` rows; the working days come from `workflows.calendar`.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.access import has_role_at
from casework.exceptions import Conflict, TransitionRefused
from casework.models import FINISHED_STATUSES, Petition, Status
from casework.roles import MEDIATION_ROLES, SUPERVISOR_ROLES
from casework.services import record_event
from lib.text import truncate_for

from . import calendar, signals
from .calendar import CalendarUnknown
from .models import (
    CalendarDay,
    CalendarYear,
    Deadline,
    DeadlineExtension,
    DeadlineKind,
    DeadlineRule,
    DeadlineTimer,
    PetitionTask,
)
from .rules import TIER_DEADLINES, deadline_rule_defaults

logger = logging.getLogger(__name__)

# What stops each kind of clock: the petition steps (or escalation step) that answer it.
CLOSES = {
    DeadlineKind.ACCEPTANCE: {"accept", "reject", "refer_out"},
    DeadlineKind.MEDIATION: {"reach_agreement", "fail_mediation"},
    DeadlineKind.HANDLING: {"reject", "refer_out", "close"},
    DeadlineKind.PAYMENT: {"confirm_fulfilment", "record_breach"},
    DeadlineKind.ESCALATION_ACK: {"acknowledge_escalation"},
    # A first result: the petition is turned away or referred, or its mediation ends.
    **{
        kind: {"reject", "refer_out", "reach_agreement", "fail_mediation"}
        for kind in TIER_DEADLINES.values()
    },
}
# What starts a clock again besides its rule's start event: a reopened case is handled afresh.
RESTARTS = {"reopen": {DeadlineKind.HANDLING}}
# The petition statuses in which each clock runs (between the events that open and close it);
# handling runs while the petition is open.
RUNNING_IN = {
    DeadlineKind.ACCEPTANCE: {Status.RECEIVED},
    DeadlineKind.MEDIATION: {Status.IN_MEDIATION},
    DeadlineKind.PAYMENT: {Status.AGREEMENT_REACHED},
    DeadlineKind.HANDLING: set(Status.values) - set(FINISHED_STATUSES),
}
# The petition flow's steps that fall due with a deadline; the others have TASK_DUE_DAYS.
STEP_DEADLINES = {
    "triage": DeadlineKind.ACCEPTANCE,
    "mediate": DeadlineKind.MEDIATION,
    "check_fulfilment": DeadlineKind.PAYMENT,
}
BREACH_MESSAGES = {
    DeadlineKind.MEDIATION: gettext_lazy(
        "No agreement within the mediation period: the parties may now apply for labor dispute "
        "arbitration (Art. 14)."
    ),
    DeadlineKind.PAYMENT: gettext_lazy(
        "The agreed payment date has passed. If the employer has not paid, record the breach: "
        "the worker may apply to the court for a payment order (Art. 16)."
    ),
}
BATCH = 100


def announce(deadline, kind):
    """THE hook for notifications: a deadline is near (`kind` "reminder") or has passed
    ("breach"). Called once per fired timer, inside the transaction that records the firing, so
    what receivers store stands or falls with it (they push after the commit); receivers of
    `signals.deadline_announced` get the same arguments."""
    logger.info("deadline %s of %s: %s", deadline.rule.kind, deadline.petition.number, kind)
    signals.deadline_announced.send(Deadline, deadline=deadline, kind=kind)


def rules_by_kind():
    """{kind: rule}. Every kind has its row; a database that lacks one (a flushed test database)
    gets it from the settings' numbers, as migration 0005 seeds it."""
    found = {rule.kind: rule for rule in DeadlineRule.objects.all()}
    for kind in set(DeadlineKind.values) - set(found):
        found[kind], _created = DeadlineRule.objects.get_or_create(
            kind=kind, defaults=deadline_rule_defaults(kind)
        )
    return found


# Computing due times.


def compute_due(rule, petition, start, extra=0):
    """When a deadline of `rule` counted from `start` falls due. Raises CalendarUnknown."""
    length = rule.length + extra
    if rule.start_event == DeadlineRule.StartEvent.PAYMENT_DATE:
        # The date the parties agreed, as they agreed it.
        day = petition.agreements.last().due_date + timedelta(days=length)
    elif rule.unit == DeadlineRule.Unit.WORKING:
        day = calendar.add_working_days(timezone.localdate(start), length)
    else:
        day = calendar.first_working_day(timezone.localdate(start) + timedelta(days=length))
    return calendar.end_of_day(day)


def task_due_at(task, rules=None):
    """When a petition task falls due: its step's deadline rule, or TASK_DUE_DAYS working days
    from its creation; None if the calendar does not know a year on the way."""
    name = task.flow_task.name if task.flow_task else ""
    start = task.created or timezone.now()
    try:
        kind = STEP_DEADLINES.get(name)
        if kind is not None:
            rule = (rules or rules_by_kind())[kind]
            if kind == DeadlineKind.ACCEPTANCE:
                start = task.petition.received_at
            return compute_due(rule, task.petition, start)
        days = settings.CASEWORK["TASK_DUE_DAYS"].get(name)
        if days is None:
            return None
        return calendar.end_of_day(calendar.add_working_days(timezone.localdate(start), days))
    except CalendarUnknown:
        return None


def _due(deadline):
    """(due time, None, the first provisional year counted or None), or (None, the year the
    calendar lacks, None)."""
    rule, petition, start = deadline.rule, deadline.petition, deadline.opened_at
    try:
        due = compute_due(rule, petition, start, deadline.extended_by)
    except CalendarUnknown as err:
        logger.warning("%s: %s", petition.number, err)
        return None, err.year, None
    if rule.start_event == DeadlineRule.StartEvent.PAYMENT_DATE:
        return due, None, None  # the agreed date counts no working days
    return due, None, calendar.provisional_year(timezone.localdate(start), timezone.localdate(due))


def _schedule(deadline):
    """Compute the due time, save, and set the timers for it (older timers become stale)."""
    rule = deadline.rule
    deadline.due_at, deadline.unknown_year, deadline.provisional_year = _due(deadline)
    deadline.save()
    if deadline.due_at is None:
        return
    due = deadline.due_at
    timers = [DeadlineTimer(deadline=deadline, kind="breach", fire_at=due, for_due_at=due)]
    if rule.reminder_percent:
        remind_at = deadline.opened_at + (due - deadline.opened_at) * rule.reminder_percent / 100
        if timezone.now() < remind_at < due:
            timers.append(
                DeadlineTimer(deadline=deadline, kind="reminder", fire_at=remind_at, for_due_at=due)
            )
    DeadlineTimer.objects.bulk_create(timers)
    step = next((s for s, kind in STEP_DEADLINES.items() if kind == rule.kind), None)
    if step is not None:
        # The step's open task, by the end of its stored node reference: every PetitionTask is
        # of PetitionFlow, whose node `flows.Step.due_for` computes due dates with this module.
        PetitionTask.objects.filter(
            petition=deadline.petition, is_open=True, flow_task__endswith=f".{step}"
        ).update(due_at=due)


# Opening and closing as the petition moves.


def open_deadline(petition, kind, *, start=None, rule=None):
    rule = rule or rules_by_kind()[kind]
    deadline = Deadline(petition=petition, rule=rule, opened_at=start or timezone.now())
    _schedule(deadline)
    return deadline


def close_deadlines(petition, event):
    """Stop the petition's open clocks that `event` answers. Their timers stay, and are skipped
    when they come due: closing never waits for a timer process's lock."""
    kinds = [kind for kind, events in CLOSES.items() if event in events]
    if kinds:
        Deadline.objects.filter(petition=petition, rule__kind__in=kinds, closed_at=None).update(
            closed_at=timezone.now()
        )


def petition_moved(petition, event):
    """Inside the step's transaction: close the clocks `event` answers, open those it starts."""
    close_deadlines(petition, event)
    start = petition.received_at if event == "receive" else None
    for rule in rules_by_kind().values():
        if rule.kind in TIER_DEADLINES.values():
            continue  # the tier's own clock is opened with the tier (`open_first_result`)
        if rule.start_event == event or rule.kind in RESTARTS.get(event, ()):
            open_deadline(petition, rule.kind, start=start, rule=rule)


def open_first_result(petition):
    """Start the clock to a first result of the petition's tier, from its receipt."""
    open_deadline(petition, TIER_DEADLINES[petition.tier], start=petition.received_at)


def follow_tier(petition):
    """The petition's running first-result clock, counted again from receipt for its tier now:
    new timers are set and the old ones are skipped when they come due."""
    rule = rules_by_kind()[TIER_DEADLINES[petition.tier]]
    running = Deadline.objects.select_for_update().filter(
        petition=petition, rule__kind__in=TIER_DEADLINES.values(), closed_at=None
    )
    for deadline in running.select_related("rule", "petition"):
        deadline.rule = rule
        deadline.reminded_at = deadline.breached_at = None
        _schedule(deadline)


def first_result_due():
    """The due time of a petition's running first-result clock, for a query over petitions'
    tasks (`OuterRef("petition")`)."""
    running = Deadline.objects.filter(
        petition=OuterRef("petition"), rule__kind__in=TIER_DEADLINES.values(), closed_at=None
    )
    return Subquery(running.values("due_at")[:1])


@receiver([post_save, post_delete], sender=CalendarDay, dispatch_uid="deadlines-calendar-day")
@receiver([post_save, post_delete], sender=CalendarYear, dispatch_uid="deadlines-calendar-year")
def _calendar_changed(**kwargs):
    transaction.on_commit(reschedule_open)


def reschedule_open():
    """After a change to the calendar tables: recompute every open deadline and task due time."""
    calendar.clear_cache()
    _reschedule(Deadline.objects.filter(closed_at=None))
    _retime_tasks()


def reschedule_uncertain():
    """At a timer process's start: recompute the open deadlines counted on a provisional
    calendar or left undated, as an upgraded package may know their years now; if any moved,
    every open task's due time too. The number of deadlines moved."""
    calendar.clear_cache()
    uncertain = Q(provisional_year__isnull=False) | Q(due_at=None)
    moved = _reschedule(Deadline.objects.filter(uncertain, closed_at=None))
    if moved:
        _retime_tasks()
    return moved


def _reschedule(deadlines):
    """Reschedule those of `deadlines` the calendar now dates otherwise. Each is read again
    under its row lock: an extension approved meanwhile, or another timer process at its own
    start, has not already moved it."""
    moved = 0
    for deadline in deadlines.select_related("rule", "petition"):
        if not _moved(deadline):
            continue
        with transaction.atomic():
            deadline = _locked(deadline)
            if deadline.is_open and _moved(deadline):
                _schedule(deadline)
                moved += 1
    return moved


def _moved(deadline):
    return _due(deadline) != (deadline.due_at, deadline.unknown_year, deadline.provisional_year)


def _retime_tasks():
    rules = rules_by_kind()
    tasks = PetitionTask.objects.filter(is_open=True, flow_task_type="HUMAN")
    for task in tasks.select_related("petition"):
        due = task_due_at(task, rules)
        if due != task.due_at:
            PetitionTask.objects.filter(pk=task.pk).update(due_at=due)


def open_missing():
    """Open the clocks an open petition should have running but lacks (a case filed before
    deadlines existed, or reopened before reopening restarted the handling clock), each counted
    from the last time its start event happened. The number opened."""
    opened = 0
    rules = rules_by_kind()
    for petition in Petition.objects.exclude(status__in=FINISHED_STATUSES).iterator():
        for kind, statuses in RUNNING_IN.items():
            if petition.status not in statuses:
                continue
            start = _last_start(petition, kind, rules[kind])
            if (
                start is None
                or petition.deadlines.filter(
                    Q(closed_at=None) | Q(opened_at__gte=start), rule=rules[kind]
                ).exists()
            ):
                continue
            with transaction.atomic():
                open_deadline(petition, kind, start=start, rule=rules[kind])
            opened += 1
    return opened


def _last_start(petition, kind, rule):
    events = {rule.start_event} | {e for e, kinds in RESTARTS.items() if kind in kinds}
    last = petition.events.filter(transition__in=events).order_by("at", "pk").last()
    if last is None:
        return None
    return petition.received_at if last.transition == "receive" else last.at


# Timers.


def _due_data(deadline):
    data = {
        "deadline": deadline.rule.kind,
        "due": timezone.localtime(deadline.due_at).date().isoformat(),
    }
    if deadline.provisional_year:
        data["provisional_year"] = deadline.provisional_year
    return data


@transaction.atomic
def fire_timer(pk, *, now=None):
    """Fire one due timer if no one else has: True if this call fired (or skipped) it."""
    now = now or timezone.now()
    # Another process holding the row is firing it: pass it by rather than wait.
    claimed = DeadlineTimer.objects.select_for_update(skip_locked=True).filter(
        pk=pk, fired_at=None, fire_at__lte=now
    )
    if claimed.first() is None:
        return False
    # The conditional update is the guarantee where row locks are not (SQLite).
    if not DeadlineTimer.objects.filter(pk=pk, fired_at=None).update(fired_at=now):
        return False
    timer = DeadlineTimer.objects.get(pk=pk)
    deadline = (
        Deadline.objects.select_for_update()
        .select_related("rule", "petition")
        .get(pk=timer.deadline_id)
    )
    current = deadline.due_at == timer.for_due_at
    still_open = deadline.closed_at is None or deadline.closed_at > now
    if not (current and still_open):
        DeadlineTimer.objects.filter(pk=pk).update(outcome=DeadlineTimer.Outcome.SKIPPED)
        return True
    petition = deadline.petition
    if timer.kind == DeadlineTimer.Kind.REMINDER:
        deadline.reminded_at = now
        left = calendar.working_days_left(
            timezone.localdate(deadline.due_at), timezone.localdate(now)
        )
        record_event(
            petition, "deadline_reminder", data={**_due_data(deadline), "working_days_left": left}
        )
    else:
        deadline.breached_at = now
        reason = BREACH_MESSAGES.get(deadline.rule.kind, "")
        record_event(petition, "deadline_breached", reason=str(reason), data=_due_data(deadline))
    deadline.save(update_fields=["reminded_at", "breached_at"])
    DeadlineTimer.objects.filter(pk=pk).update(outcome=DeadlineTimer.Outcome.FIRED)
    announce(deadline, timer.kind)
    return True


def _retry_delay(attempts):
    return timedelta(minutes=min(2**attempts, 60))


def fire_due_timers(*, now=None, limit=BATCH):
    """Fire the timers due by `now`, oldest first. Returns (fired, more may be waiting). A timer
    that fails is pushed back (1, 2, 4 ... 60 minutes), so one bad row cannot stop the rest."""
    now = now or timezone.now()
    due = DeadlineTimer.objects.filter(fired_at=None, fire_at__lte=now).order_by("fire_at", "pk")
    pks = list(due.values_list("pk", flat=True)[:limit])
    fired = 0
    for pk in pks:
        try:
            fired += fire_timer(pk, now=now)
        except Exception as err:
            logger.exception("deadline timer %s failed", pk)
            DeadlineTimer.objects.filter(pk=pk, fired_at=None).update(
                attempts=F("attempts") + 1,
                fire_at=now + _retry_delay(DeadlineTimer.objects.get(pk=pk).attempts),
                last_error=truncate_for(
                    DeadlineTimer, "last_error", f"{type(err).__name__}: {err}"
                ),
            )
    return fired, len(pks) == limit


# Extensions.


def _locked(deadline):
    return (
        Deadline.objects.select_for_update()
        .select_related("rule", "petition__org_unit")
        .get(pk=deadline.pk)
    )


def may_request_extension(user, deadline):
    roles = {*MEDIATION_ROLES, deadline.rule.responsible_role}
    return has_role_at(user, deadline.petition.org_unit, roles)


def may_decide_extension(user, deadline):
    return has_role_at(user, deadline.petition.org_unit, SUPERVISOR_ROLES)


@transaction.atomic
def request_extension(deadline, *, actor, reason):
    """Ask for the rule's one extension, saying why; a supervisor decides."""
    deadline = _locked(deadline)
    if not may_request_extension(actor, deadline):
        raise PermissionDenied(_("You may not ask to extend this deadline."))
    if not deadline.rule.extension_length:
        raise TransitionRefused(_("This deadline cannot be extended."))
    if not deadline.is_open:
        raise TransitionRefused(_("This deadline is no longer running."))
    if deadline.extensions.filter(decision=DeadlineExtension.Decision.APPROVED).exists():
        raise TransitionRefused(_("This deadline has already been extended once."))
    if deadline.extensions.filter(decision=DeadlineExtension.Decision.PENDING).exists():
        raise Conflict(_("A request to extend this deadline already awaits a decision."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the deadline must be extended.")})
    extension = DeadlineExtension.objects.create(
        deadline=deadline,
        days=deadline.rule.extension_length,
        reason=reason.strip(),
        requested_by=actor,
    )
    record_event(
        deadline.petition,
        "extension_requested",
        actor=actor,
        reason=extension.reason,
        data={"deadline": deadline.rule.kind, "days": extension.days},
    )
    return extension


@transaction.atomic
def decide_extension(extension, *, actor, approve, note=""):
    """A supervisor approves (the deadline moves, new timers are set) or refuses (saying why).
    Whoever asked does not decide."""
    deadline = _locked(extension.deadline)
    extension = DeadlineExtension.objects.select_for_update().get(pk=extension.pk)
    if not may_decide_extension(actor, deadline):
        raise PermissionDenied(_("Only a supervisor of this unit may decide on extensions."))
    if extension.requested_by_id == actor.pk:
        raise PermissionDenied(_("Someone other than the person who asked must decide."))
    if extension.decision != DeadlineExtension.Decision.PENDING:
        raise Conflict(_("This request has already been decided."))
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say why the extension is refused.")})
    extension.decision = (
        DeadlineExtension.Decision.APPROVED if approve else DeadlineExtension.Decision.REFUSED
    )
    extension.decided_by, extension.decided_at = actor, timezone.now()
    extension.decision_note = note.strip()
    extension.save()
    if approve:
        deadline.extended_by += extension.days
        deadline.breached_at = None
        _schedule(deadline)
    record_event(
        deadline.petition,
        "extension_decided",
        actor=actor,
        reason=extension.decision_note,
        data={
            "deadline": deadline.rule.kind,
            "days": extension.days,
            "decision": extension.decision,
            **({"due": _due_data(deadline)["due"]} if approve and deadline.due_at else {}),
        },
    )
    return extension


# Reading.


def deadlines_of(petition):
    """The petition's deadlines, open first (soonest due first), with their extensions."""
    rows = (
        Deadline.objects.filter(petition=petition)
        .select_related("rule")
        .prefetch_related("extensions__requested_by", "extensions__decided_by")
    )
    return sorted(rows, key=lambda d: (not d.is_open, d.due_at is None, d.due_at or d.opened_at))


def is_overdue(deadline, now=None):
    return bool(deadline.is_open and deadline.due_at and deadline.due_at < (now or timezone.now()))
