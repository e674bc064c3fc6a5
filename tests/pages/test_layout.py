"""The login page and the navigation every page shares."""

from django.urls import reverse

from casework.models import Role
from tests.factories import user_with_role

LIST = reverse("casework:petition-list")


def test_login_page_is_ours_not_viewflows(client):
    response = client.get(reverse("login"), headers={"accept-language": "en"})

    assert response.status_code == 200
    assert "casework/login.html" in [t.name for t in response.templates]
    assert "Trade union petition casework" in response.text


def test_logging_in_leads_to_the_case_list(client, clerk):
    response = client.post(
        reverse("login"), {"username": "clerk", "password": "pw-for-tests-1"}, follow=True
    )

    assert response.redirect_chain[-1][0] == LIST
    assert response.context["user"] == clerk


def test_nav_offers_intake_to_the_clerk_but_not_to_the_auditor(login, clerk, auditor):
    intake = f'href="{reverse("casework:intake")}"'

    assert intake in login(clerk).get(LIST).text
    assert intake not in login(auditor).get(LIST).text


def test_admin_link_only_for_staff(login, clerk, org):
    staff = user_with_role(Role.ADMIN, org["federation"], username="boss", is_staff=True)
    admin = f'href="{reverse("admin:index")}"'

    assert admin not in login(clerk).get(LIST).text
    assert admin in login(staff).get(LIST).text


def test_every_page_has_the_language_switch_and_a_logout_form(login, clerk):
    text = login(clerk).get(LIST).text

    assert f'action="{reverse("set_language")}"' in text
    assert 'value="zh-hans"' in text and 'value="en"' in text
    assert f'action="{reverse("logout")}" method="post"' in text


def test_chinese_is_the_default_language(client, clerk):
    client.force_login(clerk)

    response = client.get(LIST)

    assert '<html lang="zh-hans">' in response.text
