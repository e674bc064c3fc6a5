"""Filing the monthly arrears reports, and which enterprises owe one.

A report is filed once per enterprise and month, by the enterprise's own union or by a mediator
or supervisor of its grid area, for the current month or one before it. It is due by the day of
the following month its zone's `ReportDueRule` names; an enterprise with a union that has not
filed by then is missing, one without a union is not covered.
"""

import datetime
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.access import units_where
from casework.exceptions import Conflict
from casework.models import Enterprise, Membership, OrgUnit
from casework.roles import (
    ARREARS_FILING_ROLES,
    ARREARS_READER_ROLES,
    Role,
    enterprises_represented,
    has_role_at,
)

from . import signals
from .models import FACT_FIELDS, MonthlyReport, ReportDueRule, ReportNotice

# What a report says besides its enterprise and month: the keywords of `file_report`.
REPORT_FIELDS = (*FACT_FIELDS, "note")


# Months.


def first_of_month(day):
    return day.replace(day=1)


def add_months(month, count):
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def last_month(today):
    """The month whose reports fall due in this one."""
    return add_months(first_of_month(today), -1)


def month_to_report(enterprise, today):
    """The month a report form starts on: last month until its report is filed, then this one."""
    last = last_month(today)
    filed = MonthlyReport.objects.filter(enterprise=enterprise, month=last).exists()
    return first_of_month(today) if filed else last


# Who owes a report, and by when.


def with_union():
    """Whether an enterprise has a union: an enterprise-union role assignment names it."""
    return Exists(Membership.objects.filter(enterprise=OuterRef("pk"), role=Role.ENTERPRISE_UNION))


def enterprises_under(unit):
    return Enterprise.objects.filter(grid_area__path__startswith=unit.path)


def due_days_of(enterprises):
    """{enterprise id: the day of the following month its reports are due by}: its zone's
    rule, or the rule of every zone without one (the setting if admin deleted that too)."""
    rules = dict(ReportDueRule.objects.values_list("zone_id", "due_day"))
    default = rules.pop(None, settings.CASEWORK["ARREARS_REPORT_DUE_DAY"])
    zones = set(OrgUnit.objects.filter(kind=OrgUnit.Kind.ZONE).values_list("pk", flat=True))
    days = {}
    for enterprise in enterprises:
        zone = next((pk for pk in enterprise.grid_area.ancestor_ids() if pk in zones), None)
        days[enterprise.pk] = rules.get(zone, default)
    return days


def due_on(month, due_day):
    """The day a report for `month` is due, its zone's due day of the following month."""
    return add_months(month, 1).replace(day=due_day)


def reports_due_among(enterprises, month):
    """The enterprises among these, with a union, that owe a report for `month`, each with
    `.due_on` and `.report` (None until filed)."""
    covered = list(
        enterprises.filter(with_union()).select_related("grid_area").order_by("name", "pk")
    )
    filed = {
        r.enterprise_id: r
        for r in MonthlyReport.objects.filter(enterprise__in=[e.pk for e in covered], month=month)
    }
    days = due_days_of(covered)
    for enterprise in covered:
        enterprise.due_on = due_on(month, days[enterprise.pk])
        enterprise.report = filed.get(enterprise.pk)
    return covered


def missing_among(enterprises, month, today):
    """Those of `reports_due_among` that have not filed, their due day passed before `today`."""
    return [
        e for e in reports_due_among(enterprises, month) if e.report is None and e.due_on < today
    ]


def not_covered_among(enterprises):
    """The enterprises among these without a union: none files a report."""
    return enterprises.exclude(with_union()).select_related("grid_area").order_by("name", "pk")


def reports_due(unit, month):
    return reports_due_among(enterprises_under(unit), month)


def missing_reports(unit, month, today):
    return missing_among(enterprises_under(unit), month, today)


# Who sees and files.


def enterprises_readable_by(user):
    """The enterprises whose reports the user sees: those whose union the user is, and those
    of the units where the user reads reports."""
    return Enterprise.objects.filter(
        Q(pk__in=enterprises_represented(user))
        | Q(grid_area__in=units_where(user, ARREARS_READER_ROLES))
    )


