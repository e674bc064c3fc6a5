"""Which enterprises owe a report for a month, which have missed its due day, and which have
no union to file one ("not covered")."""

import datetime

from django.urls import reverse

from arrears import services
from arrears.models import ReportDueRule

from ..clock import local
from ..factories import EnterpriseFactory, UserFactory
from .conftest import OCTOBER


def test_the_due_day_is_seeded_from_the_setting(db, settings):
    rule = ReportDueRule.objects.get(zone=None)

    assert rule.due_day == settings.CASEWORK["ARREARS_REPORT_DUE_DAY"] == 10


def test_a_report_is_missing_only_once_its_due_day_has_passed(org, union, enterprise):
    zone = org["zone_a"]

    assert services.missing_reports(zone, OCTOBER, datetime.date(2026, 11, 10)) == []
    assert services.missing_reports(zone, OCTOBER, datetime.date(2026, 11, 11)) == [enterprise]


def test_a_zones_own_rule_moves_its_due_day(org, union, enterprise):
    ReportDueRule.objects.create(zone=org["zone_a"], due_day=20)

    [due] = services.reports_due(org["zone_a"], OCTOBER)
    assert due.due_on == datetime.date(2026, 11, 20)
    assert services.missing_reports(org["zone_a"], OCTOBER, datetime.date(2026, 11, 11)) == []


def test_a_filed_report_is_not_missing(org, union, enterprise):
    services.file_zero_report(enterprise, OCTOBER, actor=union)

    assert services.missing_reports(org["zone_a"], OCTOBER, datetime.date(2026, 12, 1)) == []


def test_an_enterprise_without_a_union_owes_no_report(org, enterprise):
    assert services.reports_due(org["zone_a"], OCTOBER) == []


def _page(client, month="2026-10"):
    response = client.get(reverse("arrears:missing"), {"month": month})
    return response, response.content.decode()


def _section(page, name):
    return page.split(f'id="{name}"')[1].split("</section>")[0]


def test_the_mediator_sees_the_missing_and_the_not_covered(login, org, mediator, union, clock):
    clock(local(2026, 11, 11, 9, 0))
    EnterpriseFactory(name="Gongshu Bakery", grid_area=org["grid_a1"])

    response, page = _page(login(mediator))

    assert response.status_code == 200
    assert "Lanxi Textile" in _section(page, "missing")
    assert "Gongshu Bakery" in _section(page, "not-covered")
    assert "Gongshu Bakery" not in _section(page, "missing")


def test_before_the_due_day_the_report_is_pending_not_missing(login, mediator, union, today):
    response, page = _page(login(mediator))

    assert "Lanxi Textile" not in _section(page, "missing")
    assert "Lanxi Textile" in _section(page, "pending")


def test_another_zones_supervisor_does_not_see_the_enterprise(login, outsider, union, today):
    response, page = _page(login(outsider), "2026-09")

    assert response.status_code == 200
    assert "Lanxi Textile" not in page


def test_a_mistyped_month_is_named(login, mediator, today):
    response, page = _page(login(mediator), "October")

    assert response.status_code == 400
    assert response.context["form"].errors["month"] == ["Enter a month as 2026-11."]


def test_the_reports_page_lists_the_reports_declaring_arrears(
    login, mediator, union, neighbour, enterprise, today
):
    services.file_report(
        enterprise, OCTOBER, actor=union, wages="late", workers_affected=4, amount_owed=9000
    )
    services.file_zero_report(neighbour, OCTOBER, actor=mediator)

    page = login(mediator).get(reverse("arrears:reports"), {"month": "2026-10"}).content.decode()

    assert "Lanxi Textile" in page and "Late" in page
    assert "Xixi Dyeworks" not in page


def test_admin_refuses_a_second_due_day_for_every_zone(client, db):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = client.post(
        reverse("admin:arrears_reportduerule_add"), {"zone": "", "due_day": "15"}
    )

    assert response.status_code == 200
    assert "This zone union already has a due day." in response.content.decode()
    assert ReportDueRule.objects.count() == 1
