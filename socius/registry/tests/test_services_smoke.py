import datetime as dt

import pytest

from socius.accounts.models import AuditEvent
from socius.common.errors import ValidationFailed
from socius.registry.models import Membership
from socius.registry.services import MemberSpec, create_household, register_person


def test_register_person_and_household(pl_worker):
    p = register_person(
        pl_worker,
        {
            "first_name": "Łukasz",
            "last_name": "Kowalski",
            "birth_date": dt.date(1944, 5, 14),
            "sex": "M",
            "national_id": "44051401359",
        },
    )
    assert p.search_name == "lukasz kowalski"
    h = create_household(pl_worker, {"street_address": "ul. Długa 1"}, [MemberSpec(p.pk, "head")])
    assert Membership.objects.get(person=p).household == h
    assert AuditEvent.objects.filter(person_id=p.pk).count() == 2


def test_wrong_pesel_checksum_names_the_field(pl_worker):
    with pytest.raises(ValidationFailed) as exc:
        register_person(pl_worker, {"first_name": "A", "last_name": "B", "national_id": "44051401358"})
    assert list(exc.value.errors) == ["national_id"]
    assert "check digit" in str(exc.value.errors["national_id"][0])
