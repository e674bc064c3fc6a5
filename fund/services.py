"""The emergency fund's operations: releases from draft to recovery, contributions, write-offs and
corrections. Views, the API, commands and the demo call these; none repeat them.

Each function is the outermost transaction of its step. Locks are taken in one order everywhere:
the release row, then the fund row, so two steps never wait for each other crosswise (the
release's flow process is locked last, and only by a step that holds its release already).
Money moves only through `_book`, which writes a journal entry whose postings sum to zero and
changes the fund's stored balance in the same transaction, under the fund's row lock. Every
step on a release is a `CaseEvent` on its petition's timeline.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import access
from casework.exceptions import Conflict, InsufficientFunds, TransitionRefused
from casework.models import Petition
from casework.roles import (
    FINANCE_ROLES,
    FUND_CONTROL_ROLES,
    LIAISON_ROLES,
    MEDIATION_ROLES,
    SUPERVISOR_ROLES,
)
from casework.services import record_event
from lib.money import CENT, MoneySum, format_yuan
from lib.text import truncate_for

from . import signals
from .flows import complete_release_step, start_release_path
from .models import (
    COMMITTING_STATUSES,
    MONEY,
    OPEN_LINE_STATES,
    RELEASED_STATUSES,
    Account,
    Correction,
    EmergencyFund,
    FundPurpose,
    JournalEntry,
    MinimumWage,
    Posting,
    Release,
    ReleaseLine,
    ReleaseStatus,
    WriteOff,
)

ZERO = Decimal("0.00")
# The largest amount the ledger's columns (`MONEY`) hold.
MAX_AMOUNT = Decimal(10) ** (MONEY["max_digits"] - MONEY["decimal_places"]) - CENT
# Purposes that count against the per-worker cap; travel home has its own cap.
CAPPED_PURPOSES = (FundPurpose.WAGES, FundPurpose.LIVING_COSTS)


# Money.


def to_money(value, field_name="amount"):
    """A yuan amount as Decimal with two places; floats and a third decimal are refused."""
    if isinstance(value, float):
        raise ValidationError({field_name: _("Send amounts as text or Decimal, not float.")})
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationError({field_name: _("Enter an amount in yuan.")}) from None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:
        raise ValidationError({field_name: _("At most two decimals (fen).")})
    if abs(amount) > MAX_AMOUNT:
        raise ValidationError(
            {
                field_name: _("The amount is too large: at most %(max)s.")
                % {"max": format_yuan(MAX_AMOUNT)}
            }
        )
    return amount.quantize(CENT)


def _positive(value, field_name="amount"):
    amount = to_money(value, field_name)
    if amount <= 0:
        raise ValidationError({field_name: _("The amount must be more than zero.")})
    return amount


# Rules: the fund of a petition and its caps.


def fund_of(petition):
    """The emergency fund of the petition's zone union; ValidationError if it has none."""
    fund = EmergencyFund.objects.filter(zone_id=petition.zone_id).first()
    if fund is None:
        raise ValidationError(_("This zone union has no emergency fund."))
    return fund


@dataclass
class Caps:
    """What the rules allow on one petition, and what its live lines already use."""

    worker_cap: Decimal
    travel_cap: Decimal
    total_cap: Decimal
    owed: Decimal
    months: Decimal
    # {(worker id, purpose): amount} of the petition's live lines, the release asked about excluded
    used: dict = field(default_factory=dict)

    def used_by(self, worker_id, purposes):
        return sum((self.used.get((worker_id, p), ZERO) for p in purposes), ZERO)

    @property
    def used_total(self):
        return sum(self.used.values(), ZERO)


def caps_for(petition, fund, *, exclude=None):
    """The caps of one petition; its live lines used, those of the release `exclude` left out."""
    caps = caps_by_petition([petition], {fund.zone_id: fund}, exclude=exclude)[petition.pk]
    if isinstance(caps, ValidationError):
        raise caps
    return caps


