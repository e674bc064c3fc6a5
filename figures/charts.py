"""What the statistics page's charts draw, each also as a table (for the page, the workbook and
the monthly report): petitions by category and the amounts owed and recovered per month (from
`services.series`), the deadlines and tasks overdue per grid area, and the sub-units ranked (the
考核 view, from the Report's own columns, so a rank never disagrees with the table).

Overdue is counted at one moment: the end of the period, or now if the period runs to today. A
deadline is overdue then when it had opened, was still running and its due time had passed
(`workflows.deadlines.is_overdue` at that moment); a task likewise, from its creation to its
finish (the board's "overdue tasks" when the moment is now). At the present moment only the
open ones are read, through the partial indexes on open deadlines and tasks (5 ms over 1.5 million
deadlines on PostgreSQL); a past moment also reads those stopped since, a scan of the deadlines
(some 150 ms over 1.5 million): the monthly report of a past month pays it, not the page's
default period.
"""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.models import OrgUnit, Petition
from fund.reports import period_bounds
from lib.money import format_yuan
from workflows.models import Deadline, PetitionTask

from . import services
from .forms import PeriodForm


@dataclass
class ChartTable:
    """One chart's data as rows: the first cell names the row, the others are numbers (None:
    no value). `kinds` says how each column reads: text, count, money, percent, days, rating."""

    key: str
    title: str
    headings: list
    kinds: list
    rows: list

    @property
    def columns(self):
        """(heading, kind) of each column."""
        return list(zip(self.headings, self.kinds, strict=True))


# The measures the sub-units can be ranked by: (label, value of a column's Figures, higher is
# better). The first is the default: the share of deadlines met, what the 考核 weighs most.
def _on_time(figures):
    stopped = figures.deadlines_met + figures.deadlines_breached
    if not stopped:
        return None
    return (Decimal(100 * figures.deadlines_met) / stopped).quantize(Decimal("0.1"))


MEASURES = {
    "on_time": (gettext_lazy("Deadlines met (%)"), "percent", _on_time, True),
    "closed": (gettext_lazy("Petitions closed"), "count", lambda f: f.closed, True),
    "helped": (gettext_lazy("Workers helped"), "count", lambda f: f.workers_helped, True),
    "recovered": (gettext_lazy("Recovered for the fund"), "money", lambda f: f.recovered, True),
    "rating": (
        gettext_lazy("Average satisfaction (1-5)"),
        "rating",
        lambda f: f.average_rating,
        True,
    ),
    "days": (
        gettext_lazy("Median days from receipt to closure"),
        "days",
        lambda f: f.median_days_to_close,
        False,
    ),
}
DEFAULT_MEASURE = "on_time"


class ChartsForm(PeriodForm):
    """The period, and which measure ranks the sub-units."""

    measure = forms.ChoiceField(
        label=gettext_lazy("Rank sub-units by"),
        choices=[(key, label) for key, (label, *_rest) in MEASURES.items()],
        required=False,
    )

    def clean_measure(self):
        return self.cleaned_data["measure"] or DEFAULT_MEASURE


def moment(start, end, now=None):
    """When overdue is counted for the period: its end, or now if that comes first."""
    now = now or timezone.now()
    return min(now, period_bounds(start, end)[1])


def _running_at(at, now, stopped_field, still_open):
    """Still running at `at`: open now, or stopped since. At the present moment only the open
    ones, which partial indexes find among millions of stopped deadlines and tasks."""
    if at >= now:
        return still_open
    return still_open | Q(**{f"{stopped_field}__gte": at})


