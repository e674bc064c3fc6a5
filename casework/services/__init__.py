"""Domain operations on petitions. Views, the API, admin and flows call these; none repeat them.

Each function is the outermost transaction of its operation: it checks permission and input,
changes the petition only through its FSM transitions and writes the `CaseEvent` in the same
transaction.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from casework.roles import INTAKE_ROLES, MEDIATION_ROLES
from lib import validators

from .. import access, signals
from ..exceptions import Conflict, RepeatPetition, TransitionRefused
from ..forms import MediationSessionForm, WorkerRowForm
from ..models import FINISHED_STATUSES, CaseEvent, Claim, Petition, PetitionSequence, Status, Worker


def _ordinary(spec):
    """A step taken from the case page's list (and the API's transitions); merging names a
    second petition and is taken on its own page (`merge.merge_petitions`)."""
    return not spec.custom.get("own_page")


def transition_names():
    field = Petition._meta.get_field("status")
    return sorted({t.name for t in field.get_all_transitions(Petition) if _ordinary(t)})


def transition_spec(petition, name):
    """The Transition that `name` would fire from the petition's current state, or None."""
    method = getattr(Petition, name, None)
    meta = getattr(method, "_django_fsm", None)
    if meta is None or name not in transition_names():
        raise TransitionRefused(_("There is no step called “%(name)s”.") % {"name": name})
    return meta.get_transition(petition.status)


def transition_form_class(spec):
    return import_string(spec.custom["form"])


def available_transitions(petition, user):
    """The steps this user may take on this petition now, in declaration order."""
    return [t for t in petition.get_available_user_status_transitions(user) if _ordinary(t)]


def fire_transition(petition, name, *, actor, reason="", data=None, expected_status=None):
    """Take one step of the petition's life cycle and record it. Returns the CaseEvent.

    Raises TransitionRefused (400), PermissionDenied (403), ValidationError (400, per field) or
    Conflict (409: another user changed the petition meanwhile; nothing is written).
    """
    if expected_status and expected_status != petition.status:
        raise Conflict(_("The petition was changed by someone else; reload it."))
    spec = transition_spec(petition, name)
    if spec is None:
        raise TransitionRefused(
            _("“%(name)s” is not possible while the petition is “%(status)s”.")
            % {"name": name, "status": petition.get_status_display()}
        )
    if not spec.has_perm(petition, actor):
        raise PermissionDenied(_("You may not take this step on this petition."))
    form = transition_form_class(spec)(data={"reason": reason, **(data or {})}, petition=petition)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())

    from_status = petition.status
    try:
        with transaction.atomic():
            getattr(petition, name)()
            # Only the step's own fields: a concurrent edit of other fields is not overwritten.
            petition.save(update_fields=["status", "updated_at"])
            form.apply(actor)
            event = CaseEvent.objects.create(
                petition=petition,
                actor=actor,
                transition=name,
                from_status=from_status,
                to_status=petition.status,
                reason=form.cleaned_data["reason"],
                data=form.event_data(),
            )
            signals.petition_transitioned.send(
                Petition, petition=petition, actor=actor, transition=name, from_status=from_status
            )
            return event
    except TransitionNotAllowed:
        # django-fsm checked the conditions (once, on the way): say which ones failed.
        unmet = [
            str(reason)
            for cond in spec.conditions
            if not cond(petition)
            for reason in getattr(cond, "reasons", lambda p, c=cond: [c.message])(petition)
        ]
        raise TransitionRefused(" ".join(unmet)) from None
    except ConcurrentTransition:
        petition.refresh_from_db()
        raise Conflict(_("The petition was changed by someone else; reload it.")) from None


def _validate_rows(rows):
    """Validate worker rows; returns their cleaned data or raises ValidationError per row."""
    cleaned, errors, seen = [], [], set()
    for row in rows:
        form = WorkerRowForm(data=row)
        if form.is_valid():
            id_number = form.cleaned_data["id_number"]
            if id_number in seen:
                form.add_error("id_number", _("This worker is listed twice."))
            seen.add(id_number)
        errors.append(form.errors.get_json_data() if form.errors else {})
        cleaned.append(form.cleaned_data)
    if any(errors):
        raise ValidationError({"workers": [ValidationError(_row_message(e)) for e in errors]})
    return cleaned


