"""What the fund's pages, API and Excel export read: the statement of a period, the releases of a
queue with their caps, outstanding recoveries. Each takes a fixed number of queries, whatever
the number of rows."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from casework import access
from lib.money import MoneySum
from lib.spreadsheets import append_row

from . import services
from .models import (
    COMMITTING_STATUSES,
    OPEN_LINE_STATES,
    Account,
    Correction,
    EmergencyFund,
    JournalEntry,
    Posting,
    Release,
    ReleaseLine,
)

Kind = JournalEntry.Kind


# The first and last days a statement period may name: its bounds are taken a day wide, in
# local time (`period_bounds`), and must stay within the calendar Python and the database know.
FIRST_DAY = datetime.date.min + datetime.timedelta(days=1)
LAST_DAY = datetime.date.max - datetime.timedelta(days=1)


def period_bounds(start, end):
    """[start 00:00, the day after end 00:00) in local time."""
    lo = timezone.make_aware(datetime.datetime.combine(start, datetime.time()))
    hi = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time())
    )
    return lo, hi


@dataclass
class Statement:
    fund: EmergencyFund
    start: datetime.date
    end: datetime.date
    opening: Decimal
    contributions: Decimal
    releases: Decimal
    recoveries: Decimal
    corrections: Decimal
    write_offs: Decimal
    closing: Decimal
    outstanding: Decimal
    entries: list
    by_enterprise: list  # [(enterprise name, outstanding)], largest first

    @property
    def rows(self):
        """(label key, amount) in the order a statement reads."""
        return [
            ("opening", self.opening),
            ("contributions", self.contributions),
            ("releases", -self.releases),
            ("recoveries", self.recoveries),
            ("corrections", self.corrections),
            ("closing", self.closing),
            ("write_offs", self.write_offs),
            ("outstanding", self.outstanding),
        ]


def statement(fund, start, end):
    """The fund's movements from `start` to `end` (dates, inclusive), with the corrections of
    its entries awaiting confirmation: four queries."""
    lo, hi = period_bounds(start, end)
    pending = Correction.objects.filter(state=Correction.State.PROPOSED).select_related(
        "proposed_by"
    )
    cash, in_period = Q(account=Account.CASH), Q(entry__booked_at__gte=lo, entry__booked_at__lt=hi)

    def moved(kind):
        return MoneySum("amount", filter=cash & in_period & Q(entry__kind=kind))

    totals = Posting.objects.filter(fund=fund).aggregate(
        opening=MoneySum("amount", filter=cash & Q(entry__booked_at__lt=lo)),
        contributions=moved(Kind.CONTRIBUTION),
        releases=moved(Kind.DISBURSEMENT),
        recoveries=moved(Kind.RECOVERY),
        corrections=moved(Kind.CORRECTION),
        write_offs=MoneySum("amount", filter=Q(account=Account.WRITE_OFFS) & in_period),
        closing=MoneySum("amount", filter=cash & Q(entry__booked_at__lt=hi)),
        outstanding=MoneySum(
            "amount", filter=Q(account=Account.RECEIVABLE, entry__booked_at__lt=hi)
        ),
    )
    totals["releases"] = -totals["releases"]
    entries = list(
        JournalEntry.objects.filter(fund=fund, booked_at__gte=lo, booked_at__lt=hi)
        .select_related("booked_by", "release__petition__enterprise")
        .annotate(cash=MoneySum("postings__amount", filter=Q(postings__account=Account.CASH)))
        .prefetch_related(Prefetch("corrections", queryset=pending, to_attr="pending_corrections"))
        .order_by("booked_at", "pk")
    )
    by_enterprise = list(
        Posting.objects.filter(fund=fund, account=Account.RECEIVABLE, entry__booked_at__lt=hi)
        .values_list("release__petition__enterprise__name")
        .annotate(total=MoneySum("amount"))
        .exclude(total=0)
        .order_by("-total", "release__petition__enterprise__name")
    )
    return Statement(fund, start, end, entries=entries, by_enterprise=by_enterprise, **totals)


def funds_for(user, roles):
    """The funds of the zone unions where the user holds one of `roles`."""
    return EmergencyFund.objects.filter(zone__in=access.units_where(user, roles)).select_related(
        "zone"
    )


def fund_outstanding(fund):
    """What employers owe the fund, over all its releases."""
    return Posting.objects.filter(fund=fund, account=Account.RECEIVABLE).aggregate(
        total=MoneySum("amount")
    )["total"]


def with_outstanding(releases):
    receivable = (
        Posting.objects.filter(release=OuterRef("pk"), account=Account.RECEIVABLE)
        .values("release")
        .annotate(total=MoneySum("amount"))
        .values("total")
    )
    return releases.annotate(outstanding=Subquery(receivable))


@dataclass
class QueueRow:
    release: Release
    lines: list  # [(line, cap, used by the worker on the petition with this line)]
    total_cap: Decimal
    petition_used: Decimal  # the petition's live releases, this one included
    balance_after: Decimal  # the fund's balance less what is held back, less this release
    caps_error: str = ""


def queue_rows(releases):
    """Releases as a queue shows them, with caps used and the fund after each: six queries."""
    lines = ReleaseLine.objects.select_related("claim").order_by("claim__name", "purpose")
    releases = list(
        with_outstanding(releases)
        .select_related(
            "fund", "petition__enterprise", "petition__org_unit", "created_by", "submitted_by"
        )
        .prefetch_related(Prefetch("lines", queryset=lines))
    )
    petitions = list({r.petition_id: r.petition for r in releases}.values())
    funds = {r.fund.zone_id: r.fund for r in releases}
    caps = services.caps_by_petition(petitions, funds)
    held = dict(
        ReleaseLine.objects.filter(
            release__fund__in=funds.values(),
            release__status__in=COMMITTING_STATUSES,
            state__in=OPEN_LINE_STATES,
        )
        .values_list("release__fund")
        .annotate(total=MoneySum("amount"))
    )
    return [_row(r, caps[r.petition_id], held.get(r.fund_id, Decimal("0"))) for r in releases]


def _row(release, caps, held):
    own = release.lines.all()
    committing = release.status in COMMITTING_STATUSES
    balance_after = release.fund.balance - held - (Decimal("0") if committing else release.total)
    if not isinstance(caps, services.Caps):
        lines = [(ln, None, None) for ln in own]
        return QueueRow(release, lines, None, None, balance_after, caps.messages[0])
    rows = []
    for line in own:
        if line.purpose == "travel_home":
            cap, used = caps.travel_cap, caps.used_by(line.worker_id, ["travel_home"])
        else:
            cap = caps.worker_cap
            used = caps.used_by(line.worker_id, services.CAPPED_PURPOSES)
        if not line.live:  # a rejected release's lines are no longer in `caps.used`
            used += line.amount
        rows.append((line, cap, used))
    petition_used = caps.used_total + sum((ln.amount for ln in own if not ln.live), Decimal("0"))
    return QueueRow(release, rows, caps.total_cap, petition_used, balance_after)


def statement_workbook(st, labels):
    """The statement as an Excel file (bytes): the summary, outstanding recoveries by enterprise
    and the period's entries. Amounts are numbers formatted as yuan, so they add up in Excel."""
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Font

    money = '"¥"#,##0.00;-"¥"#,##0.00'
    book = Workbook()
    sheet = book.active
    sheet.title = str(labels["summary"])[:31]
    append_row(sheet, [str(st.fund), f"{st.start:%Y-%m-%d} – {st.end:%Y-%m-%d}"])
    sheet["A1"].font = Font(bold=True)
    for key, amount in st.rows:
        append_row(sheet, [str(labels[key]), amount])
        sheet.cell(sheet.max_row, 2).number_format = money
    append_row(sheet, [])
    append_row(sheet, [str(labels["by_enterprise"])])
    for name, amount in st.by_enterprise:
        append_row(sheet, [name, amount])
        sheet.cell(sheet.max_row, 2).number_format = money
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 18
    entries = book.create_sheet(str(labels["entries"])[:31])
    append_row(entries, [str(h) for h in labels["entry_columns"]])
    for entry in st.entries:
        release = entry.release
        append_row(
            entries,
            [
                timezone.localtime(entry.booked_at).strftime("%Y-%m-%d %H:%M"),
                entry.get_kind_display(),
                entry.get_source_display() if entry.source else "",
                release.petition.number if release else "",
                release.petition.enterprise.name if release else "",
                entry.reference,
                entry.cash,
                entry.booked_by.get_full_name() or entry.booked_by.get_username(),
            ],
        )
        entries.cell(entries.max_row, 7).number_format = money
    out = BytesIO()
    book.save(out)
    return out.getvalue()
