"""Who sees which warnings: an enterprise union its own enterprise's, read-only, and nothing of
the risk view; everyone else the warnings of their units, and a 404 for any other."""

import pytest

from casework.models import Role
from prevention.models import EarlyWarning

from ..factories import EnterpriseFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_warning(report):
    report(production_stopped=True)
    return EarlyWarning.objects.get()


@pytest.fixture
def neighbours_warning(org, mediator):
    from prevention import services

    shop = EnterpriseFactory(name="Xixi Dyeworks", grid_area=org["grid_a1"])
    services.record_visit(shop, actor=mediator, utilities_cut=True, notes="Power cut.")
    return EarlyWarning.objects.get(enterprise=shop)


def test_the_union_sees_its_own_enterprises_warning_without_forms(login, union, own_warning):
    response = login(union).get(f"/prevention/warnings/{own_warning.pk}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Lanxi Textile" in page and 'id="close-form"' not in page


def test_the_union_may_not_act_on_its_own_warning(login, union, own_warning):
    response = login(union).post(f"/prevention/warnings/{own_warning.pk}/close/", {"note": "x"})

    assert response.status_code == 403


def test_the_union_does_not_find_another_enterprises_warning(login, union, neighbours_warning):
    assert login(union).get(f"/prevention/warnings/{neighbours_warning.pk}/").status_code == 404


def test_the_unions_list_names_only_its_own_enterprise(
    login, union, own_warning, neighbours_warning
):
    page = login(union).get("/prevention/").content.decode()

    assert "Lanxi Textile" in page and "Xixi Dyeworks" not in page


def test_the_union_sees_no_risk_view(login, union, enterprise):
    client = login(union)

    answers = (
        client.get("/prevention/risk/").status_code,
        client.get(f"/prevention/enterprises/{enterprise.pk}/").status_code,
    )
    assert answers == (403, 404)


def test_another_zones_enterprise_is_not_found(login, supervisor, org):
    other = EnterpriseFactory(name="Beigang Foods", grid_area=org["grid_b1"])
    client = login(supervisor)

    answers = (
        client.get(f"/prevention/enterprises/{other.pk}/").status_code,
        client.get(f"/prevention/enterprises/{other.pk}/visits/").status_code,
    )
    assert answers == (404, 404)


def test_a_zone_b_supervisors_list_shows_none_of_zone_a(login, outsider, own_warning):
    page = login(outsider).get("/prevention/").content.decode()

    assert "Lanxi Textile" not in page


def test_a_clerk_has_no_warnings_page(login, clerk):
    assert login(clerk).get("/prevention/").status_code == 403


def test_a_mediator_of_another_grid_area_reads_but_does_not_record_visits(login, org, enterprise):
    neighbour = user_with_role(Role.MEDIATOR, org["grid_a2"], username="a2-mediator")

    response = login(neighbour).get(f"/prevention/enterprises/{enterprise.pk}/visits/")

    assert response.status_code == 404
