"""The read replica's routing decision (any model: sessions and content types stand for the domain's, which
this low layer may not import): reports and exports read the replica when one is configured, everything
else (and every write, and every read inside a transaction) the primary."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve

from socius.ops import replica
from socius.ops.replica import PIN_COOKIE, ReplicaReadsMiddleware, ReplicaRouter, reading_from_replica


@pytest.fixture
def with_replica(settings, monkeypatch):
    """As if DATABASE_REPLICA_URL were set (nothing here queries the replica: `QuerySet.db` asks the router)."""
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    return settings


def test_reads_go_to_the_primary_outside_the_replica_scope(with_replica):
    assert Session.objects.all().db == "default"


def test_reads_inside_the_scope_go_to_the_replica_when_one_is_configured(with_replica):
    with reading_from_replica():
        assert Session.objects.all().db == "replica"
        assert ContentType.objects.filter(model="x").db == "replica"
    assert Session.objects.all().db == "default"


def test_without_a_replica_the_scope_changes_nothing(settings):
    assert "replica" not in settings.DATABASES
    with reading_from_replica():
        assert Session.objects.all().db == "default"


def test_writes_go_to_the_primary_also_for_objects_read_from_the_replica(with_replica):
    router = ReplicaRouter()
    person = Session(session_key="k")
    person._state.db = "replica"
    with reading_from_replica():
        assert router.db_for_write(Session, instance=person) == "default"
        assert router.db_for_write(ContentType) == "default"


def test_reads_inside_a_transaction_on_the_primary_stay_there(with_replica, monkeypatch):
    monkeypatch.setattr(connections["default"], "in_atomic_block", True)
    with reading_from_replica():
        assert Session.objects.all().db == "default"


def test_migrations_never_run_on_the_replica():
    router = ReplicaRouter()
    assert router.allow_migrate("replica", "registry") is False
    assert router.allow_migrate("default", "registry") is True


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/statistics/", True),
        ("/dashboard/", True),
        ("/reports/7/export.xlsx", True),
        ("/reports/7/records/some-code/", True),
        ("/api/v1/reports/ozps/", True),
        ("/reports/monthly/", False),  # opens (creates) the report: the primary
        ("/reports/7/", False),
        ("/persons/", False),
        ("/", False),
    ],
)
def test_the_replica_views_are_the_reports_statistics_and_exports(path, expected):
    assert replica.is_replica_view(resolve(path).view_name) is expected


def _through_middleware(request):
    """Runs the middleware around a view that notes where a read would go; returns (that database, response)."""
    seen = {}

    def view(req):
        seen["db"] = Session.objects.all().db
        return HttpResponse("ok")

    def get_response(req):
        match = resolve(req.path_info)
        req.resolver_match = match
        middleware.process_view(req, view, (), {})
        return view(req)

    middleware = ReplicaReadsMiddleware(get_response)
    response = middleware(request)
    return seen["db"], response


def test_a_get_of_a_report_view_reads_the_replica_and_the_scope_ends_with_the_request(with_replica):
    db, response = _through_middleware(RequestFactory().get("/statistics/"))

    assert db == "replica"
    assert PIN_COOKIE not in response.cookies
    assert Session.objects.all().db == "default"  # the scope closed with the request


def test_a_get_of_another_view_reads_the_primary(with_replica):
    db, _ = _through_middleware(RequestFactory().get("/persons/"))

    assert db == "default"


def test_a_write_pins_the_user_to_the_primary_for_the_next_reads(with_replica):
    with_replica.SOCIUS_REPLICA_PIN_SECONDS = 15
    db, response = _through_middleware(RequestFactory().post("/statistics/"))

    assert db == "default"
    assert response.cookies[PIN_COOKIE]["max-age"] == 15
    assert response.cookies[PIN_COOKIE]["httponly"] is True

    request = RequestFactory().get("/statistics/")
    request.COOKIES[PIN_COOKIE] = "1"
    db, _ = _through_middleware(request)
    assert db == "default"


def test_without_a_replica_the_middleware_passes_requests_through(settings):
    db, response = _through_middleware(RequestFactory().post("/statistics/"))

    assert db == "default"
    assert PIN_COOKIE not in response.cookies


def test_database_replica_url_adds_the_replica_alias_mirrored_in_tests(monkeypatch):
    from config.env import replica_config

    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://reader@replica.internal:5432/socius")
    config = replica_config()

    assert (config["HOST"], config["NAME"], config["USER"]) == ("replica.internal", "socius", "reader")
    assert config["TEST"] == {"MIRROR": "default"}
    monkeypatch.delenv("DATABASE_REPLICA_URL")
    assert replica_config() is None
