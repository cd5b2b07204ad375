"""Registering, updating and opening a person: checks, duplicates, audit, and who may do it."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation

from socius.accounts.models import AuditEvent
from socius.accounts.roles import Role
from socius.common.context import RequestOrigin, reset_origin, set_origin
from socius.common.errors import Forbidden, NotFound, ValidationFailed
from socius.registry.models import Person
from socius.registry.services import open_person_record, register_person, update_person
from socius.testing.factories import PersonFactory, TerritoryFactory, UserFactory, make_pesel

EDITORS = [Role.SOCIAL_WORKER, Role.FAMILY_ASSISTANT, Role.TEAM_LEADER, Role.DIRECTOR, Role.ADMINISTRATOR]
READ_ONLY = [Role.FINANCE_OFFICER, Role.AUDITOR]

LUKASZ = {
    "first_name": "Łukasz",
    "last_name": "Kowalski",
    "birth_date": dt.date(1944, 5, 14),
    "sex": "M",
    "national_id": "44051401359",
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _nothing_written():
    return Person.objects.count() == 0 and AuditEvent.objects.count() == 0


def _events():
    return list(AuditEvent.objects.order_by("id").values_list("action", "object_type", "object_id", "changes"))


# --- register_person -----------------------------------------------------------------------------


def test_registered_person_belongs_to_the_actors_centre_with_search_columns(pl_worker):
    person = register_person(pl_worker, {**LUKASZ, "phone": "+48 600-100-200", "street_address": "ul. Długa 1"})

    person.refresh_from_db()
    assert (person.centre, person.created_by) == (pl_worker.centre, pl_worker)
    assert (person.search_name, person.search_address, person.phone_digits) == (
        "lukasz kowalski",
        "ul. dluga 1",
        "48600100200",
    )


def test_registration_is_audited_with_the_non_empty_fields_only(pl_worker):
    village = TerritoryFactory(jurisdiction="PL", parent=pl_worker.centre.territory, level="village", name="Wola")

    person = register_person(pl_worker, {**LUKASZ, "territory": village, "phone": "600100200", "notes": ""})

    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.object_type, event.object_id, event.person_id, event.centre_id) == (
        pl_worker,
        "create",
        "person",
        person.pk,
        person.pk,
        pl_worker.centre_id,
    )
    assert event.changes == {
        "first_name": [None, "Łukasz"],
        "last_name": [None, "Kowalski"],
        "birth_date": [None, "1944-05-14"],
        "sex": [None, "M"],
        "national_id": [None, "44051401359"],
        "territory": [None, village.pk],
        "phone": [None, "600100200"],
    }


def test_registration_stores_the_national_id_compacted(pl_worker):
    person = register_person(pl_worker, {**LUKASZ, "national_id": " 440 514-013 59 "})

    assert Person.objects.get(pk=person.pk).national_id == "44051401359"


def test_person_without_national_id_is_allowed_and_stored_blank(pl_worker):
    first = register_person(pl_worker, {"first_name": "Anna", "last_name": "Nowak", "national_id": "   "})
    second = register_person(pl_worker, {"first_name": "Ewa", "last_name": "Zielińska", "national_id": None})

    assert list(Person.objects.order_by("id").values_list("pk", "national_id")) == [(first.pk, ""), (second.pk, "")]


def test_fields_outside_the_person_form_are_ignored(pl_worker, md_centre):
    person = register_person(pl_worker, {**LUKASZ, "centre": md_centre, "created_by": None, "search_name": "x"})

    person.refresh_from_db()
    assert (person.centre_id, person.created_by_id, person.search_name) == (
        pl_worker.centre_id,
        pl_worker.pk,
        "lukasz kowalski",
    )


def test_registration_without_names_is_refused_and_nothing_is_written(pl_worker):
    with pytest.raises(ValidationFailed) as exc:
        register_person(pl_worker, {"first_name": " ", "last_name": ""})

    assert exc.value.errors == {"first_name": ["Enter the given names."], "last_name": ["Enter the family name."]}
    assert _nothing_written()


def test_future_birth_date_is_refused_and_nothing_is_written(pl_worker):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    with pytest.raises(ValidationFailed) as exc:
        register_person(pl_worker, {"first_name": "Anna", "last_name": "Nowak", "birth_date": tomorrow})

    assert exc.value.errors == {"birth_date": ["The birth date cannot be in the future."]}
    assert _nothing_written()


def test_birth_date_of_today_is_accepted(pl_worker):
    today = timezone.localdate()

    person = register_person(pl_worker, {"first_name": "Nowo", "last_name": "Narodzony", "birth_date": today})

    assert person.birth_date == today


def test_wrong_pesel_is_refused_on_the_national_id_field_and_nothing_is_written(pl_worker):
    with pytest.raises(ValidationFailed) as exc:
        register_person(pl_worker, {**LUKASZ, "national_id": "44051401358"})

    assert exc.value.errors == {"national_id": ["PESEL check digit is wrong: the number was probably mistyped."]}
    assert exc.value.extra == {}
    assert _nothing_written()


def test_pesel_contradicting_the_entered_birth_date_and_sex_is_refused(pl_worker):
    with pytest.raises(ValidationFailed) as exc:
        register_person(pl_worker, {**LUKASZ, "birth_date": dt.date(1944, 5, 15), "sex": "F"})

    assert exc.value.errors == {
        "national_id": [
            "PESEL encodes the birth date 14/05/1944, which differs from the birth date entered.",
            "PESEL encodes the sex male, which differs from the sex entered.",
        ]
    }
    assert _nothing_written()


def test_national_id_is_checked_by_the_rules_of_the_actors_country(lt_worker, md_worker):
    # A valid PESEL of a 2002 birth has the length of an asmens kodas but not its century digit.
    with pytest.raises(ValidationFailed) as exc:
        register_person(lt_worker, {"first_name": "Ąžuolas", "last_name": "Kazlauskas", "national_id": "02211307589"})
    assert exc.value.errors == {"national_id": ["Asmens kodas must begin with 1-6, 9."]}

    lt = register_person(lt_worker, {"first_name": "Jonas", "last_name": "Jonaitis", "national_id": "33309240064"})
    md = register_person(md_worker, {"first_name": "Șerban", "last_name": "Țurcanu", "national_id": "2002001234567"})
    assert (lt.national_id, md.national_id) == ("33309240064", "2002001234567")


def test_existing_national_id_blocks_with_a_link_to_that_person(pl_worker, pl_worker2):
    existing = register_person(pl_worker, LUKASZ)
    events_before = _events()

    with pytest.raises(ValidationFailed) as exc:
        register_person(pl_worker2, {"first_name": "Lukas", "last_name": "Kowal", "national_id": "4405 1401 359"})

    assert exc.value.errors == {"national_id": ["A person with this national ID is already registered."]}
    assert exc.value.extra == {"duplicate_of": existing.pk}
    assert list(Person.objects.values_list("pk", flat=True)) == [existing.pk]
    assert _events() == events_before


def test_same_national_id_in_another_centre_is_another_record(pl_worker):
    other_centre_worker = UserFactory(centre__jurisdiction="PL", role=Role.SOCIAL_WORKER)
    mine = register_person(pl_worker, LUKASZ)

    theirs = register_person(other_centre_worker, LUKASZ)

    assert mine.pk != theirs.pk
    assert theirs.centre_id == other_centre_worker.centre_id


def test_similar_name_with_same_birth_date_asks_for_confirmation(pl_worker):
    existing = PersonFactory(
        centre=pl_worker.centre, first_name="Łukasz", last_name="Kowalski", birth_date=dt.date(1980, 2, 3)
    )

    with pytest.raises(ValidationFailed) as exc:
        register_person(pl_worker, {"first_name": "Lukasz", "last_name": "Kowalsky", "birth_date": dt.date(1980, 2, 3)})

    assert list(exc.value.errors) == ["non_field_errors"]
    assert exc.value.extra == {"possible_duplicates": [existing.pk]}
    assert list(Person.objects.values_list("pk", flat=True)) == [existing.pk]
    assert AuditEvent.objects.count() == 0


def test_similar_name_is_saved_when_confirmed_as_a_different_person(pl_worker):
    existing = PersonFactory(
        centre=pl_worker.centre, first_name="Łukasz", last_name="Kowalski", birth_date=dt.date(1980, 2, 3)
    )

    person = register_person(
        pl_worker,
        {"first_name": "Lukasz", "last_name": "Kowalsky", "birth_date": dt.date(1980, 2, 3)},
        allow_similar=True,
    )

    assert set(Person.objects.values_list("pk", flat=True)) == {existing.pk, person.pk}


@pytest.mark.parametrize(
    ("first_name", "last_name", "birth_date"),
    [
        ("Łukasz", "Kowalski", dt.date(1980, 2, 4)),  # same name, another birth date
        ("Marianna", "Wiśniewska", dt.date(1980, 2, 3)),  # same birth date, another name
        ("Łukasz", "Kowalski", None),  # no birth date to compare
    ],
)
def test_no_confirmation_is_asked_without_both_similar_name_and_same_birth_date(
    pl_worker, first_name, last_name, birth_date
):
    PersonFactory(centre=pl_worker.centre, first_name="Łukasz", last_name="Kowalski", birth_date=dt.date(1980, 2, 3))

    register_person(pl_worker, {"first_name": first_name, "last_name": last_name, "birth_date": birth_date})

    assert Person.objects.count() == 2


def test_similar_person_of_another_centre_is_not_a_candidate(pl_worker, md_centre):
    PersonFactory(centre=md_centre, first_name="Łukasz", last_name="Kowalski", birth_date=dt.date(1980, 2, 3))

    register_person(pl_worker, {"first_name": "Łukasz", "last_name": "Kowalski", "birth_date": dt.date(1980, 2, 3)})

    assert Person.objects.filter(centre=pl_worker.centre).count() == 1


def test_locality_of_another_country_is_refused(pl_worker, md_centre):
    with pytest.raises(ValidationFailed) as exc:
        register_person(pl_worker, {**LUKASZ, "territory": md_centre.territory})

    assert exc.value.errors == {"territory": ["Choose a locality in your centre's area."]}
    assert _nothing_written()


# --- update_person -------------------------------------------------------------------------------


@pytest.fixture
def lukasz(pl_worker):
    person = register_person(pl_worker, {**LUKASZ, "phone": "600100200"})
    AuditEvent.objects.all().delete()
    return person


def test_update_is_audited_with_before_and_after_of_changed_fields_only(pl_worker2, lukasz):
    person = update_person(pl_worker2, lukasz.pk, {"last_name": "Nowak", "phone": "", "first_name": "Łukasz"})

    person.refresh_from_db()
    assert (person.last_name, person.phone, person.search_name) == ("Nowak", "", "lukasz nowak")
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.object_type, event.object_id, event.person_id) == (
        pl_worker2,
        "update",
        "person",
        lukasz.pk,
        lukasz.pk,
    )
    assert event.changes == {"last_name": ["Kowalski", "Nowak"], "phone": ["600100200", ""]}


def test_update_without_changes_records_no_event(pl_worker, lukasz):
    updated_at = Person.objects.get(pk=lukasz.pk).updated_at

    update_person(pl_worker, lukasz.pk, {"first_name": "Łukasz", "national_id": "440-514-013-59"})

    assert AuditEvent.objects.count() == 0
    assert Person.objects.get(pk=lukasz.pk).updated_at == updated_at


def test_update_keeps_fields_not_given(pl_worker, lukasz):
    update_person(pl_worker, lukasz.pk, {"notes": "Wywiad 2024-03-01"})

    person = Person.objects.get(pk=lukasz.pk)
    assert (person.first_name, person.national_id, person.phone, person.notes) == (
        "Łukasz",
        "44051401359",
        "600100200",
        "Wywiad 2024-03-01",
    )


def test_update_to_another_persons_national_id_is_refused_and_nothing_changes(pl_worker, lukasz):
    other = register_person(
        pl_worker, {"first_name": "Zofia", "last_name": "Nowak", "national_id": "02211307589", "sex": "F"}
    )
    AuditEvent.objects.all().delete()

    with pytest.raises(ValidationFailed) as exc:
        update_person(
            pl_worker,
            other.pk,
            {"national_id": "44051401359", "sex": "M", "birth_date": dt.date(1944, 5, 14), "last_name": "Kowalska"},
        )

    assert exc.value.extra == {"duplicate_of": lukasz.pk}
    other.refresh_from_db()
    assert (other.national_id, other.sex, other.last_name) == ("02211307589", "F", "Nowak")
    assert AuditEvent.objects.count() == 0


def test_update_contradicting_the_pesel_is_refused(pl_worker, lukasz):
    with pytest.raises(ValidationFailed) as exc:
        update_person(pl_worker, lukasz.pk, {"sex": "F"})

    assert exc.value.errors == {"national_id": ["PESEL encodes the sex male, which differs from the sex entered."]}
    assert Person.objects.get(pk=lukasz.pk).sex == "M"
    assert AuditEvent.objects.count() == 0


def test_update_of_another_centres_person_is_not_found(md_worker, lukasz):
    with pytest.raises(NotFound):
        update_person(md_worker, lukasz.pk, {"last_name": "Popescu"})

    assert Person.objects.get(pk=lukasz.pk).last_name == "Kowalski"
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize("person_id", [999999, "abc", None])
def test_update_of_unknown_person_is_not_found(pl_worker, person_id):
    with pytest.raises(NotFound):
        update_person(pl_worker, person_id, {"last_name": "X"})


def test_update_does_not_stop_on_similar_names_unless_asked(pl_worker):
    PersonFactory(centre=pl_worker.centre, first_name="Jan", last_name="Nowak", birth_date=dt.date(1970, 1, 1))
    other = PersonFactory(
        centre=pl_worker.centre, first_name="Jan", last_name="Nowacki", birth_date=dt.date(1970, 1, 1)
    )

    with pytest.raises(ValidationFailed) as exc:
        update_person(pl_worker, other.pk, {"last_name": "Nowak"}, allow_similar=False)
    assert len(exc.value.extra["possible_duplicates"]) == 1

    update_person(pl_worker, other.pk, {"last_name": "Nowak"})
    assert Person.objects.get(pk=other.pk).last_name == "Nowak"


# --- open_person_record --------------------------------------------------------------------------


@pytest.fixture
def from_the_api():
    token = set_origin(RequestOrigin(ip="203.0.113.9", channel="api"))
    yield
    reset_origin(token)


def test_opening_a_record_logs_exactly_one_view_with_address_and_channel(pl_finance, lukasz, from_the_api):
    person = open_person_record(pl_finance, str(lukasz.pk))

    assert person == lukasz
    assert list(
        AuditEvent.objects.values_list(
            "actor", "action", "object_type", "object_id", "person_id", "centre", "ip", "channel"
        )
    ) == [(pl_finance.pk, "view", "person", lukasz.pk, lukasz.pk, pl_finance.centre_id, "203.0.113.9", "api")]


def test_opening_another_centres_record_is_not_found_and_not_logged(md_director, lukasz, from_the_api):
    with pytest.raises(NotFound):
        open_person_record(md_director, lukasz.pk)

    assert AuditEvent.objects.count() == 0


# --- who may register and update -----------------------------------------------------------------


@pytest.mark.parametrize("role", EDITORS)
def test_roles_doing_casework_may_register_and_update(pl_centre, role):
    actor = UserFactory(centre=pl_centre, role=role)

    person = register_person(actor, LUKASZ)
    update_person(actor, person.pk, {"phone": "600100200"})

    assert Person.objects.get(pk=person.pk).phone == "600100200"


@pytest.mark.parametrize("role", READ_ONLY)
def test_read_only_roles_may_not_register(pl_centre, role):
    actor = UserFactory(centre=pl_centre, role=role)

    with pytest.raises(Forbidden):
        register_person(actor, LUKASZ)

    assert _nothing_written()


@pytest.mark.parametrize("role", READ_ONLY)
def test_read_only_roles_may_not_update(pl_centre, lukasz, role):
    actor = UserFactory(centre=pl_centre, role=role)

    with pytest.raises(Forbidden):
        update_person(actor, lukasz.pk, {"last_name": "Nowak"})

    assert Person.objects.get(pk=lukasz.pk).last_name == "Kowalski"
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize("role", list(Role))
def test_nobody_from_another_centre_may_update(md_centre, lukasz, role):
    actor = UserFactory(centre=md_centre, role=role)

    # Casework roles learn only that there is no such person; read-only roles are refused first.
    with pytest.raises(NotFound if role in EDITORS else Forbidden):
        update_person(actor, lukasz.pk, {"last_name": "Nowak"})

    assert Person.objects.get(pk=lukasz.pk).last_name == "Kowalski"


@pytest.mark.parametrize("role", list(Role))
def test_inactive_users_and_users_without_centre_may_not_register_or_update(pl_centre, lukasz, role):
    inactive = UserFactory(centre=pl_centre, role=role, is_active=False)
    homeless = UserFactory(centre=None, role=role)

    for actor in (inactive, homeless):
        with pytest.raises(Forbidden):
            register_person(actor, {"first_name": "Anna", "last_name": "Nowak"})
        with pytest.raises(Forbidden):
            update_person(actor, lukasz.pk, {"last_name": "Nowak"})

    assert list(Person.objects.values_list("last_name", flat=True)) == ["Kowalski"]
    assert AuditEvent.objects.count() == 0


def test_anonymous_may_not_register_update_or_open(lukasz):
    with pytest.raises(Forbidden):
        register_person(AnonymousUser(), LUKASZ)
    with pytest.raises(Forbidden):
        update_person(AnonymousUser(), lukasz.pk, {"last_name": "Nowak"})
    with pytest.raises(Forbidden):
        open_person_record(AnonymousUser(), lukasz.pk)

    assert AuditEvent.objects.count() == 0


# --- what the ID encodes, duplicates registered earlier without an ID, the centre's area -------------


def test_birth_date_and_sex_left_empty_are_taken_from_the_pesel(pl_worker):
    person = register_person(pl_worker, {"first_name": "Łukasz", "last_name": "Kowalski", "national_id": "44051401359"})

    person.refresh_from_db()
    assert (person.birth_date, person.sex) == (dt.date(1944, 5, 14), "M")


def test_pesel_encoding_a_future_birth_date_is_refused(pl_worker):
    # 2101-01-01, month + 40 for the 2100s; valid checksum.
    future = make_pesel(dt.date(2101, 1, 1), "F", serial=1)

    with pytest.raises(ValidationFailed) as exc:
        register_person(pl_worker, {"first_name": "Ewa", "last_name": "Nowak", "national_id": future})

    assert exc.value.errors == {"national_id": ["The birth date encoded in this number is in the future."]}
    assert _nothing_written()


def test_earlier_record_without_id_is_offered_when_registering_with_an_id(pl_worker):
    earlier = register_person(
        pl_worker, {"first_name": "Lukasz", "last_name": "Kowalski", "birth_date": dt.date(1944, 5, 14)}
    )

    with pytest.raises(ValidationFailed) as exc:
        register_person(pl_worker, LUKASZ)

    assert exc.value.extra == {"possible_duplicates": [earlier.pk]}
    assert Person.objects.count() == 1


def test_persons_with_different_ids_are_not_offered_as_duplicates(pl_worker):
    register_person(pl_worker, {**LUKASZ, "national_id": make_pesel(dt.date(1944, 5, 14), "M", serial=2)})

    person = register_person(pl_worker, LUKASZ)

    assert Person.objects.count() == 2 and person.national_id == "44051401359"


def test_locality_outside_the_centres_area_is_refused(pl_worker):
    other_gmina = TerritoryFactory(jurisdiction="PL", level="municipality", name="Rozprza")

    with pytest.raises(ValidationFailed) as exc:
        register_person(pl_worker, {**LUKASZ, "territory": other_gmina})

    assert exc.value.errors == {"territory": ["Choose a locality in your centre's area."]}
    assert _nothing_written()