def caps_by_petition(petitions, funds, *, exclude=None):
    """{petition id: Caps, or the ValidationError saying why there are none}, in three queries
    whatever the number of petitions; `funds` = {zone id: fund}; the lines of the release
    `exclude` (one being revised) are not counted as used."""
    minimums = MinimumWage.in_force_for([p.org_unit for p in petitions], timezone.localdate())
    ids = [p.pk for p in petitions]
    owed = dict(
        Petition.objects.filter(pk__in=ids)
        .annotate(owed=MoneySum("claims__claimed_amount"))
        .values_list("pk", "owed")
    )
    used = {pk: {} for pk in ids}
    rows = (
        ReleaseLine.objects.filter(petition_id__in=ids, live=True)
        .exclude(release=exclude)
        .values_list("petition_id", "worker_id", "purpose")
        .annotate(total=MoneySum("amount"))
    )
    for petition_id, worker_id, purpose, total in rows:
        used[petition_id][(worker_id, purpose)] = total
    caps = {}
    for petition in petitions:
        fund, minimum = funds.get(petition.zone_id), minimums.get(petition.org_unit_id)
        if minimum is None:
            caps[petition.pk] = ValidationError(
                _("No minimum wage is on record for %(unit)s: an administrator must enter it.")
                % {"unit": petition.org_unit}
            )
            continue
        caps[petition.pk] = Caps(
            worker_cap=(minimum.monthly_amount * fund.worker_cap_months).quantize(CENT),
            travel_cap=fund.travel_cap,
            total_cap=(owed[petition.pk] * fund.total_cap_percent / 100).quantize(CENT),
            owed=owed[petition.pk],
            months=fund.worker_cap_months,
            used=used[petition.pk],
        )
    return caps


# Where `travel_costs` looks, in turn: functions (petition) -> {worker id: yuan} or None. The
# committee's escalation registers the costs its task force recorded (escalation/apps.py).
TRAVEL_COST_SOURCES = []


def travel_costs(petition):
    """{worker id: yuan} recorded for the petition's travel home by the first source that has
    any, or None: what a new release's travel-home lines are prefilled with."""
    for source in TRAVEL_COST_SOURCES:
        if (costs := source(petition)) is not None:
            return costs
    return None


def proposed_lines(petition, fund, travel_costs=None):
    """Lines to start a draft from: each worker's claimed wages up to the cap, travel home for
    non-local workers, all scaled down together if the petition's total cap calls for it.
    `travel_costs` ({worker id: yuan}, as the committee recorded them) replaces the travel cap
    as each worker's travel-home amount, still within the cap."""
    caps = caps_for(petition, fund)
    allowed = fund.allowed_purposes
    lines = []
    for claim in petition.claims.select_related("worker").order_by("name", "id"):
        worker = claim.worker
        room = caps.worker_cap - caps.used_by(worker.pk, CAPPED_PURPOSES)
        if FundPurpose.WAGES in allowed:
            lines.append((worker, FundPurpose.WAGES, min(claim.claimed_amount, room)))
        if claim.non_local and FundPurpose.TRAVEL_HOME in allowed:
            travel = caps.travel_cap - caps.used_by(worker.pk, [FundPurpose.TRAVEL_HOME])
            if travel_costs is not None:
                travel = min(travel, travel_costs.get(worker.pk, ZERO))
            lines.append((worker, FundPurpose.TRAVEL_HOME, travel))
    lines = [(w, p, a) for w, p, a in lines if a > 0]
    room = caps.total_cap - caps.used_total
    wanted = sum((a for _w, _p, a in lines), ZERO)
    if wanted > room:
        factor = max(room, ZERO) / wanted
        lines = [(w, p, (a * factor).quantize(CENT, rounding="ROUND_DOWN")) for w, p, a in lines]
    return [{"worker": w, "purpose": p, "amount": a} for w, p, a in lines if a > 0]


def _clean_lines(petition, fund, lines, *, exclude=None):
    """Validate a release's lines against the petition and the fund's rules; returns
    [(worker, purpose, amount)] or raises ValidationError, one message per line."""
    if not lines:
        raise ValidationError(_("List at least one payment."))
    caps = caps_for(petition, fund, exclude=exclude)
    claims = {c.worker_id: c for c in petition.claims.select_related("worker")}
    allowed = fund.allowed_purposes
    cleaned, errors, seen = [], [], set()
    mine = {}  # {(worker id, purpose): amount} of this release
    for line in lines:
        error, worker_id, purpose = "", _worker_id(line.get("worker")), line.get("purpose")
        try:
            amount = _positive(line.get("amount"))
        except ValidationError as err:
            amount, error = None, " ".join(err.messages)
        claim = claims.get(worker_id)
        if claim is None:
            error = _("This worker is not on the petition.")
        elif purpose not in FundPurpose.values:
            error = _("Choose a purpose: wages, basic living costs or travel home.")
        elif purpose not in allowed:
            error = _("This fund does not pay for “%(purpose)s”.") % {
                "purpose": FundPurpose(purpose).label
            }
        elif (worker_id, purpose) in seen:
            error = _("This worker is listed twice for the same purpose.")
        elif purpose == FundPurpose.TRAVEL_HOME and not claim.non_local:
            error = _("Travel home is paid to non-local workers only.")
        elif caps.used.get((worker_id, purpose)):
            error = _("This worker already has a payment for this purpose on this petition.")
        seen.add((worker_id, purpose))
        if not error and amount is not None:
            mine[(worker_id, purpose)] = amount
            error = _over_worker_cap(caps, mine, worker_id, purpose)
        errors.append(error)
        cleaned.append((claim.worker if claim else None, purpose, amount))
    if any(errors):
        raise ValidationError({"lines": [ValidationError(e) for e in _trimmed(errors)]})
    total = sum((a for _w, _p, a in cleaned), ZERO)
    if caps.used_total + total > caps.total_cap:
        raise ValidationError(
            _(
                "The petition's releases would total %(total)s, above its cap of "
                "%(cap)s (%(percent)s%% of %(owed)s owed)."
            )
            % {
                "total": format_yuan(caps.used_total + total),
                "cap": format_yuan(caps.total_cap),
                "percent": f"{fund.total_cap_percent.normalize():f}",
                "owed": format_yuan(caps.owed),
            }
        )
    return cleaned


