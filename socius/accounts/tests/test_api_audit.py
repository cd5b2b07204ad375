"""API: /api/v1/audit/events/ — the centre's audit log for auditors and directors, with filters.

Accounts sits below the registry: events are written with accounts.audit directly (no registry import).
"""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction, AuditEvent

URL = "/api/v1/audit/events/"


def api(user=None, language=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    if language:
        client.credentials(HTTP_ACCEPT_LANGUAGE=language)
    return client


def event(actor, action, object_type, object_id, *, person_id=None, on=None, centre=None):
    created = record_event(
        actor,
        action,
        object_type=object_type,
        object_id=object_id,
        centre_id=(centre or actor.centre).pk,
        person_id=person_id,
        changes={"phone": ["", "600"]} if action == AuditAction.UPDATE else {},
    )
    if on is not None:
        at = timezone.make_aware(dt.datetime.combine(on, dt.time(12, 0)))
        AuditEvent.objects.filter(pk=created.pk).update(at=at)
    return created


@pytest.fixture
def log(pl_worker, pl_worker2, md_worker):
    """A small log: two users of the Polish centre, one of the Moldovan."""
    return {
        "create_p1": event(pl_worker, AuditAction.CREATE, "person", 1, person_id=1, on=dt.date(2024, 3, 1)),
        "view_p1": event(pl_worker2, AuditAction.VIEW, "person", 1, person_id=1, on=dt.date(2024, 3, 5)),
        "update_p2": event(pl_worker, AuditAction.UPDATE, "person", 2, person_id=2, on=dt.date(2024, 3, 10)),
        "household": event(pl_worker, AuditAction.CREATE, "household", 7, on=dt.date(2024, 3, 10)),
        "membership_p1": event(pl_worker, AuditAction.CREATE, "membership", 3, person_id=1, on=dt.date(2024, 3, 12)),
        "md_p1": event(md_worker, AuditAction.VIEW, "person", 1, person_id=1, on=dt.date(2024, 3, 12)),
    }


def ids(response):
    return [e["id"] for e in response.json()["results"]]


def test_director_lists_the_centres_log_newest_first_without_other_centres(pl_director, log):
    response = api(pl_director).get(URL)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 5
    assert ids(response) == [
        log["membership_p1"].pk,
        log["household"].pk,
        log["update_p2"].pk,
        log["view_p1"].pk,
        log["create_p1"].pk,
    ]


def test_an_event_answers_who_what_when_and_from_where(pl_auditor, pl_worker, log):
    first = api(pl_auditor).get(URL, {"object_type": "person", "action": "update"}).json()["results"]

    assert first == [
        {
            "id": log["update_p2"].pk,
            "at": first[0]["at"],
            "user": pl_worker.pk,
            "username": "pl_worker",
            "action": "update",
            "object_type": "person",
            "object_id": 2,
            "person": 2,
            "persons": [2],
            "changes": {"phone": ["", "600"]},
            "ip": None,
            "channel": "system",
        }
    ]
    assert first[0]["at"].startswith("2024-03-10T")


def test_filter_by_person_lists_everything_that_touched_them(pl_auditor, log):
    response = api(pl_auditor).get(URL, {"person": 1})

    assert ids(response) == [log["membership_p1"].pk, log["view_p1"].pk, log["create_p1"].pk]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"action": "view"}, ["view_p1"]),
        ({"object_type": "household"}, ["household"]),
        ({"object_type": "person", "object_id": 2}, ["update_p2"]),
        ({"date_from": "2024-03-05", "date_to": "2024-03-10"}, ["household", "update_p2", "view_p1"]),
        ({"date_from": "2024-03-11"}, ["membership_p1"]),
        ({"date_to": "2024-03-01"}, ["create_p1"]),
        ({"person": 1, "action": "create"}, ["membership_p1", "create_p1"]),
        ({"person": 99}, []),
    ],
)
def test_filters(pl_auditor, log, params, expected):
    response = api(pl_auditor).get(URL, params)

    assert response.status_code == 200
    assert ids(response) == [log[name].pk for name in expected]


def test_filter_by_user(pl_director, pl_worker2, log):
    assert ids(api(pl_director).get(URL, {"user": pl_worker2.pk})) == [log["view_p1"].pk]


def test_a_user_of_another_centre_finds_nothing_here(pl_director, md_worker, log):
    assert ids(api(pl_director).get(URL, {"user": md_worker.pk})) == []


def test_the_moldovan_director_sees_only_the_moldovan_event(md_director, log):
    assert ids(api(md_director).get(URL, {"person": 1})) == [log["md_p1"].pk]


def test_bad_filters_answer_400_with_field_messages(pl_auditor, log):
    response = api(pl_auditor).get(URL, {"person": "abc", "date_from": "March", "action": "steal"})

    assert response.status_code == 400
    assert set(response.json()) == {"person", "date_from", "action"}


def test_bad_filter_messages_follow_accept_language(pl_auditor, log):
    response = api(pl_auditor, language="pl").get(URL, {"action": "steal"})

    assert response.status_code == 400
    assert response.json() == {"action": ['"steal" nie jest poprawnym wyborem.']}


def test_the_log_is_paginated(pl_auditor, log):
    body = api(pl_auditor).get(URL, {"page_size": 2}).json()

    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert body["next"] is not None


def test_listing_the_log_is_a_bounded_number_of_queries(pl_auditor, log, django_assert_max_num_queries):
    client = api(pl_auditor)

    with django_assert_max_num_queries(3):  # count + page + the persons the page's events name
        client.get(URL)


@pytest.mark.parametrize(
    "persona", ["pl_worker", "pl_assistant", "pl_teamlead", "pl_finance", "pl_admin"], indirect=True
)
def test_other_roles_are_refused_with_403(persona, log):
    response = api(persona).get(URL, {"person": 1})

    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["pl_auditor", "pl_director"], indirect=True)
def test_auditors_and_directors_may_read(persona, log):
    assert api(persona).get(URL).status_code == 200


def test_anonymous_answers_401(log):
    assert api().get(URL).status_code == 401


def test_the_log_is_read_only(pl_auditor, log):
    before = AuditEvent.objects.count()
    client = api(pl_auditor)

    assert client.post(URL, {"action": "view"}, format="json").status_code == 405
    assert client.delete(f"{URL}{log['view_p1'].pk}/").status_code == 404  # no detail route at all
    assert AuditEvent.objects.count() == before