def _row_message(errors):
    return "; ".join(f"{field}: {e['message']}" for field, es in errors.items() for e in es)


def _check_representatives(rows, already=0):
    limit = settings.CASEWORK["MAX_REPRESENTATIVES"]
    if already + sum(1 for r in rows if r["is_representative"]) > limit:
        raise ValidationError(
            {"workers": _("A group elects at most %(limit)d representatives.") % {"limit": limit}}
        )


def _workers_for(rows):
    """The Worker (identity) of each row's ID number, created if new, and locked: two intakes
    naming the same person run one after the other, so the second sees the first's petition.
    Nothing is read from or checked against what other petitions say about the person."""
    id_numbers = sorted({r["id_number"] for r in rows})
    # Sorted, so that two intakes lock the same people in the same order (no deadlock); a
    # concurrent insert of the same new person waits for the other one instead of failing.
    Worker.objects.bulk_create(
        [Worker(id_number=number) for number in id_numbers], ignore_conflicts=True
    )
    locked = Worker.objects.select_for_update().filter(id_number__in=id_numbers).order_by("pk")
    return {worker.id_number: worker for worker in locked}


def find_open_repeat(enterprise, id_numbers, exclude=None):
    """An open petition against `enterprise` that already lists one of these workers."""
    qs = (
        Petition.objects.filter(enterprise=enterprise, claims__worker__id_number__in=id_numbers)
        .exclude(status__in=FINISHED_STATUSES)
        .order_by("received_at")
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.first()


def _save_claims(petition, rows, people):
    Claim.objects.bulk_create(
        Claim(
            petition=petition,
            worker=people[row["id_number"]],
            name=row["name"],
            phone=row["phone"],
            non_local=row["non_local"],
            claimed_amount=row["claimed_amount"],
            is_representative=row["is_representative"],
        )
        for row in rows
    )
    is_group = petition.claims.count() >= settings.CASEWORK["GROUP_PETITION_MIN_WORKERS"]
    if is_group != petition.is_group:
        # Not the status field: a plain update, so no concurrent status change is overwritten.
        Petition.objects.filter(pk=petition.pk).update(is_group=is_group)
        petition.is_group = is_group


def _next_number(zone, received_at):
    year = timezone.localtime(received_at).year
    sequence, _created = PetitionSequence.objects.get_or_create(zone=zone, year=year)
    # The UPDATE locks the row until this transaction ends: numbers are unique and gap-free.
    PetitionSequence.objects.filter(pk=sequence.pk).update(last_value=F("last_value") + 1)
    sequence.refresh_from_db(fields=["last_value"])
    return f"{zone.code}-{year}-{sequence.last_value:06d}"


@transaction.atomic
def record_petition(
    *,
    actor,
    enterprise,
    channel,
    description,
    workers,
    category=Petition.Category.REMUNERATION,
    org_unit=None,
    received_at=None,
    owner_missing=False,
    priority=Petition.Priority.NORMAL,
):
    """Record a new petition with its workers. Raises RepeatPetition if the same worker already
    has an open petition against the same employer: link the new facts with `link_facts`."""
    org_unit = org_unit or enterprise.grid_area
    if not access.has_role_at(actor, org_unit, INTAKE_ROLES):
        raise PermissionDenied(_("You may not record petitions for this unit."))
    if received_at is not None:
        try:
            validators.validate_received_at(received_at)
        except ValidationError as err:
            raise ValidationError({"received_at": err.error_list}) from None
    return _record(
        actor=actor,
        enterprise=enterprise,
        channel=channel,
        description=description,
        workers=workers,
        category=category,
        org_unit=org_unit,
        received_at=received_at or timezone.now(),
        owner_missing=owner_missing,
        priority=priority,
    )


@transaction.atomic
def file_online(*, enterprise, description, workers, category=Petition.Category.REMUNERATION):
    """A petition a worker (or their representative) files on the portal, with no one signed in:
    it goes through the same checks as a clerk's intake and lands in the triage queue of the
    enterprise's grid area, channel "online". Raises RepeatPetition like `record_petition`."""
    return _record(
        actor=None,
        enterprise=enterprise,
        channel=Petition.Channel.ONLINE,
        description=description,
        workers=workers,
        category=category,
        org_unit=enterprise.grid_area,
        received_at=timezone.now(),
    )


def _record(*, actor, enterprise, org_unit, workers, received_at, **fields):
    if not enterprise.grid_area.path.startswith(org_unit.path):
        raise ValidationError({"org_unit": _("The enterprise is not inside this unit.")})
    if not workers:
        raise ValidationError({"workers": _("List at least one worker.")})
    rows = _validate_rows(workers)
    _check_representatives(rows)
    people = _workers_for(rows)
    repeat = find_open_repeat(enterprise, [r["id_number"] for r in rows])
    if repeat is not None:
        raise RepeatPetition(repeat)
    zone = org_unit.zone()
    petition = Petition.objects.create(
        number=_next_number(zone, received_at),
        zone=zone,
        org_unit=org_unit,
        enterprise=enterprise,
        received_at=received_at,
        created_by=actor,
        **fields,
    )
    _save_claims(petition, rows, people)
    CaseEvent.objects.create(
        petition=petition,
        actor=actor,
        transition="receive",
        to_status=petition.status,
        data={"channel": petition.channel, "workers": len(rows), "group": petition.is_group},
    )
    signals.petition_recorded.send(Petition, petition=petition, actor=actor)
    return petition


def record_event(petition, name, *, actor=None, reason="", data=None):
    """A step on the petition's timeline that leaves its status as it is (new facts, sessions,
    task moves, fund and committee steps, deadline timers), in the caller's transaction."""
    return CaseEvent.objects.create(
        petition=petition,
        actor=actor,
        transition=name,
        from_status=petition.status,
        to_status=petition.status,
        reason=reason,
        data=data or {},
    )


@transaction.atomic
def link_facts(petition, *, actor, description, workers=()):
    """Add the facts of a repeat petition to the open one: a note, and any workers not yet on it."""
    if not access.has_role_at(actor, petition.org_unit, INTAKE_ROLES):
        raise PermissionDenied(_("You may not add to this petition."))
    return _link(petition, "link_facts", actor=actor, description=description, workers=workers)


@transaction.atomic
def link_online_filing(petition, *, description, workers):
    """An online filing that names a worker of an open petition against the same employer: its
    facts and new workers join that petition, marked for the clerks to call the filer back.
    Returns the added claims' event."""
    return _link(
        petition, "online_filing_linked", actor=None, description=description, workers=workers
    )


def _link(petition, name, *, actor, description, workers):
    if not petition.is_open:
        raise TransitionRefused(_("This petition is finished; record a new one instead."))
    if not description.strip():
        raise ValidationError({"description": _("Say what is new.")})
    rows = _validate_rows(workers) if workers else []
    was_group = _lock_group_flag(petition)
    # Locked first: a clerk linking the same worker at the same moment waits, then sees them.
    people = _workers_for(rows)
    on_case = set(petition.claims.values_list("worker__id_number", flat=True))
    new_rows = [r for r in rows if r["id_number"] not in on_case]
    _check_representatives(new_rows, already=petition.claims.filter(is_representative=True).count())
    _save_claims(petition, new_rows, people)
    event = record_event(
        petition,
        name,
        actor=actor,
        reason=description.strip(),
        data={"workers_added": len(new_rows), "group": petition.is_group},
    )
    signals.facts_linked.send(
        Petition, petition=petition, actor=actor, became_group=petition.is_group and not was_group
    )
    return event


def _lock_group_flag(petition):
    """Whether the petition is a group petition, read under its row lock: of two additions of
    workers at once, only the one that makes it a group sees it was not one (one alert)."""
    locked = Petition.objects.select_for_update().filter(pk=petition.pk)
    return locked.values_list("is_group", flat=True).get()


@transaction.atomic
def record_session(petition, *, actor, data):
    """Record a mediation session on a petition in mediation. Returns the session."""
    if not access.has_role_at(actor, petition.org_unit, MEDIATION_ROLES):
        raise PermissionDenied(_("You may not record mediation sessions for this petition."))
    if petition.status != Status.IN_MEDIATION:
        raise TransitionRefused(_("Sessions are recorded while the petition is in mediation."))
    form = MediationSessionForm(data=data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    session = form.save(commit=False)
    session.petition, session.recorded_by = petition, actor
    session.save()
    record_event(
        petition,
        "record_session",
        actor=actor,
        reason=session.notes,
        data={
            "held_at": session.held_at.isoformat(),
            "place": session.place,
            "outcome": session.outcome,
        },
    )
    return session
