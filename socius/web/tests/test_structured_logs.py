"""Structured logs (decision 0019): one JSON line a request, with its id, and never a person's name or id."""

import datetime as dt
import io
import json
import logging

import pytest
from django.db import IntegrityError
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path, reverse

from socius.testing.factories import PersonFactory, make_pesel


def _boom(request, pk):
    raise IntegrityError(
        'duplicate key value violates unique constraint "registry_person_national_id"\n'
        "DETAIL:  Key (national_id)=(44051401359) already exists."
    )


def _ok(request):
    return HttpResponse("ok")


urlpatterns = [
    path("boom/<int:pk>/", _boom, name="boom"),
    path("api/v1/boom/<int:pk>/", _boom, name="api_boom"),
    path("", include("config.urls")),
]


@pytest.fixture
def log_lines():
    """The project's own console handler (LOGGING: JSON formatter, personal-data filter) written to a buffer;
    every logger of the project shares it."""
    handler = logging.getLogger("socius.requests").handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)

    def lines():
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    lines.text = stream.getvalue
    yield lines
    handler.setStream(previous)


@pytest.fixture
def kowalska(pl_centre):
    return PersonFactory(
        centre=pl_centre, first_name="Bożena", last_name="Kowalska", national_id=make_pesel(dt.date(1944, 5, 14), "F")
    )


def test_a_search_for_a_name_logs_the_request_without_the_name(client, pl_worker, kowalska, log_lines):
    client.force_login(pl_worker)

    response = client.get(reverse("web:search"), {"q": "Kowalska Bożena"})

    assert response.status_code == 200
    assert kowalska.last_name in response.content.decode()  # the search found her
    text = log_lines.text()
    assert "Kowalska" not in text and "Bożena" not in text and "Kowalsk" not in text
    assert "q=" not in text
    request_lines = [line for line in log_lines() if line["logger"] == "socius.requests"]
    assert request_lines == [
        {
            "time": request_lines[0]["time"],
            "level": "INFO",
            "logger": "socius.requests",
            "message": "GET /search/ 200",
            "request_id": response["X-Request-ID"],
            "view": "web:search",
            "route": "/search/",
            "method": "GET",
            "status": 200,
            "duration_ms": request_lines[0]["duration_ms"],
            "user_id": pl_worker.pk,
            "centre_id": pl_worker.centre_id,
        }
    ]


def test_an_api_search_and_the_person_opened_leave_neither_name_nor_id_nor_national_id(
    client, pl_worker, kowalska, log_lines
):
    client.force_login(pl_worker)

    found = client.get("/api/v1/persons/", {"search": "Kowalska"})
    opened = client.get(reverse("web:person_detail", args=[kowalska.pk]))

    assert found.status_code == 200 and found.json()["results"][0]["id"] == kowalska.pk
    assert opened.status_code == 200
    text = log_lines.text()
    for secret in ("Kowalska", "Bożena", kowalska.national_id, f"/{kowalska.pk}/", "search="):
        assert secret not in text, secret
    routes = [(line["view"], line["route"]) for line in log_lines() if line["logger"] == "socius.requests"]
    assert routes == [("api-person-list", "/api/v1/persons/"), ("web:person_detail", "/persons/<int:pk>/")]


def test_a_request_id_sent_by_the_proxy_is_the_one_logged_and_answered(client, pl_worker, log_lines):
    client.force_login(pl_worker)

    response = client.get(reverse("web:home"), HTTP_X_REQUEST_ID="lb-0042-abcdef")

    assert response["X-Request-ID"] == "lb-0042-abcdef"
    assert [line["request_id"] for line in log_lines()] == ["lb-0042-abcdef"]


def test_an_anonymous_request_logs_no_staff_member(client, db, log_lines):
    client.get(reverse("login"))

    (line,) = log_lines()
    assert line["view"] == "login" and line["status"] == 200
    assert "user_id" not in line and "centre_id" not in line


@pytest.mark.urls("socius.web.tests.test_structured_logs")
def test_a_server_error_is_logged_with_its_request_id_and_without_the_rows_values(db, log_lines):
    response = Client(raise_request_exception=False).get("/boom/4711/?search=Kowalska")

    assert response.status_code == 500
    text = log_lines.text()
    for secret in ("44051401359", "4711", "Kowalska", "DETAIL"):
        assert secret not in text, secret
    error, request = log_lines()
    assert error["logger"] == "django.request" and error["level"] == "ERROR"
    assert error["message"] == "GET /boom/<int:pk>/"
    assert error["request_id"] == request["request_id"] == response["X-Request-ID"]
    assert error["error"] == (
        'django.db.utils.IntegrityError: duplicate key value violates unique constraint "registry_person_national_id"'
    )
    assert any("in _boom" in frame for frame in error["traceback"])
    assert (request["view"], request["status"]) == ("boom", 500)


@pytest.mark.urls("socius.web.tests.test_structured_logs")
def test_an_api_server_error_logs_the_route_not_the_path(db, log_lines):
    response = Client(raise_request_exception=False).get("/api/v1/boom/4711/")

    assert response.status_code == 500
    error = next(line for line in log_lines() if line["logger"] == "socius.errors")
    assert (
        error["message"]
        == f"Unexpected error answering GET /api/v1/boom/<int:pk>/ (request id {response['X-Request-ID']})"
    )
    assert error["request_id"] == response["X-Request-ID"]
    assert "4711" not in log_lines.text()


def test_probes_and_scrapes_are_counted_but_not_logged(client, db, log_lines, settings):
    settings.SOCIUS_METRICS_TOKEN = "scrape-token"

    client.get("/healthz")
    client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token")

    assert [line for line in log_lines() if line["logger"] == "socius.requests"] == []
