"""Workers' phone numbers: whole for the roles that call workers (one setting), masked elsewhere."""

import pytest

from casework import access
from casework.models import Role
from lib.validators import mask_phone

from ..factories import user_with_role


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("13912345678", "139****5678"), ("0571-87654321", "0571****4321"), ("", "")],
)
def test_mask_phone_keeps_the_prefix_and_last_four_digits(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("role", "whole"),
    [
        (Role.INTAKE_CLERK, True),
        (Role.MEDIATOR, True),
        (Role.SUPERVISOR, True),
        (Role.COMMITTEE_LIAISON, False),
        (Role.FINANCE_OFFICER, False),
        (Role.AUDITOR, False),
        (Role.ENTERPRISE_UNION, False),
    ],
)
def test_whole_phones_only_for_roles_that_call_workers(role, whole, org):
    user = user_with_role(role, org["zone_a"])

    assert access.may_see_full_phones(user, org["grid_a1"]) is whole


def test_whole_phones_not_outside_the_subtree(org, outsider):
    assert access.may_see_full_phones(outsider, org["grid_a1"]) is False


@pytest.mark.django_db
def test_case_page_masks_phones_for_the_auditor(client, auditor, mediator, petition):
    phones = list(petition.claims.values_list("phone", flat=True))
    client.force_login(auditor)
    text = client.get(f"/petitions/{petition.pk}/").content.decode()

    assert all(mask_phone(p) in text and p not in text for p in phones)
    client.force_login(mediator)
    assert all(p in client.get(f"/petitions/{petition.pk}/").content.decode() for p in phones)


@pytest.mark.django_db
def test_api_masks_phones_for_the_auditor(api, auditor, clerk, petition):
    def shown(user):
        workers = api(user).get(f"/api/petitions/{petition.pk}/").json()["workers"]
        return sorted(w["phone"] for w in workers)

    phones = sorted(petition.claims.values_list("phone", flat=True))
    assert shown(auditor) == [mask_phone(p) for p in phones]
    assert shown(clerk) == phones
