"""The figures of one org unit for a period, with each of its direct sub-units beside it: the
Report the statistics page, its workbook, the API and the monthly report show, read from the
tallies (`tallies.py`) or, to check them, counted straight from the records (`counting.py`).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from casework.forms import ReferralForm
from casework.models import (
    OrgUnit,
    Petition,
)

from . import tallies
from .counting import ITSELF, BySubUnit, ByUnitAndDay, Figures, add, collect

TEN_THOUSAND = Decimal("10000")


@dataclass
class Report:
    unit: OrgUnit
    start: datetime.date
    end: datetime.date
    total: Figures
    # [(column heading, Figures)]: each direct sub-unit, then the unit's own records if any.
    columns: list
    column_units: list  # the id of each column's sub-unit (None: the unit's own records)

    @property
    def sentence(self):
        return sentence(self)


def children_of(unit):
    return sorted(
        unit.children.only("pk", "name", "path", "parent_id"), key=lambda u: (u.name, u.pk)
    )


def report(unit, start, end, children, total, by_child, itself):
    """The Report from the figures of the whole unit (`total`), of each child's subtree
    ({child id: Figures}) and of the unit's own records (None: it holds none)."""
    columns = [(c.name, by_child.get(c.pk) or Figures()) for c in children]
    column_units = [c.pk for c in children]
    if itself is not None and children:
        columns.append((_("%(unit)s itself") % {"unit": unit.name}, itself))
        column_units.append(None)
    return Report(unit, start, end, total, columns, column_units)


def unit_figures(unit, start, end):
    """The Report of `unit` from `start` to `end` (dates, inclusive), read from the tallies
    (`tallies.py`): a few queries over a few hundred rows, whatever the number of petitions.
    While many days are being recounted, counted from the records instead."""
    if not tallies.readable():
        return counted_unit_figures(unit, start, end)
    children = children_of(unit)
    figures = tallies.figures_of([unit.pk, *(c.pk for c in children)], start, end)
    return report(
        unit,
        start,
        end,
        children,
        figures.get((unit.pk, False), Figures()),
        {pk: f for (pk, own), f in figures.items() if not own},
        figures.get((unit.pk, True)),
    )


def counted_unit_figures(unit, start, end):
    """The same Report counted straight from the case records: what the tallies must agree
    with (`manage.py figures_tallies --check`, the tests)."""
    subtree = list(unit.subtree().only("pk", "path"))
    by_key = collect(BySubUnit(unit, [u.pk for u in subtree]), start, end)
    total = Figures()
    for figures in by_key.values():
        add(total, figures)
    children = children_of(unit)
    return report(unit, start, end, children, total, by_key, by_key.get(ITSELF))


def counted_by(unit, start, end, step_of):
    """{step_of(day): Figures} of the unit's subtree, counted straight from the records."""
    units = list(unit.subtree().values_list("pk", flat=True))
    by_step = defaultdict(Figures)
    for (_unit, day), figures in collect(ByUnitAndDay(units), start, end).items():
        add(by_step[step_of(day)], figures)
    return by_step


def ten_thousands(amount):
    """Yuan as 万元 with two decimals, as the federations' reports write them: 830600 -> 83.06."""
    return (Decimal(amount) / TEN_THOUSAND).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def sentence(report):
    """The report's figures in the sentence the federations write in their own reports."""
    figures = report.total
    wages = figures.by_category[Petition.Category.REMUNERATION]
    return _(
        "From %(start)s to %(end)s, %(unit)s received %(batches)s petitions from %(workers)s "
        "workers, %(wages)s of them about wages, involving %(wage_amount)s ten thousand yuan; "
        "%(agreements)s mediation agreements were reached for %(agreed)s ten thousand yuan; the "
        "emergency fund advanced %(advanced)s ten thousand yuan and %(recovered)s ten thousand "
        "yuan were recovered; %(helped)s workers were helped."
    ) % {
        "start": f"{report.start:%Y-%m-%d}",
        "end": f"{report.end:%Y-%m-%d}",
        "unit": report.unit.name,
        "batches": figures.batches,
        "workers": figures.workers,
        "wages": wages[0],
        "wage_amount": ten_thousands(wages[2]),
        "agreements": figures.agreements,
        "agreed": ten_thousands(figures.agreed),
        "advanced": ten_thousands(figures.advanced),
        "recovered": ten_thousands(figures.recovered),
        "helped": figures.workers_helped,
    }