def _worker_id(value):
    try:
        return int(getattr(value, "pk", value))
    except (TypeError, ValueError):
        return None


def _over_worker_cap(caps, mine, worker_id, purpose):
    if purpose == FundPurpose.TRAVEL_HOME:
        if mine[(worker_id, purpose)] > caps.travel_cap:
            return _("Travel home is capped at %(cap)s per worker.") % {
                "cap": format_yuan(caps.travel_cap)
            }
        return ""
    used = caps.used_by(worker_id, CAPPED_PURPOSES) + sum(
        (mine.get((worker_id, p), ZERO) for p in CAPPED_PURPOSES), ZERO
    )
    if used > caps.worker_cap:
        return _(
            "Wages and living costs for one worker are capped at %(cap)s "
            "(%(months)s month(s) of the minimum wage); this makes %(used)s."
        ) % {
            "cap": format_yuan(caps.worker_cap),
            "months": f"{caps.months.normalize():f}",
            "used": format_yuan(used),
        }
    return ""


def _trimmed(errors):
    while errors and not errors[-1]:
        errors.pop()
    return errors


# Locks, checks and the audit record.


def _lock(release):
    """The release re-read under its row lock; Conflict if it moved on since the caller read it."""
    fresh = (
        Release.objects.select_for_update(of=("self",))
        .select_related("petition__org_unit", "fund")
        .get(pk=release.pk)
    )
    if fresh.status != release.status:
        raise Conflict(_("The release was changed by someone else; reload it."))
    return fresh


def expect_status(release, expected):
    """Conflict if the caller saw the release in another status than it is in now."""
    if expected and expected != release.status:
        raise Conflict(_("The release was changed by someone else; reload it."))


def _lock_fund(fund_id):
    return EmergencyFund.objects.select_for_update().get(pk=fund_id)


def _require_role(actor, unit, roles, message):
    if not access.has_role_at(actor, unit, roles):
        raise PermissionDenied(message)


def _earlier_deciders(release):
    """Who took an earlier decision on the release, and so may not take its next step: the
    approver does not sign, and neither the approver nor the signer pays."""
    if release.status == ReleaseStatus.AWAITING_SIGNATURE:
        return {release.approved_by_id}
    if release.status in (ReleaseStatus.APPROVED, ReleaseStatus.DISBURSED):
        return {release.approved_by_id, release.signed_by_id}
    return set()


def is_clear_of(release, actor):
    """Whether the four-eyes rule lets `actor` take the release's next step: the pages offer a
    step only to those `_four_eyes` will let take it."""
    return actor.pk not in {
        release.created_by_id,
        release.submitted_by_id,
        *_earlier_deciders(release),
    }


def _four_eyes(release, actor):
    """Whoever drafted or submitted a release (or took an earlier decision on it) never decides
    on it: not by the page, not by the API, not by the admin, since all of them come here."""
    if not is_clear_of(release, actor):
        raise PermissionDenied(
            _("You drafted, submitted or already decided on this release: someone else must.")
        )


def _expect(release, *statuses):
    if release.status not in statuses:
        raise TransitionRefused(
            _("This is not possible while the release is “%(status)s”.")
            % {"status": release.get_status_display()}
        )


def _record(release, actor, step, reason="", **data):
    event = record_event(
        release.petition,
        f"fund_{step}",
        actor=actor,
        reason=reason,
        data={"release": release.pk, **{k: _plain(v) for k, v in data.items()}},
    )
    signals.release_stepped.send(Release, release=release, actor=actor, step=step)
    return event


def _plain(value):
    return f"{value:.2f}" if isinstance(value, Decimal) else value


def _note(note, field_name="note"):
    note = (note or "").strip()
    if not note:
        raise ValidationError({field_name: _("Say why.")})
    return note


# The ledger.


