"""Error pages (400, 403, 404, 500, a refused CSRF check) are in the site's layout and the
reader's language, say what happened and lead back; none is viewflow's or Django's bare page."""

import pytest
from django.test import Client
from django.urls import reverse

LIST = reverse("casework:petition-list")


def in_the_layout(response):
    text = response.text
    return "Trade union petition casework" in text and f'action="{reverse("set_language")}"' in text


def test_a_refusal_is_in_the_layout_with_its_reason_and_a_way_back(login, clerk):
    response = login(clerk).get("/fund/finance/", headers={"referer": f"http://testserver{LIST}"})

    assert response.status_code == 403
    assert in_the_layout(response)
    assert "Only the finance officer works here." in response.text
    assert f'href="http://testserver{LIST}"' in response.text
    assert f'href="{reverse("home")}"' in response.text
    assert "Log in as another user" not in response.text


def test_a_way_back_never_leads_to_another_site(login, clerk):
    response = login(clerk).get("/fund/finance/", headers={"referer": "https://evil.example/"})

    assert "evil.example" not in response.text


def test_a_missing_page_is_in_the_layout(login, clerk):
    response = login(clerk).get("/petitions/999999/")

    assert response.status_code == 404
    assert in_the_layout(response)
    assert "does not exist" in response.text
    assert f'href="{reverse("home")}"' in response.text


def test_a_bad_request_is_in_the_layout(client):
    response = client.get(LIST, headers={"host": "evil.example", "accept-language": "en"})

    assert response.status_code == 400
    assert "Trade union petition casework" in response.text
    assert f'href="{reverse("home")}"' in response.text


def test_a_server_error_is_in_the_layout(login, clerk, settings):
    settings.ROOT_URLCONF = "tests.pages.failing_urls"
    client = login(clerk)
    client.raise_request_exception = False

    response = client.get("/boom/")

    assert response.status_code == 500
    assert "Trade union petition casework" in response.text
    assert "Something went wrong" in response.text
    assert f'href="{reverse("home")}"' in response.text


def test_a_refused_csrf_check_explains_and_leads_back(clerk):
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})
    client.force_login(clerk)

    response = client.post(reverse("casework:intake"), {})

    assert response.status_code == 403
    assert in_the_layout(response)
    assert "reload" in response.text
    assert f'href="{reverse("home")}"' in response.text


@pytest.mark.parametrize("path", ["/petitions/999999/", "/fund/finance/"])
def test_error_pages_speak_chinese_by_default(client, clerk, path):
    client.force_login(clerk)
    response = client.get(path)

    assert '<html lang="zh-hans">' in response.text
    assert "返回" in response.text
