"""No personal data in logs: the request's query string and body never reach a log line."""

import io
import json
import logging

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import path

from socius.common.logging import NoPersonalDataFilter


def _boom(request):
    raise RuntimeError("boom")


def _ok(request):
    return HttpResponse("ok")


urlpatterns = [path("boom/", _boom), path("ok/", _ok)]


@pytest.fixture
def captured():
    """A logger whose only handler carries the filter, writing formatted lines to a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(NoPersonalDataFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("socius.tests.logging")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def test_record_with_a_request_is_logged_as_method_and_path_without_query_or_body(captured):
    logger, stream = captured
    request = RequestFactory().post(
        "/persons/?search=Kowalski&pesel=44051401359", {"first_name": "Łukasz", "last_name": "Kowalski"}
    )

    logger.error("Internal Server Error: %s", request.get_full_path(), extra={"request": request})

    assert stream.getvalue() == "ERROR POST /persons/\n"


def test_record_with_a_request_no_longer_carries_the_request_object(captured):
    logger, _stream = captured
    seen = []
    logger.handlers[0].addFilter(lambda record: seen.append(record) or True)
    request = RequestFactory().get("/persons/?search=Kowalski")

    logger.warning("Not Found: %s", request.path, extra={"request": request})

    assert seen[0].request is None


def test_query_string_in_a_log_argument_is_cut(captured):
    logger, stream = captured

    logger.info("fetched %s in %d ms", "/api/v1/persons/?search=Kowalski", 12)

    assert stream.getvalue() == "INFO fetched /api/v1/persons/?… in 12 ms\n"


def test_record_without_request_or_query_is_logged_unchanged(captured):
    logger, stream = captured

    logger.info("imported %d rows from %s", 120, "batch-7")

    assert stream.getvalue() == "INFO imported 120 rows from batch-7\n"


@pytest.mark.urls("socius.common.tests.test_logging")
def test_server_error_log_holds_neither_the_query_string_nor_the_posted_name(db):
    # The real django.request logger with the project's LOGGING settings.
    handler = next(h for h in logging.getLogger("django.request").handlers if h.filters)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        response = Client(raise_request_exception=False).post(
            "/boom/?search=Kowalski", {"first_name": "Łukasz", "last_name": "Kowalski"}
        )
    finally:
        handler.setStream(previous)

    assert response.status_code == 500
    logged = stream.getvalue()
    first = json.loads(logged.splitlines()[0])  # JSON lines (socius.ops.logs, decision 0019)
    assert (first["logger"], first["message"]) == ("django.request", "POST /boom/")
    assert first["error"] == "builtins.RuntimeError: boom"
    assert "Kowalski" not in logged
    assert "Łukasz" not in logged
    assert "search=" not in logged


def test_a_path_is_written_as_its_route_and_an_unmatched_path_with_its_numbers_masked():
    from django.urls import resolve

    from socius.common.logging import route_of

    matched = RequestFactory().get("/persons/4711/")
    matched.resolver_match = resolve("/persons/4711/")
    unmatched = RequestFactory().get("/nowhere/44051401359/a1b/x/")

    assert route_of(matched) == "/persons/<int:pk>/"
    assert route_of(unmatched) == "/nowhere/…/…/x/"
