"""Two registrations of the same national ID at the same moment: the unique constraint lets one through.

Runs only in the PostgreSQL pass: two threads, two connections, real transactions (transactional_db).
"""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from socius.common.errors import ValidationFailed
from socius.registry import services
from socius.registry.models import Person
from socius.testing.factories import make_pesel

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]

BIRTH = dt.date(1985, 5, 10)


def register_at_once(actors, data_for, monkeypatch):
    """Both threads pass the duplicate check before either inserts, then both insert."""
    barrier = threading.Barrier(len(actors), timeout=20)
    checked = threading.local()
    original = services.find_person_by_national_id

    def check_then_wait(*args, **kwargs):
        found = original(*args, **kwargs)
        if not getattr(checked, "done", False):  # the validation's check, not the one after IntegrityError
            checked.done = True
            barrier.wait()
        return found

    monkeypatch.setattr(services, "find_person_by_national_id", check_then_wait)
    outcomes: list = [None] * len(actors)

    def run(i):
        try:
            outcomes[i] = services.register_person(actors[i], data_for(i))
        except Exception as exc:  # the outcome is what the test inspects
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(actors))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_same_national_id_registered_twice_at_once_exactly_one_succeeds(pl_worker, pl_worker2, monkeypatch):
    pesel = make_pesel(BIRTH, "F", serial=123)

    def data_for(i):
        return {
            "first_name": ["Anna", "Ana"][i],
            "last_name": "Nowak",
            "birth_date": BIRTH,
            "sex": "F",
            "national_id": pesel,
        }

    outcomes = register_at_once([pl_worker, pl_worker2], data_for, monkeypatch)

    created = [o for o in outcomes if isinstance(o, Person)]
    refused = [o for o in outcomes if isinstance(o, ValidationFailed)]
    assert len(created) == 1, outcomes
    assert len(refused) == 1, outcomes
    assert list(refused[0].errors) == ["national_id"]
    assert refused[0].extra == {"duplicate_of": created[0].pk}
    assert Person.objects.filter(centre=pl_worker.centre, national_id=pesel).count() == 1
    assert Person.objects.get(national_id=pesel) == created[0]


@pytest.mark.django_db(transaction=True)
def test_different_national_ids_registered_at_once_both_succeed(pl_worker, pl_worker2, monkeypatch):
    pesels = [make_pesel(BIRTH, "F", serial=1), make_pesel(BIRTH, "F", serial=2)]

    def data_for(i):
        return {
            "first_name": "Anna",
            "last_name": f"Nowak{i}",
            "birth_date": BIRTH,
            "sex": "F",
            "national_id": pesels[i],
        }

    outcomes = register_at_once([pl_worker, pl_worker2], data_for, monkeypatch)

    assert all(isinstance(o, Person) for o in outcomes), outcomes
    assert Person.objects.filter(national_id__in=pesels).count() == 2
