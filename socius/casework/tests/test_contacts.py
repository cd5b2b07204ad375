"""Contacts (citizens heard): recorded in seconds, anonymous allowed, codes from the jurisdiction's lists."""

import datetime as dt

import pytest
from django.utils import timezone

from socius.accounts.models import AuditEvent
from socius.casework.models import Contact
from socius.casework.selectors import list_contacts_for
from socius.casework.services import record_contact
from socius.common.errors import Forbidden, ValidationFailed
from socius.testing.factories import HouseholdFactory, PersonFactory


def _state():
    return Contact.objects.count(), Contact.persons.through.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def data():
    return {
        "occurred_at": timezone.now() - dt.timedelta(minutes=5),
        "channel": "office",
        "topics": ["benefits"],
        "outcomes": ["information_given", "application_taken"],
    }


def test_a_contact_with_persons_is_recorded_and_audited_once_per_person(
    pl_worker, pl_person, pl_household, pl_centre, data
):
    other = PersonFactory(centre=pl_centre)
    contact = record_contact(
        pl_worker, {**data, "persons": [pl_person, other.pk], "household": pl_household, "notes": " Came with rent "}
    )

    assert contact.centre_id == pl_centre.pk
    assert set(contact.persons.all()) == {pl_person, other}
    assert contact.household == pl_household
    assert contact.topics == ["benefits"]
    assert contact.outcomes == ["information_given", "application_taken"]
    assert contact.notes == "Came with rent"
    assert (contact.handled_by, contact.created_by) == (pl_worker, pl_worker)
    audits = AuditEvent.objects.filter(object_type="contact", object_id=contact.pk).order_by("person_id")
    assert [a.person_id for a in audits] == sorted([pl_person.pk, other.pk])
    assert all(
        a.action == "create" and a.changes["persons"] == [None, sorted([pl_person.pk, other.pk])] for a in audits
    )


def test_an_anonymous_contact_is_recorded_and_counts(pl_worker, data):
    contact = record_contact(pl_worker, {**data, "channel": "phone"})
    assert list(contact.persons.all()) == []
    assert AuditEvent.objects.get(object_type="contact").person_id is None
    assert list(list_contacts_for(pl_worker)) == [contact]


def test_the_contact_may_be_recorded_for_a_colleague_who_handled_it(pl_worker, pl_worker2, data):
    assert record_contact(pl_worker, {**data, "handled_by": pl_worker2}).handled_by == pl_worker2


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"topics": ["benefits", "weather"]}, {"topics": ["Unknown code: weather."]}),
        ({"topics": []}, {"topics": ["Choose at least one topic."]}),
        ({"outcomes": ["coffee_served"]}, {"outcomes": ["Unknown code: coffee_served."]}),
        ({"persons": "MD_PERSON"}, {"persons": ["Choose persons registered in your centre."]}),
        ({"persons": [999999]}, {"persons": ["Choose persons registered in your centre."]}),
        ({"household": "MD_HOUSEHOLD"}, {"household": ["Choose a household registered in your centre."]}),
        ({"occurred_at": "FUTURE"}, {"occurred_at": ["The contact cannot be in the future."]}),
        ({"occurred_at": None}, {"occurred_at": ["Enter the date and time of the contact."]}),
        ({"channel": "pigeon"}, {"channel": ["Choose how the contact took place."]}),
        ({"handled_by": "MD_WORKER"}, {"handled_by": ["Choose a member of your centre's staff."]}),
    ],
)
def test_invalid_contacts_are_refused_and_nothing_is_written(
    pl_worker, md_centre, md_worker, md_person, data, change, errors
):
    named = {
        "MD_PERSON": lambda: [md_person],
        "MD_HOUSEHOLD": lambda: HouseholdFactory(centre=md_centre),
        "FUTURE": lambda: timezone.now() + dt.timedelta(hours=1),
        "MD_WORKER": lambda: md_worker,
    }
    for key, value in change.items():
        data[key] = named[value]() if isinstance(value, str) and value in named else value
    before = _state()

    with pytest.raises(ValidationFailed) as refused:
        record_contact(pl_worker, data)

    assert refused.value.errors == errors
    assert _state() == before


@pytest.mark.parametrize("persona", ["pl_finance", "pl_auditor", "pl_admin"], indirect=True)
def test_roles_without_casework_cannot_record_contacts(persona, data):
    before = _state()
    with pytest.raises(Forbidden):
        record_contact(persona, data)
    assert _state() == before


def test_contacts_are_listed_for_a_person_within_the_centre_only(pl_worker, md_worker, pl_person, data):
    mine = record_contact(pl_worker, {**data, "persons": [pl_person]})
    record_contact(pl_worker, data)
    assert list(list_contacts_for(pl_worker, person=pl_person)) == [mine]
    assert list(list_contacts_for(md_worker)) == []