def _book(fund, *, kind, actor, postings, **fields):
    """Write one journal entry with its postings [(account, amount, release, line)] and move the
    fund's stored balance by the cash they carry. `fund` must be locked by the caller."""
    if sum((p[1] for p in postings), ZERO) != 0:
        raise ValueError("A journal entry's postings must sum to zero.")
    cash = sum((p[1] for p in postings if p[0] == Account.CASH), ZERO)
    if fund.balance + cash < 0:
        raise InsufficientFunds(
            _("The fund holds %(balance)s: not enough for %(amount)s. Nothing was booked.")
            % {"balance": format_yuan(fund.balance), "amount": format_yuan(-cash)}
        )
    entry = JournalEntry.objects.create(fund=fund, kind=kind, booked_by=actor, **fields)
    Posting.objects.bulk_create(
        Posting(entry=entry, fund=fund, account=a, amount=amt, release=r, line=ln)
        for a, amt, r, ln in postings
    )
    if cash:
        # Computed here from the balance read under the row lock, in exact decimals (SQLite
        # would do `balance + cash` in floating point); the database's check constraint is the
        # last word on "never below zero".
        fund.balance += cash
        EmergencyFund.objects.filter(pk=fund.pk).update(balance=fund.balance)
    return entry


def outstanding(release):
    """What the employer still owes the fund for this release."""
    return Posting.objects.filter(release=release, account=Account.RECEIVABLE).aggregate(
        total=MoneySum("amount")
    )["total"]


def committed(fund, *, exclude=None):
    """Approved money not yet paid out: held back from new approvals."""
    lines = ReleaseLine.objects.filter(
        release__fund=fund, release__status__in=COMMITTING_STATUSES, state__in=OPEN_LINE_STATES
    )
    if exclude is not None:
        lines = lines.exclude(release=exclude)
    return lines.aggregate(total=MoneySum("amount"))["total"]


def released_on(petition):
    """Everything released on the petition, approved or pending approval."""
    return Release.objects.filter(petition=petition, status__in=RELEASED_STATUSES).aggregate(
        total=MoneySum("total")
    )["total"]


# Releases.


def _check_petition(petition):
    if petition.category != Petition.Category.REMUNERATION:
        raise TransitionRefused(_("The emergency fund pays on wage-arrears petitions only."))
    if not petition.is_open:
        raise TransitionRefused(_("This petition is finished."))


def _save_lines(release, cleaned):
    try:
        with transaction.atomic():
            ReleaseLine.objects.bulk_create(
                ReleaseLine(
                    release=release,
                    petition_id=release.petition_id,
                    worker=worker,
                    purpose=purpose,
                    amount=amount,
                )
                for worker, purpose, amount in cleaned
            )
    except IntegrityError:
        # Another release took one of these workers for the same purpose meanwhile.
        raise ValidationError(
            _("A worker here already has a payment for this purpose on this petition.")
        ) from None
    release.total = sum((a for _w, _p, a in cleaned), ZERO)
    Release.objects.filter(pk=release.pk).update(total=release.total)


@transaction.atomic
def draft_release(petition, *, actor, reason, lines):
    """A mediator's draft: `lines` = [{"worker": id, "purpose": FundPurpose, "amount": yuan}]."""
    _require_role(
        actor,
        petition.org_unit,
        MEDIATION_ROLES,
        _("You may not draft releases for this petition."),
    )
    _check_petition(petition)
    fund = fund_of(petition)
    reason = _note(reason, "reason")
    cleaned = _clean_lines(petition, fund, lines)
    release = Release.objects.create(fund=fund, petition=petition, reason=reason, created_by=actor)
    _save_lines(release, cleaned)
    _record(release, actor, "draft", reason, total=release.total, lines=len(cleaned))
    return release


@transaction.atomic
def revise_release(release, *, actor, reason, lines):
    """Replace a draft's lines and reason (lines are not money yet: no ledger entry)."""
    release = _lock(release)
    _require_role(
        actor, release.petition.org_unit, MEDIATION_ROLES, _("You may not change this release.")
    )
    _expect(release, ReleaseStatus.DRAFT)
    release.reason = _note(reason, "reason")
    cleaned = _clean_lines(release.petition, release.fund, lines, exclude=release)
    release.lines.all().delete()
    _save_lines(release, cleaned)
    release.save(update_fields=["reason", "updated_at"])
    _record(release, actor, "revise", release.reason, total=release.total, lines=len(cleaned))
    return release


