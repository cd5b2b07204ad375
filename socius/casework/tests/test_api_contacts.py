"""API: /api/v1/contacts/ — recording (with field messages, nothing written on refusal), list, filters, reading."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent
from socius.casework.models import Contact
from socius.casework.tests.factories import ContactFactory
from socius.testing.factories import HouseholdFactory, PersonFactory

LIST = "/api/v1/contacts/"


def detail(pk):
    return f"{LIST}{pk}/"


def api(user=None, language=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    if language:
        client.credentials(HTTP_ACCEPT_LANGUAGE=language)
    return client


def counts():
    return Contact.objects.count(), Contact.persons.through.objects.count(), AuditEvent.objects.count()


def payload(**overrides):
    data = {
        "occurred_at": (timezone.now() - dt.timedelta(minutes=30)).isoformat(),
        "channel": "office",
        "topics": ["benefits"],
        "outcomes": ["information_given"],
        "notes": "Asked about housing allowance.",
    }
    data.update(overrides)
    return data


# --- recording ------------------------------------------------------------------------------------


def test_record_a_contact_with_persons_and_household(pl_worker, pl_person, pl_household):
    response = api(pl_worker).post(
        LIST, payload(persons=[pl_person.pk], household=pl_household.pk, topics=["benefits", "housing"]), format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    contact = Contact.objects.get()
    assert body["id"] == contact.pk
    assert body["channel"] == "office"
    assert body["persons"] == [pl_person.pk]
    assert body["household"] == pl_household.pk
    assert body["topics"] == ["benefits", "housing"]
    assert body["outcomes"] == ["information_given"]
    assert body["handled_by"] == pl_worker.pk
    assert body["notes"] == "Asked about housing allowance."
    assert dt.datetime.fromisoformat(body["occurred_at"]) == contact.occurred_at
    assert body["created_at"]
    assert contact.centre_id == pl_worker.centre_id
    assert list(contact.persons.all()) == [pl_person]


def test_an_anonymous_contact_is_recorded(pl_worker):
    response = api(pl_worker).post(LIST, payload(), format="json")

    assert response.status_code == 201, response.content
    assert response.json()["persons"] == []
    assert response.json()["household"] is None


def test_handled_by_another_member_of_staff(pl_worker, pl_worker2):
    response = api(pl_worker).post(LIST, payload(handled_by=pl_worker2.pk), format="json")

    assert response.status_code == 201
    assert response.json()["handled_by"] == pl_worker2.pk


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"occurred_at": None}, "occurred_at"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"channel": "pigeon"}, "channel"),
        ({"topics": []}, "topics"),
        ({"topics": ["astrology"]}, "topics"),
        ({"outcomes": ["miracle"]}, "outcomes"),
        ({"persons": ["abc"]}, "persons"),
    ],
)
def test_bad_input_answers_400_on_the_field_and_writes_nothing(pl_worker, overrides, field):
    before = counts()

    response = api(pl_worker).post(LIST, payload(**overrides), format="json")

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert counts() == before


def test_a_contact_in_the_future_is_refused(pl_worker):
    before = counts()
    future = (timezone.now() + dt.timedelta(days=1)).isoformat()

    response = api(pl_worker).post(LIST, payload(occurred_at=future), format="json")

    assert response.status_code == 400
    assert response.json() == {"occurred_at": ["The contact cannot be in the future."]}
    assert counts() == before


def test_another_centres_person_household_or_worker_is_refused_on_their_fields(pl_worker, md_person, md_worker):
    md_household = HouseholdFactory(centre=md_person.centre)
    before = counts()

    response = api(pl_worker).post(
        LIST, payload(persons=[md_person.pk], household=md_household.pk, handled_by=md_worker.pk), format="json"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"persons", "household", "handled_by"}
    assert counts() == before


def test_messages_follow_accept_language(pl_worker):
    english = api(pl_worker).post(LIST, payload(topics=[]), format="json").json()["topics"]
    polish = api(pl_worker, language="pl").post(LIST, payload(topics=[]), format="json").json()["topics"]

    assert english == ["Choose at least one topic."]
    assert polish != english  # translated (the pl catalogue has this message)


def test_roles_without_record_contacts_get_403_and_nothing_is_written(pl_finance, pl_auditor, pl_admin):
    before = counts()

    for user in (pl_finance, pl_auditor, pl_admin):
        assert api(user).post(LIST, payload(), format="json").status_code == 403

    assert counts() == before


def test_anonymous_caller_gets_401(db):
    assert api().get(LIST).status_code == 401
    assert api().post(LIST, payload(), format="json").status_code == 401


# --- list, filters, reading -----------------------------------------------------------------------


def contact(persons=(), **kwargs):
    made = ContactFactory(**kwargs)
    made.persons.set(persons)
    return made


@pytest.fixture
def contacts(pl_centre, md_centre, pl_worker, pl_person, pl_household):
    now = timezone.now()
    return {
        "old": ContactFactory(centre=pl_centre, handled_by=pl_worker, occurred_at=now - dt.timedelta(days=40)),
        "with_person": contact(
            centre=pl_centre, handled_by=pl_worker, occurred_at=now - dt.timedelta(days=5), persons=[pl_person]
        ),
        "household": ContactFactory(
            centre=pl_centre, handled_by=pl_worker, occurred_at=now - dt.timedelta(days=1), household=pl_household
        ),
        "other_centre": ContactFactory(centre=md_centre, occurred_at=now - dt.timedelta(days=2)),
    }


def ids(response):
    assert response.status_code == 200, response.content
    return [c["id"] for c in response.json()["results"]]


def test_list_is_paginated_newest_first_and_only_of_own_centre(pl_worker, contacts):
    response = api(pl_worker).get(LIST)

    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert ids(response) == [contacts["household"].pk, contacts["with_person"].pk, contacts["old"].pk]


def test_list_pages_with_page_size(pl_worker, contacts):
    body = api(pl_worker).get(LIST, {"page_size": 2}).json()

    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"].endswith("page=2&page_size=2")


def test_filters_by_person_household_and_dates(pl_worker, contacts, pl_person, pl_household):
    client = api(pl_worker)
    today = timezone.localdate()

    assert ids(client.get(LIST, {"person": pl_person.pk})) == [contacts["with_person"].pk]
    assert ids(client.get(LIST, {"household": pl_household.pk})) == [contacts["household"].pk]
    assert ids(client.get(LIST, {"date_from": (today - dt.timedelta(days=10)).isoformat()})) == [
        contacts["household"].pk,
        contacts["with_person"].pk,
    ]
    assert ids(client.get(LIST, {"date_to": (today - dt.timedelta(days=10)).isoformat()})) == [contacts["old"].pk]
    in_range = {
        "date_from": (today - dt.timedelta(days=6)).isoformat(),
        "date_to": (today - dt.timedelta(days=3)).isoformat(),
    }
    assert ids(client.get(LIST, in_range)) == [contacts["with_person"].pk]


def test_a_bad_filter_value_answers_400_on_that_field(pl_worker, contacts):
    response = api(pl_worker).get(LIST, {"date_from": "last week", "person": "x"})

    assert response.status_code == 400
    assert set(response.json()) == {"date_from", "person"}


def test_another_centres_person_filter_finds_nothing(pl_worker, contacts, md_person):
    assert ids(api(pl_worker).get(LIST, {"person": md_person.pk})) == []


def test_list_query_count_is_bounded(pl_worker, pl_centre, django_assert_max_num_queries):
    for _ in range(12):
        contact(
            centre=pl_centre,
            handled_by=pl_worker,
            persons=[PersonFactory(centre=pl_centre), PersonFactory(centre=pl_centre)],
            household=HouseholdFactory(centre=pl_centre),
        )
    client = api(pl_worker)

    # +2: the audit event's place in its centre's hash chain (decision 0020)
    with django_assert_max_num_queries(7):  # count, page, persons prefetch, the audit event and its persons
        response = client.get(LIST)

    assert response.status_code == 200
    assert len(response.json()["results"]) == 12
    assert all(len(c["persons"]) == 2 for c in response.json()["results"])


def test_read_one_contact_and_the_view_is_audited_for_its_person(pl_worker, contacts, pl_person):
    contact = contacts["with_person"]

    response = api(pl_worker).get(detail(contact.pk))

    assert response.status_code == 200
    assert response.json()["persons"] == [pl_person.pk]
    views = AuditEvent.objects.filter(action="view", object_type="contact", object_id=contact.pk)
    assert list(views.values_list("person_id", "actor_id")) == [(pl_person.pk, pl_worker.pk)]


def test_another_centres_contact_is_404_and_nothing_is_audited(pl_worker, contacts):
    assert api(pl_worker).get(detail(contacts["other_centre"].pk)).status_code == 404
    assert api(pl_worker).get(detail(999999)).status_code == 404
    assert not AuditEvent.objects.filter(action="view", object_type="contact").exists()


def test_contacts_cannot_be_changed_or_deleted(pl_worker, contacts):
    client = api(pl_worker)
    url = detail(contacts["old"].pk)

    assert client.patch(url, {"notes": "x"}, format="json").status_code == 405
    assert client.put(url, payload(), format="json").status_code == 405
    assert client.delete(url).status_code == 405
    assert Contact.objects.filter(pk=contacts["old"].pk).exists()
