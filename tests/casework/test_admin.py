"""Django admin: every model has a page, and transition buttons go through the service."""

import pytest
from django.contrib import admin
from django.urls import reverse

from casework.models import CaseEvent, Status

from ..factories import UserFactory


@pytest.fixture
def admin_client(client, org):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize(
    "model",
    [m for m in admin.site._registry if m._meta.app_label in ("casework", "fund")],
    ids=lambda m: m.__name__,
)
def test_every_casework_and_fund_model_has_an_admin_list(admin_client, petition, model):
    assert admin_client.get(_changelist(model)).status_code == 200


def test_petition_page_offers_the_steps_of_its_state(admin_client, petition):
    page = admin_client.get(reverse("admin:casework_petition_change", args=[petition.pk]))

    assert page.status_code == 200
    for name in ["accept", "reject", "refer_out"]:
        assert f'name="_fsm_transition_to"\n  value="{name}"' in page.text
    assert 'value="close"' not in page.text


def test_admin_step_is_checked_and_recorded_like_any_other(admin_client, petition):
    url = reverse("admin:casework_petition_transition", args=[petition.pk, "reject"])

    refused = admin_client.post(url, {"reason": ""})
    petition.refresh_from_db()
    assert refused.status_code == 200 and petition.status == Status.RECEIVED

    admin_client.post(url, {"reason": "Not a labor dispute."})
    petition.refresh_from_db()
    event = petition.events.last()
    assert petition.status == Status.REJECTED
    assert (event.transition, event.reason) == ("reject", "Not a labor dispute.")
    assert event.actor.is_superuser


def test_case_events_are_read_only_in_admin(admin_client, petition):
    event = petition.events.get(transition="receive")
    url = reverse("admin:casework_caseevent_change", args=[event.pk])

    admin_client.post(url, {"reason": "rewritten"})

    assert CaseEvent.objects.get(pk=event.pk).reason == ""
    assert (
        admin_client.get(reverse("admin:casework_caseevent_delete", args=[event.pk])).status_code
        == 403
    )


def test_adding_a_petition_in_admin_leads_to_intake(admin_client):
    response = admin_client.get(reverse("admin:casework_petition_add"))
    assert response.status_code == 302
    assert response.url == reverse("casework:intake")