@transaction.atomic
def submit_release(release, *, actor):
    """Send a draft for approval: here a release enters "awaiting approval"."""
    release = _lock(release)
    _require_role(
        actor, release.petition.org_unit, MEDIATION_ROLES, _("You may not submit this release.")
    )
    _expect(release, ReleaseStatus.DRAFT)
    _check_petition(release.petition)
    _recheck_lines(release)
    release.submit()
    release.submitted_by = actor
    release.save(update_fields=["status", "submitted_by", "updated_at"])
    start_release_path(release)
    _record(release, actor, "submit", total=release.total)
    return release


def _recheck_lines(release):
    """The rules, other releases or the petition may have changed since the draft."""
    lines = [
        {"worker": ln.worker_id, "purpose": ln.purpose, "amount": ln.amount}
        for ln in release.lines.all()
    ]
    _clean_lines(release.petition, release.fund, lines, exclude=release)


@transaction.atomic
def approve_release(release, *, actor, note=""):
    """A supervisor approves; when the petition's releases together (this one, the approved and
    the pending) exceed the fund's threshold it then awaits the committee's signature. The money
    is held back from the fund at once: a release the fund cannot cover is refused
    (InsufficientFunds) and nothing changes; so is one whose petition has meanwhile been
    closed, rejected or referred out (it can still be rejected)."""
    release = _lock(release)
    _require_role(
        actor,
        release.petition.org_unit,
        SUPERVISOR_ROLES,
        _("Only a supervisor of this unit may approve releases."),
    )
    _expect(release, ReleaseStatus.SUBMITTED)
    _check_petition(release.petition)
    _four_eyes(release, actor)
    fund = _lock_fund(release.fund_id)
    _recheck_lines(release)
    available = fund.balance - committed(fund, exclude=release)
    if release.total > available:
        raise InsufficientFunds(
            _(
                "The fund has %(available)s available (balance less approved releases not yet "
                "paid): not enough for %(total)s. Nothing was changed."
            )
            % {"available": format_yuan(available), "total": format_yuan(release.total)}
        )
    release.needs_signature = released_on(release.petition) > fund.committee_threshold
    if release.needs_signature:
        release.approve_for_signature()
    else:
        release.approve()
    release.approved_by, release.decision_note = actor, (note or "").strip()
    release.save(
        update_fields=["status", "approved_by", "decision_note", "needs_signature", "updated_at"]
    )
    complete_release_step(release, "approve", actor)
    _record(
        release,
        actor,
        "approve",
        release.decision_note,
        total=release.total,
        needs_signature=release.needs_signature,
    )
    return release


@transaction.atomic
def reject_release(release, *, actor, note):
    """A supervisor (or, when it awaits signature, the committee liaison) refuses, saying why.
    Its lines stop counting: the workers may be put on a new release."""
    release = _lock(release)
    _expect(release, ReleaseStatus.SUBMITTED, ReleaseStatus.AWAITING_SIGNATURE)
    signing = release.status == ReleaseStatus.AWAITING_SIGNATURE
    _require_role(
        actor,
        release.petition.org_unit,
        LIAISON_ROLES if signing else SUPERVISOR_ROLES,
        _("You may not decide on this release."),
    )
    _four_eyes(release, actor)
    note = _note(note)
    release.reject()
    release.decision_note = note
    release.save(update_fields=["status", "decision_note", "updated_at"])
    release.lines.update(live=False)
    complete_release_step(release, "sign" if signing else "approve", actor)
    _record(release, actor, "reject", note, total=release.total)
    return release


@transaction.atomic
def sign_release(release, *, actor, note=""):
    """The committee liaison signs a release above the threshold; then finance may pay it. Not
    once its petition is finished (it can still be rejected)."""
    release = _lock(release)
    _require_role(
        actor,
        release.petition.org_unit,
        LIAISON_ROLES,
        _("Only the committee liaison may sign releases."),
    )
    _expect(release, ReleaseStatus.AWAITING_SIGNATURE)
    _check_petition(release.petition)
    _four_eyes(release, actor)
    release.sign()
    release.signed_by = actor
    release.save(update_fields=["status", "signed_by", "updated_at"])
    complete_release_step(release, "sign", actor)
    _record(release, actor, "sign", (note or "").strip(), total=release.total)
    return release


