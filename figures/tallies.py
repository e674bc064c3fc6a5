"""The tallies: the figures of each unit per day, month and year, recounted from the records.

`counting.collect` counts a run of days grouped by unit and day; each unit's tally adds up its
whole subtree (and, for a unit with sub-units, a second one its own records alone). A month's
tally is the sum of its days', a year's of its months' (their workers helped: the union). A
period is read as its whole years, months and the days left, where fewer rows do as a year or
month less its other days (counts only: sets are not taken off one another), summed in SQL: for
a sub-unit, a handful of rows.

A change to a record marks its day stale (`stale.py`, in the change's transaction). The timer
loop recounts the stale days, a month per transaction holding `TallyLock`, so that two recounts
never mix their sums; the page recounts the few left before it reads (`readable`), and while
many are stale (a change touching many days, a move in the org tree) or another recount runs, it
counts from the records instead: slower, never out of date.
"""

import datetime
from collections import Counter, defaultdict

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import OperationalError, connection, transaction
from django.db.models import Max, Min, Q, Value
from django.utils import timezone
from pyroaring import BitMap

from casework.models import Agreement, CaseEvent, Closure, OrgUnit, Petition
from fund.models import JournalEntry, ReleaseLine
from workflows.models import Deadline

from .counting import ByUnitAndDay, Figures, add, collect, from_counts, to_counts
from .models import StaleDay, Tally, TallyLock

DAY, MONTH, YEAR = Tally.Grain.DAY, Tally.Grain.MONTH, Tally.Grain.YEAR
ONE_DAY = datetime.timedelta(days=1)


def figures_of(unit_ids, start, end):
    """{(unit id, own records only): Figures} of the units from `start` to `end`."""
    counts = defaultdict(dict)
    for unit, own, name, total in _sums(start, end, Q(unit__in=unit_ids), "unit_id", "own"):
        counts[(unit, bool(own))][name] = total
    helped = defaultdict(list)
    which = Q(unit__in=unit_ids)
    rows = _tallies(_helped_cover(start, end, which)).filter(which).exclude(helped=b"")
    for unit, own, row_helped in rows.values_list("unit_id", "own", "helped"):
        helped[(unit, own)].append(BitMap.deserialize(bytes(row_helped)))
    return {
        key: from_counts(
            counts.get(key, {}), BitMap.union(*helped[key]) if key in helped else BitMap()
        )
        for key in counts.keys() | helped.keys()
    }


def figures_by(unit_id, start, end, step_of):
    """{step_of(day): Figures} of the unit's subtree from `start` to `end`, without the
    workers helped; `day` is the first day of each tally read (a month's or a year's falls
    in the step of its first day: the steps are months or years)."""
    counts = defaultdict(Counter)
    for day, name, total in _sums(start, end, Q(unit=unit_id, own=False), "day"):
        counts[step_of(local_date(day))][name] += total
    return {step: from_counts(step_counts, BitMap()) for step, step_counts in counts.items()}


def _helped_cover(start, end, which):
    """[(grain, first, last)]: the tallies `which` whose workers helped, put together, are
    those of the days from `start` to `end`. Sets are not taken off one another: part of a
    year is its year (or month) only where the other days helped nobody (days to come)."""
    pieces = []
    for lo, hi in _by_year(start, end):
        plus, minus = counted_cover(lo, hi)
        if minus and _tallies(minus).filter(which).exclude(helped=b"").exists():
            pieces += cover(lo, hi)
        else:
            pieces += plus
    return _merged(pieces)


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
SIGNED_SUM = {
    "postgresql": "SUM(tally.sign * item.value::bigint)::bigint",
    "sqlite": "SUM(tally.sign * item.value)",
}


