"""API: /api/v1/persons/ — list, search, filters, registration, reading (audited) and updates."""

import datetime as dt

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from socius.accounts.models import AuditAction, AuditEvent, TerritoryLevel
from socius.registry.models import Membership, Person
from socius.registry.serializers import PersonSerializer
from socius.testing.factories import (
    CentreFactory,
    HouseholdFactory,
    MembershipFactory,
    PersonFactory,
    TerritoryFactory,
    UserFactory,
    make_pesel,
)

LIST = "/api/v1/persons/"
PESEL_LUKASZ = "44051401359"  # synthetic: 1944-05-14, male


def detail(pk):
    return f"/api/v1/persons/{pk}/"


def api(user=None, language=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    if language:
        client.credentials(HTTP_ACCEPT_LANGUAGE=language)
    return client


def counts():
    return Person.objects.count(), AuditEvent.objects.count(), Membership.objects.count()


@pytest.fixture
def lukasz(pl_centre):
    return PersonFactory(
        centre=pl_centre,
        first_name="Łukasz",
        last_name="Kowalski",
        birth_date=dt.date(1944, 5, 14),
        sex="M",
        national_id=PESEL_LUKASZ,
    )


# --- list, search, filters -------------------------------------------------------------------------


def test_list_is_paginated_ordered_by_name_and_only_of_own_centre(pl_worker, md_centre):
    zofia = PersonFactory(centre=pl_worker.centre, first_name="Zofia", last_name="Adamska")
    jan = PersonFactory(centre=pl_worker.centre, first_name="Jan", last_name="Nowak")
    anna = PersonFactory(centre=pl_worker.centre, first_name="Anna", last_name="Nowak")
    PersonFactory(centre=md_centre, first_name="Ion", last_name="Adam")

    response = api(pl_worker).get(LIST)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert body["next"] is None and body["previous"] is None
    assert [p["id"] for p in body["results"]] == [zofia.pk, anna.pk, jan.pk]


def test_list_pages_with_page_size(pl_worker):
    for i in range(3):
        PersonFactory(centre=pl_worker.centre, last_name=f"Nowak{i}")

    body = api(pl_worker).get(LIST, {"page_size": 2}).json()

    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"].endswith("page=2&page_size=2")
    assert body["previous"] is None


def test_list_shows_current_household_id(pl_worker):
    member = PersonFactory(centre=pl_worker.centre, last_name="A")
    PersonFactory(centre=pl_worker.centre, last_name="B")
    household = HouseholdFactory(centre=pl_worker.centre)
    MembershipFactory(household=household, person=member, relationship="head")

    results = api(pl_worker).get(LIST).json()["results"]

    assert [(p["last_name"], p["household"]) for p in results] == [("A", household.pk), ("B", None)]


def test_search_forgives_diacritics_lukasz_finds_Łukasz(pl_worker, lukasz):
    PersonFactory(centre=pl_worker.centre, first_name="Anna", last_name="Zielińska")

    response = api(pl_worker).get(LIST, {"search": "lukasz"})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["id"] == lukasz.pk
    assert body["results"][0]["first_name"] == "Łukasz"


def test_search_ranks_the_closest_name_first_and_tolerates_a_typo(pl_worker):
    kowalski = PersonFactory(centre=pl_worker.centre, first_name="Jan", last_name="Kowalski")
    PersonFactory(centre=pl_worker.centre, first_name="Jan", last_name="Kowalczyk")

    results = api(pl_worker).get(LIST, {"search": "kowalsky"}).json()["results"]

    assert results[0]["id"] == kowalski.pk
    assert results[0]["last_name"] == "Kowalski"


def test_search_by_national_id_prefix(pl_worker, lukasz):
    PersonFactory(centre=pl_worker.centre, first_name="Anna", last_name="Nowak", national_id="")

    results = api(pl_worker).get(LIST, {"search": PESEL_LUKASZ[:6]}).json()["results"]

    assert [p["id"] for p in results] == [lukasz.pk]


def test_search_does_not_reach_another_centre(md_worker, lukasz):
    body = api(md_worker).get(LIST, {"search": "lukasz"}).json()

    assert body["count"] == 0
    assert body["results"] == []


def test_search_combines_with_filters(pl_worker, lukasz):
    PersonFactory(centre=pl_worker.centre, first_name="Łukasz", last_name="Kowalski", birth_date=dt.date(1990, 1, 2))

    results = api(pl_worker).get(LIST, {"search": "lukasz", "birth_date": "1944-05-14"}).json()["results"]

    assert [p["id"] for p in results] == [lukasz.pk]


def test_filters_by_sex_birth_date_range_and_national_id(pl_worker, lukasz):
    anna = PersonFactory(centre=pl_worker.centre, first_name="Anna", sex="F", birth_date=dt.date(1980, 3, 1))
    client = api(pl_worker)

    assert [p["id"] for p in client.get(LIST, {"sex": "F"}).json()["results"]] == [anna.pk]
    assert [p["id"] for p in client.get(LIST, {"national_id": PESEL_LUKASZ}).json()["results"]] == [lukasz.pk]
    in_range = client.get(LIST, {"birth_date_from": "1970-01-01", "birth_date_to": "1985-12-31"}).json()
    assert [p["id"] for p in in_range["results"]] == [anna.pk]


def test_a_bad_filter_value_answers_400_on_that_field(pl_worker):
    response = api(pl_worker).get(LIST, {"birth_date": "yesterday", "sex": "X"})

    assert response.status_code == 400
    assert set(response.json()) == {"birth_date", "sex"}


def test_list_query_count_does_not_grow_with_the_page(pl_worker, django_assert_max_num_queries):
    for i in range(30):
        person = PersonFactory(centre=pl_worker.centre, last_name=f"Nowak{i:02d}")
        MembershipFactory(household=HouseholdFactory(centre=pl_worker.centre), person=person)
    client = api(pl_worker)

    # count + page + current households (one query for the page) + the audit: one event, its persons
    # +2: the audit event's place in its centre's hash chain (decision 0020)
    with django_assert_max_num_queries(7):
        response = client.get(LIST, {"page_size": 30})

    assert response.status_code == 200
    assert len(response.json()["results"]) == 30
    assert all(p["household"] is not None for p in response.json()["results"])


def test_search_query_count_is_bounded(pl_worker, django_assert_max_num_queries):
    for i in range(30):
        person = PersonFactory(centre=pl_worker.centre, first_name="Łukasz", last_name=f"Nowak{i:02d}")
        MembershipFactory(household=HouseholdFactory(centre=pl_worker.centre), person=person)
    client = api(pl_worker)

    # candidates + matched persons + current households (+ one SET on PostgreSQL) + event + its persons
    # +2: the audit event's place in its centre's hash chain (decision 0020)
    with django_assert_max_num_queries(8):
        response = client.get(LIST, {"search": "lukasz", "page_size": 30})

    assert response.json()["count"] == 30


def test_search_pages_cut_the_ranked_matches_and_count_them_all(pl_worker):
    for i in range(12):
        PersonFactory(centre=pl_worker.centre, first_name="Łukasz", last_name=f"Nowak{i:02d}")
    PersonFactory(centre=pl_worker.centre, first_name="Łukasz", last_name="Nowak")
    client = api(pl_worker)

    pages = [client.get(LIST, {"search": "lukasz nowak", "page_size": 5, "page": n}).json() for n in (1, 2, 3)]
    whole = client.get(LIST, {"search": "lukasz nowak", "page_size": 20}).json()

    assert [page["count"] for page in pages] == [13, 13, 13]
    assert [len(page["results"]) for page in pages] == [5, 5, 3]
    assert [p["id"] for page in pages for p in page["results"]] == [p["id"] for p in whole["results"]]
    assert whole["results"][0]["last_name"] == "Nowak"  # the exact name first


def test_search_answers_the_exact_name_without_far_matches(pl_worker):
    kawala = PersonFactory(centre=pl_worker.centre, first_name="Zofia", last_name="Kawala")
    for last_name in ("Nowak", "Wrona", "Lis"):
        PersonFactory(centre=pl_worker.centre, first_name="Kamila", last_name=last_name)

    body = api(pl_worker).get(LIST, {"search": "kawala"}).json()

    assert body["count"] == 1
    assert [p["id"] for p in body["results"]] == [kawala.pk]


def test_person_fields_built_once_speak_the_language_of_each_request_and_are_not_shared():
    labels = {}
    for language in ("en", "pl", "ru", "en"):
        with translation.override(language):
            fields = PersonSerializer().fields
            labels[language] = (str(fields["territory"].label), str(fields["sex"].choices["F"]))
            fields["first_name"].label = "changed by this serializer only"

    assert labels == {
        "en": ("Locality", "Female"),
        "pl": ("Miejscowość", "Kobieta"),
        "ru": ("Населённый пункт", "Женский"),
    }
    with translation.override("en"):
        assert PersonSerializer().fields["first_name"].label == "Given names"


# --- registration ----------------------------------------------------------------------------------


def test_register_person_answers_201_with_every_field(pl_worker):
    village = TerritoryFactory(
        jurisdiction="PL", level=TerritoryLevel.VILLAGE, name="Kiełczówek", parent=pl_worker.centre.territory
    )
    payload = {
        "first_name": "Łukasz",
        "last_name": "Kowalski",
        "birth_date": "1944-05-14",
        "sex": "M",
        "national_id": PESEL_LUKASZ,
        "citizenship": "PL",
        "territory": village.pk,
        "street_address": "ul. Długa 1",
        "phone": "+48 600 100 200",
        "email": "lukasz@example.org",
        "education": "vocational",
        "employment_status": "pensioner",
        "disability_degree": "moderate",
        "notes": "Lives alone.",
    }

    response = api(pl_worker).post(LIST, payload, format="json")

    assert response.status_code == 201
    body = response.json()
    person = Person.objects.get()
    assert body["id"] == person.pk
    assert {k: body[k] for k in payload} == payload
    assert body["household"] is None
    assert body["latin_name"] == ""
    assert person.centre_id == pl_worker.centre_id
    assert person.created_by == pl_worker
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.object_id, event.person_id) == (
        "create",
        "person",
        person.pk,
        person.pk,
    )
    assert event.actor == pl_worker
    assert event.channel == "api"


