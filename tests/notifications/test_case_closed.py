"""A closed case tells the mediator who held its mediation."""

from notifications.models import Kind, Notification

from ..factories import called_back, record, step
from .conftest import reads_english


def mediate_to_fulfilment(petition, supervisor, mediator):
    step(petition, "accept", supervisor)
    for name in ("start_mediation", "reach_agreement", "confirm_fulfilment"):
        step(petition, name, mediator)
    called_back(petition)


def closed_notes():
    return list(
        Notification.objects.filter(kind=Kind.CASE_CLOSED).values_list(
            "recipient__username", "text"
        )
    )


def test_the_mediator_hears_that_a_supervisor_closed_the_case(
    clerk, supervisor, mediator, enterprise, committed
):
    reads_english(mediator)
    petition = record(clerk, enterprise, workers=2)
    mediate_to_fulfilment(petition, supervisor, mediator)

    committed(step, petition, "close", supervisor)

    assert closed_notes() == [("mediator", f"Case {petition.number} is closed.")]


def test_the_mediator_who_closes_the_case_is_not_told(
    clerk, supervisor, mediator, enterprise, committed
):
    petition = record(clerk, enterprise, workers=2)
    mediate_to_fulfilment(petition, supervisor, mediator)

    committed(step, petition, "close", mediator)

    assert closed_notes() == []


def test_a_case_closed_without_mediation_tells_nobody(
    clerk, supervisor, mediator, enterprise, committed
):
    petition = record(clerk, enterprise, workers=2)
    step(petition, "refer_out", clerk)

    committed(step, petition, "close", supervisor)

    assert closed_notes() == []
