"""One way to count tries, and to know whose they are."""

from django.test import RequestFactory

from lib import limits


def test_the_address_is_remote_addr_without_trusted_proxies(settings):
    settings.CASEWORK = {**settings.CASEWORK, "TRUSTED_PROXIES": 0}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert limits.client_address(request) == "10.0.0.9"


def test_behind_one_proxy_the_address_it_saw_counts_not_what_the_client_claims(settings):
    settings.CASEWORK = {**settings.CASEWORK, "TRUSTED_PROXIES": 1}
    forwarded = "6.6.6.6, 203.0.113.7"  # the client wrote the first, our proxy the last
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert limits.client_address(request) == "203.0.113.7"


def test_counts_add_up_per_key():
    key = limits.key("test", "JS-2026-000001")
    assert [limits.count(key, 60) for _ in range(3)] == [1, 2, 3]
    assert limits.count(limits.key("test", "other"), 60) == 1
    assert "JS-2026" not in key  # the key names no case


def test_the_declared_body_size_is_read_without_trusting_its_spelling():
    factory = RequestFactory()
    assert limits.posted_bytes(factory.post("/", CONTENT_LENGTH="2048")) == 2048
    assert limits.posted_bytes(factory.post("/", CONTENT_LENGTH="lots")) == 0