def overdue_by_area(unit, at, now=None):
    """[(unit, deadlines overdue, tasks overdue)] at the moment `at`: each grid area of `unit`'s
    subtree (the unit itself if it is one), and any other unit holding overdue petitions, most
    overdue first. Four queries."""
    now = now or timezone.now()
    subtree = unit.path
    # By the units' ids, not their path: the planner then starts from the few open deadlines.
    units = list(unit.subtree().values_list("pk", flat=True))
    deadlines = (
        Deadline.objects.filter(petition__org_unit__in=units, opened_at__lt=at, due_at__lt=at)
        .filter(_running_at(at, now, "closed_at", Q(closed_at__isnull=True)))
        .values("petition__org_unit")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # A task open at `at`: still open, or finished since; created before, due before.
    tasks = (
        PetitionTask.objects.filter(
            org_unit__path__startswith=subtree,
            flow_task_type="HUMAN",
            created__lt=at,
            due_at__lt=at,
        )
        .filter(_running_at(at, now, "finished", Q(is_open=True)))
        .values("org_unit")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {}
    for row in deadlines:
        counts.setdefault(row["petition__org_unit"], [0, 0])[0] += row["n"]
    for row in tasks:
        counts.setdefault(row["org_unit"], [0, 0])[1] += row["n"]
    areas = OrgUnit.objects.filter(
        Q(path__startswith=subtree, kind=OrgUnit.Kind.GRID) | Q(pk__in=list(counts))
    ).order_by("path")
    rows = [(area, *counts.get(area.pk, (0, 0))) for area in areas]
    return sorted(rows, key=lambda row: -(row[1] + row[2]))


def ranking(report, measure=DEFAULT_MEASURE):
    """[(rank, heading, score)] of the report's sub-units by `measure`, best first; ties share
    a rank (1, 1, 3) and sub-units without a score (nothing to measure) come last, unranked.
    The unit's own records are not a sub-unit and are not ranked."""
    _label, _kind, value, higher_is_better = MEASURES[measure]
    scored = [
        (heading, value(figures))
        for (heading, figures), pk in zip(report.columns, report.column_units, strict=True)
        if pk is not None
    ]
    with_score = sorted(
        (row for row in scored if row[1] is not None),
        key=lambda row: -row[1] if higher_is_better else row[1],
    )
    rows, previous, rank = [], None, 0
    for position, (heading, score) in enumerate(with_score, start=1):
        if score != previous:
            rank, previous = position, score
        rows.append((rank, heading, score))
    return rows + [(None, heading, None) for heading, score in scored if score is None]


def tables(report, series, overdue, ranked, measure=DEFAULT_MEASURE):
    """The ChartTables of the page's charts, in the page's order (the two series tables only
    when the period is short enough to chart)."""
    result = []
    if series is not None:
        categories = list(series.by_category)
        result.append(
            ChartTable(
                "categories",
                _("Petitions by category"),
                [_("Month"), *(str(Petition.Category(c).label) for c in categories)],
                ["text", *(["count"] * len(categories))],
                [
                    [label, *(series.by_category[c][i] for c in categories)]
                    for i, label in enumerate(series.labels)
                ],
            )
        )
        result.append(
            ChartTable(
                "money",
                _("Owed and recovered"),
                [
                    _("Month"),
                    _("Amount claimed"),
                    _("Advanced by the emergency fund"),
                    _("Recovered for the fund"),
                ],
                ["text", "money", "money", "money"],
                [
                    [label, series.claimed[i], series.advanced[i], series.recovered[i]]
                    for i, label in enumerate(series.labels)
                ],
            )
        )
    result.append(
        ChartTable(
            "overdue",
            _("Overdue by grid area"),
            [_("Grid area"), _("Deadlines overdue"), _("Tasks overdue")],
            ["text", "count", "count"],
            [[area.name, deadlines, tasks] for area, deadlines, tasks in overdue],
        )
    )
    label, kind, _value, _higher = MEASURES[measure]
    result.append(
        ChartTable(
            "ranking",
            _("Sub-units ranked"),
            [_("Rank"), _("Sub-unit"), str(label)],
            ["count", "text", kind],
            [[rank, heading, score] for rank, heading, score in ranked],
        )
    )
    return result


def chart_data(series, overdue, ranked, measure=DEFAULT_MEASURE):
    """What charts.js draws: the series' two charts when charted, and the two bar charts."""
    data = series.chart_data() if series is not None else {}
    data["overdue"] = {
        "labels": [area.name for area, _d, _t in overdue],
        "datasets": [
            {"label": _("Deadlines overdue"), "data": [d for _a, d, _t in overdue]},
            {"label": _("Tasks overdue"), "data": [t for _a, _d, t in overdue]},
        ],
    }
    data["ranking"] = {
        "labels": [heading for _rank, heading, _score in ranked],
        "label": str(MEASURES[measure][0]),
        "data": [None if score is None else float(score) for _rank, _h, score in ranked],
    }
    return data


def cell_text(value, kind):
    """A table cell as the page and the PDF write it."""
    if value is None:
        return "–"
    if kind == "money":
        return format_yuan(value)
    if kind == "percent":
        return f"{value}%"
    return str(value)


@dataclass
class Charts:
    """Everything the charts need for one report, computed once."""

    measure: str
    at: object  # the moment overdue is counted at
    tables: list
    data: dict


def charts_for(report, measure=DEFAULT_MEASURE, now=None):
    now = now or timezone.now()
    series = services.series(report.unit, report.start, report.end)
    at = moment(report.start, report.end, now)
    overdue = overdue_by_area(report.unit, at, now)
    ranked = ranking(report, measure)
    return Charts(
        measure,
        at,
        tables(report, series, overdue, ranked, measure),
        chart_data(series, overdue, ranked, measure),
    )
