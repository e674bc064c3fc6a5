"""Departments of zone A (labor inspection and the arbitration committee) and one of zone B, a
liaison login for zone A's labor inspection, and helpers that refer and ask through the
services."""

import pytest
from django.utils import timezone

from departments import services
from departments.models import Department, Liaison

from ..clock import clock, fresh_calendar, local  # noqa: F401 (fixtures)
from ..factories import UserFactory


@pytest.fixture
def inspection(org):
    return Department.objects.create(
        zone=org["zone_a"],
        name="Zone A labor inspection",
        kind=Department.Kind.LABOR_INSPECTION,
        contact_person="Officer Wang",
        phone="0571-88886666",
    )


@pytest.fixture
def arbitration(org):
    return Department.objects.create(
        zone=org["zone_a"], name="Zone A arbitration committee", kind=Department.Kind.ARBITRATION
    )


@pytest.fixture
def court_b(org):
    return Department.objects.create(
        zone=org["zone_b"], name="Zone B court", kind=Department.Kind.COURT
    )


@pytest.fixture
def inspector(inspection, supervisor):
    """The labor inspection's liaison login."""
    return services.add_liaison(
        inspection, actor=supervisor, username="inspector", name="Wang", password="Lx-9f2k!pq"
    ).user


@pytest.fixture
def other_liaison(org, supervisor):
    """A liaison of another department of zone A (the justice bureau)."""
    justice = Department.objects.create(
        zone=org["zone_a"], name="Zone A justice bureau", kind=Department.Kind.JUSTICE
    )
    user = UserFactory(username="justice")
    Liaison.objects.create(
        user=user, department=justice, added_by=supervisor, added_at=local(2026, 1, 5, 9)
    )
    return user


def refer(petition, actor, department, **kwargs):
    kwargs.setdefault("sent_what", "Payroll copies and the workers' list; please inspect.")
    return services.send_referral(petition, actor=actor, department=department, **kwargs)


def reply(referral, actor, accepted=True, replied_on=None, **kwargs):
    kwargs.setdefault("result", "Case opened.")
    return services.record_reply(
        referral,
        actor=actor,
        accepted=accepted,
        replied_on=replied_on or timezone.localdate(),
        **kwargs,
    )
