"""API: /api/v1/households/ — members with relationship codes, moving, removing, and refusals.

Design: a member who is not a person of the actor's centre (unknown id, or another centre's person)
answers 400 on `members` with the same message — the body is wrong, and another centre's person must
look exactly like one that does not exist. Only the household in the URL answers 404.
"""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from socius.accounts.models import AuditAction, AuditEvent
from socius.registry.models import Household, Membership, Person
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, TerritoryFactory

LIST = "/api/v1/households/"
RELATIONSHIP_CODES = [
    "head",
    "spouse",
    "partner",
    "child",
    "parent",
    "sibling",
    "grandchild",
    "other_relative",
    "unrelated",
]


def detail(pk):
    return f"/api/v1/households/{pk}/"


def api(user=None, language=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    if language:
        client.credentials(HTTP_ACCEPT_LANGUAGE=language)
    return client


def counts():
    return Household.objects.count(), Membership.objects.count(), AuditEvent.objects.count()


def current_members(household):
    return sorted(
        Membership.objects.filter(household=household, valid_until__isnull=True).values_list(
            "person_id", "relationship"
        )
    )


@pytest.fixture
def family(pl_centre):
    """Anna (head) and her son Piotr in one household since 2020; Ewa, not in any household."""
    household = HouseholdFactory(centre=pl_centre, street_address="ul. Polna 3")
    anna = PersonFactory(centre=pl_centre, first_name="Anna", last_name="Nowak")
    piotr = PersonFactory(centre=pl_centre, first_name="Piotr", last_name="Nowak", sex="M")
    ewa = PersonFactory(centre=pl_centre, first_name="Ewa", last_name="Lis")
    MembershipFactory(household=household, person=anna, relationship="head", valid_from=dt.date(2020, 1, 1))
    MembershipFactory(household=household, person=piotr, relationship="child", valid_from=dt.date(2020, 1, 1))
    return household, anna, piotr, ewa


# --- create --------------------------------------------------------------------------------------------


def test_create_household_with_members_answers_201_with_members_and_address(pl_worker):
    village = TerritoryFactory(jurisdiction="PL", level="village", name="Kiełczówek", parent=pl_worker.centre.territory)
    head = PersonFactory(centre=pl_worker.centre, first_name="Jan", last_name="Nowak")
    wife = PersonFactory(centre=pl_worker.centre, first_name="Maria", last_name="Nowak")
    payload = {
        "territory": village.pk,
        "street_address": "ul. Długa 1",
        "external_ref": "H-001",
        "notes": "",
        "members": [{"person": head.pk, "relationship": "head"}, {"person": wife.pk, "relationship": "spouse"}],
    }

    response = api(pl_worker).post(LIST, payload, format="json")

    assert response.status_code == 201
    body = response.json()
    household = Household.objects.get()
    today = timezone.localdate().isoformat()
    assert body["id"] == household.pk
    assert (body["territory"], body["street_address"], body["external_ref"]) == (village.pk, "ul. Długa 1", "H-001")
    assert body["members"] == [
        {"person": head.pk, "relationship": "head", "name": "Jan Nowak", "valid_from": today},
        {"person": wife.pk, "relationship": "spouse", "name": "Maria Nowak", "valid_from": today},
    ]
    assert "move" not in body
    assert household.centre_id == pl_worker.centre_id
    assert current_members(household) == sorted([(head.pk, "head"), (wife.pk, "spouse")])
    assert AuditEvent.objects.filter(object_type="household", action=AuditAction.CREATE).count() == 1
    assert AuditEvent.objects.filter(object_type="membership", action=AuditAction.CREATE).count() == 2


def test_every_relationship_code_is_accepted(pl_worker):
    persons = [PersonFactory(centre=pl_worker.centre) for _ in RELATIONSHIP_CODES]
    members = [{"person": p.pk, "relationship": code} for p, code in zip(persons, RELATIONSHIP_CODES, strict=True)]

    response = api(pl_worker).post(LIST, {"members": members}, format="json")

    assert response.status_code == 201
    assert [m["relationship"] for m in response.json()["members"]] == RELATIONSHIP_CODES


def test_person_shows_the_household_after_it_is_created(pl_worker):
    person = PersonFactory(centre=pl_worker.centre)
    client = api(pl_worker)

    household_id = client.post(
        LIST, {"members": [{"person": person.pk, "relationship": "head"}]}, format="json"
    ).json()["id"]

    assert client.get(f"/api/v1/persons/{person.pk}/").json()["household"] == household_id
    assert client.get("/api/v1/persons/").json()["results"][0]["household"] == household_id


def test_an_unknown_relationship_code_answers_400_on_that_member_and_writes_nothing(pl_worker):
    head = PersonFactory(centre=pl_worker.centre)
    other = PersonFactory(centre=pl_worker.centre)
    before = counts()

    response = api(pl_worker).post(
        LIST,
        {"members": [{"person": head.pk, "relationship": "head"}, {"person": other.pk, "relationship": "cousin"}]},
        format="json",
    )

    assert response.status_code == 400
    # DRF names the failing member by its index in the list.
    assert response.json() == {"members": {"1": {"relationship": ['"cousin" is not a valid choice.']}}}
    assert counts() == before


def test_two_heads_answer_400_and_write_nothing(pl_worker):
    a, b = PersonFactory(centre=pl_worker.centre), PersonFactory(centre=pl_worker.centre)
    before = counts()

    response = api(pl_worker).post(
        LIST,
        {"members": [{"person": a.pk, "relationship": "head"}, {"person": b.pk, "relationship": "head"}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"members": ["Mark exactly one member as the head of the household."]}
    assert counts() == before


def test_no_head_answers_400(pl_worker):
    a = PersonFactory(centre=pl_worker.centre)

    response = api(pl_worker).post(LIST, {"members": [{"person": a.pk, "relationship": "child"}]}, format="json")

    assert response.status_code == 400
    assert response.json() == {"members": ["Mark exactly one member as the head of the household."]}


def test_unknown_person_answers_400_naming_the_id(pl_worker):
    before = counts()

    response = api(pl_worker).post(LIST, {"members": [{"person": 999999, "relationship": "head"}]}, format="json")

    assert response.status_code == 400
    assert response.json() == {"members": ["No such person: 999999."]}
    assert counts() == before


def test_another_centres_person_answers_400_exactly_like_an_unknown_one(pl_worker, md_centre):
    foreign = PersonFactory(centre=md_centre)
    before = counts()

    response = api(pl_worker).post(LIST, {"members": [{"person": foreign.pk, "relationship": "head"}]}, format="json")

    assert response.status_code == 400
    assert response.json() == {"members": [f"No such person: {foreign.pk}."]}
    assert counts() == before


def test_a_person_listed_twice_answers_400(pl_worker):
    a = PersonFactory(centre=pl_worker.centre)

    response = api(pl_worker).post(
        LIST,
        {"members": [{"person": a.pk, "relationship": "head"}, {"person": a.pk, "relationship": "child"}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"members": ["A person is listed twice."]}


def test_members_are_required_and_may_not_be_empty(pl_worker):
    before = counts()
    client = api(pl_worker)

    missing = client.post(LIST, {"street_address": "ul. Polna 1"}, format="json")
    empty = client.post(LIST, {"members": []}, format="json")
    malformed = client.post(LIST, {"members": [{"relationship": "head"}, "x"]}, format="json")

    assert missing.status_code == 400
    assert missing.json() == {"members": ["This field is required."]}
    assert empty.status_code == 400
    assert empty.json() == {"members": ["A household needs at least one member."]}
    assert malformed.status_code == 400
    assert malformed.json()["members"]["0"] == {"person": ["This field is required."]}
    assert list(malformed.json()["members"]) == ["0", "1"]
    assert counts() == before


def test_member_messages_follow_accept_language(pl_worker):
    head = PersonFactory(centre=pl_worker.centre)

    response = api(pl_worker, language="ro").post(
        LIST, {"members": [{"person": head.pk, "relationship": "cousin"}]}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"members": {"0": {"relationship": ['"cousin" nu este o opțiune validă.']}}}


def test_a_duplicate_reference_answers_400_on_external_ref(pl_worker):
    HouseholdFactory(centre=pl_worker.centre, external_ref="H-7")
    head = PersonFactory(centre=pl_worker.centre)
    before = counts()

    response = api(pl_worker).post(
        LIST, {"external_ref": "H-7", "members": [{"person": head.pk, "relationship": "head"}]}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["external_ref"]
    assert counts() == before


# --- moving between households ---------------------------------------------------------------------------


def test_a_member_of_another_household_is_refused_without_move(pl_worker, family):
    household, anna, piotr, ewa = family
    before = counts()

    response = api(pl_worker).post(
        LIST,
        {"members": [{"person": piotr.pk, "relationship": "head"}, {"person": ewa.pk, "relationship": "partner"}]},
        format="json",
    )

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"members", "in_other_household"}
    assert body["in_other_household"] == [piotr.pk]
    assert counts() == before
    assert current_members(household) == sorted([(anna.pk, "head"), (piotr.pk, "child")])


def test_move_true_moves_the_member_and_keeps_the_history(pl_worker, family):
    household, anna, piotr, ewa = family

    response = api(pl_worker).post(
        LIST,
        {
            "members": [{"person": piotr.pk, "relationship": "head"}, {"person": ewa.pk, "relationship": "partner"}],
            "move": True,
        },
        format="json",
    )

    assert response.status_code == 201
    new = Household.objects.get(pk=response.json()["id"])
    assert current_members(new) == sorted([(piotr.pk, "head"), (ewa.pk, "partner")])
    assert current_members(household) == [(anna.pk, "head")]
    old = Membership.objects.get(household=household, person=piotr)
    assert old.valid_until == timezone.localdate()


# --- read ------------------------------------------------------------------------------------------------


def test_read_household_shows_current_members_and_logs_one_view(pl_worker, family):
    household, anna, piotr, _ewa = family
    MembershipFactory(
        household=household,
        person=PersonFactory(centre=household.centre),
        relationship="other_relative",
        valid_from=dt.date(2019, 1, 1),
        valid_until=dt.date(2021, 1, 1),
    )
    AuditEvent.objects.all().delete()

    response = api(pl_worker).get(detail(household.pk))

    assert response.status_code == 200
    body = response.json()
    assert body["street_address"] == "ul. Polna 3"
    assert body["members"] == [
        {"person": anna.pk, "relationship": "head", "name": "Anna Nowak", "valid_from": "2020-01-01"},
        {"person": piotr.pk, "relationship": "child", "name": "Piotr Nowak", "valid_from": "2020-01-01"},
    ]
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.object_id) == ("view", "household", household.pk)


def test_another_centres_household_answers_404(md_worker, family):
    household = family[0]
    before = counts()
    client = api(md_worker)

    assert client.get(detail(household.pk)).status_code == 404
    assert client.patch(detail(household.pk), {"notes": "x"}, format="json").status_code == 404
    assert client.put(detail(household.pk), {"members": []}, format="json").status_code == 404
    assert counts() == before


def test_list_is_paginated_with_members_in_bounded_queries(pl_worker, md_centre, django_assert_max_num_queries):
    for _ in range(20):
        household = HouseholdFactory(centre=pl_worker.centre)
        MembershipFactory(household=household, person=PersonFactory(centre=pl_worker.centre), relationship="head")
        MembershipFactory(household=household, person=PersonFactory(centre=pl_worker.centre), relationship="child")
    HouseholdFactory(centre=md_centre)
    client = api(pl_worker)

    # count + page + current members with their persons + the audit: one event, its persons
    # +2: the audit event's place in its centre's hash chain (decision 0020)
    with django_assert_max_num_queries(7):
        response = client.get(LIST, {"page_size": 20})

    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 20
    assert all(len(h["members"]) == 2 for h in body["results"])
    assert [h["id"] for h in body["results"]] == sorted(h["id"] for h in body["results"])


def test_list_filters_by_current_member(pl_worker, family):
    household, _anna, piotr, ewa = family
    HouseholdFactory(centre=pl_worker.centre)
    client = api(pl_worker)

    assert [h["id"] for h in client.get(LIST, {"person": piotr.pk}).json()["results"]] == [household.pk]
    assert client.get(LIST, {"person": ewa.pk}).json()["results"] == []


# --- update ----------------------------------------------------------------------------------------------


def test_put_without_a_member_moves_them_out_and_keeps_history(pl_worker, family):
    household, anna, piotr, _ewa = family

    response = api(pl_worker).put(
        detail(household.pk),
        {"street_address": "ul. Polna 3", "members": [{"person": anna.pk, "relationship": "head"}]},
        format="json",
    )

    assert response.status_code == 200
    assert [m["person"] for m in response.json()["members"]] == [anna.pk]
    assert current_members(household) == [(anna.pk, "head")]
    ended = Membership.objects.get(household=household, person=piotr)
    assert ended.valid_until == timezone.localdate()
    assert AuditEvent.objects.get(object_type="membership", person_id=piotr.pk).changes["reason"] == [None, "left"]


def test_put_adds_a_member_and_changes_a_relationship(pl_worker, family):
    household, anna, piotr, ewa = family

    response = api(pl_worker).put(
        detail(household.pk),
        {
            "members": [
                {"person": anna.pk, "relationship": "head"},
                {"person": piotr.pk, "relationship": "grandchild"},
                {"person": ewa.pk, "relationship": "unrelated"},
            ]
        },
        format="json",
    )

    assert response.status_code == 200
    assert current_members(household) == sorted([(anna.pk, "head"), (piotr.pk, "grandchild"), (ewa.pk, "unrelated")])
    # The old relationship is kept as history.
    assert Membership.objects.filter(household=household, person=piotr).count() == 2


def test_patch_without_members_keeps_them(pl_worker, family):
    household, anna, piotr, _ewa = family

    response = api(pl_worker).patch(detail(household.pk), {"street_address": "ul. Leśna 5"}, format="json")

    assert response.status_code == 200
    assert response.json()["street_address"] == "ul. Leśna 5"
    assert len(response.json()["members"]) == 2
    assert current_members(household) == sorted([(anna.pk, "head"), (piotr.pk, "child")])
    event = AuditEvent.objects.get(object_type="household")
    assert event.changes == {"street_address": ["ul. Polna 3", "ul. Leśna 5"]}


def test_put_requires_members(pl_worker, family):
    household = family[0]
    before = counts()

    response = api(pl_worker).put(detail(household.pk), {"street_address": "x"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"members": ["This field is required."]}
    assert counts() == before


def test_update_with_two_heads_changes_nothing(pl_worker, family):
    household, anna, piotr, _ewa = family
    before = counts()

    response = api(pl_worker).patch(
        detail(household.pk),
        {
            "street_address": "ul. Nowa 1",
            "members": [{"person": anna.pk, "relationship": "head"}, {"person": piotr.pk, "relationship": "head"}],
        },
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["members"]
    assert counts() == before
    household.refresh_from_db()
    assert household.street_address == "ul. Polna 3"


def test_update_taking_a_member_of_another_household_needs_move(pl_worker, family):
    household, anna, _piotr, _ewa = family
    other = HouseholdFactory(centre=pl_worker.centre)
    stranger = PersonFactory(centre=pl_worker.centre)
    MembershipFactory(household=other, person=stranger, relationship="head")
    members = [{"person": stranger.pk, "relationship": "head"}]
    before = counts()
    client = api(pl_worker)

    refused = client.patch(detail(household.pk), {"members": members}, format="json")
    assert refused.status_code == 400
    assert refused.json()["in_other_household"] == [stranger.pk]
    assert counts() == before

    moved = client.patch(detail(household.pk), {"members": members, "move": True}, format="json")
    assert moved.status_code == 200
    assert current_members(household) == [(stranger.pk, "head")]
    assert current_members(other) == []
    assert Person.objects.filter(pk=anna.pk).exists()


def test_delete_is_not_offered(pl_worker, family):
    assert api(pl_worker).delete(detail(family[0].pk)).status_code == 405
