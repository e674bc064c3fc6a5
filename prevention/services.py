"""Early warnings: what level a report or a screening visit raises (`WarningRule` rows through
`rules.level_for`), opening one warning per enterprise or raising the open one, the mediator's
steps on it (what was done, close, turn into a petition), and who sees what.

Each step is the outermost transaction: it locks the warning, checks the user's role at the
enterprise's grid area or above, records, completes the flow task where the step ends it, and
writes the warning's entry. Two people closing or converting one warning at once: the second
finds it no longer open (Conflict, a 409).
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.models import FACT_FIELDS, NO_ARREARS, RISK_SIGNALS, MonthlyReport, WagesPaid
from arrears.services import with_union
from casework.access import units_where
from casework.exceptions import Conflict, RepeatPetition
from casework.models import FINISHED_STATUSES, Claim, Enterprise, Petition
from casework.roles import (
    ARREARS_READER_ROLES,
    MEDIATION_ROLES,
    enterprises_represented,
    has_role_at,
)
from casework.services import record_event, record_petition
from fund.models import Account, Posting
from lib.money import MoneySum
from workflows.flows import finish_task
from workflows.models import OPEN_TASK_STATUSES

from . import rules, signals
from .flows import WarningFlow, start_warning_path
from .models import (
    EarlyWarning,
    ScreeningVisit,
    WarningEntry,
    WarningRule,
    WarningStatus,
    WarningTask,
)

# What a visit says besides its enterprise: the keywords of `record_visit`.
VISIT_FIELDS = ("visited_on", *FACT_FIELDS, "notes")


# The level.


def _month_of(source):
    if isinstance(source, MonthlyReport):
        return source.month
    return source.visited_on.replace(day=1)


def facts_of(source, history_months=1):
    """The facts the rules read for a report or a visit: its figures and signals, and the
    months of its enterprise's reports with arrears within `history_months` up to its month."""
    month = _month_of(source)
    since = rules.months_back(month, history_months)
    reports = MonthlyReport.objects.filter(
        enterprise_id=source.enterprise_id, month__gte=since, month__lte=month
    ).exclude(NO_ARREARS)
    history = set(reports.values_list("month", flat=True))
    if source.wages != WagesPaid.ON_TIME or source.amount_owed > 0:
        history.add(month)
    return rules.Facts(
        month=month,
        amount_owed=Decimal(source.amount_owed),
        workers_affected=source.workers_affected,
        signals=frozenset(name for name, _label in RISK_SIGNALS if getattr(source, name)),
        history=tuple(sorted(history)),
    )


def rank(level):
    """A level's place among the levels, for sorting (no level: 0)."""
    return rules.LEVELS.index(level) + 1 if level else 0


def level_of(source):
    """The level the active rules give this report or visit now, or None."""
    active = list(WarningRule.objects.filter(active=True))
    window = max((rule.history_months or 1 for rule in active), default=1)
    return rules.level_for(active, facts_of(source, window))


# Opening and raising.


def _source_fields(source):
    return {"report": source} if isinstance(source, MonthlyReport) else {"visit": source}


def warn_for(source, *, actor=None):
    """Open a warning for the report's or visit's enterprise, or raise its open one, as the
    rules say; once per source (a second call does nothing). Returns the warning or None."""
    level = level_of(source)
    if level is None:
        return None
    with transaction.atomic():
        if WarningEntry.objects.filter(**_source_fields(source)).exists():
            return None
        for _attempt in range(2):
            open_one = (
                EarlyWarning.objects.select_for_update()
                .filter(enterprise_id=source.enterprise_id, status=WarningStatus.OPEN)
                .first()
            )
            if open_one is not None:
                return _raise(open_one, level, source, actor)
            try:
                with transaction.atomic():
                    warning = EarlyWarning.objects.create(
                        enterprise_id=source.enterprise_id, level=level, **_source_fields(source)
                    )
            except IntegrityError:  # opened by someone else a moment ago: raise that one
                continue
            _entry(warning, WarningEntry.Kind.OPENED, actor, source=source, level=level)
            start_warning_path(warning)
            signals.warning_raised.send(EarlyWarning, warning=warning, previous=None)
            return warning
    raise Conflict(_("The enterprise's warning changed meanwhile; try again."))