def test_register_with_unknown_sex_stores_blank_and_answers_null(pl_worker):
    response = api(pl_worker).post(LIST, {"first_name": "Anna", "last_name": "Nowak", "sex": None}, format="json")

    assert response.status_code == 201
    assert response.json()["sex"] is None
    assert response.json()["national_id"] is None
    assert Person.objects.get().sex == ""


def test_register_cyrillic_name_answers_latin_transliteration(md_worker):
    response = api(md_worker).post(LIST, {"first_name": "Ольга", "last_name": "Иванова"}, format="json")

    assert response.status_code == 201
    assert response.json()["latin_name"] == "Olga Ivanova"


def test_wrong_pesel_answers_400_on_national_id_and_writes_nothing(pl_worker):
    before = counts()

    response = api(pl_worker).post(
        LIST,
        {
            "first_name": "Jan",
            "last_name": "Nowak",
            "birth_date": "1944-05-14",
            "sex": "M",
            "national_id": "44051401358",
        },
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["national_id"]
    assert "check digit" in response.json()["national_id"][0]
    assert counts() == before


def test_duplicate_national_id_answers_400_with_duplicate_of(pl_worker, lukasz):
    before = counts()

    response = api(pl_worker).post(
        LIST,
        {
            "first_name": "Łukasz",
            "last_name": "Kowalski",
            "birth_date": "1944-05-14",
            "sex": "M",
            "national_id": PESEL_LUKASZ,
        },
        format="json",
    )

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"national_id", "duplicate_of"}
    assert body["duplicate_of"] == lukasz.pk
    assert counts() == before


