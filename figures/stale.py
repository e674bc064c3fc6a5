"""Which days' tallies a change makes stale: receivers of the models' save and delete signals,
writing `StaleDay` rows in the change's own transaction (a change rolled back marks nothing).

Each record counts on one day (`counting.collect`), so a change marks the day it counted on
before and the day it counts on now. A petition's other records are counted under its unit and
its receipt, so a petition moved to another unit or backdated, or a change to its claims or
agreements (which feed the workers helped and the amounts paid on other days), marks every day
of the petition. Steps that update rows in bulk (stopping deadlines, paying release lines,
claims at intake) do so beside a saved record of the same moment (the step's case event, the
ledger entry, the petition), and every change marks today as well. A move in the org tree
marks everything: every tally above the moved unit changes.
"""

from django.db.models.signals import post_delete, post_init, post_save
from django.utils import timezone

from casework.models import Agreement, AgreementLine, CaseEvent, Claim, Closure, OrgUnit, Petition
from fund.models import JournalEntry, Posting, ReleaseLine
from workflows.models import Deadline

from .models import StaleDay
from .tallies import local_date

# The moments a record counts on, by model.
MOMENTS = {
    Closure: ("recorded_at",),
    Deadline: ("closed_at", "breached_at"),
    JournalEntry: ("booked_at",),
    ReleaseLine: ("paid_at",),
}
# The fields whose value when loaded is kept, to mark the day the record counted on before.
TRACKED = {**MOMENTS, Petition: ("received_at", "org_unit_id"), OrgUnit: ("parent_id",)}


def mark(*moments):
    """Mark the days of `moments` (datetimes or dates; None is skipped) and today stale."""
    days = {local_date(moment) for moment in moments if moment is not None}
    days.add(timezone.localdate())
    StaleDay.objects.bulk_create(StaleDay(day=day) for day in days)


def mark_everything():
    StaleDay.objects.create(day=None)


def petition_days(petition_id):
    """The moments every record of the petition counts on."""
    moments = list(Petition.objects.filter(pk=petition_id).values_list("received_at", flat=True))
    moments += CaseEvent.objects.filter(petition=petition_id).values_list("at", flat=True)
    moments += Agreement.objects.filter(petition=petition_id).values_list("signed_on", flat=True)
    moments += Closure.objects.filter(petition=petition_id).values_list("recorded_at", flat=True)
    for stopped, breached in Deadline.objects.filter(petition=petition_id).values_list(
        "closed_at", "breached_at"
    ):
        moments += [stopped, breached]
    moments += ReleaseLine.objects.filter(petition=petition_id).values_list("paid_at", flat=True)
    moments += JournalEntry.objects.filter(release__petition=petition_id).values_list(
        "booked_at", flat=True
    )
    return moments


def _loaded(sender, instance, **kwargs):
    # Only what was loaded: reading a deferred field here would cost a query per row.
    instance._figures_loaded = {name: instance.__dict__.get(name) for name in TRACKED[sender]}


def _before(instance, name):
    return getattr(instance, "_figures_loaded", {}).get(name)


def _petition_saved(sender, instance, created, **kwargs):
    moved = not created and (
        _before(instance, "org_unit_id") != instance.org_unit_id
        or _before(instance, "received_at") != instance.received_at
    )
    if moved:
        mark(_before(instance, "received_at"), *petition_days(instance.pk))
    else:
        mark(instance.received_at)
    _loaded(sender, instance)


def _petition_record_changed(sender, instance, **kwargs):
    petition_id = (
        instance.agreement.petition_id if sender is AgreementLine else instance.petition_id
    )
    mark(*petition_days(petition_id))


def _petition_deleted(sender, instance, **kwargs):
    mark(instance.received_at)


def _event_saved(sender, instance, **kwargs):
    mark(instance.at)


def _posting_changed(sender, instance, **kwargs):
    mark(
        JournalEntry.objects.filter(pk=instance.entry_id)
        .values_list("booked_at", flat=True)
        .first()
    )


def _record_changed(sender, instance, **kwargs):
    names = MOMENTS[sender]
    mark(*(_before(instance, name) for name in names), *(getattr(instance, n) for n in names))
    _loaded(sender, instance)


def _unit_saved(sender, instance, created, **kwargs):
    # A new unit holds nothing yet, unless its parent, holding records, had no sub-units
    # before: the parent's own records then need tallies of their own.
    if created:
        first_child = OrgUnit.objects.filter(parent=instance.parent_id).count() == 1
        if first_child and Petition.objects.filter(org_unit=instance.parent_id).exists():
            mark_everything()
    elif _before(instance, "parent_id") != instance.parent_id:
        mark_everything()
    _loaded(sender, instance)


def connect():
    for model in TRACKED:
        post_init.connect(_loaded, sender=model, dispatch_uid=f"figures-loaded-{model.__name__}")
    receivers = [
        (Petition, _petition_saved, [post_save]),
        (Petition, _petition_deleted, [post_delete]),
        (Claim, _petition_record_changed, [post_save, post_delete]),
        (Agreement, _petition_record_changed, [post_save, post_delete]),
        (AgreementLine, _petition_record_changed, [post_save, post_delete]),
        (CaseEvent, _event_saved, [post_save]),
        (Posting, _posting_changed, [post_save, post_delete]),
        (Closure, _record_changed, [post_save, post_delete]),
        (Deadline, _record_changed, [post_save, post_delete]),
        (JournalEntry, _record_changed, [post_save, post_delete]),
        (ReleaseLine, _record_changed, [post_save, post_delete]),
        (OrgUnit, _unit_saved, [post_save]),
    ]
    for model, receiver, signals in receivers:
        for signal in signals:
            signal.connect(
                receiver, sender=model, dispatch_uid=f"figures-{receiver.__name__}-{model.__name__}"
            )
