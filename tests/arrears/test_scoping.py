"""The enterprise-union user sees its own enterprise only; the monthly reports' lists are for
those who read their units' reports."""

from django.urls import reverse

from arrears import services

from .conftest import OCTOBER


def test_the_union_sees_only_its_own_enterprise(
    login, union, mediator, enterprise, neighbour, today
):
    services.file_zero_report(neighbour, OCTOBER, actor=mediator)

    page = login(union).get(reverse("arrears:home")).content.decode()

    assert "Lanxi Textile" in page
    assert "Xixi Dyeworks" not in page


def test_the_union_may_not_open_the_units_lists(login, union, today):
    client = login(union)

    assert client.get(reverse("arrears:missing")).status_code == 403
    assert client.get(reverse("arrears:reports")).status_code == 403


def test_the_nav_links_the_reports_for_the_union_and_the_mediator(login, union, mediator, today):
    link = f'href="{reverse("arrears:home")}"'

    assert link in login(union).get(reverse("casework:petition-list")).content.decode()
    assert link in login(mediator).get(reverse("casework:petition-list")).content.decode()


def test_the_nav_has_no_reports_link_for_the_front_desk(login, clerk, today):
    page = login(clerk).get(reverse("casework:petition-list")).content.decode()

    assert f'href="{reverse("arrears:home")}"' not in page
    assert login(clerk).get(reverse("arrears:home")).status_code == 403


def test_the_mediators_home_is_the_missing_reports(login, mediator, today):
    response = login(mediator).get(reverse("arrears:home"))

    assert response.status_code == 200
    assert "Missing monthly reports" in response.content.decode()