def test_the_same_national_id_in_another_centre_is_not_a_duplicate(lukasz):
    # Each centre keeps its own registry: another Polish centre may register the same PESEL.
    other_worker = UserFactory(username="other_pl", centre=CentreFactory(jurisdiction="PL"))

    response = api(other_worker).post(
        LIST,
        {
            "first_name": "Łukasz",
            "last_name": "Kowalski",
            "birth_date": "1944-05-14",
            "sex": "M",
            "national_id": PESEL_LUKASZ,
        },
        format="json",
    )

    assert response.status_code == 201
    assert Person.objects.filter(national_id=PESEL_LUKASZ).count() == 2


def test_national_id_null_clears_it(pl_worker, lukasz):
    response = api(pl_worker).patch(detail(lukasz.pk), {"national_id": None}, format="json")

    assert response.status_code == 200
    assert response.json()["national_id"] is None
    lukasz.refresh_from_db()
    assert lukasz.national_id == ""


def test_similar_name_and_birth_date_warns_then_ignore_similar_registers(pl_worker, lukasz):
    payload = {"first_name": "Lukasz", "last_name": "Kowalsky", "birth_date": "1944-05-14", "sex": "M"}
    before = counts()

    warned = api(pl_worker).post(LIST, payload, format="json")

    assert warned.status_code == 400
    assert set(warned.json()) == {"non_field_errors", "possible_duplicates"}
    assert warned.json()["possible_duplicates"] == [lukasz.pk]
    assert counts() == before

    confirmed = api(pl_worker).post(LIST, {**payload, "ignore_similar": True}, format="json")

    assert confirmed.status_code == 201
    assert Person.objects.count() == before[0] + 1