def _raise(warning, level, source, actor):
    previous = warning.level
    if not rules.higher(level, previous):
        _entry(warning, WarningEntry.Kind.NOTED, actor, source=source, level=level)
        return warning
    warning.level = level
    warning.save(update_fields=["level"])
    _entry(warning, WarningEntry.Kind.RAISED, actor, source=source, level=level)
    signals.warning_raised.send(EarlyWarning, warning=warning, previous=previous)
    return warning


def _entry(warning, kind, actor, *, source=None, level="", note=""):
    actor = actor if getattr(actor, "is_authenticated", False) else None
    fields = _source_fields(source) if source is not None else {}
    return WarningEntry.objects.create(
        warning=warning, kind=kind, actor=actor, level=level, note=note, **fields
    )


# Screening visits.


def may_screen(user, enterprise):
    return has_role_at(user, enterprise.grid_area, MEDIATION_ROLES)


def enterprises_screenable_by(user):
    """Any enterprise of the units where the user mediates, with a union or without."""
    return Enterprise.objects.filter(grid_area__in=units_where(user, MEDIATION_ROLES))


@transaction.atomic
def record_visit(enterprise, *, actor, **data):
    """Record a screening visit (矛盾排查) and let it open or raise a warning."""
    unknown = set(data) - set(VISIT_FIELDS)
    if unknown:
        raise TypeError(f"record_visit() got unexpected fields: {sorted(unknown)}")
    if not may_screen(actor, enterprise):
        raise PermissionDenied(_("Only a mediator of its grid area records a screening visit."))
    visit = ScreeningVisit(enterprise=enterprise, visited_by=actor, **data)
    visit.notes = (visit.notes or "").strip()
    visit.full_clean(exclude=["enterprise", "visited_by"])
    if visit.visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("A visit cannot be recorded ahead of time.")})
    visit.save()
    warn_for(visit, actor=actor)
    return visit


# Who sees and handles.


def warnings_visible_to(user):
    """Warnings of the units where the user reads reports, and of the enterprise whose union
    the user is."""
    return EarlyWarning.objects.filter(
        Q(enterprise__grid_area__in=units_where(user, ARREARS_READER_ROLES))
        | Q(enterprise__in=enterprises_represented(user))
    )


def may_handle(user, warning):
    return has_role_at(user, warning.enterprise.grid_area, MEDIATION_ROLES)


def open_task(warning):
    return (
        WarningTask.objects.filter(
            warning=warning, flow_task_type="HUMAN", status__in=OPEN_TASK_STATUSES
        )
        .select_related("owner")
        .first()
    )


def _locked(warning, actor):
    locked = (
        EarlyWarning.objects.select_for_update()
        .select_related("enterprise__grid_area")
        .get(pk=warning.pk)
    )
    if not may_handle(actor, locked):
        raise PermissionDenied(_("Only a mediator of the enterprise's grid area may do this."))
    if not locked.is_open:
        raise Conflict(_("This warning has already been closed or turned into a petition."))
    return locked


def _finish(warning, actor):
    task = open_task(warning)
    if task is not None:
        finish_task(WarningFlow, task, actor, busy=_("Someone else is working on this warning."))


def _required(text, field, message):
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


# The mediator's steps.


@transaction.atomic
def record_action(warning, *, actor, note):
    """What was done: a visit, a talk with the employer; the warning stays open."""
    warning = _locked(warning, actor)
    note = _required(note, "note", _("Say what was done."))
    return _entry(warning, WarningEntry.Kind.ACTION, actor, note=note)


def _end(warning, actor, status, note, petition=None):
    warning.status, warning.close_note = status, note
    warning.closed_at, warning.closed_by = timezone.now(), actor
    warning.petition = petition
    warning.save(update_fields=["status", "close_note", "closed_at", "closed_by", "petition"])
    _finish(warning, actor)


@transaction.atomic
def close_warning(warning, *, actor, note):
    """Close the warning, saying how it ended (wages paid, the employer's plan...)."""
    warning = _locked(warning, actor)
    note = _required(note, "note", _("Say how the warning ended."))
    _end(warning, actor, WarningStatus.CLOSED, note)
    _entry(warning, WarningEntry.Kind.CLOSED, actor, note=note)
    return warning


