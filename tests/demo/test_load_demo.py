"""`manage.py load_demo`: a zone modeled on the seeds, every role, every state, valid numbers."""

import itertools
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from casework import demo
from casework.models import (
    CaseEvent,
    Claim,
    Enterprise,
    Membership,
    OrgUnit,
    Petition,
    Role,
    Status,
    Worker,
)
from casework.validators import validate_credit_code, validate_id_number, validate_phone


def load():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts():
    models = (OrgUnit, Enterprise, Worker, Petition, Claim, CaseEvent, Membership, get_user_model())
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture(scope="module")
def loaded_once(django_db_setup, django_db_blocker):
    """The demo loaded once for this module, inside a transaction rolled back at its end: each
    test runs in a savepoint on top of it (`db`), and nothing is left behind for other modules."""
    # The hasher of conftest's autouse `fast_password_hashing`, which a module fixture precedes.
    hashers = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic(), hashers:
        yield load()
        transaction.set_rollback(True)


@pytest.fixture
def output(loaded_once, db):
    return loaded_once


def test_every_role_has_a_user_at_a_unit_of_the_demo_zone(output):
    zone = OrgUnit.objects.get(code=demo.ZONE_CODE)
    held = Membership.objects.filter(org_unit__path__startswith=zone.parent.path)
    assert set(held.values_list("role", flat=True)) == set(Role.values)
    mediators = held.filter(role=Role.MEDIATOR)
    assert mediators.values("user").distinct().count() >= 3
    assert set(mediators.values_list("org_unit__kind", flat=True)) == {OrgUnit.Kind.GRID}
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(demo.DEMO_PASSWORD)
    for username, *_ in demo.USERS:
        assert username in output
    assert demo.DEMO_PASSWORD in output


def test_the_zone_has_six_grid_areas_and_the_expected_sizes(output):
    zone = OrgUnit.objects.get(code=demo.ZONE_CODE)
    assert zone.parent.kind == OrgUnit.Kind.FEDERATION
    assert zone.children.filter(kind=OrgUnit.Kind.GRID).count() == 6
    assert Enterprise.objects.filter(grid_area__parent=zone).count() == 30
    assert 450 <= Worker.objects.count() <= 560
    assert Petition.objects.filter(zone=zone).count() == 200
    assert Petition.objects.filter(is_group=True).count() >= 4


def test_every_status_is_represented(output):
    by_status = Counter(Petition.objects.values_list("status", flat=True))
    assert set(by_status) == set(Status.values)


def test_the_seed_case_is_an_owner_missing_group_of_150_workers(output):
    case = Petition.objects.get(enterprise__name=demo.OWNER_MISSING_ENTERPRISE)
    assert case.owner_missing and case.is_group
    assert case.claims.count() == 150
    assert case.claims.filter(is_representative=True).count() == 5
    assert case.priority == Petition.Priority.URGENT


def test_identifiers_pass_the_validators(output):
    for code in Enterprise.objects.values_list("credit_code", flat=True):
        validate_credit_code(code)
    for id_number, phone in Worker.objects.values_list("id_number", "phone"):
        validate_id_number(id_number)
        validate_phone(phone)
    assert Worker.objects.filter(non_local=True).exists()
    assert Worker.objects.filter(non_local=False).exists()


def test_every_petition_has_a_timeline_that_leads_to_its_status(output):
    now = timezone.now()
    for petition in Petition.objects.prefetch_related("events"):
        events = list(petition.events.all())
        assert events[0].transition == "receive"
        assert events[0].at == petition.received_at
        assert events[-1].to_status == petition.status
        for before, after in itertools.pairwise(events):
            assert before.at <= after.at <= now
            assert after.from_status == before.to_status
    assert CaseEvent.objects.filter(transition="link_facts").exists()


def test_petition_numbers_are_gap_free_per_year(output):
    zone = OrgUnit.objects.get(code=demo.ZONE_CODE)
    by_year = {}
    for number in Petition.objects.filter(zone=zone).values_list("number", flat=True):
        prefix, year, serial = number.split("-")
        assert prefix == demo.ZONE_CODE
        by_year.setdefault(year, []).append(int(serial))
    for serials in by_year.values():
        assert sorted(serials) == list(range(1, len(serials) + 1))


def test_running_twice_adds_nothing_and_prints_the_logins_again(output):
    before = counts()
    again = load()
    assert counts() == before
    assert "clerk" in again and demo.DEMO_PASSWORD in again
