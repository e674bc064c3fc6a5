"""Every step of the life cycle from every state: the legal ones move and are recorded, the
illegal ones are refused and change nothing."""

import pytest

from casework import services
from casework.models import CaseEvent, Petition, Status

from ..factories import PATH_TO, actor_for, called_back, drive_to, record, step, worker_row

LEGAL = {
    "received": {"accept": "accepted", "reject": "rejected", "refer_out": "referred_out"},
    "accepted": {"start_mediation": "in_mediation"},
    "in_mediation": {"reach_agreement": "agreement_reached", "fail_mediation": "mediation_failed"},
    "agreement_reached": {"confirm_fulfilment": "fulfilled", "record_breach": "breached"},
    "mediation_failed": {"refer": "referred"},
    "breached": {"refer": "referred"},
    "fulfilled": {
        "record_callback": "fulfilled",
        "return_to_mediation": "in_mediation",
        "close": "closed",
    },
    "referred": {"close": "closed"},
    "rejected": {"close": "closed"},
    "referred_out": {"close": "closed"},
    "closed": {"reopen": "reopened"},
    "reopened": {"start_mediation": "in_mediation"},
}
ALL_STEPS = services.transition_names()
CASES = [(state, name) for state in Status.values for name in ALL_STEPS]


def test_every_status_is_covered():
    assert set(LEGAL) == set(Status.values) == set(PATH_TO)


@pytest.mark.parametrize(("state", "name"), [c for c in CASES if c[1] in LEGAL[c[0]]], ids=str)
def test_legal_step_moves_and_is_recorded(state, name, petition, supervisor):
    drive_to(petition, state, supervisor)
    if (state, name) == ("fulfilled", "close"):
        called_back(petition)  # a fulfilled case closes once a worker was called back
    actor = actor_for(petition, name, supervisor)

    event = step(petition, name, actor)

    petition.refresh_from_db()
    assert petition.status == LEGAL[state][name]
    assert (event.transition, event.from_status, event.to_status) == (name, state, petition.status)
    assert event.actor == actor


@pytest.mark.parametrize(("state", "name"), [c for c in CASES if c[1] not in LEGAL[c[0]]], ids=str)
def test_illegal_step_is_refused_and_changes_nothing(state, name, petition, supervisor):
    drive_to(petition, state, supervisor)
    events_before = petition.events.count()

    with pytest.raises(services.TransitionRefused, match="not possible while"):
        step(petition, name, supervisor)

    petition.refresh_from_db()
    assert petition.status == state
    assert petition.events.count() == events_before


def test_unknown_step_is_refused(petition, supervisor):
    with pytest.raises(services.TransitionRefused, match="no step called"):
        services.fire_transition(petition, "save", actor=supervisor)


@pytest.mark.parametrize("name", ["reject", "fail_mediation", "record_breach", "reopen"])
def test_step_that_needs_a_reason_refuses_without_one(name, petition, supervisor):
    state = next(s for s, steps in LEGAL.items() if name in steps)
    drive_to(petition, state, supervisor)

    with pytest.raises(services.ValidationError) as err:
        services.fire_transition(petition, name, actor=supervisor, reason="  ")

    assert "reason" in err.value.message_dict
    petition.refresh_from_db()
    assert petition.status == state


def test_referral_records_receiving_body_and_reference(petition, supervisor):
    drive_to(petition, "mediation_failed", supervisor)

    event = step(
        petition,
        "refer",
        supervisor,
        data={"referral_type": "legal_aid", "body": "Legal aid centre", "reference": "LA-7"},
    )

    assert event.data == {
        "referral_type": "legal_aid",
        "body": "Legal aid centre",
        "reference": "LA-7",
    }


def test_payment_order_needs_a_breached_agreement(petition, supervisor):
    drive_to(petition, "mediation_failed", supervisor)

    with pytest.raises(services.ValidationError) as err:
        step(
            petition, "refer", supervisor, data={"referral_type": "payment_order", "body": "Court"}
        )

    assert "referral_type" in err.value.message_dict


def test_payment_order_after_breach_of_a_wage_agreement(petition, supervisor):
    drive_to(petition, "breached", supervisor)

    step(petition, "refer", supervisor, data={"referral_type": "payment_order", "body": "Court"})

    assert petition.status == Status.REFERRED


def test_payment_order_refused_for_a_non_wage_dispute(clerk, enterprise, supervisor):
    petition = record(clerk, enterprise, category=Petition.Category.DISMISSAL)
    drive_to(petition, "breached", supervisor)

    with pytest.raises(services.ValidationError):
        step(
            petition, "refer", supervisor, data={"referral_type": "payment_order", "body": "Court"}
        )


def test_reopened_case_keeps_its_history_and_mediates_again(petition, supervisor):
    drive_to(petition, "reopened", supervisor)

    step(petition, "start_mediation", supervisor)

    steps = list(petition.events.values_list("transition", flat=True))
    assert steps == ["receive", "tier_set", *PATH_TO["reopened"], "start_mediation"]
    assert petition.events.get(transition="reopen").reason == "The workers brought new evidence."


def test_stale_expected_status_is_a_conflict(petition, supervisor):
    with pytest.raises(services.Conflict):
        services.fire_transition(
            petition, "accept", actor=supervisor, expected_status=Status.ACCEPTED
        )
    assert not CaseEvent.objects.filter(petition=petition, transition="accept").exists()


def test_accept_needs_a_worker(petition, supervisor):
    petition.claims.all().delete()

    with pytest.raises(services.TransitionRefused, match="at least one worker"):
        step(petition, "accept", supervisor)


def test_available_steps_are_those_of_the_state(petition, supervisor):
    names = {t.name for t in services.available_transitions(petition, supervisor)}
    assert names == set(LEGAL["received"])


def test_group_petition_flagged_from_ten_workers(clerk, enterprise):
    nine = record(clerk, enterprise, workers=9)
    ten = record(clerk, enterprise, workers=10)

    assert (nine.is_group, ten.is_group) == (False, True)


def test_worker_row_round_trip(clerk, enterprise):
    row = worker_row(name="李四", non_local=True, is_representative=True)
    petition = record(clerk, enterprise, workers=[row])

    claim = petition.claims.get()
    assert (claim.name, claim.non_local, claim.is_representative) == (
        "李四",
        True,
        True,
    )
