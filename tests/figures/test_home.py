"""A supervisor's home page: the numbers that need action today, each linking to its list."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Role
from figures.today import counts_for
from fund.models import EmergencyFund, Release, ReleaseStatus
from workflows import services as workflow

from ..factories import EnterpriseFactory, record, user_with_role

TODAY = datetime.date(2026, 12, 2)  # October's reports were due on 10 November


def counts(user, today=TODAY):
    return {count.label: (count.number, count.link) for count in counts_for(user, today)}


@pytest.fixture
def group_petition(clerk, enterprise, settings):
    return record(clerk, enterprise, workers=settings.CASEWORK["GROUP_PETITION_MIN_WORKERS"])


def test_a_supervisor_starts_on_the_numbers_of_the_day(client, login, supervisor):
    response = login(supervisor).get(reverse("home"))

    assert response.status_code == 200
    for label in ["New group petitions", "Overdue tasks", "Releases waiting for approval"]:
        assert label in response.text
    assert "Missing monthly reports" in response.text


@pytest.mark.parametrize("who", ["clerk", "mediator", "finance"])
def test_others_start_on_the_case_list(client, login, request, who):
    response = login(request.getfixturevalue(who)).get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("casework:petition-list")


def test_a_new_group_petition_counts_and_links_to_the_list(supervisor, group_petition):
    number, link = counts(supervisor)["New group petitions"]

    assert number == 1
    assert link == reverse("casework:petition-list") + "?is_group=true&status=received"


def test_another_zones_group_petition_does_not_count(outsider, group_petition):
    assert counts(outsider)["New group petitions"][0] == 0


def test_an_overdue_task_counts_and_links_to_the_board(supervisor, petition):
    task = workflow.open_task(petition)
    type(task).objects.filter(pk=task.pk).update(due_at=timezone.now() - datetime.timedelta(1))

    assert counts(supervisor)["Overdue tasks"] == (1, reverse("workflows:board"))


def test_a_submitted_release_counts_and_links_to_the_approvals(supervisor, petition, mediator, org):
    fund = EmergencyFund.objects.create(zone=org["zone_a"], name="Fund")
    Release.objects.create(
        fund=fund,
        petition=petition,
        reason="Wages owed",
        created_by=mediator,
        status=ReleaseStatus.SUBMITTED,
    )

    assert counts(supervisor)["Releases waiting for approval"] == (1, reverse("fund:approvals"))


def test_a_missing_monthly_report_counts_and_links_to_its_month(supervisor, org):
    shop = EnterpriseFactory(name="Xixi Dyeworks", grid_area=org["grid_a1"])
    user_with_role(Role.ENTERPRISE_UNION, org["grid_a1"], shop, username="union")

    number, link = counts(supervisor)["Missing monthly reports"]

    assert number == 1  # October's; November's is not due before 10 December
    assert link == reverse("arrears:missing") + "?month=2026-10"


def test_the_page_links_each_number_to_its_list(client, login, supervisor, group_petition):
    response = login(supervisor).get(reverse("home"))

    assert 'href="/petitions/?is_group=true&amp;status=received"' in response.text
    assert f'href="{reverse("fund:approvals")}"' in response.text


def test_an_open_red_warning_counts_and_links_to_the_warnings(org, enterprise, supervisor):
    from prevention import services as prevention

    red = {"owner_unreachable": True, "notes": "老板失联"}
    prevention.record_visit(enterprise, actor=supervisor, **red)
    quiet = EnterpriseFactory(grid_area=org["grid_a2"])
    prevention.record_visit(quiet, actor=supervisor, utilities_cut=True, notes="停电")
    elsewhere = EnterpriseFactory(grid_area=org["grid_b1"])
    prevention.record_visit(elsewhere, actor=_supervisor_of(org["zone_b"]), **red)

    assert counts(supervisor)["Open red early warnings"] == (1, reverse("prevention:warnings"))


def _supervisor_of(unit):
    return user_with_role(Role.SUPERVISOR, unit)
