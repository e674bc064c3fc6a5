"""The task page shows workers' phones as the case page does: whole only for those who call."""

import pytest
from django.urls import reverse

from lib.validators import mask_phone

from .conftest import task_of

pytestmark = pytest.mark.django_db


def test_task_page_masks_phones_for_a_role_that_does_not_call_workers(
    login, auditor, mediator, petition
):
    url = reverse("workflows:task", args=[task_of(petition).pk])
    phones = list(petition.claims.values_list("phone", flat=True))

    masked = login(auditor).get(url)
    whole = login(mediator).get(url)

    assert masked.status_code == whole.status_code == 200
    assert all(mask_phone(p) in masked.text and p not in masked.text for p in phones)
    assert all(p in whole.text for p in phones)
