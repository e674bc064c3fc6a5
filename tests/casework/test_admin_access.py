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
