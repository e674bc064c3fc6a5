"""The tallies: the figures of each unit per day and per month, recounted from the records.

`services.collect` counts a run of days grouped by unit and day; each unit's tally adds up its
whole subtree (and, for a unit with sub-units, a second one its own records alone). A month's
tally is the sum of its days' (the union of their workers helped). A period is read as its whole
months plus the days left at either end: for a sub-unit, at most a few dozen rows.

A change to a record marks its day stale (`stale.py`, in the change's transaction); `refresh`
recounts the stale days before anything is read, and the timer loop calls it too, so the page
rarely waits for it. A recount holds `TallyLock`: two never mix their month sums.
"""

import datetime
from collections import Counter, defaultdict

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone
from pyroaring import BitMap

from casework.models import Agreement, CaseEvent, Closure, OrgUnit, Petition
from fund.models import JournalEntry, ReleaseLine
from workflows.models import Deadline

from .models import StaleDay, Tally, TallyLock
from .services import ByUnitAndDay, Figures, _add, collect, from_counts, to_counts

DAY, MONTH, YEAR = Tally.Grain.DAY, Tally.Grain.MONTH, Tally.Grain.YEAR
ONE_DAY = datetime.timedelta(days=1)


def figures_of(unit_ids, start, end):
    """{(unit id, own records only): Figures} of the units from `start` to `end`."""
    refresh()
    plus, minus = counted_cover(start, end)
    counts = defaultdict(Counter)
    for pieces, sign in ((plus, 1), (minus, -1)):
        rows = _tallies(pieces).filter(unit__in=unit_ids)
        for unit, own, name, total in _sums(rows, "unit_id", "own"):
            counts[(unit, bool(own))][name] += sign * total
    helped = defaultdict(list)
    rows = _tallies(cover(start, end)).filter(unit__in=unit_ids).exclude(helped=b"")
    for unit, own, row_helped in rows.values_list("unit_id", "own", "helped"):
        helped[(unit, own)].append(BitMap.deserialize(bytes(row_helped)))
    return {
        key: from_counts(
            counts.get(key, Counter()),
            BitMap.union(*helped[key]) if key in helped else BitMap(),
        )
        for key in counts.keys() | helped.keys()
    }


def figures_by(unit_id, start, end, step_of):
    """{step_of(day): Figures} of the unit's subtree from `start` to `end`, without the
    workers helped; `day` is the first day of each tally read (a month's or a year's falls
    in the step of its first day: the steps are months or years)."""
    refresh()
    counts = defaultdict(Counter)
    plus, minus = counted_cover(start, end)
    for pieces, sign in ((plus, 1), (minus, -1)):
        rows = _tallies(pieces).filter(unit=unit_id, own=False)
        for day, name, total in _sums(rows, "day"):
            counts[step_of(_date(day))][name] += sign * total
    return {step: from_counts(step_counts, BitMap()) for step, step_counts in counts.items()}


def _tallies(pieces):
    """The tallies of `pieces` ([(grain, first, last)])."""
    period = Q(pk__in=[])
    for grain, first, last in pieces:
        period |= Q(grain=grain, day__range=(first, last))
    return Tally.objects.filter(period)


# Each figure of the tallies' counts and its value, one row per figure, on each database.
EACH_COUNT = {
    "postgresql": "jsonb_each_text(tally.counts) AS item(key, value)",
    "sqlite": "json_each(tally.counts) AS item",
}
COUNT_VALUE = {"postgresql": "item.value::bigint", "sqlite": "item.value"}


def _sums(tallies, *group):
    """[(*group, figure, sum)]: the tallies' counts summed by `group` (column names) in SQL,
    so that years of tallies are not decoded one by one."""
    vendor = connection.vendor
    try:
        ids, params = tallies.values("pk").query.sql_with_params()
    except EmptyResultSet:  # no pieces: nothing to sum
        return []
    columns = ", ".join(f"tally.{column}" for column in group)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns}, item.key, SUM({COUNT_VALUE[vendor]}) "
            f"FROM {Tally._meta.db_table} AS tally, {EACH_COUNT[vendor]} "
            f"WHERE tally.id IN ({ids}) GROUP BY {columns}, item.key",
            params,
        )
        # PostgreSQL sums integers as numeric: back to int.
        return [(*row[:-1], int(row[-1])) for row in cursor.fetchall()]


def cover(start, end):
    """[(grain, first, last)]: the tallies that add up to the days from `start` to `end`, the
    fewest that do: its whole years, whole months and the days left (first and last: the
    first days of the years, months or days)."""
    first = start if (start.month, start.day) == (1, 1) else _year_after(start)
    last = end if (end.month, end.day) == (12, 31) else end.replace(month=1, day=1) - ONE_DAY
    if first is None or first > last:
        return _months_and_days(start, end)
    years = [(YEAR, first, last.replace(month=1, day=1))]
    before = _months_and_days(start, first - ONE_DAY) if start < first else []
    after = _months_and_days(last + ONE_DAY, end) if last < end else []
    return before + years + after


