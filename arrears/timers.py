"""The missing reports' timers: a report not filed by its due day gets a reminder to the
enterprise union (`ARREARS_REMINDER_DAYS` after the due day, at `ARREARS_NOTICE_HOUR`), then, if
still not filed `ARREARS_ALERT_WORKING_DAYS` working days after that reminder, an alert to the
grid's mediators and the zone's supervisors. Only enterprises with a union owe reports, so only
they are reminded.

`sweep` sends what is due. Every pass of the timer loop calls it (`workflows.timers`), in every
timer process at once: the unique `ReportNotice` row each reminder and alert writes is what makes
it go out once, whoever inserts it first.
"""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from casework.exceptions import CalendarUnknown
from casework.models import Enterprise
from workflows import calendar

from . import signals
from .models import MonthlyReport, ReportNotice
from .services import add_months, due_days_of, due_on, first_of_month, with_union

logger = logging.getLogger(__name__)


def _at_notice_hour(day):
    hour = settings.CASEWORK["ARREARS_NOTICE_HOUR"]
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def reminder_at(due):
    """When the union is reminded of a report due by the date `due`."""
    return _at_notice_hour(
        due + datetime.timedelta(days=settings.CASEWORK["ARREARS_REMINDER_DAYS"])
    )


def alert_at(reminded_at):
    """When the grid and zone are alerted, counted from the reminder as it was sent (late, after
    the timers stopped a while): the union always has its working day to file. Raises
    CalendarUnknown for a year no calendar knows."""
    days = settings.CASEWORK["ARREARS_ALERT_WORKING_DAYS"]
    return _at_notice_hour(calendar.add_working_days(timezone.localdate(reminded_at), days))


def months_watched(today):
    """The months whose missing reports the timers still chase, oldest first: the last
    `ARREARS_NOTICE_MONTHS` before this one (this month's report is due next month)."""
    this_month = first_of_month(today)
    count = settings.CASEWORK["ARREARS_NOTICE_MONTHS"]
    return [add_months(this_month, -back) for back in range(count, 0, -1)]


def _unanswered(month, now):
    """The enterprises with a union that had not filed `month`'s report by `now` and were not
    alerted of it yet, each with `.reminded_at` (None until reminded). Filed by `now`, not
    just filed: the demo replays the timers at past moments, before its late reports came in."""
    filed = MonthlyReport.objects.filter(enterprise=OuterRef("pk"), month=month, filed_at__lte=now)
    notices = ReportNotice.objects.filter(enterprise=OuterRef("pk"), month=month)
    reminder = notices.filter(kind=ReportNotice.Kind.REMINDER).values("sent_at")
    return list(
        Enterprise.objects.filter(with_union())
        .exclude(Exists(filed))
        .exclude(Exists(notices.filter(kind=ReportNotice.Kind.ALERT)))
        .annotate(reminded_at=Subquery(reminder))
        .select_related("grid_area")
        .order_by("name", "pk")
    )


def _kind_due(enterprise, due, now):
    """Which notice about a report due by `due` is due by `now`: "reminder", "alert" or None."""
    if enterprise.reminded_at is None:
        return ReportNotice.Kind.REMINDER if reminder_at(due) <= now else None
    try:
        alert = alert_at(enterprise.reminded_at)
    except CalendarUnknown as err:
        logger.warning("%s: no alert of a missing report until %s", enterprise, err)
        return None
    return ReportNotice.Kind.ALERT if alert <= now else None


def sweep():
    """Send the reminders and alerts due now: the number this call sent. One that fails is
    logged and tried again on the next pass; the others go out all the same."""
    now = timezone.now()
    sent = 0
    for month in months_watched(timezone.localdate(now)):
        enterprises = _unanswered(month, now)
        days = due_days_of(enterprises)
        for enterprise in enterprises:
            due = due_on(month, days[enterprise.pk])
            kind = _kind_due(enterprise, due, now)
            if kind is None:
                continue
            try:
                sent += send_notice(enterprise, month, kind, due_on=due)
            except Exception:
                logger.exception("%s of %s's report for %s failed", kind, enterprise, month)
    return sent


@transaction.atomic
def send_notice(enterprise, month, kind, *, due_on):
    """Record one reminder or alert and announce it (`signals.report_overdue`), unless the
    report has been filed meanwhile or another timer process has sent it: True if this call
    sent it."""
    now = timezone.now()
    if MonthlyReport.objects.filter(enterprise=enterprise, month=month, filed_at__lte=now).exists():
        return False
    try:
        with transaction.atomic():
            notice = ReportNotice.objects.create(
                enterprise=enterprise, month=month, kind=kind, sent_at=now
            )
    except IntegrityError:
        return False  # sent a moment ago by another timer process
    signals.report_overdue.send(ReportNotice, notice=notice, due_on=due_on)
    return True


def notices_about(enterprises, month):
    """{enterprise id: {kind: sent at}} of the reminders and alerts about `month`'s reports."""
    sent = {}
    rows = ReportNotice.objects.filter(enterprise__in=enterprises, month=month)
    for enterprise, kind, sent_at in rows.values_list("enterprise", "kind", "sent_at"):
        sent.setdefault(enterprise, {})[kind] = sent_at
    return sent