def may_file(user, enterprise):
    return enterprise.pk in enterprises_represented(user) or has_role_at(
        user, enterprise.grid_area, ARREARS_FILING_ROLES
    )


# Filing.


def _check_month(month):
    if month is None:
        raise ValidationError({"month": _("Name the month the report is for.")})
    month = first_of_month(month)
    if month > first_of_month(timezone.localdate()):
        raise ValidationError({"month": _("A report cannot be filed for a month still to come.")})
    if month.year < settings.CASEWORK["EARLIEST_YEAR"]:
        raise ValidationError(
            {
                "month": _("Reports start in %(year)d.")
                % {"year": settings.CASEWORK["EARLIEST_YEAR"]}
            }
        )
    return month


@transaction.atomic
def file_report(enterprise, month, *, actor, **data):
    """File the enterprise's report for `month` (any day of it). Refused: a user who is neither
    its union nor a mediator or supervisor of its grid (PermissionDenied), a month still to come
    or bad figures (ValidationError naming the field), a month already reported (Conflict)."""
    unknown = set(data) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"file_report() got unexpected fields: {sorted(unknown)}")
    if not may_file(actor, enterprise):
        raise PermissionDenied(_("You may not file this enterprise's reports."))
    month = _check_month(month)
    report = MonthlyReport(enterprise=enterprise, month=month, filed_by=actor, **data)
    # The model's clean() holds what a report of unpaid wages must say.
    report.full_clean(exclude=["enterprise", "filed_by"], validate_unique=False)
    report = _save_once(report)

    def announce_report_filed():
        signals.report_filed.send(MonthlyReport, report=report, actor=actor)

    # Robust: a receiver's failure is logged, and the filed report stands.
    transaction.on_commit(announce_report_filed, robust=True)
    return report


def _save_once(report):
    conflict = Conflict(
        _("The report for %(month)s has already been filed.")
        % {"month": report.month.strftime("%Y-%m")}
    )
    if MonthlyReport.objects.filter(enterprise=report.enterprise, month=report.month).exists():
        raise conflict
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # filed by someone else a moment ago
        raise conflict from None
    return report


@transaction.atomic
def file_zero_report(enterprise, month, *, actor):
    """File the zero report (零报告): wages paid on time, nothing owed, no risk signal."""
    if not may_file(actor, enterprise):
        raise PermissionDenied(_("You may not file this enterprise's reports."))
    month = _check_month(month)
    report = MonthlyReport(enterprise=enterprise, month=month, filed_by=actor, is_zero=True)
    return _save_once(report)


class MonthRow(NamedTuple):
    month: datetime.date
    report: MonthlyReport | None
    due_on: datetime.date
    is_missing: bool
    reminded_at: datetime.datetime | None
    alerted_at: datetime.datetime | None


def month_rows(enterprise, today, count=12):
    """The last `count` months up to this one, newest first, each a `MonthRow`: its report (None
    until filed), the day it is due by, whether it is missing, and when the reminder and the
    alert about it were sent."""
    this_month = first_of_month(today)
    months = [add_months(this_month, -i) for i in range(count)]
    filed = {
        r.month: r
        for r in MonthlyReport.objects.filter(
            enterprise=enterprise, month__in=months
        ).select_related("filed_by")
    }
    sent = {
        (month, kind): at
        for month, kind, at in ReportNotice.objects.filter(
            enterprise=enterprise, month__in=months
        ).values_list("month", "kind", "sent_at")
    }
    day = due_days_of([enterprise])[enterprise.pk]
    rows = []
    for month in months:
        report, due = filed.get(month), due_on(month, day)
        reminded = sent.get((month, ReportNotice.Kind.REMINDER))
        alerted = sent.get((month, ReportNotice.Kind.ALERT))
        rows.append(MonthRow(month, report, due, report is None and due < today, reminded, alerted))
    return rows
