"""Households: members with dated memberships, moves between households, history and audit."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import translation

from socius.accounts.models import AuditEvent
from socius.accounts.roles import Role
from socius.common.errors import Forbidden, NotFound, ValidationFailed
from socius.registry.models import Household, Membership
from socius.registry.services import MemberSpec, create_household, end_membership, update_household
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, TerritoryFactory, UserFactory

D1 = dt.date(2024, 1, 15)
D2 = dt.date(2024, 6, 1)
D3 = dt.date(2024, 9, 1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def family(pl_centre):
    """Four persons of the Polish centre: mother, father, child, grandmother."""
    return [
        PersonFactory(centre=pl_centre, first_name=name, last_name="Kowalscy", birth_date=born)
        for name, born in [
            ("Anna", dt.date(1980, 1, 1)),
            ("Piotr", dt.date(1979, 2, 2)),
            ("Zosia", dt.date(2012, 3, 3)),
            ("Halina", dt.date(1950, 4, 4)),
        ]
    ]


def _state():
    """Everything a refusal must leave untouched."""
    return (
        list(Household.objects.order_by("id").values_list("id", "street_address", "notes", "external_ref")),
        list(
            Membership.objects.order_by("id").values_list(
                "id", "household_id", "person_id", "relationship", "valid_from", "valid_until"
            )
        ),
        AuditEvent.objects.count(),
    )


def _memberships(household):
    return list(
        Membership.objects.filter(household=household)
        .order_by("person_id", "valid_from", "id")
        .values_list("person_id", "relationship", "valid_from", "valid_until")
    )


def _members_error(exc):
    return exc.value.errors["members"]


# --- create_household ----------------------------------------------------------------------------


def test_household_is_created_with_current_memberships_from_the_given_day(pl_worker, family):
    anna, piotr, zosia, _ = family

    household = create_household(
        pl_worker,
        {"street_address": "ul. Długa 1"},
        [MemberSpec(anna.pk, "head"), MemberSpec(piotr.pk, "spouse"), MemberSpec(zosia.pk, "child")],
        on=D1,
    )

    assert (household.centre, household.created_by, household.street_address) == (
        pl_worker.centre,
        pl_worker,
        "ul. Długa 1",
    )
    assert _memberships(household) == [
        (anna.pk, "head", D1, None),
        (piotr.pk, "spouse", D1, None),
        (zosia.pk, "child", D1, None),
    ]


def test_household_creation_is_audited_for_the_household_and_each_membership(pl_worker, family):
    anna, piotr, *_ = family

    household = create_household(
        pl_worker,
        {"street_address": "ul. Długa 1", "notes": ""},
        [MemberSpec(anna.pk, "head"), MemberSpec(piotr.pk, "partner")],
        on=D1,
    )

    m_anna = Membership.objects.get(person=anna)
    m_piotr = Membership.objects.get(person=piotr)
    assert list(
        AuditEvent.objects.order_by("id").values_list(
            "actor", "action", "object_type", "object_id", "person_id", "changes"
        )
    ) == [
        (pl_worker.pk, "create", "household", household.pk, None, {"street_address": [None, "ul. Długa 1"]}),
        (
            pl_worker.pk,
            "create",
            "membership",
            m_anna.pk,
            anna.pk,
            {"household": [None, household.pk], "relationship": [None, "head"]},
        ),
        (
            pl_worker.pk,
            "create",
            "membership",
            m_piotr.pk,
            piotr.pk,
            {"household": [None, household.pk], "relationship": [None, "partner"]},
        ),
    ]


@pytest.mark.parametrize(
    "relationships",
    [("spouse", "child"), ("head", "head")],
    ids=["no head", "two heads"],
)
def test_household_needs_exactly_one_head(pl_worker, family, relationships):
    anna, piotr, *_ = family
    before = _state()

    with pytest.raises(ValidationFailed) as exc:
        create_household(pl_worker, {}, [MemberSpec(anna.pk, relationships[0]), MemberSpec(piotr.pk, relationships[1])])

    assert exc.value.errors == {"members": ["Mark exactly one member as the head of the household."]}
    assert _state() == before


def test_household_without_members_is_refused(pl_worker):
    with pytest.raises(ValidationFailed) as exc:
        create_household(pl_worker, {"street_address": "ul. Krótka 2"}, [])

    assert exc.value.errors == {"members": ["A household needs at least one member."]}
    assert _state() == ([], [], 0)


def test_person_listed_twice_is_refused(pl_worker, family):
    anna, *_ = family

    with pytest.raises(ValidationFailed) as exc:
        create_household(pl_worker, {}, [MemberSpec(anna.pk, "head"), MemberSpec(anna.pk, "spouse")])

    assert exc.value.errors == {"members": ["A person is listed twice."]}
    assert _state() == ([], [], 0)


def test_unknown_relationship_is_refused(pl_worker, family):
    anna, piotr, *_ = family

    with pytest.raises(ValidationFailed) as exc:
        create_household(pl_worker, {}, [MemberSpec(anna.pk, "head"), MemberSpec(piotr.pk, "cousin")])

    assert exc.value.errors == {"members": ["Unknown relationship: cousin."]}
    assert _state() == ([], [], 0)


def test_unknown_person_and_another_centres_person_are_both_no_such_person(pl_worker, family, md_centre):
    anna, *_ = family
    stranger = PersonFactory(centre=md_centre)

    with pytest.raises(ValidationFailed) as exc:
        create_household(
            pl_worker, {}, [MemberSpec(anna.pk, "head"), MemberSpec(999999, "child"), MemberSpec(stranger.pk, "child")]
        )

    assert exc.value.errors == {"members": [f"No such person: 999999, {stranger.pk}."]}
    assert _state() == ([], [], 0)


def test_all_member_problems_are_reported_together(pl_worker, family):
    anna, *_ = family

    with pytest.raises(ValidationFailed) as exc:
        create_household(pl_worker, {}, [MemberSpec(anna.pk, "child"), MemberSpec(anna.pk, "child")])

    assert exc.value.errors == {
        "members": ["A person is listed twice.", "Mark exactly one member as the head of the household."]
    }


def test_locality_of_another_country_and_a_taken_reference_are_refused(pl_worker, family, md_centre):
    anna, piotr, *_ = family
    create_household(pl_worker, {"external_ref": "GOPS/7"}, [MemberSpec(anna.pk, "head")], on=D1)
    before = _state()

    with pytest.raises(ValidationFailed) as exc:
        create_household(
            pl_worker, {"external_ref": "GOPS/7", "territory": md_centre.territory}, [MemberSpec(piotr.pk, "head")]
        )

    assert exc.value.errors == {
        "territory": ["Choose a locality in your centre's area."],
        "external_ref": ["Another household already has this reference."],
    }
    assert _state() == before


def test_locality_of_the_centres_country_is_kept(pl_worker, family):
    village = TerritoryFactory(jurisdiction="PL", parent=pl_worker.centre.territory, level="village", name="Wola")

    household = create_household(pl_worker, {"territory": village}, [MemberSpec(family[0].pk, "head")])

    assert Household.objects.get(pk=household.pk).territory == village


def test_person_in_another_household_is_refused_unless_moved(pl_worker, family):
    anna, piotr, *_ = family
    first = create_household(pl_worker, {}, [MemberSpec(anna.pk, "head")], on=D1)
    before = _state()

    with pytest.raises(ValidationFailed) as exc:
        create_household(pl_worker, {}, [MemberSpec(piotr.pk, "head"), MemberSpec(anna.pk, "spouse")], on=D2)

    assert exc.value.errors == {
        "members": [f"Already a member of another household: Anna Kowalscy (household {first.pk})."]
    }
    assert exc.value.extra == {"in_other_household": [anna.pk]}
    assert _state() == before


def test_moving_ends_the_old_membership_on_the_day_and_starts_the_new_one(pl_worker, family):
    anna, piotr, *_ = family
    first = create_household(pl_worker, {}, [MemberSpec(anna.pk, "head")], on=D1)
    old = Membership.objects.get(person=anna)
    events_before = AuditEvent.objects.count()

    second = create_household(
        pl_worker, {}, [MemberSpec(piotr.pk, "head"), MemberSpec(anna.pk, "spouse")], on=D2, move=True
    )

    assert _memberships(first) == [(anna.pk, "head", D1, D2)]
    assert _memberships(second) == [(anna.pk, "spouse", D2, None), (piotr.pk, "head", D2, None)]
    moved = AuditEvent.objects.order_by("id")[events_before:]
    assert [(e.action, e.object_type, e.object_id, e.person_id, e.changes) for e in moved] == [
        ("create", "household", second.pk, None, {}),
        ("update", "membership", old.pk, anna.pk, {"household": [first.pk, None], "reason": [None, "moved"]}),
        (
            "create",
            "membership",
            Membership.objects.get(person=piotr).pk,
            piotr.pk,
            {"household": [None, second.pk], "relationship": [None, "head"]},
        ),
        (
            "create",
            "membership",
            Membership.objects.get(person=anna, household=second).pk,
            anna.pk,
            {"household": [None, second.pk], "relationship": [None, "spouse"]},
        ),
    ]


def test_household_creation_by_another_centre_cannot_take_our_members(md_worker, family):
    with pytest.raises(ValidationFailed) as exc:
        create_household(md_worker, {}, [MemberSpec(family[0].pk, "head")])

    assert exc.value.errors == {"members": [f"No such person: {family[0].pk}."]}
    assert _state() == ([], [], 0)


# --- update_household ----------------------------------------------------------------------------


@pytest.fixture
def household(pl_worker, family):
    anna, piotr, zosia, _ = family
    h = create_household(
        pl_worker,
        {"street_address": "ul. Długa 1"},
        [MemberSpec(anna.pk, "head"), MemberSpec(piotr.pk, "spouse"), MemberSpec(zosia.pk, "child")],
        on=D1,
    )
    AuditEvent.objects.all().delete()
    return h


def _specs(*pairs):
    return [MemberSpec(p.pk, rel) for p, rel in pairs]


def test_household_fields_update_is_audited_with_before_and_after(pl_worker, household):
    update_household(pl_worker, household.pk, {"street_address": "ul. Krótka 2", "notes": ""})

    assert Household.objects.get(pk=household.pk).street_address == "ul. Krótka 2"
    assert list(AuditEvent.objects.values_list("action", "object_type", "object_id", "changes")) == [
        ("update", "household", household.pk, {"street_address": ["ul. Długa 1", "ul. Krótka 2"]})
    ]


def test_household_update_without_changes_records_nothing(pl_worker, household, family):
    anna, piotr, zosia, _ = family

    update_household(
        pl_worker,
        household.pk,
        {"street_address": "ul. Długa 1"},
        _specs((anna, "head"), (piotr, "spouse"), (zosia, "child")),
        on=D2,
    )

    assert AuditEvent.objects.count() == 0
    assert Membership.objects.count() == 3


def test_update_without_member_list_leaves_memberships_alone(pl_worker, household):
    before = _memberships(household)

    update_household(pl_worker, household.pk, {"notes": "Wywiad środowiskowy"}, None, on=D2)

    assert _memberships(household) == before


def test_removed_member_keeps_history_ending_on_the_day(pl_worker, household, family):
    anna, piotr, zosia, _ = family

    update_household(pl_worker, household.pk, {}, _specs((anna, "head"), (zosia, "child")), on=D2)

    assert _memberships(household) == [
        (anna.pk, "head", D1, None),
        (piotr.pk, "spouse", D1, D2),
        (zosia.pk, "child", D1, None),
    ]
    m = Membership.objects.get(person=piotr)
    assert list(AuditEvent.objects.values_list("action", "object_type", "object_id", "person_id", "changes")) == [
        ("update", "membership", m.pk, piotr.pk, {"household": [household.pk, None], "reason": [None, "left"]})
    ]


def test_added_member_starts_on_the_day(pl_worker, household, family):
    anna, piotr, zosia, halina = family

    update_household(
        pl_worker,
        household.pk,
        {},
        _specs((anna, "head"), (piotr, "spouse"), (zosia, "child"), (halina, "parent")),
        on=D2,
    )

    assert Membership.objects.get(person=halina).valid_from == D2
    assert AuditEvent.objects.get().changes == {"household": [None, household.pk], "relationship": [None, "parent"]}


def test_relationship_change_keeps_the_old_relationship_in_history(pl_worker, household, family):
    anna, piotr, zosia, _ = family

    update_household(pl_worker, household.pk, {}, _specs((anna, "head"), (piotr, "partner"), (zosia, "child")), on=D2)

    assert [m for m in _memberships(household) if m[0] == piotr.pk] == [
        (piotr.pk, "spouse", D1, D2),
        (piotr.pk, "partner", D2, None),
    ]
    assert list(AuditEvent.objects.order_by("id").values_list("action", "changes")) == [
        ("update", {"household": [household.pk, None], "reason": [None, "relationship_changed"]}),
        ("create", {"household": [None, household.pk], "relationship": [None, "partner"]}),
    ]


def test_head_can_be_handed_over_on_a_later_day(pl_worker, household, family):
    anna, piotr, zosia, _ = family

    update_household(pl_worker, household.pk, {}, _specs((anna, "spouse"), (piotr, "head"), (zosia, "child")), on=D2)

    current = Membership.objects.filter(household=household, valid_until__isnull=True)
    assert sorted(current.values_list("person_id", "relationship")) == sorted(
        [(anna.pk, "spouse"), (piotr.pk, "head"), (zosia.pk, "child")]
    )
    assert Membership.objects.filter(household=household).count() == 5


def test_same_day_correction_replaces_the_membership_without_history(pl_worker, household, family):
    anna, piotr, zosia, _ = family
    wrong = Membership.objects.get(person=zosia)

    update_household(
        pl_worker, household.pk, {}, _specs((anna, "head"), (piotr, "spouse"), (zosia, "grandchild")), on=D1
    )

    assert [m for m in _memberships(household) if m[0] == zosia.pk] == [(zosia.pk, "grandchild", D1, None)]
    assert not Membership.objects.filter(pk=wrong.pk).exists()
    # The correction is still on record: what was deleted and what replaced it.
    assert list(AuditEvent.objects.order_by("id").values_list("action", "object_type", "object_id", "changes")) == [
        ("delete", "membership", wrong.pk, {"household": [household.pk, None], "relationship": ["child", None]}),
        (
            "create",
            "membership",
            Membership.objects.get(person=zosia).pk,
            {"household": [None, household.pk], "relationship": [None, "grandchild"]},
        ),
    ]


def test_same_day_head_swap_is_a_correction(pl_worker, household, family):
    anna, piotr, zosia, _ = family

    update_household(pl_worker, household.pk, {}, _specs((anna, "spouse"), (piotr, "head"), (zosia, "child")), on=D1)

    assert _memberships(household) == [
        (anna.pk, "spouse", D1, None),
        (piotr.pk, "head", D1, None),
        (zosia.pk, "child", D1, None),
    ]


def test_update_with_a_member_of_another_household_is_refused_with_nothing_changed(pl_worker, household, family):
    anna, piotr, zosia, halina = family
    create_household(pl_worker, {}, [MemberSpec(halina.pk, "head")], on=D1)
    before = _state()

    with pytest.raises(ValidationFailed) as exc:
        update_household(
            pl_worker,
            household.pk,
            {"street_address": "ul. Krótka 2"},
            _specs((anna, "head"), (piotr, "spouse"), (zosia, "child"), (halina, "parent")),
            on=D2,
        )

    assert exc.value.extra == {"in_other_household": [halina.pk]}
    assert _state() == before


def test_update_moving_a_member_in_from_another_household(pl_worker, household, family):
    anna, piotr, zosia, halina = family
    other = create_household(pl_worker, {}, [MemberSpec(halina.pk, "head")], on=D1)

    update_household(
        pl_worker,
        household.pk,
        {},
        _specs((anna, "head"), (piotr, "spouse"), (zosia, "child"), (halina, "parent")),
        on=D2,
        move=True,
    )

    assert _memberships(other) == [(halina.pk, "head", D1, D2)]
    assert (halina.pk, "parent", D2, None) in _memberships(household)


def test_update_of_another_centres_household_is_not_found(md_worker, household):
    before = _state()

    with pytest.raises(NotFound):
        update_household(md_worker, household.pk, {"street_address": "str. Ștefan cel Mare 1"})

    assert _state() == before


# --- end_membership ------------------------------------------------------------------------------


def test_member_moving_out_keeps_history(pl_worker, household, family):
    _, _, zosia, _ = family

    end_membership(pl_worker, zosia.pk, on=D2)

    m = Membership.objects.get(person=zosia)
    assert (m.household_id, m.relationship, m.valid_from, m.valid_until) == (household.pk, "child", D1, D2)
    assert list(AuditEvent.objects.values_list("action", "object_type", "object_id", "person_id", "changes")) == [
        ("update", "membership", m.pk, zosia.pk, {"household": [household.pk, None], "reason": [None, "left"]})
    ]


def test_head_with_other_members_cannot_move_out(pl_worker, household, family):
    anna, *_ = family
    before = _state()

    with pytest.raises(ValidationFailed) as exc:
        end_membership(pl_worker, anna.pk, on=D2)

    assert exc.value.errors == {"members": ["Choose a new head of the household before the head moves out."]}
    assert _state() == before


def test_head_living_alone_can_move_out(pl_worker, family):
    halina = family[3]
    household = create_household(pl_worker, {}, [MemberSpec(halina.pk, "head")], on=D1)

    end_membership(pl_worker, halina.pk, on=D3)

    assert _memberships(household) == [(halina.pk, "head", D1, D3)]


def test_moving_out_on_the_first_day_gives_an_empty_period_not_a_reversed_one(pl_worker, household, family):
    zosia = family[2]

    end_membership(pl_worker, zosia.pk, on=D1 - dt.timedelta(days=5))

    assert Membership.objects.get(person=zosia).valid_until == D1


def test_person_without_household_cannot_move_out(pl_worker, family):
    with pytest.raises(NotFound):
        end_membership(pl_worker, family[3].pk, on=D2)


def test_another_centres_person_cannot_be_moved_out(md_worker, household, family):
    before = _state()

    with pytest.raises(NotFound):
        end_membership(md_worker, family[2].pk, on=D2)

    assert _state() == before


# --- who may change households -------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.FINANCE_OFFICER, Role.AUDITOR])
def test_read_only_roles_may_not_change_households(pl_centre, household, family, role):
    actor = UserFactory(centre=pl_centre, role=role)
    before = _state()

    with pytest.raises(Forbidden):
        create_household(actor, {}, [MemberSpec(family[3].pk, "head")])
    with pytest.raises(Forbidden):
        update_household(actor, household.pk, {"notes": "x"})
    with pytest.raises(Forbidden):
        end_membership(actor, family[2].pk)

    assert _state() == before


@pytest.mark.parametrize(
    "role", [Role.SOCIAL_WORKER, Role.FAMILY_ASSISTANT, Role.TEAM_LEADER, Role.DIRECTOR, Role.ADMINISTRATOR]
)
def test_casework_roles_may_change_households(pl_centre, household, family, role):
    actor = UserFactory(centre=pl_centre, role=role)

    create_household(actor, {}, [MemberSpec(family[3].pk, "head")], on=D2)
    update_household(actor, household.pk, {"notes": "x"})
    end_membership(actor, family[2].pk, on=D2)

    assert Household.objects.count() == 2


def test_anonymous_inactive_and_centreless_users_may_not_change_households(pl_centre, household, family):
    actors = [
        AnonymousUser(),
        UserFactory(centre=pl_centre, role=Role.DIRECTOR, is_active=False),
        UserFactory(centre=None, role=Role.DIRECTOR),
    ]
    before = _state()

    for actor in actors:
        with pytest.raises(Forbidden):
            create_household(actor, {}, [MemberSpec(family[3].pk, "head")])
        with pytest.raises(Forbidden):
            update_household(actor, household.pk, {"notes": "x"})
        with pytest.raises(Forbidden):
            end_membership(actor, family[2].pk)

    assert _state() == before


# --- the database keeps the rules even when the services are bypassed ----------------------------


def test_database_refuses_a_second_current_household_for_a_person(pl_centre):
    person = PersonFactory(centre=pl_centre)
    MembershipFactory(person=person, household=HouseholdFactory(centre=pl_centre), relationship="head")

    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(person=person, household=HouseholdFactory(centre=pl_centre), relationship="head")


def test_database_allows_past_memberships_beside_the_current_one(pl_centre):
    person = PersonFactory(centre=pl_centre)
    MembershipFactory(person=person, valid_from=D1, valid_until=D2, household=HouseholdFactory(centre=pl_centre))
    MembershipFactory(person=person, valid_from=D2, household=HouseholdFactory(centre=pl_centre))

    assert Membership.objects.filter(person=person).count() == 2


def test_database_refuses_a_second_current_head(pl_centre):
    household = HouseholdFactory(centre=pl_centre)
    MembershipFactory(household=household, person=PersonFactory(centre=pl_centre), relationship="head")

    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(household=household, person=PersonFactory(centre=pl_centre), relationship="head")


def test_database_refuses_a_membership_ending_before_it_starts(pl_centre):
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(
            household=HouseholdFactory(centre=pl_centre),
            person=PersonFactory(centre=pl_centre),
            valid_from=D2,
            valid_until=D1,
        )


# --- moving heads and races ----------------------------------------------------------------------


def test_moving_a_head_out_of_a_household_that_keeps_members_is_refused(pl_worker, family):
    anna, piotr, zosia, _ = family
    create_household(pl_worker, {}, [MemberSpec(anna.pk, "head"), MemberSpec(zosia.pk, "child")], on=D1)
    before = _state()

    with pytest.raises(ValidationFailed) as exc:
        create_household(pl_worker, {}, [MemberSpec(piotr.pk, "head"), MemberSpec(anna.pk, "spouse")], on=D2, move=True)

    assert "is the head of household" in _members_error(exc)[0]
    assert _state() == before


def test_moving_a_whole_household_with_its_head_is_allowed(pl_worker, family):
    anna, _, zosia, _ = family
    first = create_household(pl_worker, {}, [MemberSpec(anna.pk, "head"), MemberSpec(zosia.pk, "child")], on=D1)

    second = create_household(
        pl_worker, {}, [MemberSpec(anna.pk, "head"), MemberSpec(zosia.pk, "child")], on=D2, move=True
    )

    assert Membership.objects.filter(household=first, valid_until__isnull=True).count() == 0
    assert Membership.objects.filter(household=second, valid_until__isnull=True).count() == 2


def test_a_concurrent_placement_caught_by_the_constraint_is_a_validation_error(pl_worker, family, monkeypatch):
    anna, *_ = family
    before = _state()

    def racing_create(*args, **kwargs):
        raise IntegrityError("membership_one_current_per_person")

    monkeypatch.setattr(Membership.objects, "create", racing_create)
    with pytest.raises(ValidationFailed) as exc:
        create_household(pl_worker, {}, [MemberSpec(anna.pk, "head")], on=D1)

    assert _members_error(exc) == ["The household or one of its members was changed meanwhile. Reload and try again."]
    assert _state() == before
