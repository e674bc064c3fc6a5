"""An enterprise union sees its own enterprise's petitions only, whatever else its area holds."""

import pytest
from django.core.exceptions import ValidationError

from casework import access
from casework.models import Membership, Role

from ..factories import EnterpriseFactory, UserFactory, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def union(enterprise):
    user = UserFactory(username="union")
    Membership.objects.create(
        user=user, org_unit=enterprise.grid_area, role=Role.ENTERPRISE_UNION, enterprise=enterprise
    )
    return user


@pytest.fixture
def neighbour(clerk, org):
    """A petition of another enterprise in the same grid area."""
    return record(clerk, EnterpriseFactory(name="Neighbour Co", grid_area=org["grid_a1"]))


def test_enterprise_union_sees_its_enterprises_petitions_only(union, petition, neighbour):
    assert list(access.petitions_visible_to(union)) == [petition]


def test_enterprise_union_gets_404_for_a_neighbours_case_page(client, union, neighbour):
    client.force_login(union)

    assert client.get(f"/petitions/{neighbour.pk}/").status_code == 404


def test_enterprise_union_lists_its_own_petitions_on_the_page_and_api(
    client, api, union, petition, neighbour
):
    client.force_login(union)
    page = client.get("/petitions/")
    rows = api(union).get("/api/petitions/").json()["results"]

    assert [p.number for p in page.context["page"].object_list] == [petition.number]
    assert [row["number"] for row in rows] == [petition.number]


def test_enterprise_union_without_an_enterprise_sees_nothing(org, petition):
    user = UserFactory()
    Membership.objects.create(user=user, org_unit=org["grid_a1"], role=Role.ENTERPRISE_UNION)

    assert list(access.petitions_visible_to(user)) == []


def test_enterprise_union_membership_names_an_enterprise_of_its_area(org, enterprise):
    user = UserFactory()
    without = Membership(user=user, org_unit=org["grid_a1"], role=Role.ENTERPRISE_UNION)
    elsewhere = Membership(
        user=user, org_unit=org["grid_a2"], role=Role.ENTERPRISE_UNION, enterprise=enterprise
    )
    mediator = Membership(
        user=user, org_unit=org["grid_a1"], role=Role.MEDIATOR, enterprise=enterprise
    )

    for membership, field in [(without, "enterprise"), (elsewhere, "enterprise")]:
        with pytest.raises(ValidationError) as err:
            membership.full_clean()
        assert field in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        mediator.full_clean()
    assert "enterprise" in err.value.message_dict
