"""The zone's list of departments, managed by its supervisors on /departments/."""

import pytest

from departments import services
from departments.models import Department, Liaison

pytestmark = pytest.mark.django_db


def test_a_supervisor_adds_a_department_to_the_zone(login, supervisor, org):
    response = login(supervisor).post(
        f"/departments/zones/{org['zone_a'].pk}/new/",
        {
            "name": "Lanxi petitions bureau",
            "kind": "petitions",
            "contact_person": "Ms Li",
            "phone": "0571-1234567",
            "address": "1 Town Hall Road",
        },
    )

    assert response.status_code == 302
    page = login(supervisor).get("/departments/").content.decode()
    assert "Lanxi petitions bureau" in page and "Ms Li" in page


def test_a_name_the_zone_has_already_is_refused_beside_the_name(login, supervisor, inspection):
    response = login(supervisor).post(
        f"/departments/zones/{inspection.zone_id}/new/",
        {"name": inspection.name, "kind": "court"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["name"] == [
        "The zone already has a department of this name."
    ]
    assert Department.objects.count() == 1


def test_a_missing_kind_is_named_and_nothing_is_added(login, supervisor, org):
    response = login(supervisor).post(
        f"/departments/zones/{org['zone_a'].pk}/new/", {"name": "Somewhere"}
    )

    assert response.status_code == 400
    assert "kind" in response.context["form"].errors
    assert not Department.objects.exists()


def test_a_supervisor_edits_the_contacts(login, supervisor, inspection):
    response = login(supervisor).post(
        f"/departments/{inspection.pk}/edit/",
        {"name": inspection.name, "kind": inspection.kind, "contact_person": "Officer Zhao"},
    )

    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.contact_person == "Officer Zhao"


def test_a_deactivated_department_is_no_longer_offered_for_a_referral(
    login, supervisor, mediator, inspection, petition
):
    login(supervisor).post(f"/departments/{inspection.pk}/active/", {"active": "0"})

    page = login(mediator).get(f"/departments/petitions/{petition.pk}/refer/").content.decode()
    inspection.refresh_from_db()
    assert not inspection.is_active
    assert inspection.name not in page


def test_a_mediator_does_not_manage_departments(login, mediator, inspection):
    assert login(mediator).get("/departments/").status_code == 403
    response = login(mediator).post(f"/departments/{inspection.pk}/active/", {"active": "0"})
    assert response.status_code == 404  # the zone is not in a grid mediator's part of the tree


def test_another_zones_supervisor_finds_no_department_here(login, outsider, inspection, org):
    client = login(outsider)

    assert client.get(f"/departments/{inspection.pk}/edit/").status_code == 404
    assert client.post(f"/departments/{inspection.pk}/active/", {"active": "0"}).status_code == 404
    assert client.get(f"/departments/zones/{org['zone_a'].pk}/new/").status_code == 404
    assert inspection.name not in client.get("/departments/").content.decode()


def test_a_supervisor_adds_a_liaison_login(login, supervisor, inspection):
    response = login(supervisor).post(
        f"/departments/{inspection.pk}/liaisons/new/",
        {"username": "wang.inspector", "name": "Wang", "password": "Lx-9f2k!pq"},
    )

    assert response.status_code == 302
    liaison = Liaison.objects.get()
    assert (liaison.department, liaison.user.username) == (inspection, "wang.inspector")
    assert liaison.user.check_password("Lx-9f2k!pq")
    assert not liaison.user.memberships.exists()


def test_a_weak_password_is_refused_beside_the_password(login, supervisor, inspection):
    response = login(supervisor).post(
        f"/departments/{inspection.pk}/liaisons/new/",
        {"username": "wang", "name": "Wang", "password": "123"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["password"]
    assert not Liaison.objects.exists()


def test_a_taken_user_name_is_refused_beside_it(login, supervisor, inspection, mediator):
    response = login(supervisor).post(
        f"/departments/{inspection.pk}/liaisons/new/",
        {"username": mediator.username, "name": "Wang", "password": "Lx-9f2k!pq"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["username"] == ["This user name is taken."]


def test_a_removed_liaison_can_no_longer_sign_in(login, supervisor, inspector):
    liaison = inspector.department_liaison

    login(supervisor).post(f"/departments/liaisons/{liaison.pk}/remove/")

    inspector.refresh_from_db()
    assert not inspector.is_active


def test_the_usual_departments_are_created_once(org):
    first = services.create_usual_departments(org["zone_a"])
    again = services.create_usual_departments(org["zone_a"])

    assert len(first) == len(Department.Kind) - 1  # every kind but "other"
    assert again == []
    assert not Department.objects.filter(zone=org["zone_b"]).exists()


def test_a_bad_active_flag_is_a_bad_request(login, supervisor, inspection):
    response = login(supervisor).post(f"/departments/{inspection.pk}/active/", {"active": "x"})

    assert response.status_code == 400
    inspection.refresh_from_db()
    assert inspection.is_active
