"""The federation -> zone union -> grid area tree, stored as paths."""

import pytest
from django.core.exceptions import ValidationError

from casework import access
from casework.models import OrgUnit, Role

from ..factories import OrgUnitFactory, user_with_role


def test_subtree_is_one_query(org, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = {unit.name for unit in org["zone_a"].subtree()}
    assert names == {"Zone A", "Grid A1", "Grid A2"}


def test_zone_of_a_grid_area(org):
    assert org["grid_a2"].zone() == org["zone_a"]
    assert org["zone_b"].zone() == org["zone_b"]


def test_moving_a_unit_moves_its_subtree(org):
    street = OrgUnitFactory(
        name="Street union", kind=OrgUnit.Kind.ZONE, code="ST", parent=org["zone_a"]
    )
    lane = OrgUnitFactory(name="Lane", parent=street)

    street.parent = org["zone_b"]
    street.save()

    lane.refresh_from_db()
    assert (
        lane.path
        == f"{org['federation'].path}{org['zone_b'].pk:06d}/{street.pk:06d}/{lane.pk:06d}/"
    )
    assert {u.name for u in org["zone_b"].subtree()} >= {"Street union", "Lane"}
    assert "Lane" not in {u.name for u in org["zone_a"].subtree()}


def test_moving_a_grid_area_moves_who_may_act_there(org):
    supervisor_a = user_with_role(Role.SUPERVISOR, org["zone_a"])
    supervisor_b = user_with_role(Role.SUPERVISOR, org["zone_b"])

    grid = org["grid_a2"]
    grid.parent = org["zone_b"]
    grid.save()

    assert not access.has_role_at(supervisor_a, grid, [Role.SUPERVISOR])
    assert access.has_role_at(supervisor_b, grid, [Role.SUPERVISOR])


def test_unit_cannot_be_placed_under_its_own_descendant(org):
    zone = org["zone_a"]
    zone.parent = org["grid_a1"]

    with pytest.raises(ValidationError) as err:
        zone.full_clean()
    assert "parent" in err.value.message_dict


def test_zone_needs_a_number_prefix(org):
    with pytest.raises(ValidationError) as err:
        OrgUnit(name="Nameless", kind=OrgUnit.Kind.ZONE, parent=org["federation"]).full_clean()
    assert "code" in err.value.message_dict
