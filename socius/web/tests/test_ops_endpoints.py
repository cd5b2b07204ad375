"""/healthz and /metrics (decision 0019): what each answers, to whom, and when a dependency fails."""

import uuid
from types import SimpleNamespace
from unittest import mock

import pytest
from django.db import OperationalError, connections
from prometheus_client.parser import text_string_to_metric_families

from socius.ops import health

OK = {"database": "ok", "broker": "not configured", "cache": "ok", "disk": "ok"}


@pytest.fixture
def no_broker(settings):
    settings.CELERY_BROKER_URL = ""


# --- /healthz -------------------------------------------------------------------------------------------


def test_healthz_answers_200_when_everything_works_and_no_broker_is_configured(client, db, no_broker):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert response.json() == {"status": "ok", "checks": OK}


def test_healthz_is_public_and_sets_no_cookie(client, db, no_broker):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert not response.cookies


def test_healthz_answers_503_when_the_database_fails(client, db, no_broker):
    connection = connections["default"]
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("could not connect to server")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "fail", "checks": {**OK, "database": "fail"}}
    assert "could not connect" not in response.content.decode()


def test_healthz_answers_503_when_the_configured_broker_does_not_answer(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://:secret-password@127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "fail", "checks": {**OK, "broker": "fail"}}
    assert "secret-password" not in response.content.decode() and "127.0.0.1" not in response.content.decode()


def test_healthz_checks_a_reachable_broker(client, db, settings):
    settings.CELERY_BROKER_URL = "memory://"

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {**OK, "broker": "ok"}}


def test_healthz_answers_503_when_the_cache_fails(client, db, no_broker):
    with mock.patch.object(health.cache, "set", side_effect=ConnectionError("redis down")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "fail", "checks": {**OK, "cache": "fail"}}


def test_healthz_answers_503_when_the_cache_loses_what_it_stored(client, db, no_broker):
    with mock.patch.object(health.cache, "get", return_value=None):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "fail"


def test_healthz_answers_503_when_free_disk_space_is_below_the_minimum(client, db, no_broker, settings):
    settings.SOCIUS_HEALTH_MIN_FREE_MB = 10**12  # an exabyte: more than any disk here has free

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "fail", "checks": {**OK, "disk": "fail"}}
    assert " MB" not in response.content.decode()


def test_healthz_checks_every_configured_database():
    two = SimpleNamespace(DATABASES={"default": {}, "replica": {}})
    with mock.patch.object(health, "settings", two), mock.patch.object(health, "connections") as mocked:
        assert health.check_databases() == "ok"

    assert [call.args[0] for call in mocked.__getitem__.call_args_list] == ["default", "replica"]


def test_healthz_refuses_writes(client, db):
    assert client.post("/healthz").status_code == 405


# --- /metrics -------------------------------------------------------------------------------------------


def _families(response) -> dict:
    return {family.name: family for family in text_string_to_metric_families(response.content.decode())}


def _sample(families, name, **labels):
    for family in families.values():
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return 0.0


def test_metrics_do_not_exist_without_a_token(client, db, settings):
    settings.SOCIUS_METRICS_TOKEN = ""

    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", "Basic c2NyYXBlOnRva2Vu", "scrape-token"])
def test_metrics_refuse_a_scrape_without_the_token(client, db, settings, authorization):
    settings.SOCIUS_METRICS_TOKEN = "scrape-token"
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}

    response = client.get("/metrics", **headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert b"socius_" not in response.content


def test_metrics_time_each_request_by_view_name_never_by_path(client, pl_worker, settings, no_broker):
    settings.SOCIUS_METRICS_TOKEN = "scrape-token"
    client.force_login(pl_worker)
    before = _families(client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token"))
    count = "socius_http_request_duration_seconds_count"
    done = "socius_http_requests_total"

    client.get("/persons/987654321/")  # a person not there: 404 from the view
    client.get("/persons/999998/")
    client.get("/no-such-page/1234/")

    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    after = _families(response)
    detail = {"view": "web:person_detail", "method": "GET"}
    assert _sample(after, count, **detail) - _sample(before, count, **detail) == 2
    assert _sample(after, done, **detail, status="404") - _sample(before, done, **detail, status="404") == 2
    unmatched = {"view": "not_found", "method": "GET"}
    assert _sample(after, count, **unmatched) - _sample(before, count, **unmatched) == 1
    assert "987654321" not in response.content.decode() and "/persons/" not in response.content.decode()


def test_metrics_fold_unknown_methods_into_one_label(client, db, settings, no_broker):
    settings.SOCIUS_METRICS_TOKEN = "scrape-token"

    client.generic("BREW", "/healthz")

    families = _families(client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token"))
    assert _sample(families, "socius_http_request_duration_seconds_count", view="healthz", method="other") >= 1
    assert "BREW" not in str(families)


def test_metrics_report_the_length_of_each_celery_queue(client, db, settings):
    from kombu import Connection

    settings.SOCIUS_METRICS_TOKEN = "scrape-token"
    settings.CELERY_BROKER_URL = "memory://"
    reports, payments = f"reports-{uuid.uuid4().hex[:8]}", f"payments-{uuid.uuid4().hex[:8]}"
    settings.CELERY_TASK_QUEUES = {reports: {}, payments: {}}
    with Connection("memory://") as connection:
        queue = connection.SimpleQueue(reports)
        for n in range(3):
            queue.put({"n": n})
        queue.close()

    families = _families(client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token"))

    assert _sample(families, "socius_celery_broker_up") == 1
    assert _sample(families, "socius_celery_queue_length", queue=reports) == 3
    assert _sample(families, "socius_celery_queue_length", queue=payments) == 0
    assert [s.labels["queue"] for s in families["socius_celery_queue_length"].samples] == sorted(
        [reports, payments, settings.CELERY_TASK_DEFAULT_QUEUE]
    )


def test_metrics_say_the_broker_is_down_instead_of_failing_the_scrape(client, db, settings):
    settings.SOCIUS_METRICS_TOKEN = "scrape-token"
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token")

    assert response.status_code == 200
    families = _families(response)
    assert _sample(families, "socius_celery_broker_up") == 0
    assert "socius_celery_queue_length" not in families


def test_metrics_without_a_broker_report_no_queues(client, db, settings, no_broker):
    settings.SOCIUS_METRICS_TOKEN = "scrape-token"

    families = _families(client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token"))

    assert "socius_celery_broker_up" not in families and "socius_celery_queue_length" not in families
