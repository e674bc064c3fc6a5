"""The handling unit answers an order: progress and result replies, by its mediation roles only."""

import pytest
from django.core.exceptions import PermissionDenied

from casework.events import EventName
from casework.exceptions import Conflict
from supervision import services
from supervision.models import Reply

from .conftest import events

pytestmark = pytest.mark.django_db


def url(order):
    return f"/supervision/orders/{order.pk}/reply/"


def test_the_grid_mediator_reports_progress_then_the_result(login, order, petition, mediator):
    client = login(mediator)
    client.post(url(order), {"kind": "progress", "text": "Met the employer on Tuesday."})
    response = client.post(url(order), {"kind": "result", "text": "Wages paid in full."})

    assert response.status_code == 302
    assert list(order.replies.values_list("kind", "text", "replied_by")) == [
        ("progress", "Met the employer on Tuesday.", mediator.pk),
        ("result", "Wages paid in full.", mediator.pk),
    ]
    replied = events(petition, EventName.SUPERVISION_REPLIED)
    assert [(e.reason, e.data["reply"]) for e in replied] == [
        ("Met the employer on Tuesday.", "progress"),
        ("Wages paid in full.", "result"),
    ]
    page = client.get(f"/supervision/orders/{order.pk}/").content.decode()
    assert "Met the employer on Tuesday." in page and "Wages paid in full." in page


def test_the_supervising_unit_does_not_answer_its_own_order(login, order, supervisor):
    response = login(supervisor).post(url(order), {"kind": "result", "text": "Done."})

    assert response.status_code == 403
    assert not Reply.objects.exists()


def test_the_intake_clerk_of_the_zone_does_not_answer(login, order, clerk):
    assert login(clerk).post(url(order), {"kind": "result", "text": "Done."}).status_code == 403


def test_for_a_federation_order_the_zone_supervisor_answers_too(
    order, petition, supervisor, fed_supervisor, org
):
    federal = services.issue_order(
        petition, actor=fed_supervisor, issuing_unit=org["federation"], requirement="Report."
    )

    services.reply_to_order(federal, actor=supervisor, kind="progress", text="On it.")

    assert federal.replies.count() == 1
    with pytest.raises(PermissionDenied):
        services.reply_to_order(federal, actor=fed_supervisor, kind="progress", text="On it.")


def test_a_mediator_of_another_grid_gets_404(login, order, org):
    from casework.models import Role

    from ..factories import user_with_role

    other = user_with_role(Role.MEDIATOR, org["grid_a2"])
    client = login(other)

    assert client.post(url(order), {"kind": "result", "text": "Done."}).status_code == 404
    assert client.get(f"/supervision/orders/{order.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("field", "body"),
    [
        ("text", {"kind": "progress", "text": ""}),
        ("text", {"kind": "progress", "text": "x" * 4001}),
        ("kind", {"kind": "finished", "text": "Done."}),
        ("kind", {"text": "Done."}),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(login, order, mediator, field, body):
    response = login(mediator).post(url(order), body)

    assert response.status_code == 400
    assert field in response.context["reply_form"].errors
    assert not Reply.objects.exists()


def test_a_blank_reply_is_refused_by_the_service_too(order, mediator):
    with pytest.raises(Exception) as err:
        services.reply_to_order(order, actor=mediator, kind="progress", text="  ")

    assert err.value.message_dict == {"text": ["Write what was done."]}


def test_a_closed_order_takes_no_more_replies(login, order, supervisor, mediator):
    services.close_order(order, actor=supervisor, reason="The case moved to the court.")

    response = login(mediator).post(url(order), {"kind": "progress", "text": "Late news."})

    assert response.status_code == 409
    assert not Reply.objects.exists()
    with pytest.raises(Conflict):
        services.reply_to_order(order, actor=mediator, kind="progress", text="Late news.")


def test_reply_accepts_only_post(login, order, mediator):
    assert login(mediator).get(url(order)).status_code == 405