@transaction.atomic
def disburse_release(release, *, actor, payments):
    """Finance pays lines: `payments` = {line id: {"reference": ...} or {"failure_reason": ...}}.
    A line that could not be paid stays open with its reason and may be paid later; lines already
    paid are refused (Conflict), so a release is never paid twice."""
    release = _lock(release)
    _require_role(
        actor,
        release.petition.org_unit,
        FINANCE_ROLES,
        _("Only the finance officer may pay releases."),
    )
    _expect(release, ReleaseStatus.APPROVED, ReleaseStatus.DISBURSED)
    # The approver, the signer and the payer are three people.
    _four_eyes(release, actor)
    lines = {ln.pk: ln for ln in release.lines.select_related("claim")}
    paid, failed = _sort_payments(lines, payments)
    fund = _lock_fund(release.fund_id)
    now = timezone.now()
    if paid:
        total = sum((ln.amount for ln, _r in paid), ZERO)
        postings = [(Account.CASH, -total, None, None)] + [
            (Account.RECEIVABLE, ln.amount, release, ln) for ln, _r in paid
        ]
        _book(
            fund,
            kind=JournalEntry.Kind.DISBURSEMENT,
            actor=actor,
            postings=postings,
            release=release,
            reference=truncate_for(JournalEntry, "reference", ", ".join(ref for _ln, ref in paid)),
        )
        for line, reference in paid:
            line.state, line.payment_reference, line.paid_at = (
                ReleaseLine.State.PAID,
                reference,
                now,
            )
            line.failure_reason = ""
        release.disburse()
        release.save(update_fields=["status", "updated_at"])
    for line, reason in failed:
        line.state, line.failure_reason = ReleaseLine.State.FAILED, reason
    ReleaseLine.objects.bulk_update(
        [ln for ln, _x in paid + failed],
        ["state", "payment_reference", "failure_reason", "paid_at"],
    )
    complete_release_step(release, "disburse", actor)
    _record(
        release,
        actor,
        "disburse",
        paid=sum((ln.amount for ln, _r in paid), ZERO),
        lines_paid=len(paid),
        lines_unpaid=len(failed),
    )
    return release


def _sort_payments(lines, payments):
    """[(line, reference)] to pay and [(line, reason)] that failed; ValidationError/Conflict."""
    if not payments:
        raise ValidationError(
            {"payments": _("Record a payment or a reason for at least one line.")}
        )
    paid, failed, errors = [], [], {}
    for key, outcome in payments.items():
        line = lines.get(_worker_id(key))
        reference = (outcome.get("reference") or "").strip()
        reason = (outcome.get("failure_reason") or "").strip()
        if line is None:
            errors[str(key)] = _("There is no such line on this release.")
        elif line.state == ReleaseLine.State.PAID:
            raise Conflict(
                _("%(worker)s has already been paid (%(reference)s); reload the release.")
                % {"worker": line.claim.name, "reference": line.payment_reference}
            )
        elif bool(reference) == bool(reason):
            errors[str(key)] = _("Give either the payment reference or why it could not be paid.")
        elif reference:
            paid.append((line, truncate_for(ReleaseLine, "payment_reference", reference)))
        else:
            failed.append((line, truncate_for(ReleaseLine, "failure_reason", reason)))
    if errors:
        raise ValidationError({"payments": [f"{k}: {v}" for k, v in errors.items()]})
    return paid, failed


def _close_if_settled(release, actor):
    """Closed once every line is paid and nothing is outstanding."""
    if release.lines.filter(state__in=OPEN_LINE_STATES).exists() or outstanding(release):
        return
    release.close()
    release.save(update_fields=["status", "updated_at"])
    complete_release_step(release, "recover", actor)
    _record(release, actor, "close")


@transaction.atomic
def record_recovery(release, *, actor, amount, source, reference="", memo=""):
    """Finance books money recovered from the employer or its assets against a paid release."""
    release = _lock(release)
    _require_role(
        actor,
        release.petition.org_unit,
        FINANCE_ROLES,
        _("Only the finance officer may book recoveries."),
    )
    _expect(release, ReleaseStatus.DISBURSED)
    amount = _positive(amount)
    if source not in (JournalEntry.Source.EMPLOYER, JournalEntry.Source.EMPLOYER_ASSETS):
        raise ValidationError({"source": _("Recovered from the employer or from its assets.")})
    fund = _lock_fund(release.fund_id)
    owed = outstanding(release)
    if amount > owed:
        raise ValidationError(
            {"amount": _("Only %(owed)s is outstanding.") % {"owed": format_yuan(owed)}}
        )
    _book(
        fund,
        kind=JournalEntry.Kind.RECOVERY,
        actor=actor,
        postings=[(Account.CASH, amount, None, None), (Account.RECEIVABLE, -amount, release, None)],
        release=release,
        source=source,
        reference=truncate_for(JournalEntry, "reference", reference.strip()),
        memo=memo.strip(),
    )
    _record(release, actor, "recover", memo.strip(), amount=amount, outstanding=owed - amount)
    _close_if_settled(release, actor)
    return release


