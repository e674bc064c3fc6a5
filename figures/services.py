"""The figures of one org unit for a period, with each of its direct sub-units beside it.

Every figure is counted from the records the case pages show (petitions and their claims, case
events, agreements, closures, deadlines, fund release lines and ledger postings): there is no
second bookkeeping to drift from them. `collect` counts them with a fixed number of queries, each
grouping its rows by a bucket: per unit and day for the tallies (`tallies.py`), which the page
reads so that years of a million petitions are a few hundred rows; per sub-unit of one unit for
`counted_unit_figures`, the same figures straight from the records, which the tallies are
checked against.

A period is [start, end], two dates, taken in local time (`fund.reports.period_bounds`). Which
moment places a record in the period:

- petitions, their workers, channels, categories and amounts claimed: the petition's receipt;
- outcomes (agreement reached, mediation failed, referred and to whom, referred out, closed):
  the case event of that step;
- amounts agreed: the agreement's signing date;
- paid by employers: the confirmation that the agreement was fulfilled. Only the fact is
  recorded, not a payment's amount, so this is what the fulfilled agreement gave each worker;
- advanced by the fund, recovered and written off: the ledger entry's booking. They are read off
  the receivable account as the fund statement reads the cash account, so a correction booked in
  the period is taken off the figure of the entry it reverses, and the zone's figures are its
  fund statement's;
- days to close: petitions closed in the period (a petition closed twice counts twice);
- deadlines met: stopped in the period before their due time; breached: whose due time passed
  in the period (open or since stopped);
- satisfaction: closures recorded in the period with a rating.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Count,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Substr, TruncDate
from django.utils.translation import gettext as _
from pyroaring import BitMap

from casework.events import EventName
from casework.forms import ReferralForm
from casework.models import (
    Agreement,
    AgreementLine,
    CaseEvent,
    Claim,
    Closure,
    OrgUnit,
    Petition,
    Status,
)
from fund.models import Account, JournalEntry, Posting, ReleaseLine
from fund.reports import period_bounds
from lib.money import MoneySum
from workflows.models import Deadline

ZERO = Decimal("0.00")
TEN_THOUSAND = Decimal("10000")
# The unit's own records (not under any of its sub-units) are grouped under this key.
ITSELF = 0
PATH_DIGITS = 6  # each unit's part of OrgUnit.path: its id on six digits and "/"
REFERRAL_TYPES = [kind for kind, _label in ReferralForm.REFERRAL_TYPES]


@dataclass
class Figures:
    """One column of the table: a unit's (or a sub-unit's) figures for the period."""

    batches: int = 0  # petitions received (批)
    workers: int = 0  # workers on them (人次: claims, a worker on two petitions counts twice)
    group_petitions: int = 0
    owner_missing: int = 0
    by_channel: dict = field(default_factory=lambda: {c: [0, 0] for c in Petition.Channel})
    by_category: dict = field(default_factory=lambda: {c: [0, 0, ZERO] for c in Petition.Category})
    claimed: Decimal = ZERO
    agreed: Decimal = ZERO
    paid_by_employers: Decimal = ZERO
    advanced: Decimal = ZERO
    recovered: Decimal = ZERO
    written_off: Decimal = ZERO
    helped: BitMap = field(default_factory=BitMap)  # the ids of the workers helped
    agreements: int = 0
    mediation_failed: int = 0
    referred: dict = field(default_factory=lambda: dict.fromkeys(REFERRAL_TYPES, 0))
    referred_out: int = 0
    closed: int = 0
    days_to_close: Counter = field(default_factory=Counter)  # {days: closures}
    deadlines_met: int = 0
    deadlines_breached: int = 0
    rating_sum: int = 0
    rating_count: int = 0

    @property
    def workers_helped(self):
        return len(self.helped)

    @property
    def median_days_to_close(self):
        if not self.days_to_close:
            return None
        return _median(self.days_to_close).quantize(Decimal("0.1"))

    @property
    def average_rating(self):
        if not self.rating_count:
            return None
        return (Decimal(self.rating_sum) / self.rating_count).quantize(Decimal("0.01"))

    @property
    def referred_total(self):
        return sum(self.referred.values())


COUNTS = (
    "batches",
    "workers",
    "group_petitions",
    "owner_missing",
    "agreements",
    "mediation_failed",
    "referred_out",
    "closed",
    "deadlines_met",
    "deadlines_breached",
    "rating_sum",
    "rating_count",
)
AMOUNTS = ("claimed", "agreed", "paid_by_employers", "advanced", "recovered", "written_off")


def to_counts(figures):
    """The figures as {name: number}, amounts in fen: what a tally stores and sums. Zeros are
    left out, so that an empty day stores nothing."""
    counts = {name: getattr(figures, name) for name in COUNTS}
    counts.update((name, _fen(getattr(figures, name))) for name in AMOUNTS)
    for channel, (batches, workers) in figures.by_channel.items():
        counts[f"channel.{channel}.batches"] = batches
        counts[f"channel.{channel}.workers"] = workers
    for category, (batches, workers, claimed) in figures.by_category.items():
        counts[f"category.{category}.batches"] = batches
        counts[f"category.{category}.workers"] = workers
        counts[f"category.{category}.claimed"] = _fen(claimed)
    for kind, n in figures.referred.items():
        counts[f"referred.{kind or ''}"] = n
    for days, n in figures.days_to_close.items():
        counts[f"days.{days}"] = n
    return {name: n for name, n in counts.items() if n}


def from_counts(counts, helped):
    """The Figures of summed `to_counts` and the union of their workers helped."""
    figures = Figures(helped=helped)
    slots = {"batches": 0, "workers": 1, "claimed": 2}
    for name, n in counts.items():
        group, _dot, rest = name.partition(".")
        if not rest:
            value = Decimal(n).scaleb(-2) if name in AMOUNTS else n
            setattr(figures, name, value)
        elif group == "channel":
            key, _dot, slot = rest.rpartition(".")
            figures.by_channel.setdefault(key, [0, 0])[slots[slot]] = n
        elif group == "category":
            key, _dot, slot = rest.rpartition(".")
            value = Decimal(n).scaleb(-2) if slot == "claimed" else n
            figures.by_category.setdefault(key, [0, 0, ZERO])[slots[slot]] = value
        elif group == "referred":
            figures.referred[rest or None] = n
        else:
            figures.days_to_close[int(rest)] = n
    return figures


def _fen(amount):
    return int(amount.scaleb(2))


def _median(counts):
    """The median of the values counted in `counts` ({value: how many times})."""
    values = sorted(counts)
    n = sum(counts.values())
    lower, upper, seen = None, None, 0
    for value in values:
        seen += counts[value]
        if lower is None and seen >= (n + 1) // 2:
            lower = value
        if seen >= n // 2 + 1:
            upper = value
            break
    return (Decimal(lower) + Decimal(upper)) / 2


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
    from . import tallies

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
        _add(total, figures)
    children = children_of(unit)
    return report(unit, start, end, children, total, by_key, by_key.get(ITSELF))


def counted_by(unit, start, end, step_of):
    """{step_of(day): Figures} of the unit's subtree, counted straight from the records."""
    units = list(unit.subtree().values_list("pk", flat=True))
    by_step = defaultdict(Figures)
    for (_unit, day), figures in collect(ByUnitAndDay(units), start, end).items():
        _add(by_step[step_of(day)], figures)
    return by_step


