"""The change trail's API on any database: who may read it, and what bad input answers."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from socius.testing.factories import PersonFactory

TRAIL = "/api/v1/audit/trail/"


def test_an_unknown_record_type_or_a_missing_id_answers_400_naming_the_field(pl_auditor):
    client = APIClient()
    client.force_authenticate(pl_auditor)

    response = client.get(TRAIL, {"record_type": "payment", "record_id": "x"})

    assert response.status_code == 400
    assert set(response.json()) == {"record_type", "record_id"}


def test_an_id_beyond_the_database_range_answers_400(pl_auditor):
    client = APIClient()
    client.force_authenticate(pl_auditor)

    response = client.get(TRAIL, {"record_type": "person", "record_id": 2**63})

    assert response.status_code == 400
    assert list(response.json()) == ["record_id"]


def test_finance_may_not_read_the_trail(pl_finance):
    client = APIClient()
    client.force_authenticate(pl_finance)

    assert client.get(TRAIL, {"record_type": "person", "record_id": 1}).status_code == 403


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite case")
def test_on_sqlite_there_are_no_triggers_and_the_trail_is_empty(pl_auditor):
    person = PersonFactory(centre=pl_auditor.centre)
    client = APIClient()
    client.force_authenticate(pl_auditor)

    response = client.get(TRAIL, {"record_type": "person", "record_id": person.pk})

    assert response.status_code == 200
    assert response.json()["count"] == 0
