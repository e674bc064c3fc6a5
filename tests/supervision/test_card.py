"""The case page's supervision card: the orders, their replies and due dates, and only the forms
the user may use; an order's page is a 404 to anyone outside."""

import pytest

from supervision import services

from ..factories import EnterpriseFactory, record, user_with_role
from .conftest import local

pytestmark = pytest.mark.django_db


def card(client, petition):
    page = client.get(f"/petitions/{petition.pk}/").content.decode()
    if 'id="supervision"' not in page:
        return None
    return page.split('id="supervision"')[1].split("</section>")[0]


def test_the_card_shows_the_order_its_replies_and_due_date(login, order, petition, mediator):
    services.reply_to_order(order, actor=mediator, kind="progress", text="Met the employer.")

    shown = card(login(mediator), petition)

    assert "Meet the employer and report the payroll." in shown
    assert "Met the employer." in shown
    assert "2026-03-13" in shown and "9 working days left" in shown


def test_the_handling_mediator_gets_the_reply_form_only(login, order, petition, mediator):
    shown = card(login(mediator), petition)

    assert f"/supervision/orders/{order.pk}/reply/" in shown
    assert f"/supervision/orders/{order.pk}/close/" not in shown
    assert "/issue/" not in shown


def test_the_issuer_gets_the_close_and_issue_forms(login, order, petition, supervisor):
    shown = card(login(supervisor), petition)

    assert f"/supervision/orders/{order.pk}/close/" in shown
    assert f"/supervision/orders/{order.pk}/reply/" not in shown
    assert f"/supervision/petitions/{petition.pk}/issue/" in shown


def test_the_auditor_reads_without_forms(login, order, petition, auditor):
    shown = card(login(auditor), petition)

    assert "Meet the employer" in shown and "<form" not in shown


def test_overdue_is_marked_on_the_card(login, order, petition, mediator, clock):
    clock(local(2026, 3, 16, 9))

    assert "badge-overdue" in card(login(mediator), petition)


def test_no_card_for_a_case_nobody_here_may_supervise(login, petition, mediator):
    assert card(login(mediator), petition) is None


def test_the_enterprise_union_sees_no_order_of_its_enterprises_case(login, clerk, supervisor, org):
    from casework.models import Role

    shop = EnterpriseFactory(grid_area=org["grid_a1"])
    union = user_with_role(Role.ENTERPRISE_UNION, org["grid_a1"], shop)
    petition = record(clerk, shop)
    order = services.issue_order(
        petition, actor=supervisor, issuing_unit=org["zone_a"], requirement="Report."
    )
    client = login(union)

    assert client.get(f"/petitions/{petition.pk}/").status_code == 200
    assert card(client, petition) is None
    assert client.get(f"/supervision/orders/{order.pk}/").status_code == 404


def test_the_order_page_is_a_404_outside(login, order, outsider):
    assert login(outsider).get(f"/supervision/orders/{order.pk}/").status_code == 404


def test_the_order_page_is_a_404_for_an_order_that_does_not_exist(login, mediator):
    assert login(mediator).get("/supervision/orders/999999/").status_code == 404