@transaction.atomic
def propose_write_off(release, *, actor, amount, reason):
    """Propose writing off what cannot be recovered; booked once a supervisor and the committee
    liaison have both signed (`sign_write_off`)."""
    release = _lock(release)
    _require_role(
        actor,
        release.petition.org_unit,
        FUND_CONTROL_ROLES,
        _("You may not propose write-offs."),
    )
    _expect(release, ReleaseStatus.DISBURSED)
    amount, reason = _positive(amount), _note(reason, "reason")
    owed = outstanding(release)
    if amount > owed:
        raise ValidationError(
            {"amount": _("Only %(owed)s is outstanding.") % {"owed": format_yuan(owed)}}
        )
    if release.write_offs.filter(state=WriteOff.State.PROPOSED).exists():
        raise Conflict(_("A write-off on this release is already awaiting sign-off."))
    write_off = WriteOff.objects.create(
        release=release, amount=amount, reason=reason, proposed_by=actor
    )
    _record(release, actor, "propose_write_off", reason, amount=amount)
    return write_off


def write_off_signature(write_off, actor, unit):
    """The signature `actor` would give a proposed write-off ("supervisor" or "liaison"), or
    None: nobody signs twice or their own proposal. The pages offer Sign only where it is one."""
    if actor.pk in {write_off.proposed_by_id, write_off.supervisor_id, write_off.liaison_id}:
        return None
    if write_off.supervisor_id is None and access.has_role_at(actor, unit, SUPERVISOR_ROLES):
        return "supervisor"
    if write_off.liaison_id is None and access.has_role_at(actor, unit, LIAISON_ROLES):
        return "liaison"
    return None


@transaction.atomic
def sign_write_off(write_off, *, actor):
    """A supervisor or the committee liaison signs; the second signature books it. Nobody signs
    twice or their own proposal."""
    release = _lock(write_off.release)
    write_off = WriteOff.objects.select_for_update().get(pk=write_off.pk)
    unit = release.petition.org_unit
    if write_off.state != WriteOff.State.PROPOSED:
        raise Conflict(_("This write-off has already been booked."))
    if actor.pk in {write_off.proposed_by_id, write_off.supervisor_id, write_off.liaison_id}:
        raise PermissionDenied(_("You proposed or already signed this write-off."))
    signature = write_off_signature(write_off, actor, unit)
    if signature is None:
        raise PermissionDenied(_("A supervisor and the committee liaison sign write-offs."))
    setattr(write_off, signature, actor)
    _record(release, actor, "sign_write_off", amount=write_off.amount)
    if write_off.supervisor_id and write_off.liaison_id:
        _book_write_off(release, write_off, actor)
    write_off.save()
    return write_off


def _book_write_off(release, write_off, actor):
    fund = _lock_fund(release.fund_id)
    owed = outstanding(release)
    if write_off.amount > owed:
        raise Conflict(
            _("Only %(owed)s is still outstanding: propose the write-off again.")
            % {"owed": format_yuan(owed)}
        )
    write_off.entry = _book(
        fund,
        kind=JournalEntry.Kind.WRITE_OFF,
        actor=actor,
        postings=[
            (Account.WRITE_OFFS, write_off.amount, None, None),
            (Account.RECEIVABLE, -write_off.amount, release, None),
        ],
        release=release,
        memo=write_off.reason,
    )
    write_off.state = WriteOff.State.BOOKED
    _record(release, actor, "write_off", write_off.reason, amount=write_off.amount)
    _close_if_settled(release, actor)


# Contributions and corrections.


@transaction.atomic
def record_contribution(fund, *, actor, amount, source, reference="", memo="", booked_at=None):
    """Money into the fund: a share of union dues, a government allocation, a donation."""
    _require_role(actor, fund.zone, FINANCE_ROLES, _("Only the finance officer may book this."))
    amount = _positive(amount)
    if source not in (
        JournalEntry.Source.UNION_DUES,
        JournalEntry.Source.GOVERNMENT,
        JournalEntry.Source.DONATION,
        JournalEntry.Source.OTHER,
    ):
        raise ValidationError({"source": _("Choose where the money comes from.")})
    fund = _lock_fund(fund.pk)
    return _book(
        fund,
        kind=JournalEntry.Kind.CONTRIBUTION,
        actor=actor,
        postings=[(Account.CASH, amount, None, None), (Account.CONTRIBUTIONS, -amount, None, None)],
        source=source,
        reference=truncate_for(JournalEntry, "reference", reference.strip()),
        memo=memo.strip(),
        booked_at=booked_at or timezone.now(),
    )


CORRECTABLE = (JournalEntry.Kind.CONTRIBUTION, JournalEntry.Kind.RECOVERY)
# Who may confirm another person's correction: a second finance officer or a supervisor.


