"""A department's liaison login sees only what was referred or assigned to its department, on
/departments/inbox/, and answers it there: not the case page, not the workers' ID numbers, not
another department's items (404)."""

import datetime

import pytest

from casework.models import Role
from departments import services
from departments.models import JointPart, Referral

from ..factories import user_with_role
from .conftest import refer

pytestmark = pytest.mark.django_db


@pytest.fixture
def referred(mediator, petition, inspection, inspector):
    return refer(petition, mediator, inspection, sent_what="Please inspect the payroll.")


def test_the_inbox_lists_the_departments_referrals_and_parts(
    login, mediator, petition, inspection, inspector, referred
):
    services.request_part(petition, actor=mediator, asked="Verify hours.", department=inspection)

    page = login(inspector).get("/departments/inbox/").content.decode()

    assert petition.number in page and petition.enterprise.name in page
    assert "Please inspect the payroll." in page and "Verify hours." in page


def test_the_inbox_shows_no_worker_and_no_id_number(login, petition, inspector, referred):
    page = login(inspector).get("/departments/inbox/").content.decode()
    reply_page = login(inspector).get(f"/departments/referrals/{referred.pk}/reply/")

    for claim in petition.claims.select_related("worker"):
        for text in (page, reply_page.content.decode()):
            assert claim.worker.id_number not in text
            assert claim.name not in text


def test_the_liaison_records_the_reply_and_the_sender_is_told(
    login, mediator, inspector, referred, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(inspector).post(
            f"/departments/referrals/{referred.pk}/reply/",
            {
                "decision": "accepted",
                "replied_on": datetime.date.today().isoformat(),
                "result": "Inspection on Monday.",
                "reference": "JC-031",
            },
        )

    assert response.status_code == 302 and response["Location"] == "/departments/inbox/"
    referred.refresh_from_db()
    assert (referred.state, referred.reference, referred.answered_by) == (
        Referral.State.ACCEPTED,
        "JC-031",
        inspector,
    )
    assert mediator.notifications.filter(kind="referral_answered").exists()


def test_the_liaison_finishes_the_departments_part(
    login, mediator, petition, inspection, inspector
):
    part = services.request_part(petition, actor=mediator, asked="Verify.", department=inspection)

    response = login(inspector).post(
        f"/departments/parts/{part.pk}/finish/", {"result": "12 hours a day confirmed."}
    )

    assert response.status_code == 302
    part.refresh_from_db()
    assert (part.state, part.finished_by) == (JointPart.State.DONE, inspector)


def test_the_liaison_may_not_open_the_case_page(login, petition, inspector, referred):
    client = login(inspector)

    assert client.get(f"/petitions/{petition.pk}/").status_code == 404
    assert client.get(f"/departments/petitions/{petition.pk}/refer/").status_code == 404
    assert client.get(f"/departments/petitions/{petition.pk}/parts/new/").status_code == 404


def test_the_liaison_may_not_extend_or_withdraw(
    login, mediator, petition, inspection, inspector, referred
):
    part = services.request_part(petition, actor=mediator, asked="Verify.", department=inspection)
    client = login(inspector)

    withdraw = client.post(f"/departments/parts/{part.pk}/withdraw/", {"reason": "x"})
    assert withdraw.status_code == 403
    assert client.get("/departments/").status_code == 403


def test_another_departments_liaison_finds_nothing(
    login, mediator, petition, inspection, other_liaison, referred
):
    part = services.request_part(petition, actor=mediator, asked="Verify.", department=inspection)
    client = login(other_liaison)

    assert client.get(f"/departments/referrals/{referred.pk}/reply/").status_code == 404
    assert client.post(f"/departments/referrals/{referred.pk}/reply/", {}).status_code == 404
    assert client.get(f"/departments/parts/{part.pk}/finish/").status_code == 404
    assert petition.number not in client.get("/departments/inbox/").content.decode()


def test_a_removed_liaison_is_signed_out(login, supervisor, inspector, referred):
    client = login(inspector)
    services.remove_liaison(inspector.department_liaison, actor=supervisor)

    response = client.get("/departments/inbox/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_unit_asked_for_a_part_finds_it_in_its_inbox(login, mediator, petition, org):
    holder = user_with_role(Role.MEDIATOR, org["grid_a2"], username="a2")
    services.request_part(
        petition, actor=mediator, asked="Talk to the foreman.", unit=org["grid_a2"], holder=holder
    )

    page = login(holder).get("/departments/inbox/").content.decode()

    assert "Talk to the foreman." in page
