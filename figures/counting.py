"""The figures counted from the case records: `collect` and the `Figures` of one bucket.

Every figure is counted from the records the case pages show (petitions and their claims, case
events, agreements, closures, deadlines, fund release lines and ledger postings): there is no
second bookkeeping to drift from them. `collect` counts them with a fixed number of queries, each
grouping its rows by a bucket: per unit and day for the tallies (`tallies.py`), per sub-unit of
one unit for `services.counted_unit_figures`.

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

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

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
from pyroaring import BitMap

from casework.events import EventName
from casework.forms import ReferralForm
from casework.models import (
    Agreement,
    AgreementLine,
    CaseEvent,
    Claim,
    Closure,
    Petition,
    Status,
)
from fund.models import Account, JournalEntry, Posting, ReleaseLine
from fund.reports import period_bounds
from lib.money import MoneySum
from workflows.models import Deadline

ZERO = Decimal("0.00")
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


def add(total, part):
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
