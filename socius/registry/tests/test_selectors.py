"""Registry reads: scoped to the actor's centre (another centre's record is 'not found'), for every role."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models.signals import post_init

from socius.accounts.roles import Role
from socius.common.errors import Forbidden, NotFound
from socius.registry.models import Person
from socius.registry.selectors import (
    attach_current_households,
    current_membership_of,
    find_person_by_national_id,
    find_similar_persons,
    get_household_for,
    get_person_for,
    household_history,
    list_households_for,
    list_persons_for,
    membership_history_of,
    search_persons_for,
    search_results_for,
)
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, UserFactory

D1 = dt.date(2023, 1, 1)
D2 = dt.date(2024, 1, 1)


@pytest.fixture
def records(pl_centre, md_centre):
    """One person in one household in each of two centres."""
    pl_person = PersonFactory(centre=pl_centre, first_name="Łukasz", last_name="Wójcik", national_id="44051401359")
    pl_household = HouseholdFactory(centre=pl_centre)
    MembershipFactory(household=pl_household, person=pl_person, relationship="head", valid_from=D1)
    md_person = PersonFactory(centre=md_centre, first_name="Ion", last_name="Rusu", national_id="2002001234567")
    md_household = HouseholdFactory(centre=md_centre)
    MembershipFactory(household=md_household, person=md_person, relationship="head", valid_from=D1)
    return {"pl_person": pl_person, "pl_household": pl_household, "md_person": md_person, "md_household": md_household}


# --- the access matrix: every role x own centre / other centre / anonymous, inactive, no centre ----


REGISTRY_READERS = [role for role in Role if role != Role.CARER]  # a carer reads only the day's visits


@pytest.mark.parametrize("role", REGISTRY_READERS)
def test_every_role_reads_its_own_centres_persons_and_households(pl_centre, records, role):
    actor = UserFactory(centre=pl_centre, role=role)

    assert list(list_persons_for(actor)) == [records["pl_person"]]
    assert get_person_for(actor, records["pl_person"].pk) == records["pl_person"]
    assert list(list_households_for(actor)) == [records["pl_household"]]
    assert get_household_for(actor, records["pl_household"].pk) == records["pl_household"]


def test_a_carer_is_refused_the_registry(pl_centre, records):
    actor = UserFactory(centre=pl_centre, role=Role.CARER)

    with pytest.raises(Forbidden):
        list_persons_for(actor)
    with pytest.raises(Forbidden):
        get_household_for(actor, records["pl_household"].pk)


@pytest.mark.parametrize("role", REGISTRY_READERS)
def test_another_centres_persons_and_households_are_not_found_for_any_role(md_centre, records, role):
    actor = UserFactory(centre=md_centre, role=role)

    assert records["pl_person"] not in list_persons_for(actor)
    assert records["pl_household"] not in list_households_for(actor)
    with pytest.raises(NotFound):
        get_person_for(actor, records["pl_person"].pk)
    with pytest.raises(NotFound):
        get_household_for(actor, records["pl_household"].pk)


@pytest.mark.parametrize("role", list(Role))
def test_inactive_users_and_users_without_centre_read_nothing(pl_centre, records, role):
    for actor in (UserFactory(centre=pl_centre, role=role, is_active=False), UserFactory(centre=None, role=role)):
        with pytest.raises(Forbidden):
            list_persons_for(actor)
        with pytest.raises(Forbidden):
            get_person_for(actor, records["pl_person"].pk)
        with pytest.raises(Forbidden):
            list_households_for(actor)
        with pytest.raises(Forbidden):
            get_household_for(actor, records["pl_household"].pk)
        with pytest.raises(Forbidden):
            search_persons_for(actor, "Łukasz")


def test_anonymous_reads_nothing(records):
    actor = AnonymousUser()
    with pytest.raises(Forbidden):
        list_persons_for(actor)
    with pytest.raises(Forbidden):
        get_person_for(actor, records["pl_person"].pk)
    with pytest.raises(Forbidden):
        list_households_for(actor)
    with pytest.raises(Forbidden):
        get_household_for(actor, records["pl_household"].pk)


@pytest.mark.parametrize("record_id", [999999, "abc", None, "1.5", ""])
def test_unknown_or_malformed_ids_are_not_found(pl_worker, records, record_id):
    with pytest.raises(NotFound):
        get_person_for(pl_worker, record_id)
    with pytest.raises(NotFound):
        get_household_for(pl_worker, record_id)


def test_ids_given_as_text_are_found(pl_worker, records):
    assert get_person_for(pl_worker, str(records["pl_person"].pk)) == records["pl_person"]


# --- search stays in the centre -------------------------------------------------------------------


def test_search_finds_own_centres_person_with_the_current_household(pl_worker, records):
    found = search_persons_for(pl_worker, "44051401359")

    assert found == [records["pl_person"]]
    assert found[0].current_membership.household == records["pl_household"]


def test_search_never_returns_another_centres_person(md_worker, records):
    assert search_persons_for(md_worker, "44051401359") == []
    assert search_persons_for(md_worker, "Łukasz Wójcik") == []


def test_search_results_read_only_the_persons_of_the_slice_asked_for(pl_worker, django_assert_num_queries):
    for i in range(30):
        person = PersonFactory(centre=pl_worker.centre, first_name="Łukasz", last_name=f"Nowak{i:02d}")
        MembershipFactory(household=HouseholdFactory(centre=pl_worker.centre), person=person)
    results = search_results_for(pl_worker, "lukasz", limit=100)
    everyone = search_persons_for(pl_worker, "lukasz", limit=100)
    read = []

    def count_persons(sender, instance, **kwargs):
        read.append(instance.pk)

    post_init.connect(count_persons, sender=Person)
    try:
        with django_assert_num_queries(2):  # the slice's persons, their current households
            page = results[10:20]
    finally:
        post_init.disconnect(count_persons, sender=Person)

    assert len(results) == 30
    assert page == everyone[10:20]
    assert sorted(read) == sorted(p.pk for p in page)
    assert all(p.current_membership is not None for p in page)
    assert list(results) == everyone
    assert results[-1] == everyone[-1]


def test_search_within_a_wider_queryset_stays_in_the_centre(md_worker, records):
    assert search_persons_for(md_worker, "44051401359", within=Person.objects.all()) == []


# --- memberships ----------------------------------------------------------------------------------


@pytest.fixture
def moved(pl_centre):
    """Ewa lived in one household until D2, then moved to another."""
    ewa = PersonFactory(centre=pl_centre, first_name="Ewa")
    first = HouseholdFactory(centre=pl_centre)
    second = HouseholdFactory(centre=pl_centre)
    old = MembershipFactory(household=first, person=ewa, relationship="child", valid_from=D1, valid_until=D2)
    new = MembershipFactory(household=second, person=ewa, relationship="head", valid_from=D2)
    return ewa, first, second, old, new


def test_current_membership_is_the_one_without_end(moved):
    ewa, _first, second, _old, new = moved

    membership = current_membership_of(ewa)

    assert membership == new
    assert membership.household == second


def test_person_without_household_has_no_current_membership(pl_centre):
    assert current_membership_of(PersonFactory(centre=pl_centre)) is None


def test_membership_history_is_newest_first_and_keeps_ended_ones(moved):
    ewa, _first, _second, old, new = moved

    assert list(membership_history_of(ewa)) == [new, old]


def test_attaching_current_households_takes_one_query(pl_centre, moved, django_assert_num_queries):
    ewa, _first, second, _old, _new = moved
    alone = PersonFactory(centre=pl_centre)
    persons = list(Person.objects.filter(pk__in=[ewa.pk, alone.pk]).order_by("pk"))

    with django_assert_num_queries(1):
        attach_current_households(persons)
        households = [p.current_membership.household if p.current_membership else None for p in persons]

    assert households == [second, None]


def test_households_list_their_current_members_only(pl_worker, moved):
    _ewa, first, second, _old, new = moved
    partner = PersonFactory(centre=pl_worker.centre)
    joined = MembershipFactory(household=second, person=partner, relationship="partner", valid_from=D2)

    by_id = {h.pk: h for h in list_households_for(pl_worker)}

    assert by_id[first.pk].current_members == []
    assert by_id[second.pk].current_members == [new, joined]


def test_household_history_is_newest_first_including_past_members(pl_centre, moved):
    _ewa, first, _second, old, _new = moved
    stayer = MembershipFactory(household=first, person=PersonFactory(centre=pl_centre), valid_from=D2)

    assert list(household_history(first)) == [stayer, old]


# --- duplicate candidates -------------------------------------------------------------------------


def test_similar_persons_share_the_birth_date_and_a_close_folded_name(pl_centre, md_centre):
    born = dt.date(1985, 7, 7)
    near = PersonFactory(centre=pl_centre, first_name="Małgorzata", last_name="Wiśniewska", birth_date=born)
    PersonFactory(centre=pl_centre, first_name="Małgorzata", last_name="Wiśniewska", birth_date=dt.date(1985, 7, 8))
    PersonFactory(centre=pl_centre, first_name="Barbara", last_name="Lewandowska", birth_date=born)
    PersonFactory(centre=md_centre, first_name="Małgorzata", last_name="Wiśniewska", birth_date=born)

    found = find_similar_persons(pl_centre.pk, first_name="Malgorzata", last_name="Wisniewska", birth_date=born)

    assert found == [near]


def test_name_order_and_script_do_not_hide_a_similar_person(md_centre):
    born = dt.date(1960, 12, 1)
    olga = PersonFactory(centre=md_centre, first_name="Ольга", last_name="Иванова", birth_date=born)

    assert find_similar_persons(md_centre.pk, first_name="Ivanova", last_name="Olga", birth_date=born) == [olga]


def test_no_similar_persons_without_a_birth_date_or_when_it_is_the_person_itself(pl_centre):
    born = dt.date(1985, 7, 7)
    me = PersonFactory(centre=pl_centre, first_name="Jan", last_name="Kowalski", birth_date=born)

    assert find_similar_persons(pl_centre.pk, first_name="Jan", last_name="Kowalski", birth_date=None) == []
    assert (
        find_similar_persons(pl_centre.pk, first_name="Jan", last_name="Kowalski", birth_date=born, exclude_pk=me.pk)
        == []
    )


def test_person_by_national_id_in_the_centre_only(pl_centre, md_centre, records):
    pl_person = records["pl_person"]

    assert find_person_by_national_id(pl_centre.pk, "44051401359") == pl_person
    assert find_person_by_national_id(md_centre.pk, "44051401359") is None
    assert find_person_by_national_id(pl_centre.pk, "44051401359", exclude_pk=pl_person.pk) is None
    assert find_person_by_national_id(pl_centre.pk, "") is None


def test_persons_without_national_id_are_never_matched_by_id(pl_centre):
    PersonFactory(centre=pl_centre, national_id="")

    assert find_person_by_national_id(pl_centre.pk, "") is None