def _sums(start, end, which, *group):
    """[(*group, figure, sum)]: the counts of the tallies `which` (a Q) from `start` to
    `end` (`counted_cover`: some added, some taken off), summed by `group` (column names) in
    SQL, so that years of tallies are not decoded one by one."""
    plus, minus = (
        _tallies(pieces).filter(which).values("unit_id", "own", "day", "counts", sign=Value(sign))
        for pieces, sign in zip(counted_cover(start, end), (1, -1), strict=True)
    )
    try:
        signed, params = plus.union(minus, all=True).query.sql_with_params()
    except EmptyResultSet:  # nothing to read
        return []
    vendor = connection.vendor
    columns = ", ".join(f"tally.{column}" for column in group)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns}, item.key, {SIGNED_SUM[vendor]} "
            f"FROM ({signed}) AS tally, {EACH_COUNT[vendor]} GROUP BY {columns}, item.key",
            params,
        )
        return cursor.fetchall()


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
    to the days from `start` to `end`, read in as few rows as it takes. Part of a year may be
    the year less its other days, and days at an end of the period their month less its other
    days (none yet, mostly: this year or this month so far is its year or month)."""
    plus, minus = [], []
    for lo, hi in _by_year(start, end):
        year = lo.replace(month=1, day=1)
        by_year = _less_others(YEAR, year, year.replace(month=12, day=31), lo, hi)
        by_parts = _parts_less_others(cover(lo, hi))
        chosen = by_year if not by_year[1] or _rows(by_year) < _rows(by_parts) else by_parts
        plus += chosen[0]
        minus += chosen[1]
    return _merged(plus), _merged(minus)


def _merged(pieces):
    """The pieces, those of one grain that follow each other as one (a century of years is
    one range, not a hundred)."""
    merged = []
    for grain, first, last in pieces:
        if merged and merged[-1][0] == grain and _next(grain, merged[-1][2]) == first:
            merged[-1][2] = last
        else:
            merged.append([grain, first, last])
    return [tuple(piece) for piece in merged]


def _next(grain, first):
    """The first day of the day, month or year after the one starting `first`."""
    if grain == DAY:
        return first + ONE_DAY if first < datetime.date.max else None
    if grain == MONTH:
        return _month_after(first)
    return _year_after(first)


def _parts_less_others(pieces):
    """(plus, minus) of `pieces` (within a year), days at an end as their month less its
    other days where that reads fewer rows."""
    plus, minus = [], []
    for grain, first, last in pieces:
        if grain != DAY:
            plus.append((grain, first, last))
            continue
        for lo, hi in _by_month(first, last):
            month = lo.replace(day=1)
            end = _month_after(month) - ONE_DAY if _month_after(month) else datetime.date.max
            by_month = _less_others(MONTH, month, end, lo, hi)
            by_days = ([(DAY, lo, hi)], [])
            chosen = by_month if _rows(by_month) < _rows(by_days) else by_days
            plus += chosen[0]
            minus += chosen[1]
    return plus, minus


def _less_others(grain, first, last, lo, hi):
    """(plus, minus): the days lo..hi as the `grain` tally of first..last less its other
    days."""
    others = [
        (first, lo - ONE_DAY) if lo > first else None,
        (hi + ONE_DAY, last) if hi < last else None,
    ]
    return [(grain, first, first)], [(DAY, a, b) for a, b in filter(None, others)]


def _rows(cover):
    """How many rows a (plus, minus) cover reads."""
    return _so_far(cover[0]) + _so_far(cover[1])


def _so_far(pieces):
    """How many rows `pieces` read, counting only the days and months that have come (only
    those have tallies, mostly)."""
    today = timezone.localdate()
    rows = 0
    for grain, first, last in pieces:
        if first > today:
            continue
        if grain == DAY:
            rows += (min(last, today) - first).days + 1
        elif grain == MONTH:
            last = min(last, today)
            rows += (last.year - first.year) * 12 + last.month - first.month + 1
        else:
            rows += min(last, today).year - first.year + 1
    return rows


def _by_year(first, last):
    """first..last cut at the years' ends: [(first, last)] each within one year."""
    parts = []
    while first.year < last.year:
        parts.append((first, first.replace(month=12, day=31)))
        first = datetime.date(first.year + 1, 1, 1)
    return [*parts, (first, last)]


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


def readable():
    """Whether the page may read the tallies: the few stale days recounted now, or False when
    more are stale or another recount is running (the page then counts from the records)."""
    return refresh(limit=settings.CASEWORK["FIGURES_RECOUNT_ON_READ_DAYS"], wait=False)


def refresh(limit=None, wait=True):
    """Recount the stale days a month at a time, each month in a transaction of its own
    holding `TallyLock`: whether the tallies are up to date. Nothing is done (False) when
    more than `limit` days are stale, or, unless `wait`, when another recount holds the lock."""
    if not StaleDay.objects.exists():
        return True
    with transaction.atomic():
        if not _lock(wait):
            return False
        if StaleDay.objects.filter(day=None).exists():
            # Everything: as many stale days, recounted month by month from here on.
            StaleDay.objects.bulk_create(StaleDay(day=day) for day in _every_day())
            StaleDay.objects.filter(day=None).delete()
        days = sorted(set(StaleDay.objects.values_list("day", flat=True)))
    if limit is not None and len(days) > limit:
        return False
    for first, last in _runs(days):
        with transaction.atomic():
            if not _lock(wait):
                return False
            read = list(StaleDay.objects.filter(day__range=(first, last)).values_list("pk"))
            _recount(first, last)
            StaleDay.objects.filter(pk__in=[pk for (pk,) in read]).delete()
    return not StaleDay.objects.exists()


def _lock(wait):
    TallyLock.objects.get_or_create(pk=1)
    try:
        with transaction.atomic():  # a savepoint: a refusal leaves the transaction usable
            TallyLock.objects.select_for_update(nowait=not wait).get(pk=1)
    except OperationalError:  # another recount holds it
        return False
    return True


def rebuild():
    """Count every tally again from the records (after data written around the services)."""
    with transaction.atomic():
        _lock(wait=True)
        Tally.objects.all().delete()
        StaleDay.objects.create(day=None)
    refresh()


# Each moment a record counts on (`counting.collect`): a full recount runs from the first to
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
        bounds += [local_date(d) for d in found.values() if d is not None]
    first, last = min(bounds), max(bounds)
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def local_date(moment):
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
            add(fresh[(ancestor, day, False)], figures)
        if unit in parents:
            add(fresh[(unit, day, True)], figures)
    counts = {key: (to_counts(f), f.helped) for key, f in fresh.items()}
    # A day whose records add up to nothing (a payment and its correction) keeps no tally.
    return {key: value for key, value in counts.items() if _kept(*value)}


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
        add(sums[(unit, own)], from_counts(counts, helped))
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
