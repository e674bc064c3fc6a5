"""GET /api/warnings/: the warnings the user sees on the pages, open and riskiest first."""

import pytest

from prevention import services

from ..factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def warnings(org, mediator, report):
    report(production_stopped=True)  # blue, Lanxi Textile (the union's own)
    red = EnterpriseFactory(name="Red Co", grid_area=org["grid_a1"])
    services.record_visit(red, actor=mediator, owner_unreachable=True, notes="Gone.")
    other = EnterpriseFactory(name="Beigang Foods", grid_area=org["grid_b1"])
    services.record_visit(other, actor=services_superuser(), utilities_cut=True, notes="Cut.")


def services_superuser():
    from ..factories import UserFactory

    return UserFactory(username="root", is_superuser=True)


def test_a_supervisor_gets_the_zones_warnings_riskiest_first(api, supervisor, warnings):
    body = api(supervisor).get("/api/warnings/").json()

    assert [(w["enterprise"], w["level"]) for w in body["results"]] == [
        ("Red Co", "red"),
        ("Lanxi Textile", "blue"),
    ]


def test_the_union_gets_only_its_own_enterprises(api, union, warnings):
    body = api(union).get("/api/warnings/").json()

    assert [w["enterprise"] for w in body["results"]] == ["Lanxi Textile"]


def test_a_clerk_is_refused(api, clerk):
    assert api(clerk).get("/api/warnings/").status_code == 403
