import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from .helpers import error_of, petition_url

pytestmark = pytest.mark.django_db


def test_token_for_username_and_password(clerk):
    response = APIClient().post(
        "/api/auth/token/", {"username": "clerk", "password": "pw-for-tests-1"}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=clerk).key}


def test_token_refused_for_wrong_password(clerk):
    response = APIClient().post(
        "/api/auth/token/", {"username": "clerk", "password": "wrong"}, format="json"
    )

    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid"


def test_token_opens_the_api(clerk, petition):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=clerk).key}")

    assert client.get(petition_url(petition)).status_code == 200


def test_anonymous_gets_401(api, petition):
    response = api().get("/api/petitions/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert error_of(response)["code"] == "not_authenticated"


def test_bad_token_gets_401(petition):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = client.get(petition_url(petition))

    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"


def test_anonymous_cannot_fire_a_transition(api, petition):
    response = api().post(petition_url(petition, "transitions/accept/"), {}, format="json")

    assert response.status_code == 401


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("delete", ""), ("put", ""), ("patch", ""), ("get", "transitions/accept/"), ("get", "link/")],
)
def test_wrong_method_gets_405(api, mediator, petition, method, suffix):
    response = getattr(api(mediator), method)(petition_url(petition, suffix))

    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_wrong_method_on_the_list_gets_405(api, clerk):
    response = api(clerk).delete("/api/petitions/")

    assert response.status_code == 405