def test_missing_names_answer_400_with_field_messages_and_write_nothing(pl_worker):
    before = counts()

    response = api(pl_worker).post(LIST, {"birth_date": "1980-01-01"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "first_name": ["This field is required."],
        "last_name": ["This field is required."],
    }
    assert counts() == before


@pytest.mark.parametrize(
    ("language", "required", "bad_choice"),
    [
        ("pl", "To pole jest wymagane.", '"X" nie jest poprawnym wyborem.'),
        ("ro", "Acest câmp este obligatoriu.", '"X" nu este o opțiune validă.'),
        ("pl-PL,pl;q=0.9,en;q=0.5", "To pole jest wymagane.", '"X" nie jest poprawnym wyborem.'),
    ],
)
def test_400_messages_follow_accept_language(pl_worker, language, required, bad_choice):
    before = counts()

    response = api(pl_worker, language=language).post(LIST, {"last_name": "Nowak", "sex": "X"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"first_name": [required], "sex": [bad_choice]}
    assert counts() == before


def test_future_birth_date_and_bad_formats_answer_400(pl_worker):
    before = counts()
    client = api(pl_worker)

    future = client.post(
        LIST, {"first_name": "A", "last_name": "B", "birth_date": (dt.date.today() + dt.timedelta(days=2)).isoformat()}
    )
    bad = client.post(
        LIST, {"first_name": "A", "last_name": "B", "birth_date": "14.05.1944", "email": "nope"}, format="json"
    )

    assert future.status_code == 400
    assert list(future.json()) == ["birth_date"]
    assert bad.status_code == 400
    assert set(bad.json()) == {"birth_date", "email"}
    assert counts() == before


def test_territory_of_another_country_answers_400(pl_worker, md_centre):
    before = counts()

    response = api(pl_worker).post(
        LIST, {"first_name": "A", "last_name": "B", "territory": md_centre.territory_id}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["territory"]
    assert counts() == before


# --- reading -------------------------------------------------------------------------------------------


def test_read_person_answers_every_field_and_logs_exactly_one_view(pl_worker, lukasz):
    household = HouseholdFactory(centre=pl_worker.centre)
    MembershipFactory(household=household, person=lukasz)
    AuditEvent.objects.all().delete()

    response = api(pl_worker).get(detail(lukasz.pk), REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == lukasz.pk
    assert body["first_name"] == "Łukasz"
    assert body["birth_date"] == "1944-05-14"
    assert body["sex"] == "M"
    assert body["national_id"] == PESEL_LUKASZ
    assert body["household"] == household.pk
    assert "ignore_similar" not in body
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.object_id, event.person_id) == (
        "view",
        "person",
        lukasz.pk,
        lukasz.pk,
    )
    assert (event.actor, event.ip, event.channel) == (pl_worker, "10.1.2.3", "api")


def test_another_centres_person_answers_404_and_logs_nothing(md_worker, lukasz):
    response = api(md_worker).get(detail(lukasz.pk))

    assert response.status_code == 404
    assert AuditEvent.objects.count() == 0


def test_unknown_person_answers_404(pl_worker):
    assert api(pl_worker).get(detail(999999)).status_code == 404


def test_a_list_and_a_search_each_log_one_view_naming_every_person_shown(pl_worker, lukasz):
    other = PersonFactory(centre=pl_worker.centre, first_name="Anna", last_name="Zając")
    api(pl_worker).get(LIST)
    api(pl_worker).get(LIST, {"search": "lukasz"})

    listing, search = AuditEvent.objects.filter(action=AuditAction.VIEW).order_by("id")
    assert (listing.object_type, listing.object_id, listing.person_id) == ("person", None, None)
    assert sorted(listing.further_persons.values_list("person_id", flat=True)) == sorted([lukasz.pk, other.pk])
    assert listing.changes == {}
    assert (search.object_type, search.person_id, search.changes) == ("person", lukasz.pk, {"search": [None, "lukasz"]})
    assert not search.further_persons.exists()


def test_an_empty_result_logs_nothing(pl_worker, lukasz):
    api(pl_worker).get(LIST, {"search": "zzzzzz"})
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW).exists()


# --- updates -------------------------------------------------------------------------------------------


def test_patch_changes_one_field_and_audits_before_and_after(pl_worker, lukasz):
    response = api(pl_worker).patch(detail(lukasz.pk), {"phone": "600 700 800"}, format="json")

    assert response.status_code == 200
    assert response.json()["phone"] == "600 700 800"
    assert response.json()["first_name"] == "Łukasz"
    lukasz.refresh_from_db()
    assert lukasz.phone == "600 700 800"
    event = AuditEvent.objects.get(action=AuditAction.UPDATE)
    assert event.changes == {"phone": ["", "600 700 800"]}


def test_patch_sex_null_stores_unknown(pl_worker):
    person = PersonFactory(centre=pl_worker.centre, sex="F", national_id="")

    response = api(pl_worker).patch(detail(person.pk), {"sex": None}, format="json")

    assert response.status_code == 200
    assert response.json()["sex"] is None
    person.refresh_from_db()
    assert person.sex == ""


def test_put_replaces_fields_and_requires_the_names(pl_worker, lukasz):
    client = api(pl_worker)

    missing = client.put(detail(lukasz.pk), {"phone": "1"}, format="json")
    assert missing.status_code == 400
    assert set(missing.json()) == {"first_name", "last_name"}

    response = client.put(
        detail(lukasz.pk),
        {"first_name": "Łukasz", "last_name": "Kowalski-Nowak", "birth_date": "1944-05-14", "sex": "M"},
        format="json",
    )
    assert response.status_code == 200
    lukasz.refresh_from_db()
    assert lukasz.last_name == "Kowalski-Nowak"
    assert lukasz.national_id == PESEL_LUKASZ  # not sent: kept


def test_update_with_a_pesel_that_contradicts_the_sex_answers_400_and_changes_nothing(pl_worker, lukasz):
    before = counts()

    response = api(pl_worker).patch(detail(lukasz.pk), {"sex": "F"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["national_id"]
    lukasz.refresh_from_db()
    assert lukasz.sex == "M"
    assert counts() == before


def test_update_to_another_persons_national_id_answers_400_with_duplicate_of(pl_worker, lukasz):
    pesel = make_pesel(dt.date(1980, 3, 1), "F", serial=123)
    anna = PersonFactory(
        centre=pl_worker.centre, first_name="Anna", sex="F", birth_date=dt.date(1980, 3, 1), national_id=pesel
    )

    response = api(pl_worker).patch(
        detail(lukasz.pk), {"national_id": pesel, "birth_date": "1980-03-01", "sex": "F"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["duplicate_of"] == anna.pk
    lukasz.refresh_from_db()
    assert lukasz.national_id == PESEL_LUKASZ


def test_update_of_another_centres_person_answers_404_whatever_the_body(md_worker, lukasz):
    before = counts()
    client = api(md_worker)

    assert client.patch(detail(lukasz.pk), {"phone": "1"}, format="json").status_code == 404
    assert client.patch(detail(lukasz.pk), {"sex": "X"}, format="json").status_code == 404
    assert client.put(detail(lukasz.pk), {}, format="json").status_code == 404
    lukasz.refresh_from_db()
    assert lukasz.phone == ""
    assert counts() == before


def test_delete_is_not_offered(pl_worker, lukasz):
    assert api(pl_worker).delete(detail(lukasz.pk)).status_code == 405
    assert Person.objects.filter(pk=lukasz.pk).exists()
