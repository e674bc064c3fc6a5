"""The supervising unit closes its order: once a result is reported, or earlier with a reason;
the case itself does not close while an order waits for its result."""

import pytest
from django.core.exceptions import PermissionDenied

from casework import hooks
from casework.events import EventName
from supervision import services

from .conftest import events

pytestmark = pytest.mark.django_db


def url(order):
    return f"/supervision/orders/{order.pk}/close/"


def test_the_issuer_closes_the_order_once_the_result_is_reported(
    login, order, petition, supervisor, mediator
):
    services.reply_to_order(order, actor=mediator, kind="result", text="Paid in full.")

    response = login(supervisor).post(url(order), {"reason": ""})

    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.is_open, order.closed_by) == (False, supervisor)
    [event] = events(petition, EventName.SUPERVISION_CLOSED)
    assert event.data == {"supervising_unit": "Zone A", "with_result": True}


def test_without_a_result_closing_needs_a_reason(login, order, petition, supervisor):
    response = login(supervisor).post(url(order), {"reason": ""})

    assert response.status_code == 400
    assert "reason" in response.context["close_form"].errors
    order.refresh_from_db()
    assert order.is_open
    assert not events(petition, EventName.SUPERVISION_CLOSED)


def test_without_a_result_the_issuer_closes_with_a_reason(login, order, petition, supervisor):
    login(supervisor).post(url(order), {"reason": "The workers went to arbitration."})

    order.refresh_from_db()
    assert order.close_reason == "The workers went to arbitration."
    [event] = events(petition, EventName.SUPERVISION_CLOSED)
    assert (event.reason, event.data["with_result"]) == ("The workers went to arbitration.", False)


def test_the_handling_mediator_may_not_close(login, order, mediator):
    assert login(mediator).post(url(order), {"reason": "Done."}).status_code == 403


def test_the_zones_liaison_closes_the_zones_order(login, order, liaison):
    assert login(liaison).post(url(order), {"reason": "Done."}).status_code == 302


def test_the_federations_liaison_closes_a_federation_order(
    petition, fed_liaison, fed_supervisor, org
):
    federal = services.issue_order(
        petition, actor=fed_supervisor, issuing_unit=org["federation"], requirement="Report."
    )

    services.close_order(federal, actor=fed_liaison, reason="Handled by the zone.")

    federal.refresh_from_db()
    assert federal.closed_by == fed_liaison


def test_the_federation_supervisor_closes_an_order_of_the_zone_below(order, fed_supervisor):
    services.close_order(order, actor=fed_supervisor, reason="Taken over by the federation.")

    order.refresh_from_db()
    assert not order.is_open


def test_a_second_close_is_a_409(login, order, supervisor):
    client = login(supervisor)
    client.post(url(order), {"reason": "Issued in error."})

    response = client.post(url(order), {"reason": "Again."})

    assert response.status_code == 409
    order.refresh_from_db()
    assert order.close_reason == "Issued in error."


def test_an_outsider_gets_404(login, order, outsider):
    assert login(outsider).post(url(order), {"reason": "x"}).status_code == 404


def test_the_case_does_not_close_while_the_order_awaits_its_result(order, petition, mediator):
    assert hooks.reasons_not_to_close(petition) == [
        "The supervision order of Zone A awaits its result reply."
    ]

    services.reply_to_order(order, actor=mediator, kind="result", text="Paid in full.")

    assert hooks.reasons_not_to_close(petition) == []


def test_a_closed_order_does_not_hold_the_case(order, petition, supervisor):
    services.close_order(order, actor=supervisor, reason="Issued in error.")

    assert services.close_check(petition) is None


def test_the_service_refuses_a_mediator(order, mediator):
    with pytest.raises(PermissionDenied):
        services.close_order(order, actor=mediator, reason="Done.")


def test_a_case_under_an_open_order_is_not_merged_away(order, petition):
    assert any("supervision order" in r for r in hooks.reasons_not_to_merge(petition))