class BySubUnit:
    """Groups the records of `unit`'s subtree (`units`: their ids) by the direct sub-unit
    holding them (its id, or ITSELF for the unit's own): the part of the org tree's path just
    after the unit's own, so no CASE per sub-unit."""

    def __init__(self, unit, units):
        self.unit, self.units = unit, units

    def annotate(self, queryset, path_field, day):
        # The subtree is named by its units' ids, so a zone reads its own petitions by index.
        unit_field = path_field.removesuffix("__path")
        return queryset.filter(**{f"{unit_field}__in": self.units}).annotate(
            bucket=Substr(path_field, len(self.unit.path) + 1, PATH_DIGITS)
        )

    def values(self, queryset, *names):
        return queryset.values("bucket", *names)

    def key(self, row):
        return int(row["bucket"]) if row["bucket"] else ITSELF


class ByUnitAndDay:
    """Groups the records (of `units`, ids, or all) by the unit holding them and the day they
    count on: (unit id, date)."""

    def __init__(self, units=None):
        self.units = units

    def annotate(self, queryset, path_field, day):
        unit_field = path_field.removesuffix("__path")
        if self.units is not None:
            queryset = queryset.filter(**{f"{unit_field}__in": self.units})
        return queryset.annotate(bucket_unit=F(unit_field), bucket_day=day)

    def values(self, queryset, *names):
        return queryset.values("bucket_unit", "bucket_day", *names)

    def key(self, row):
        return row["bucket_unit"], row["bucket_day"]


