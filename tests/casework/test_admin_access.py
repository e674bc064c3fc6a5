"""Admin knows nothing of the org tree, so it is for superusers only: a staff user with view
permissions cannot list every unit's petitions or see whole ID numbers there."""

import pytest
from django.contrib.auth.models import Permission

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(org):
    user = UserFactory(is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_petition", "view_worker", "view_claim"])
    )
    return user


@pytest.mark.parametrize("url", ["/admin/", "/admin/casework/petition/", "/admin/casework/worker/"])
def test_staff_with_view_permissions_is_sent_to_the_admin_login(client, staff, petition, url):
    client.force_login(staff)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_superuser_opens_the_admin(client, petition):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get("/admin/casework/petition/").status_code == 200


@pytest.mark.parametrize("url", ["/admin/casework/worker/", "/admin/casework/claim/"])
def test_admin_search_refuses_a_whole_id_number_and_finds_by_its_last_digits(client, petition, url):
    id_number = petition.claims.first().worker.id_number
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    refused = client.get(url, {"q": id_number}, HTTP_ACCEPT_LANGUAGE="en")
    found = client.get(url, {"q": id_number[-6:]})

    assert refused.context["cl"].result_count == 0
    assert "ID numbers are not searched here" in refused.text
    assert found.context["cl"].result_count >= 1