@transaction.atomic
def propose_correction(entry, *, actor, reason):
    """Propose to undo a contribution or recovery booked in error; it is booked once a second
    person confirms it (`confirm_correction`). Payments and write-offs are not reversed: their
    lines say what happened."""
    _require_role(
        actor, entry.fund.zone, FINANCE_ROLES, _("Only the finance officer may correct entries.")
    )
    if entry.kind not in CORRECTABLE:
        raise TransitionRefused(_("Only contributions and recoveries can be reversed."))
    reason = _note(reason, "reason")
    release = _lock(entry.release) if entry.release_id else None
    if release is not None:
        _expect(release, ReleaseStatus.DISBURSED)
    if JournalEntry.objects.filter(reverses=entry).exists():
        raise Conflict(_("This entry has already been corrected."))
    try:
        with transaction.atomic():
            correction = Correction.objects.create(entry=entry, reason=reason, proposed_by=actor)
    except IntegrityError:
        raise Conflict(_("A correction of this entry is already awaiting confirmation.")) from None
    if release is not None:
        _record(release, actor, "propose_correction", reason, entry=entry.pk)
    return correction


@transaction.atomic
def confirm_correction(correction, *, actor):
    """A second person confirms a proposed correction: a reversing entry is booked (the original
    stays as it was). Nobody confirms their own proposal."""
    entry = correction.entry
    release = _lock(entry.release) if entry.release_id else None
    correction = Correction.objects.select_for_update().get(pk=correction.pk)
    if correction.state != Correction.State.PROPOSED:
        raise Conflict(_("This correction has already been booked."))
    if actor.pk == correction.proposed_by_id:
        raise PermissionDenied(_("You proposed this correction: someone else must confirm it."))
    _require_role(
        actor,
        entry.fund.zone,
        FUND_CONTROL_ROLES,
        _("A second finance officer or a supervisor confirms corrections."),
    )
    if release is not None:
        _expect(release, ReleaseStatus.DISBURSED)
    fund = _lock_fund(entry.fund_id)
    postings = [(p.account, -p.amount, p.release, p.line) for p in entry.postings.all()]
    correction.booking = _book(
        fund,
        kind=JournalEntry.Kind.CORRECTION,
        actor=actor,
        postings=postings,
        release=release,
        reverses=entry,
        memo=correction.reason,
    )
    correction.state, correction.confirmed_by = Correction.State.BOOKED, actor
    correction.save(update_fields=["state", "confirmed_by", "booking"])
    if release is not None:
        _record(release, actor, "correct", correction.reason, entry=entry.pk)
    return correction


def visible_releases(user):
    """Releases on petitions inside the user's subtree."""
    return Release.objects.filter(petition__in=access.petitions_visible_to(user))


@dataclass
class Reconciliation:
    fund: EmergencyFund
    stored: Decimal
    ledger: Decimal
    unbalanced: list  # ids of entries whose postings do not sum to zero

    @property
    def difference(self):
        return self.stored - self.ledger

    @property
    def ok(self):
        return not self.difference and not self.unbalanced


def reconcile(funds=None):
    """Each fund's stored balance against the sum of its cash postings, and any entry that does
    not balance. Read-only; two aggregate queries whatever the size of the ledger."""
    funds = list(funds if funds is not None else EmergencyFund.objects.all())
    ids = [f.pk for f in funds]
    cash = dict(
        Posting.objects.filter(fund_id__in=ids, account=Account.CASH)
        .values_list("fund_id")
        .annotate(total=MoneySum("amount"))
    )
    unbalanced = {}
    rows = (
        Posting.objects.filter(fund_id__in=ids)
        .values_list("fund_id", "entry_id")
        .annotate(total=MoneySum("amount"))
        .exclude(total=0)
    )
    for fund_id, entry_id, _total in rows:
        unbalanced.setdefault(fund_id, []).append(entry_id)
    return [
        Reconciliation(f, f.balance, cash.get(f.pk, ZERO), unbalanced.get(f.pk, [])) for f in funds
    ]


def releases_in(user, roles):
    """Releases on petitions in the units where the user holds one of `roles`."""
    return Release.objects.filter(petition__org_unit__in=access.units_where(user, roles))


def releases_to_approve(user):
    """Submitted releases on petitions in the units the user supervises: the approvals queue."""
    return releases_in(user, SUPERVISOR_ROLES).filter(status=ReleaseStatus.SUBMITTED)


def releases_stop_merge(petition):
    """A petition with a release (not rejected) is not merged away: its lines are paid per
    worker on this petition, and moving the workers would part them from what they received."""
    if petition.releases.exclude(status=ReleaseStatus.REJECTED).exists():
        return _(
            "%(number)s has an emergency-fund release; merge the other petition into it instead."
        ) % {"number": petition.number}
    return None