def collect(bucketing, start, end):
    """{bucket: Figures} of the records counted from `start` to `end` (dates, inclusive):
    thirteen queries, each grouping its rows by `bucketing`'s bucket."""
    lo, hi = period_bounds(start, end)
    by_key = defaultdict(Figures)

    def rows(queryset, path_field, day, *group, **aggregates):
        """`queryset`'s rows grouped by bucket (`row["bucket"]`) and `group`. `day`: the
        expression of the day a row counts on."""
        queryset = bucketing.annotate(queryset, path_field, day)
        for row in bucketing.values(queryset, *group).annotate(**aggregates).order_by():
            row["bucket"] = bucketing.key(row)
            yield row

    def workers(queryset, path_field, day, worker_field):
        """Put each worker of `queryset`'s rows in the set of their bucket."""
        queryset = bucketing.annotate(queryset, path_field, day)
        for row in bucketing.values(queryset, worker_field).distinct().order_by():
            if row[worker_field] is not None:
                by_key[bucketing.key(row)].helped.add(row[worker_field])

    _petitions(rows, by_key, lo, hi)
    _outcomes(rows, by_key, lo, hi)
    _money(rows, by_key, start, end, lo, hi)
    _service(rows, by_key, lo, hi)
    _workers_helped(workers, lo, hi)
    return by_key


def _petitions(rows, by_key, lo, hi):
    received = Q(received_at__gte=lo, received_at__lt=hi)
    for row in rows(
        Petition.objects.filter(received),
        "org_unit__path",
        TruncDate("received_at"),
        "channel",
        "category",
        batches=Count("pk"),
        group=Count("pk", filter=Q(is_group=True)),
        owner_missing=Count("pk", filter=Q(owner_missing=True)),
    ):
        figures = by_key[row["bucket"]]
        figures.batches += row["batches"]
        figures.group_petitions += row["group"]
        figures.owner_missing += row["owner_missing"]
        figures.by_channel[row["channel"]][0] += row["batches"]
        figures.by_category[row["category"]][0] += row["batches"]
    claims = Claim.objects.filter(petition__received_at__gte=lo, petition__received_at__lt=hi)
    for row in rows(
        claims,
        "petition__org_unit__path",
        TruncDate("petition__received_at"),
        "petition__channel",
        "petition__category",
        workers=Count("pk"),
        claimed=MoneySum("claimed_amount"),
    ):
        figures = by_key[row["bucket"]]
        figures.workers += row["workers"]
        figures.claimed += row["claimed"]
        figures.by_channel[row["petition__channel"]][1] += row["workers"]
        category = figures.by_category[row["petition__category"]]
        category[1] += row["workers"]
        category[2] += row["claimed"]


OUTCOME_STEPS = (
    EventName.REACH_AGREEMENT,
    EventName.FAIL_MEDIATION,
    EventName.REFER,
    EventName.REFER_OUT,
    EventName.CLOSE,
)


def _outcomes(rows, by_key, lo, hi):
    events = CaseEvent.objects.filter(at__gte=lo, at__lt=hi, transition__in=OUTCOME_STEPS)
    events = events.annotate(referral_type=KeyTextTransform("referral_type", "data"))
    for row in rows(
        events,
        "petition__org_unit__path",
        TruncDate("at"),
        "transition",
        "referral_type",
        n=Count("pk"),
    ):
        figures, step, n = by_key[row["bucket"]], row["transition"], row["n"]
        if step == EventName.REACH_AGREEMENT:
            figures.agreements += n
        elif step == EventName.FAIL_MEDIATION:
            figures.mediation_failed += n
        elif step == EventName.REFER:
            kind = row["referral_type"]
            figures.referred[kind] = figures.referred.get(kind, 0) + n
        elif step == EventName.REFER_OUT:
            figures.referred_out += n
        else:
            figures.closed += n
    # Days from receipt to closure, counted per number of days: the median needs no more.
    closures = CaseEvent.objects.filter(at__gte=lo, at__lt=hi, transition=EventName.CLOSE).annotate(
        days=TruncDate("at") - TruncDate("petition__received_at")
    )
    for row in rows(closures, "petition__org_unit__path", TruncDate("at"), "days", n=Count("pk")):
        by_key[row["bucket"]].days_to_close[row["days"].days] += row["n"]


def _money(rows, by_key, start, end, lo, hi):
    agreed = AgreementLine.objects.filter(agreement__signed_on__range=(start, end))
    for row in rows(
        agreed,
        "agreement__petition__org_unit__path",
        F("agreement__signed_on"),
        total=MoneySum("amount"),
    ):
        by_key[row["bucket"]].agreed += row["total"]
    for row in rows(
        _fulfilments(lo, hi), "petition__org_unit__path", TruncDate("at"), total=MoneySum("paid")
    ):
        by_key[row["bucket"]].paid_by_employers += row["total"]
    for row in rows(
        _receivable(lo, hi),
        "release__petition__org_unit__path",
        TruncDate("entry__booked_at"),
        "entry__kind",
        "entry__reverses__kind",
        total=MoneySum("amount"),
    ):
        _book(by_key[row["bucket"]], row["entry__kind"], row["entry__reverses__kind"], row["total"])