# The table's rows: (key, label, kind, value of a column's Figures). Kinds: count, money, days,
# rating. The page, the workbook and the API all read these, so they show the same numbers.
def _rows():
    rows = [
        ("batches", _("Petitions received (batches)"), "count", lambda f: f.batches),
        ("workers", _("Workers on them (person-times)"), "count", lambda f: f.workers),
    ]
    for channel in Petition.Channel:
        rows.append(
            (
                f"channel_{channel.value}",
                _("By channel: %(channel)s") % {"channel": channel.label},
                "count",
                lambda f, c=channel: f.by_channel[c][0],
            )
        )
    for category in Petition.Category:
        rows += [
            (
                f"category_{category.value}",
                _("By category: %(category)s") % {"category": category.label},
                "count",
                lambda f, c=category: f.by_category[c][0],
            ),
            (
                f"category_{category.value}_claimed",
                _("Claimed: %(category)s") % {"category": category.label},
                "money",
                lambda f, c=category: f.by_category[c][2],
            ),
        ]
    rows += [
        ("group_petitions", _("Group petitions"), "count", lambda f: f.group_petitions),
        ("owner_missing", _("Owner missing"), "count", lambda f: f.owner_missing),
        ("claimed", _("Amount claimed"), "money", lambda f: f.claimed),
        ("agreed", _("Amount agreed in mediation agreements"), "money", lambda f: f.agreed),
        (
            "paid_by_employers",
            _("Paid by employers under agreements"),
            "money",
            lambda f: f.paid_by_employers,
        ),
        ("advanced", _("Advanced by the emergency fund"), "money", lambda f: f.advanced),
        ("recovered", _("Recovered for the fund"), "money", lambda f: f.recovered),
        ("written_off", _("Written off"), "money", lambda f: f.written_off),
        ("workers_helped", _("Workers helped"), "count", lambda f: f.workers_helped),
        ("agreements", _("Agreements reached"), "count", lambda f: f.agreements),
        ("mediation_failed", _("Mediations failed"), "count", lambda f: f.mediation_failed),
    ]
    for kind, label in ReferralForm.REFERRAL_TYPES:
        rows.append(
            (
                f"referred_{kind}",
                _("Referred to: %(body)s") % {"body": label},
                "count",
                lambda f, k=kind: f.referred.get(k, 0),
            )
        )
    rows += [
        ("referred_out", _("Referred to another body"), "count", lambda f: f.referred_out),
        ("closed", _("Petitions closed"), "count", lambda f: f.closed),
        (
            "median_days_to_close",
            _("Median days from receipt to closure"),
            "days",
            lambda f: f.median_days_to_close,
        ),
        ("deadlines_met", _("Deadlines met"), "count", lambda f: f.deadlines_met),
        ("deadlines_breached", _("Deadlines breached"), "count", lambda f: f.deadlines_breached),
        ("average_rating", _("Average satisfaction (1-5)"), "rating", lambda f: f.average_rating),
        ("ratings", _("Satisfaction ratings"), "count", lambda f: f.rating_count),
    ]
    return rows


def table(report):
    """[(key, label, kind, [total, each column...])] in the order the page reads."""
    columns = [report.total, *(figures for _heading, figures in report.columns)]
    return [(key, label, kind, [value(f) for f in columns]) for key, label, kind, value in _rows()]


# Periods longer than this are charted by year rather than by month; longer than the years,
# not charted at all (the table still has every figure).
MAX_CHART_MONTHS = 24
MAX_CHART_YEARS = 30


@dataclass
class Series:
    """What the charts draw: per month (or year) of the period, petitions received by category,
    and the amounts claimed, advanced by the fund and recovered for it."""

    labels: list
    by_category: dict  # {category: [count per step]}
    claimed: list
    advanced: list
    recovered: list

    def chart_data(self):
        """The series as the page's charts read them (labels translated, yuan as numbers)."""
        return {
            "labels": self.labels,
            "categories": [
                {"label": str(Petition.Category(c).label), "data": data}
                for c, data in self.by_category.items()
            ],
            "money": [
                {"label": _("Amount claimed"), "data": [float(a) for a in self.claimed]},
                {
                    "label": _("Advanced by the emergency fund"),
                    "data": [float(a) for a in self.advanced],
                },
                {"label": _("Recovered for the fund"), "data": [float(a) for a in self.recovered]},
            ],
        }


def _steps(start, end, by_year):
    """The first day of each month (or year) from start to end."""
    if by_year:
        return [datetime.date(y, 1, 1) for y in range(start.year, end.year + 1)]
    steps, day = [], start.replace(day=1)
    while day <= end:
        steps.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return steps


def series(unit, start, end):
    """The Series of `unit`'s subtree from `start` to `end`, from the tallies as the table
    (None, and no query, for a period too long to chart)."""
    if end.year - start.year + 1 > MAX_CHART_YEARS:
        return None
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    by_year = months > MAX_CHART_MONTHS
    steps = _steps(start, end, by_year)
    index = {step: i for i, step in enumerate(steps)}

    def step_of(day):
        return index[day.replace(month=1, day=1) if by_year else day.replace(day=1)]

    if tallies.readable():
        by_step = tallies.figures_by(unit.pk, start, end, step_of)
    else:
        by_step = counted_by(unit, start, end, step_of)
    figures = [by_step.get(i) or Figures() for i in range(len(steps))]
    labels = [f"{s:%Y}" if by_year else f"{s:%Y-%m}" for s in steps]
    return Series(
        labels,
        {c.value: [f.by_category[c][0] for f in figures] for c in Petition.Category},
        [f.claimed for f in figures],
        [f.advanced for f in figures],
        [f.recovered for f in figures],
    )
