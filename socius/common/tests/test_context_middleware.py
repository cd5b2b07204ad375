"""The request's origin (client address, channel) is known to the audit while, and only while, it runs."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from socius.common.context import RequestOrigin, current_origin, reset_origin, set_origin
from socius.common.middleware import RequestContextMiddleware, client_ip


def _run(request):
    seen = []

    def view(req):
        seen.append(current_origin())
        return HttpResponse("ok")

    RequestContextMiddleware(view)(request)
    return seen[0]


def test_outside_any_request_the_origin_is_the_system():
    assert current_origin() == RequestOrigin(ip=None, channel="system")


def test_ui_request_is_the_web_channel_with_the_client_address():
    request = RequestFactory().get("/persons/", REMOTE_ADDR="192.0.2.10")

    assert _run(request) == RequestOrigin(ip="192.0.2.10", channel="web")


def test_api_request_is_the_api_channel():
    request = RequestFactory().get("/api/v1/persons/", REMOTE_ADDR="198.51.100.7")

    assert _run(request) == RequestOrigin(ip="198.51.100.7", channel="api")


def test_origin_is_reset_after_the_request_even_when_the_view_fails():
    def failing(req):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        RequestContextMiddleware(failing)(RequestFactory().get("/persons/", REMOTE_ADDR="192.0.2.10"))

    assert current_origin() == RequestOrigin()


def test_forwarded_for_header_is_ignored_without_a_proxy_in_front(settings):
    settings.SOCIUS_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")

    assert client_ip(request) == "10.0.0.1"


def test_behind_one_proxy_the_address_it_appended_is_the_client_not_what_the_client_wrote(settings):
    settings.SOCIUS_PROXY_COUNT = 1
    # The client wrote "198.51.100.66"; our proxy appended the address it saw, 203.0.113.5.
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.66, 203.0.113.5")

    assert client_ip(request) == "203.0.113.5"


def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client(settings):
    settings.SOCIUS_PROXY_COUNT = 2
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.66, 203.0.113.5, 10.0.0.1"
    )

    assert client_ip(request) == "203.0.113.5"


def test_behind_a_proxy_without_forwarded_for_the_remote_address_is_used(settings):
    settings.SOCIUS_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1")

    assert client_ip(request) == "10.0.0.1"


def test_request_without_any_address_has_no_ip():
    request = RequestFactory().get("/")
    request.META.pop("REMOTE_ADDR", None)

    assert client_ip(request) is None


def test_set_origin_holds_until_reset():
    token = set_origin(RequestOrigin(ip="192.0.2.1", channel="import"))
    try:
        assert current_origin() == RequestOrigin(ip="192.0.2.1", channel="import")
    finally:
        reset_origin(token)

    assert current_origin() == RequestOrigin()