def counted_cover(start, end):
    """(plus, minus): the tallies whose counts, those of `plus` less those of `minus`, add up
    to the days from `start` to `end`. Where it reads fewer rows, the days at an end are their
    month less the month's other days (none yet, mostly: this month so far is its month)."""
    plus, minus = [], []
    for grain, first, last in cover(start, end):
        if grain != DAY:
            plus.append((grain, first, last))
            continue
        for lo, hi in _by_month(first, last):
            month = lo.replace(day=1)
            others = _days_besides(month, lo, hi)
            if 1 + sum(_days_so_far(a, b) for a, b in others) < _days_so_far(lo, hi):
                plus.append((MONTH, month, month))
                minus += [(DAY, a, b) for a, b in others]
            else:
                plus.append((DAY, lo, hi))
    return plus, minus


def _months_and_days(start, end):
    """[(grain, first, last)] of start..end (within a year or two): whole months, and days."""
    first = start if start.day == 1 else _month_after(start)
    following = end + ONE_DAY if end < datetime.date.max else None
    last = end if following is None or following.day == 1 else end.replace(day=1) - ONE_DAY
    if first is None or first > last:
        return [(DAY, start, end)]
    days = [(DAY, start, first - ONE_DAY)] if start < first else []
    if last < end:
        days.append((DAY, last + ONE_DAY, end))
    return [(MONTH, first, last.replace(day=1)), *days]


def _by_month(first, last):
    """first..last cut at the months' ends: [(first, last)] each within one month."""
    parts = []
    while _month_after(first) and _month_after(first) <= last:
        parts.append((first, _month_after(first) - ONE_DAY))
        first = _month_after(first)
    return [*parts, (first, last)]


def _days_besides(month, lo, hi):
    """The month's days outside lo..hi, as [(first, last)]."""
    end = _month_after(month) - ONE_DAY if _month_after(month) else datetime.date.max
    return [(a, b) for a, b in ((month, lo - ONE_DAY), (hi + ONE_DAY, end)) if a <= b]


def _days_so_far(first, last):
    """How many of the days first..last have come (only those can have tallies, mostly)."""
    return max(0, (min(last, timezone.localdate()) - first).days + 1)


def _month_after(day):
    """The first day of the month after `day`'s (None after the last month there is)."""
    if (day.year, day.month) == (datetime.MAXYEAR, 12):
        return None
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def _year_after(day):
    return None if day.year == datetime.MAXYEAR else datetime.date(day.year + 1, 1, 1)


def timer_source():
    """The timer loop's pass: recount the stale days. It fires nothing."""
    refresh()
    return 0


def refresh():
    """Recount the stale days, if any: their day tallies and the month tallies they change."""
    if not StaleDay.objects.exists():
        return 0
    with transaction.atomic():
        TallyLock.objects.select_for_update().get_or_create(pk=1)
        stale = list(StaleDay.objects.values_list("pk", "day"))
        if any(day is None for _pk, day in stale):
            Tally.objects.all().delete()
            days = _every_day()
        else:
            days = sorted({day for _pk, day in stale})
        for first, last in _runs(days):
            _recount(first, last)
        StaleDay.objects.filter(pk__in=[pk for pk, _day in stale]).delete()
    return len(stale)


def rebuild():
    """Recount every day from the records (after data written around the services)."""
    StaleDay.objects.create(day=None)
    return refresh()


# Each moment a record counts on (`services.collect`): a full recount runs from the first to
# the last of them.
MOMENTS = (
    (Petition, "received_at"),
    (CaseEvent, "at"),
    (Agreement, "signed_on"),
    (Closure, "recorded_at"),
    (Deadline, "closed_at"),
    (Deadline, "breached_at"),
    (JournalEntry, "booked_at"),
    (ReleaseLine, "paid_at"),
)


def _every_day():
    """Every day from the first record counted to the last (today at least)."""
    bounds = [timezone.localdate()]
    for model, moment in MOMENTS:
        found = model.objects.aggregate(first=Min(moment), last=Max(moment))
        bounds += [_date(d) for d in found.values() if d is not None]
    first, last = min(bounds), max(bounds)
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def _date(moment):
    return timezone.localdate(moment) if isinstance(moment, datetime.datetime) else moment


def _runs(days):
    """The sorted days as runs [first, last] of consecutive days within one month."""
    runs = []
    for day in days:
        last = runs[-1][1] if runs else None
        if last and day - last == datetime.timedelta(days=1) and day.month == last.month:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return runs


