"""Joint handling (协办): the lead unit asks another unit or a department for a part of the case;
each part has a holder and a due date; the case shows who is doing what, and closes only when
every part is done or withdrawn."""

import datetime

import pytest

from casework import hooks
from casework.events import EventName
from casework.exceptions import TransitionRefused
from casework.models import Role
from departments import services
from departments.models import JointPart
from notifications.models import Kind, Notification
from workflows import calendar

from ..factories import drive_to, step, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def grid_a2_mediator(org):
    return user_with_role(Role.MEDIATOR, org["grid_a2"], username="a2-mediator")


def ask(petition, actor, **kwargs):
    kwargs.setdefault("asked", "Verify the working hours of March.")
    return services.request_part(petition, actor=actor, **kwargs)


def test_a_mediator_asks_another_unit_for_a_part(
    login, mediator, petition, org, grid_a2_mediator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(mediator).post(
            f"/departments/petitions/{petition.pk}/parts/new/",
            {
                "asked": "Talk to the subcontractor.",
                "unit": org["grid_a2"].pk,
                "holder": grid_a2_mediator.pk,
            },
        )

    assert response.status_code == 302
    part = JointPart.objects.get()
    due = calendar.add_working_days(datetime.date.today(), 10)
    assert (part.unit, part.holder, part.due_on) == (org["grid_a2"], grid_a2_mediator, due)
    [event] = petition.events.filter(transition=EventName.JOINT_PART_REQUESTED)
    assert event.data["to"] == "Grid A2"
    [note] = Notification.objects.filter(recipient=grid_a2_mediator)
    assert note.kind == Kind.JOINT_PART_ASKED


def test_the_case_page_shows_who_is_doing_what(
    login, mediator, petition, org, grid_a2_mediator, inspection
):
    ask(petition, mediator, unit=org["grid_a2"], holder=grid_a2_mediator)
    ask(petition, mediator, department=inspection, asked="Inspect the payroll.")

    page = login(mediator).get(f"/petitions/{petition.pk}/").content.decode()

    assert "Verify the working hours of March." in page and "Grid A2" in page
    assert "Inspect the payroll." in page and inspection.name in page


def test_a_holder_who_does_not_work_at_the_unit_is_refused_beside_the_holder(
    login, mediator, petition, org, outsider
):
    response = login(mediator).post(
        f"/departments/petitions/{petition.pk}/parts/new/",
        {"asked": "Freeze assets.", "unit": org["grid_a2"].pk, "holder": outsider.pk},
    )

    assert response.status_code == 400
    assert "holder" in response.context["form"].errors
    assert not JointPart.objects.exists()


def test_a_unit_of_another_zone_is_not_offered(login, mediator, petition, org):
    response = login(mediator).post(
        f"/departments/petitions/{petition.pk}/parts/new/",
        {"asked": "Freeze assets.", "unit": org["grid_b1"].pk},
    )

    assert response.status_code == 400
    assert "unit" in response.context["form"].errors


def test_a_part_asks_a_unit_or_a_department_not_both(
    login, mediator, petition, org, grid_a2_mediator, inspection
):
    body = {"asked": "Both?", "unit": org["grid_a2"].pk, "holder": grid_a2_mediator.pk}
    response = login(mediator).post(
        f"/departments/petitions/{petition.pk}/parts/new/",
        {**body, "department": inspection.pk},
    )

    assert response.status_code == 400
    assert "unit" in response.context["form"].errors


def test_a_due_date_in_the_past_is_refused_beside_it(login, mediator, petition, inspection):
    response = login(mediator).post(
        f"/departments/petitions/{petition.pk}/parts/new/",
        {"asked": "Inspect.", "department": inspection.pk, "due_on": "2020-01-01"},
    )

    assert response.status_code == 400
    assert "due_on" in response.context["form"].errors


def test_a_part_asked_of_a_department_is_held_by_its_liaison(
    mediator, petition, inspection, inspector, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        part = ask(petition, mediator, department=inspection)

    assert part.holder == inspector
    assert Notification.objects.filter(recipient=inspector, kind=Kind.JOINT_PART_ASKED).exists()


def test_the_holder_finishes_the_part_and_the_lead_is_told(
    login, mediator, petition, org, grid_a2_mediator, django_capture_on_commit_callbacks
):
    part = ask(petition, mediator, unit=org["grid_a2"], holder=grid_a2_mediator)

    with django_capture_on_commit_callbacks(execute=True):
        response = login(grid_a2_mediator).post(
            f"/departments/parts/{part.pk}/finish/", {"result": "Hours confirmed: 12 a day."}
        )

    assert response.status_code == 302
    part.refresh_from_db()
    assert (part.state, part.result) == (JointPart.State.DONE, "Hours confirmed: 12 a day.")
    assert petition.events.filter(transition=EventName.JOINT_PART_DONE).count() == 1
    assert Notification.objects.filter(recipient=mediator, kind=Kind.JOINT_PART_FINISHED).exists()


def test_a_part_is_done_only_with_its_result(login, mediator, petition, inspection):
    part = ask(petition, mediator, department=inspection)

    response = login(mediator).post(f"/departments/parts/{part.pk}/finish/", {"result": ""})

    assert response.status_code == 400
    assert "result" in response.context["form"].errors
    part.refresh_from_db()
    assert part.is_open


def test_the_lead_withdraws_a_part(login, mediator, petition, inspection):
    part = ask(petition, mediator, department=inspection)

    response = login(mediator).post(
        f"/departments/parts/{part.pk}/withdraw/", {"reason": "The employer paid."}
    )

    assert response.status_code == 302
    part.refresh_from_db()
    assert part.state == JointPart.State.WITHDRAWN
    [event] = petition.events.filter(transition=EventName.JOINT_PART_WITHDRAWN)
    assert event.reason == "The employer paid."


def test_the_holder_may_not_withdraw_the_part(login, mediator, petition, org, grid_a2_mediator):
    part = ask(petition, mediator, unit=org["grid_a2"], holder=grid_a2_mediator)

    response = login(grid_a2_mediator).post(
        f"/departments/parts/{part.pk}/withdraw/", {"reason": "Not ours."}
    )

    assert response.status_code == 403
    part.refresh_from_db()
    assert part.is_open


def test_a_finished_part_finished_again_is_a_conflict(login, mediator, petition, inspection):
    part = ask(petition, mediator, department=inspection)
    services.finish_part(part, actor=mediator, result="Done.")

    response = login(mediator).post(f"/departments/parts/{part.pk}/finish/", {"result": "Again"})

    assert response.status_code == 409


def test_the_case_closes_only_when_every_part_is_done_or_withdrawn(
    mediator, petition, inspection, org, grid_a2_mediator
):
    drive_to(petition, "fulfilled", mediator)
    done = ask(petition, mediator, department=inspection, asked="Inspect the payroll.")
    left = ask(petition, mediator, unit=org["grid_a2"], holder=grid_a2_mediator)
    services.finish_part(done, actor=mediator, result="Payroll checked.")

    with pytest.raises(TransitionRefused) as refused:
        step(petition, "close", mediator)
    assert "Verify the working hours of March." in str(refused.value)
    assert "Inspect the payroll." not in str(refused.value)

    services.withdraw_part(left, actor=mediator, reason="No longer needed.")
    # Other apps may hold the closure back for their own reasons (the callback): none of ours.
    assert not [r for r in hooks.reasons_not_to_close(petition) if "Joint handling" in r]


def test_another_zone_finds_no_part(login, outsider, mediator, petition, inspection):
    part = ask(petition, mediator, department=inspection)
    client = login(outsider)

    assert client.get(f"/departments/parts/{part.pk}/finish/").status_code == 404
    withdraw = client.post(f"/departments/parts/{part.pk}/withdraw/", {"reason": "x"})
    assert withdraw.status_code == 404
    assert client.get(f"/departments/petitions/{petition.pk}/parts/new/").status_code == 404


def test_a_case_with_an_open_part_is_not_merged_away(mediator, petition, inspection):
    ask(petition, mediator, department=inspection, asked="Inspect the payroll.")

    assert any("Inspect the payroll." in r for r in hooks.reasons_not_to_merge(petition))
