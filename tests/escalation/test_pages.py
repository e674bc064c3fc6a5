"""The liaison's pages: permission-checked (403 for others, 404 outside one's zone), bad input
is a 400 with the field's error, each step posts and moves on."""

import pytest
from django.urls import reverse

from casework.models import Role
from escalation import services as escalation

from ..factories import user_with_role

pytestmark = pytest.mark.django_db


def page(esc):
    return reverse("escalation:detail", args=[esc.pk])


def post(esc, action):
    return reverse("escalation:step", args=[esc.pk, action])


def test_the_liaison_sees_the_escalation_and_its_current_step(login, group, liaison):
    response = login(liaison).get(page(group.escalation))

    assert response.status_code == 200
    assert 'id="form-acknowledge"' in response.content.decode()


def test_a_supervisor_is_refused_403(login, group, supervisor):
    assert login(supervisor).get(page(group.escalation)).status_code == 403
    assert login(supervisor).post(post(group.escalation, "acknowledge")).status_code == 403


def test_a_liaison_of_another_zone_does_not_find_it_404(login, group, org):
    elsewhere = user_with_role(Role.COMMITTEE_LIAISON, org["zone_b"])

    assert login(elsewhere).get(page(group.escalation)).status_code == 404


def test_the_list_is_for_liaisons(login, group, liaison, mediator):
    assert login(mediator).get(reverse("escalation:list")).status_code == 403
    response = login(liaison).get(reverse("escalation:list"))
    assert group.number in response.content.decode()


def test_acknowledge_then_coordinate_over_http(login, group, liaison):
    browser = login(liaison)
    esc = group.escalation

    assert browser.post(post(esc, "acknowledge"), {"note": ""}).status_code == 302
    response = browser.post(
        post(esc, "coordinate"),
        {
            "held_on": "2026-06-02",
            "departments": ["human_resources", "courts"],
            "decisions": "Open a case.",
        },
    )

    assert response.status_code == 302
    assert escalation.open_task(esc).flow_task.name == "form_task_force"


def test_coordination_without_departments_is_400_and_changes_nothing(login, group, liaison):
    escalation.acknowledge_escalation(group.escalation, actor=liaison)

    response = login(liaison).post(
        post(group.escalation, "coordinate"), {"held_on": "2026-06-02", "decisions": "x"}
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not group.escalation.coordinations.exists()


def test_a_step_out_of_order_is_400_with_the_reason(login, group, liaison):
    response = login(liaison).post(post(group.escalation, "close"), {"outcome": "Done."})

    assert response.status_code == 400
    assert "Finish" in response.content.decode()


def test_a_step_done_twice_is_409(login, group, liaison):
    escalation.acknowledge_escalation(group.escalation, actor=liaison)

    response = login(liaison).post(post(group.escalation, "acknowledge"), {"note": ""})

    assert response.status_code == 409


def test_the_case_page_shows_the_escalation(login, group, clerk, liaison):
    case = reverse("casework:petition-detail", args=[group.pk])

    for person, link in ((clerk, False), (liaison, True)):
        content = login(person).get(case).content.decode()
        assert 'id="escalation"' in content
        assert (page(group.escalation) in content) is link


def test_a_supervisor_escalates_from_the_case_page(login, petition, supervisor):
    response = login(supervisor).post(
        reverse("escalation:escalate", args=[petition.pk]), {"note": "Media attention."}
    )

    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.escalation.reasons == ["decision"]


def test_escalating_without_a_reason_is_400(login, petition, supervisor):
    response = login(supervisor).post(reverse("escalation:escalate", args=[petition.pk]), {})

    assert response.status_code == 400
    assert not hasattr(petition, "escalation")


def test_a_mediator_may_not_escalate_403(login, petition, mediator):
    response = login(mediator).post(
        reverse("escalation:escalate", args=[petition.pk]), {"note": "Now."}
    )

    assert response.status_code == 403


def test_a_group_escalation_over_http_from_task_force_to_outcome(login, group, liaison):
    browser = login(liaison)
    esc = group.escalation
    escalation.acknowledge_escalation(esc, actor=liaison)
    escalation.record_coordination(
        esc, actor=liaison, held_on=group.received_at.date(), departments=["courts"], decisions="x"
    )
    claims = list(group.claims.order_by("pk"))
    non_local = [c for c in claims if c.non_local]
    steps = [
        (
            "task_force",
            {"name_0": "Xu", "organization_0": "Committee", "position_0": "leader"}
            | {f"position_{i}": "member" for i in range(1, 6)},
        ),
        ("representatives", {"claims": [c.pk for c in claims[:5]]}),
        (
            "travel_home",
            {f"destination_{c.pk}": "Yushan" for c in non_local}
            | {f"amount_{c.pk}": "180.00" for c in non_local},
        ),
        ("vacancy", {"employer": "Jiangshan Lighting", "positions": "Assembly", "openings": "3"}),
    ]
    for action, data in steps:
        assert browser.get(page(esc)).status_code == 200
        response = browser.post(post(esc, action), data)
        assert response.status_code == 302, (action, response.content.decode()[-3000:])
    vacancy = esc.vacancies.get()
    referral = {"vacancy": vacancy.pk, "claim": claims[0].pk, "result": "hired"}
    assert browser.post(post(esc, "referral"), referral).status_code == 302
    assert browser.post(post(esc, "finish_referrals")).status_code == 302
    assert browser.post(post(esc, "close"), {"outcome": "Settled."}).status_code == 302

    content = browser.get(page(esc)).content.decode()
    assert "Settled." in content and "Jiangshan Lighting" in content
    timeline = browser.get(reverse("casework:petition-detail", args=[group.pk])).content.decode()
    assert "Escalation closed" in timeline and "Travel-home needs recorded" in timeline
