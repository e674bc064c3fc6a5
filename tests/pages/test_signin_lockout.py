"""Guessing passwords: after the set number of failures a user name is refused for a while, on the
login page (a clear message in the site's layout) and at the API's token endpoint alike."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests.api.helpers import error_of

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"
TOKEN = "/api/auth/token/"


@pytest.fixture(autouse=True)
def limit(monkeypatch):
    from django.conf import settings

    monkeypatch.setitem(settings.CASEWORK, "SIGNIN_FAILURE_LIMIT", 3)
    monkeypatch.setitem(settings.CASEWORK, "SIGNIN_LOCKOUT_MINUTES", 15)


def log_in(client, password, username="clerk"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        headers={"accept-language": "en"},
    )


def get_token(password, username="clerk"):
    return APIClient(HTTP_ACCEPT_LANGUAGE="en").post(
        TOKEN, {"username": username, "password": password}, format="json"
    )


def test_login_page_refuses_even_the_right_password_after_repeated_failures(client, clerk):
    for _ in range(3):
        assert log_in(client, "wrong").status_code == 200

    response = log_in(client, PASSWORD)

    assert "_auth_user_id" not in client.session
    assert "Too many failed sign-ins" in response.text
    assert "casework/base.html" in [t.name for t in response.templates]


def test_login_lockout_message_is_in_chinese_by_default(client, clerk):
    for _ in range(3):
        log_in(client, "wrong")

    response = client.post(reverse("login"), {"username": "clerk", "password": PASSWORD})

    assert "登录失败次数过多" in response.text


def test_fewer_failures_than_the_limit_still_let_the_user_in(client, clerk):
    for _ in range(2):
        log_in(client, "wrong")

    assert log_in(client, PASSWORD).status_code == 302


def test_a_success_starts_the_count_again(client, clerk):
    for _ in range(2):
        log_in(client, "wrong")
    log_in(client, PASSWORD)
    client.logout()
    for _ in range(2):
        log_in(client, "wrong")

    assert log_in(client, PASSWORD).status_code == 302


def test_lockout_ends_after_the_set_time(client, clerk, time_machine):
    time_machine.move_to(timezone.now())
    for _ in range(3):
        log_in(client, "wrong")

    time_machine.shift(16 * 60)

    assert log_in(client, PASSWORD).status_code == 302


def test_other_user_names_are_not_locked_out(client, clerk, mediator):
    for _ in range(3):
        log_in(client, "wrong")

    assert log_in(client, PASSWORD, username="mediator").status_code == 302


def test_token_endpoint_locks_out_with_the_apis_error_shape(clerk):
    for _ in range(3):
        assert get_token("wrong").status_code == 400

    response = get_token(PASSWORD)

    assert response.status_code == 429
    assert error_of(response)["code"] == "locked_out"
    assert "Too many failed sign-ins" in error_of(response)["message"]
    assert int(response["Retry-After"]) > 0


def test_failures_on_the_page_count_for_the_token_endpoint(client, clerk):
    for _ in range(3):
        log_in(client, "wrong")

    assert get_token(PASSWORD).status_code == 429