@transaction.atomic
def convert_warning(
    warning, *, actor, description, workers, owner_missing=False, channel=Petition.Channel.VISIT
):
    """Turn the warning into a petition in one step: the workers and amounts the mediator
    entered are recorded through casework's intake (group detection and its alert included),
    and the warning and the petition name each other."""
    warning = _locked(warning, actor)
    description = _required(description, "description", _("Say what the workers claim."))
    try:
        petition = record_petition(
            actor=actor,
            enterprise=warning.enterprise,
            channel=channel,
            description=description,
            workers=workers,
            owner_missing=owner_missing,
        )
    except RepeatPetition as err:
        raise ValidationError({"workers": str(err)}) from None
    record_event(
        petition,
        "from_warning",
        actor=actor,
        reason=_("From the early warning of %(date)s")
        % {"date": timezone.localtime(warning.opened_at).strftime("%Y-%m-%d")},
        data={"warning": warning.pk, "level": warning.level},
    )
    _end(warning, actor, WarningStatus.CONVERTED, description, petition)
    _entry(warning, WarningEntry.Kind.CONVERTED, actor, note=petition.number)
    return petition


# The risk view.

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))


def with_risk(enterprises):
    """The enterprises with what the risk view shows, in one query whatever their number:
    whether a union covers it (files monthly reports), the open warning and its level, the
    latest report, petitions (all, open), what is owed to workers on open petitions and to the
    emergency fund; the riskiest first (the open warning's level, then the larger of the latest
    report's amount owed and the open petitions' claims)."""
    open_warning = EarlyWarning.objects.filter(enterprise=OuterRef("pk"), status=WarningStatus.OPEN)
    latest = MonthlyReport.objects.filter(enterprise=OuterRef("pk")).order_by("-month")
    open_petitions = Petition.objects.exclude(status__in=FINISHED_STATUSES)
    counted = Petition.objects.filter(enterprise=OuterRef("pk")).values("enterprise")
    money = DecimalField(max_digits=14, decimal_places=2)
    return (
        enterprises.annotate(
            covered=with_union(),
            warning_id=Subquery(open_warning.values("pk")[:1]),
            warning_level=Subquery(open_warning.values("level")[:1]),
            level_rank=Case(
                *(When(warning_level=level, then=i + 1) for i, level in enumerate(rules.LEVELS)),
                default=0,
                output_field=IntegerField(),
            ),
            latest_month=Subquery(latest.values("month")[:1]),
            latest_owed=Coalesce(Subquery(latest.values("amount_owed")[:1]), ZERO),
            latest_zero=Subquery(latest.values("is_zero")[:1]),
            petition_count=Coalesce(
                Subquery(counted.annotate(n=Count("pk")).values("n")), Value(0)
            ),
            open_petition_count=Coalesce(
                Subquery(
                    open_petitions.filter(enterprise=OuterRef("pk"))
                    .values("enterprise")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                Value(0),
            ),
            owed_to_workers=Coalesce(
                Subquery(
                    Claim.objects.filter(petition__enterprise=OuterRef("pk"))
                    .exclude(petition__status__in=FINISHED_STATUSES)
                    .values("petition__enterprise")
                    .annotate(total=MoneySum("claimed_amount"))
                    .values("total"),
                    output_field=money,
                ),
                ZERO,
            ),
            owed_to_fund=Coalesce(
                Subquery(
                    Posting.objects.filter(
                        account=Account.RECEIVABLE, release__petition__enterprise=OuterRef("pk")
                    )
                    .values("release__petition__enterprise")
                    .annotate(total=MoneySum("amount"))
                    .values("total"),
                    output_field=money,
                ),
                ZERO,
            ),
        )
        .annotate(at_risk=Greatest("latest_owed", "owed_to_workers"))
        .select_related("grid_area")
        .order_by("-level_rank", "-at_risk", "name", "pk")
    )


def enterprises_at_risk_for(user):
    """The enterprises of the units where the user reads reports, as `with_risk` gives them."""
    return with_risk(
        Enterprise.objects.filter(grid_area__in=units_where(user, ARREARS_READER_ROLES))
    )