def counted(first, last):
    """{(unit, day, own): (counts, helped)} of the days from `first` to `last`, counted from
    the records: each unit's subtree, and the own records of each unit with sub-units."""
    paths = dict(OrgUnit.objects.values_list("pk", "path"))
    parents = set(OrgUnit.objects.exclude(parent=None).values_list("parent_id", flat=True))
    fresh = defaultdict(Figures)
    for (unit, day), figures in collect(ByUnitAndDay(), first, last).items():
        for ancestor in _ancestors(paths[unit]):
            _add(fresh[(ancestor, day, False)], figures)
        if unit in parents:
            _add(fresh[(unit, day, True)], figures)
    return {key: (to_counts(f), f.helped) for key, f in fresh.items()}


def stored(grain, first, last):
    """{(unit, day, own): (pk, counts, helped)} of the tallies kept from `first` to `last`."""
    rows = Tally.objects.filter(grain=grain, day__range=(first, last)).values_list(
        "pk", "unit_id", "day", "own", "counts", "helped"
    )
    return {
        (unit, day, own): (pk, counts, _bitmap(helped))
        for pk, unit, day, own, counts, helped in rows
    }


def summed(parts):
    """{(unit, own): (counts, helped)} summed over the tallies `parts` ({(unit, day, own):
    (counts, helped)} as `counted` gives): a month's days, a year's months."""
    sums = defaultdict(Figures)
    for (unit, _day, own), (counts, helped) in parts.items():
        _add(sums[(unit, own)], from_counts(counts, helped))
    return {
        key: (to_counts(f), f.helped) for key, f in sums.items() if _kept(to_counts(f), f.helped)
    }


def _bitmap(helped):
    return BitMap.deserialize(bytes(helped)) if helped else BitMap()


def _recount(first, last):
    """Recount the day tallies from `first` to `last` (one month at most), then the month's."""
    new = counted(first, last)
    old = stored(DAY, first, last)
    changed = {
        key
        for key in old.keys() | new.keys()
        if (old[key][1:] if key in old else None) != new.get(key)
    }
    Tally.objects.filter(pk__in=[old[key][0] for key in changed if key in old]).delete()
    Tally.objects.bulk_create(
        _tally(unit, DAY, day, own, *new[(unit, day, own)])
        for unit, day, own in changed
        if (unit, day, own) in new and _kept(*new[(unit, day, own)])
    )
    keys = {(unit, own) for unit, _day, own in changed}
    _resum(MONTH, first.replace(day=1), keys)
    _resum(YEAR, first.replace(month=1, day=1), keys)


PARTS = {MONTH: DAY, YEAR: MONTH}


def _resum(grain, first, keys):
    """The tallies of `keys` ((unit, own)) for the month or year starting `first`, summed
    again from their parts (the month's days, the year's months)."""
    if not keys:
        return
    last = _month_after(first) - ONE_DAY if grain == MONTH else first.replace(month=12, day=31)
    parts = {
        key: (counts, helped)
        for key, (_pk, counts, helped) in stored(PARTS[grain], first, last).items()
        if (key[0], key[2]) in keys
    }
    units = {unit for unit, _own in keys}
    Tally.objects.filter(grain=grain, day=first, unit__in=units).filter(_any_of(keys)).delete()
    Tally.objects.bulk_create(
        _tally(unit, grain, first, own, counts, helped)
        for (unit, own), (counts, helped) in summed(parts).items()
    )


def _any_of(keys):
    query = Q(pk__in=[])
    for own in (False, True):
        units = [unit for unit, key_own in keys if key_own is own]
        if units:
            query |= Q(own=own, unit__in=units)
    return query


def check():
    """[(unit, grain, day, own)] of every tally that differs from a recount of the records
    (missing, left over or other figures), or, for a year, from the sum of its months:
    empty when the tallies agree."""
    wrong = []
    days = _every_day()
    for first, last in _runs(days):
        fresh = counted(first, last)
        wrong += _differ(DAY, fresh, stored(DAY, first, last))
        month = first.replace(day=1)
        sums = {(unit, month, own): value for (unit, own), value in summed(fresh).items()}
        wrong += _differ(MONTH, sums, stored(MONTH, month, month))
    for year in sorted({datetime.date(day.year, 1, 1) for day in days}):
        months = {
            key: value[1:] for key, value in stored(MONTH, year, year.replace(month=12)).items()
        }
        sums = {(unit, year, own): value for (unit, own), value in summed(months).items()}
        wrong += _differ(YEAR, sums, stored(YEAR, year, year))
    return wrong


def _differ(grain, fresh, kept):
    return [
        (unit, grain, day, own)
        for unit, day, own in sorted(fresh.keys() | kept.keys())
        if fresh.get((unit, day, own))
        != (kept[(unit, day, own)][1:] if (unit, day, own) in kept else None)
    ]


def _kept(counts, helped):
    return bool(counts or helped)


def _tally(unit, grain, day, own, counts, helped):
    return Tally(
        unit_id=unit,
        grain=grain,
        day=day,
        own=own,
        counts=counts,
        helped=helped.serialize() if helped else b"",
    )


def _ancestors(path):
    """The ids of the units on the org tree's path, the unit itself last."""
    return [int(part) for part in path.split("/") if part]
