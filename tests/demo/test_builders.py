"""demo.builders: the building blocks of the demo and the benches; each can run twice."""

import random

import pytest

from casework.models import Claim, Enterprise, Membership, OrgUnit, Role
from demo import builders
from demo.builders import CreditCodes, Person, Workers
from lib.validators import validate_credit_code, validate_id_number

pytestmark = pytest.mark.django_db


def tree():
    return builders.org_tree("Federation", "Zone", "ZZ", ["Grid 1", "Grid 2"])


def test_org_tree_is_got_again_by_name():
    first = tree()
    again = tree()
    assert again == first
    assert [g.parent for g in first.grids] == [first.zone, first.zone]
    assert first.zone.kind == OrgUnit.Kind.ZONE and first.zone.code == "ZZ"
    assert OrgUnit.objects.count() == 4


def test_people_hold_their_roles_and_a_second_run_updates_without_adding():
    t = tree()
    persons = [
        Person("clerk", Role.INTAKE_CLERK, [t.zone], "Clerk"),
        Person("mediator", Role.MEDIATOR, t.grids),
    ]
    users = builders.people(persons)
    assert not users["clerk"].has_usable_password()
    assert set(users["mediator"].memberships.values_list("org_unit", flat=True)) == {
        g.pk for g in t.grids
    }

    again = builders.people(persons, password="secret")

    assert again["clerk"].pk == users["clerk"].pk
    assert again["clerk"].check_password("secret")
    assert Membership.objects.count() == 3


def test_people_refuse_an_unknown_role():
    with pytest.raises(ValueError):
        builders.people([Person("x", "janitor", [tree().zone])])


def test_credit_codes_are_valid_and_enterprises_are_got_again_by_code():
    grid = tree().grids[0]
    serial, drawn = CreditCodes(), CreditCodes("330881", rng=random.Random(1))
    for code in [*(next(serial) for _ in range(20)), *(next(drawn) for _ in range(20))]:
        validate_credit_code(code)

    rows = [{"name": f"E{n}", "grid_area": grid} for n in range(3)]
    made = builders.enterprises(rows, codes=CreditCodes())
    again = builders.enterprises(rows, codes=CreditCodes())

    assert again == made
    assert Enterprise.objects.count() == 3


def test_workers_rows_have_valid_distinct_id_numbers_and_become_claims():
    t = tree()
    clerk = builders.people([Person("clerk", Role.INTAKE_CLERK, [t.zone])])["clerk"]
    (enterprise,) = builders.enterprises(
        [{"name": "E", "grid_area": t.grids[0]}], codes=CreditCodes()
    )
    workers = Workers()
    rows = workers.rows(2500)
    numbers = [row["id_number"] for row in rows]
    assert len(set(numbers)) == len(numbers)
    for number in numbers[::250]:
        validate_id_number(number)

    petition = builders.record_petition(clerk, enterprise, rows[:3])
    claims = builders.add_claims([(petition, workers.rows(2, is_representative=True))])

    assert petition.claims.count() == 5
    assert not {c.worker.id_number for c in claims} & set(numbers)
    assert Claim.objects.filter(is_representative=True).count() == 2