def _fulfilments(lo, hi):
    """The period's confirmations that an agreement was fulfilled, each with what that
    agreement gave the workers (`paid`): the agreement on its petition recorded last before
    it (a reopened petition may have several)."""
    last = Agreement.objects.filter(
        petition=OuterRef(OuterRef("petition")), recorded_at__lte=OuterRef(OuterRef("at"))
    ).order_by("-recorded_at", "-pk")
    paid = (
        AgreementLine.objects.filter(agreement=Subquery(last.values("pk")[:1]))
        .values("agreement")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return CaseEvent.objects.filter(
        at__gte=lo, at__lt=hi, transition=EventName.CONFIRM_FULFILMENT
    ).annotate(paid=Subquery(paid, output_field=AgreementLine._meta.get_field("amount")))


# The receivable account: debited when the fund pays a worker, credited by a recovery or a
# write-off; a correction reverses one of these entries, posting by posting.
LEDGER_KINDS = (
    JournalEntry.Kind.DISBURSEMENT,
    JournalEntry.Kind.RECOVERY,
    JournalEntry.Kind.WRITE_OFF,
    JournalEntry.Kind.CORRECTION,
)


def _receivable(lo, hi):
    return Posting.objects.filter(
        account=Account.RECEIVABLE,
        entry__kind__in=LEDGER_KINDS,
        entry__booked_at__gte=lo,
        entry__booked_at__lt=hi,
    )


def _book(figures, kind, reversed_kind, amount):
    """Count a sum of receivable postings of entries of `kind`: payments are debits, recoveries
    and write-offs credits (negative, shown positive); a correction counts as what it reverses."""
    if kind == JournalEntry.Kind.CORRECTION:
        kind = reversed_kind
    if kind == JournalEntry.Kind.DISBURSEMENT:
        figures.advanced += amount
    elif kind == JournalEntry.Kind.RECOVERY:
        figures.recovered -= amount
    elif kind == JournalEntry.Kind.WRITE_OFF:
        figures.written_off -= amount


def _service(rows, by_key, lo, hi):
    stopped = Deadline.objects.filter(closed_at__gte=lo, closed_at__lt=hi, breached_at=None)
    for row in rows(stopped, "petition__org_unit__path", TruncDate("closed_at"), n=Count("pk")):
        by_key[row["bucket"]].deadlines_met += row["n"]
    breached = Deadline.objects.filter(breached_at__gte=lo, breached_at__lt=hi)
    for row in rows(breached, "petition__org_unit__path", TruncDate("breached_at"), n=Count("pk")):
        by_key[row["bucket"]].deadlines_breached += row["n"]
    rated = Closure.objects.filter(recorded_at__gte=lo, recorded_at__lt=hi, rating__isnull=False)
    for row in rows(
        rated,
        "petition__org_unit__path",
        TruncDate("recorded_at"),
        total=Sum("rating"),
        n=Count("pk"),
    ):
        by_key[row["bucket"]].rating_sum += row["total"]
        by_key[row["bucket"]].rating_count += row["n"]


def _workers_helped(workers, lo, hi):
    """A worker is helped when, in the period, a petition naming them was closed after its
    agreement was fulfilled (the employer paid), or the emergency fund paid them on a petition.
    Kept as sets of ids, so that a person counts once however many petitions, payments, days
    or sub-units name them (the sub-units' counts may add up to more than the unit's)."""
    fulfilled = CaseEvent.objects.filter(
        at__gte=lo, at__lt=hi, transition=EventName.CLOSE, from_status=Status.FULFILLED
    )
    workers(fulfilled, "petition__org_unit__path", TruncDate("at"), "petition__claims__worker")
    paid = ReleaseLine.objects.filter(state=ReleaseLine.State.PAID, paid_at__gte=lo, paid_at__lt=hi)
    workers(paid, "petition__org_unit__path", TruncDate("paid_at"), "worker")


def _add(total, part):
    """Add `part` into `total`."""
    for name in (*COUNTS, *AMOUNTS):
        setattr(total, name, getattr(total, name) + getattr(part, name))
    total.helped |= part.helped
    total.days_to_close += part.days_to_close
    for key, (batches, workers) in part.by_channel.items():
        row = total.by_channel.setdefault(key, [0, 0])
        row[0], row[1] = row[0] + batches, row[1] + workers
    for key, (batches, workers, claimed) in part.by_category.items():
        row = total.by_category.setdefault(key, [0, 0, ZERO])
        row[0], row[1], row[2] = row[0] + batches, row[1] + workers, row[2] + claimed
    for key, n in part.referred.items():
        total.referred[key] = total.referred.get(key, 0) + n


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
    from . import tallies

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
