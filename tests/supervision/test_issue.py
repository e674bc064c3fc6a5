"""A higher unit puts a case under supervision: who may, what the order says, and one open order
per unit and case."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from casework.events import EventName
from casework.exceptions import Conflict, TransitionRefused
from supervision import services
from supervision.models import SupervisionOrder
from workflows import calendar

from ..factories import drive_to
from .conftest import DUE, events, issue_body

pytestmark = pytest.mark.django_db


def url(petition):
    return f"/supervision/petitions/{petition.pk}/issue/"


def test_the_zone_supervisor_puts_a_grid_case_under_supervision(login, petition, supervisor, org):
    response = login(supervisor).post(url(petition), issue_body(org["zone_a"]))

    assert response.status_code == 302
    order = SupervisionOrder.objects.get()
    assert (order.issuing_unit, order.due_on, order.issued_by) == (org["zone_a"], DUE, supervisor)
    [event] = events(petition, EventName.SUPERVISION_ORDERED)
    assert event.actor == supervisor
    assert event.reason == "Verify the hours with labor inspection."
    assert event.data == {"supervising_unit": "Zone A", "due": "2026-03-13"}


def test_the_form_offers_the_default_due_date_in_working_days(login, petition, supervisor):
    response = login(supervisor).get(url(petition))

    default = calendar.add_working_days(datetime.date(2026, 3, 2), 10)
    assert response.context["form"]["due_on"].value() == default == datetime.date(2026, 3, 16)


def test_without_a_due_date_the_service_gives_the_default(petition, supervisor, org, settings):
    settings.CASEWORK["SUPERVISION_DEFAULT_WORKING_DAYS"] = 3
    order = services.issue_order(
        petition, actor=supervisor, issuing_unit=org["zone_a"], requirement="Report."
    )

    assert order.due_on == datetime.date(2026, 3, 5)


def test_the_federations_committee_liaison_may_issue(login, petition, fed_liaison, org):
    response = login(fed_liaison).post(url(petition), issue_body(org["federation"]))

    assert response.status_code == 302
    assert SupervisionOrder.objects.get().issuing_unit == org["federation"]


def test_the_zones_committee_liaison_issues_for_the_zone(login, petition, liaison, org):
    response = login(liaison).post(url(petition), issue_body(org["zone_a"]))

    assert response.status_code == 302
    assert SupervisionOrder.objects.get().issuing_unit == org["zone_a"]


def test_a_zone_committee_liaison_may_not_issue_for_the_federation(login, petition, liaison, org):
    response = login(liaison).post(url(petition), issue_body(org["federation"]))

    assert response.status_code in (400, 403)
    assert not SupervisionOrder.objects.exists()


def test_the_grid_mediator_may_not_put_their_own_case_under_supervision(
    login, petition, mediator, org
):
    assert login(mediator).get(url(petition)).status_code == 403


def test_a_unit_does_not_supervise_its_own_cases(petition, org):
    from casework.models import Role

    from ..factories import user_with_role

    grid_supervisor = user_with_role(Role.SUPERVISOR, org["grid_a1"])

    assert services.issuing_units(grid_supervisor, petition) == []
    with pytest.raises(PermissionDenied):
        services.issue_order(
            petition, actor=grid_supervisor, issuing_unit=org["grid_a1"], requirement="Report."
        )


def test_a_supervisor_may_not_issue_in_the_name_of_a_unit_above_theirs(
    login, petition, supervisor, org
):
    response = login(supervisor).post(url(petition), issue_body(org["federation"]))

    assert response.status_code == 400
    assert "issuing_unit" in response.context["form"].errors
    assert not SupervisionOrder.objects.exists()


def test_a_supervisor_of_another_zone_gets_404(login, petition, outsider, org):
    client = login(outsider)

    assert client.get(url(petition)).status_code == 404
    assert client.post(url(petition), issue_body(org["zone_b"])).status_code == 404


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("requirement", ""),
        ("requirement", "   "),
        ("due_on", "2026-03-02"),
        ("due_on", "2026-02-27"),
        ("due_on", "next friday"),
        ("due_on", "2200-01-05"),
        ("issuing_unit", "nonsense"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(
    login, petition, supervisor, org, field, value
):
    response = login(supervisor).post(url(petition), issue_body(org["zone_a"], **{field: value}))

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not SupervisionOrder.objects.exists()
    assert not events(petition, EventName.SUPERVISION_ORDERED)


def test_a_second_open_order_of_the_same_unit_is_a_409(login, order, petition, supervisor, org):
    response = login(supervisor).post(url(petition), issue_body(org["zone_a"]))

    assert response.status_code == 409
    assert SupervisionOrder.objects.count() == 1


def test_another_unit_may_supervise_the_same_case_at_the_same_time(
    order, petition, fed_supervisor, org
):
    services.issue_order(
        petition, actor=fed_supervisor, issuing_unit=org["federation"], requirement="Report."
    )

    assert SupervisionOrder.objects.filter(closed_at=None).count() == 2


def test_once_closed_the_same_unit_may_issue_again(order, petition, supervisor, org):
    services.close_order(order, actor=supervisor, reason="Issued in error.")

    services.issue_order(petition, actor=supervisor, issuing_unit=org["zone_a"], requirement="Go.")

    assert SupervisionOrder.objects.count() == 2


def test_the_database_refuses_a_second_open_order_of_a_unit(order, petition, supervisor, org):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SupervisionOrder.objects.create(
            petition=petition,
            issuing_unit=org["zone_a"],
            issued_by=supervisor,
            issued_at=order.issued_at,
            requirement="Again.",
            due_on=DUE,
        )


def test_a_service_call_for_a_second_open_order_raises_conflict(order, petition, supervisor, org):
    with pytest.raises(Conflict):
        services.issue_order(
            petition, actor=supervisor, issuing_unit=org["zone_a"], requirement="Again."
        )


def test_a_finished_petition_is_not_put_under_supervision(petition, supervisor, org):
    drive_to(petition, "rejected", supervisor)

    with pytest.raises(TransitionRefused):
        services.issue_order(
            petition, actor=supervisor, issuing_unit=org["zone_a"], requirement="Report."
        )


def test_a_due_date_in_a_year_the_calendar_does_not_know_is_marked_provisional(
    login, petition, supervisor, org
):
    client = login(supervisor)
    client.post(url(petition), issue_body(org["zone_a"], due_on="2027-02-15"))

    [event] = events(petition, EventName.SUPERVISION_ORDERED)
    assert event.data["provisional_year"] == 2027
    page = client.get(f"/petitions/{petition.pk}/").content.decode()
    assert "badge-provisional" in page.split('id="supervision"')[1]
