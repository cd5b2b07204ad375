"""load_demo and demo_logins: centres, territory, staff, synthetic registry; loading twice changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from socius.accounts.demo import CENTRE_CODES, DEFAULT_PASSWORD, PASSWORD_ENV
from socius.accounts.models import AuditEvent, Centre, Team, Territory, User
from socius.accounts.roles import Role
from socius.registry.demo.generator import age_on, build_population
from socius.registry.models import Household, Membership, Person, Relationship
from socius.rulebook import get_jurisdiction

PERSONS = 60
DEMO_ROLES = {
    "worker": Role.SOCIAL_WORKER,
    "assistant": Role.FAMILY_ASSISTANT,
    "teamlead": Role.TEAM_LEADER,
    "finance": Role.FINANCE_OFFICER,
    "director": Role.DIRECTOR,
    "auditor": Role.AUDITOR,
    "admin": Role.ADMINISTRATOR,
    "carer": Role.CARER,
    "dpo": Role.DATA_PROTECTION_OFFICER,
}


def load(**options) -> str:
    out = io.StringIO()
    options.setdefault("no_casework", True)  # the registry's tests; the casework demo: plans/tests/test_demo_casework
    call_command("load_demo", persons_per_centre=PERSONS, stdout=out, **options)
    return out.getvalue()


def logins() -> str:
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    load()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Centre, Territory, Team, User, Person, Household, Membership, AuditEvent)
    }


def path_of(jurisdiction: str, *names: str) -> Territory:
    node = None
    for name in names:
        node = Territory.objects.get(jurisdiction=jurisdiction, parent=node, name=name)
    return node


# --- centres and territory -------------------------------------------------------------------------


def test_three_centres_one_per_country_each_serving_its_territory(demo):
    centres = {c.jurisdiction: c for c in Centre.objects.select_related("territory")}
    assert {code: c.code for code, c in centres.items()} == CENTRE_CODES
    assert centres["PL"].name == "Gminny Ośrodek Pomocy Społecznej w Moszczenicy"
    assert centres["MD"].name == "Direcția Asistență Socială Dubăsari"
    assert centres["LT"].name == "Šalčininkų rajono socialinių paslaugų centras"
    assert centres["PL"].territory == path_of("PL", "powiat piotrkowski", "gmina Moszczenica")
    assert centres["MD"].territory == path_of("MD", "raionul Dubăsari")
    assert centres["LT"].territory == path_of("LT", "Šalčininkų rajono savivaldybė")


@pytest.mark.parametrize(
    ("jurisdiction", "path"),
    [
        ("PL", ("powiat piotrkowski", "gmina Moszczenica", "Moszczenica")),
        ("PL", ("powiat piotrkowski", "gmina Moszczenica", "Kiełczówka")),
        ("PL", ("powiat piotrkowski", "gmina Moszczenica", "Rękoraj")),
        ("PL", ("powiat piotrkowski", "gmina Moszczenica", "Gościmowice Pierwsze")),
        ("MD", ("raionul Dubăsari", "Cocieri", "Vasilievca")),
        ("MD", ("raionul Dubăsari", "Coșnița", "Pohrebea")),
        ("MD", ("raionul Dubăsari", "Oxentea", "Oxentea")),
        ("MD", ("raionul Dubăsari", "Molovata Nouă", "Molovata Nouă")),
        ("MD", ("raionul Dubăsari", "Pîrîta", "Pîrîta")),
        ("MD", ("raionul Dubăsari", "Doroțcaia", "Doroțcaia")),
        ("LT", ("Šalčininkų rajono savivaldybė", "Butrimonių seniūnija", "Butrimonys")),
        ("LT", ("Šalčininkų rajono savivaldybė", "Turgelių seniūnija", "Turgeliai")),
        ("LT", ("Šalčininkų rajono savivaldybė", "Jašiūnų seniūnija", "Jašiūnai")),
        ("LT", ("Šalčininkų rajono savivaldybė", "Dieveniškių seniūnija", "Dieveniškės")),
        ("LT", ("Šalčininkų rajono savivaldybė", "Šalčininkų seniūnija", "Šalčininkėliai")),
    ],
)
def test_named_places_sit_in_their_tree_at_the_packs_levels(demo, jurisdiction, path):
    node = path_of(jurisdiction, *path)
    assert [n.level for n in node.path()] == list(get_jurisdiction(jurisdiction).territory_levels)


def test_every_territory_node_has_the_level_its_depth_gives_in_its_pack(demo):
    for node in Territory.objects.select_related("parent__parent"):
        levels = get_jurisdiction(node.jurisdiction).territory_levels
        assert node.level == levels[len(node.path()) - 1], node.full_name


def test_lithuanian_tree_holds_the_thirteen_elderships(demo):
    elderships = set(Territory.objects.filter(jurisdiction="LT", level="eldership").values_list("name", flat=True))
    assert len(elderships) == 13
    assert {"Butrimonių seniūnija", "Turgelių seniūnija", "Jašiūnų seniūnija", "Dieveniškių seniūnija"} <= elderships


def test_moldovan_tree_holds_eleven_communities_with_fifteen_villages(demo):
    assert Territory.objects.filter(jurisdiction="MD", level="community").count() == 11
    assert Territory.objects.filter(jurisdiction="MD", level="village").count() == 15


# --- teams and staff ---------------------------------------------------------------------------------


def test_each_centre_has_the_teams_of_its_pack_named_in_its_language(demo):
    for centre in Centre.objects.all():
        groups = set(centre.teams.values_list("problem_group", flat=True))
        assert groups == set(get_jurisdiction(centre.jurisdiction).default_teams)
    assert set(Team.objects.filter(centre__jurisdiction="PL").values_list("name", flat=True)) == {
        "Zespół ds. pieczy zastępczej",
        "Zespół ds. rodziny",
        "Zespół ds. przeciwdziałania bezrobociu",
        "Zespół ds. osób z niepełnosprawnościami",
        "Zespół ds. przeciwdziałania uzależnieniom",
    }
    assert Team.objects.get(centre__jurisdiction="MD", problem_group="child_protection").name == (
        "Echipa pentru protecția copilului"
    )
    assert Team.objects.get(centre__jurisdiction="LT", problem_group="family").name == "Darbo su šeimomis komanda"


def test_twenty_seven_demo_users_with_role_centre_and_language(demo):
    users = {u.username: u for u in User.objects.select_related("centre").prefetch_related("teams")}
    assert len(users) == 27
    languages = {"PL": "pl", "MD": "ro", "LT": "lt"}
    for code, centre_code in CENTRE_CODES.items():
        prefix = code.lower()
        for suffix, role in DEMO_ROLES.items():
            user = users[f"{prefix}-{suffix}"]
            assert (user.role, user.centre.code) == (role, centre_code)
            assert user.first_name and user.last_name
            assert not user.is_staff and not user.is_superuser
            if user.username != "md-finance":
                assert user.language == languages[code]
            teams = {t.problem_group for t in user.teams.all()}
            assert all(t.centre_id == user.centre_id for t in user.teams.all())
            if suffix in ("worker", "teamlead"):
                assert teams == {"family"}
    assert users["md-finance"].language == "ru"


def test_demo_users_log_in_with_the_default_password(demo, client):
    assert all(u.check_password(DEFAULT_PASSWORD) for u in User.objects.all())
    for username in ("pl-worker", "md-worker", "lt-worker"):
        client.logout()
        response = client.post(reverse("login"), {"username": username, "password": DEFAULT_PASSWORD})
        assert response.status_code == 302, username
        assert client.get(reverse("web:home")).status_code == 200


def test_socius_demo_password_is_honoured(db, client, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, "another-Secret-42")
    load()
    user = User.objects.get(username="lt-director")
    assert user.check_password("another-Secret-42")
    assert not user.check_password(DEFAULT_PASSWORD)
    response = client.post(reverse("login"), {"username": "lt-director", "password": "another-Secret-42"})
    assert response.status_code == 302
    output = logins()
    assert "another-Secret-42" not in output
    assert DEFAULT_PASSWORD in output  # named as the default in the password source line only
    assert "not shown" in output


# --- the synthetic registry --------------------------------------------------------------------------


def test_each_centre_holds_the_requested_number_of_persons(demo):
    for centre in Centre.objects.all():
        assert centre.persons.count() == PERSONS
        assert centre.households.exists()


def test_every_demo_national_id_is_valid_and_matches_birth_date_and_sex(demo):
    persons = Person.objects.select_related("centre").exclude(national_id="")
    assert persons.count() > 3 * PERSONS * 0.75
    for person in persons:
        check = get_jurisdiction(person.centre.jurisdiction).validate_national_id(
            person.national_id, person.birth_date, person.sex
        )
        assert check.is_valid, (person.centre.jurisdiction, person.national_id, check.problems)
        if person.centre.jurisdiction in ("PL", "LT"):
            assert (check.birth_date, check.sex) == (person.birth_date, person.sex)


def test_some_persons_have_no_national_id(db):
    call_command("load_demo", persons_per_centre=400, no_casework=True, stdout=io.StringIO())
    without = Person.objects.filter(national_id="").count()
    assert 0.04 * 1200 < without < 0.18 * 1200


def test_every_household_has_exactly_one_current_head_who_is_an_adult(demo):
    heads = Household.objects.annotate(
        heads=Count("memberships", filter=Q(memberships__relationship="head", memberships__valid_until__isnull=True))
    )
    assert set(heads.values_list("heads", flat=True)) == {1}
    today = timezone.localdate()
    for m in Membership.objects.filter(relationship="head", valid_until__isnull=True).select_related("person"):
        assert age_on(m.person.birth_date, today) >= 18


def test_children_are_younger_than_their_head_and_members_live_where_their_household_is(demo):
    for household in Household.objects.prefetch_related("memberships__person"):
        current = [m for m in household.memberships.all() if m.valid_until is None]
        head = next(m.person for m in current if m.relationship == Relationship.HEAD)
        for m in current:
            assert (m.person.territory_id, m.person.street_address) == (
                household.territory_id,
                household.street_address,
            )
            if m.relationship in (Relationship.CHILD, Relationship.GRANDCHILD):
                assert m.person.birth_date > head.birth_date
            assert m.valid_from >= m.person.birth_date
        assert 1 <= len(current) <= 7


def test_persons_live_in_their_centres_villages(demo):
    for centre in Centre.objects.all():
        levels = set(
            Territory.objects.filter(pk__in=centre.persons.values("territory")).values_list("level", flat=True)
        )
        assert levels == {"village"}
        assert not centre.persons.exclude(territory__jurisdiction=centre.jurisdiction).exists()


@pytest.mark.parametrize(
    ("jurisdiction", "first_name", "last_name"),
    [
        ("PL", "Łukasz", "Kowalski"),
        ("PL", "Łucja", "Żółkiewska"),
        ("MD", "Ștefan", "Popescu"),
        ("MD", "Ольга", "Иванова"),
        ("LT", "Ąžuolas", "Kazlauskas"),
    ],
)
def test_fixed_persons_exist_with_a_national_id_and_folded_search_name(demo, jurisdiction, first_name, last_name):
    person = Person.objects.get(centre__jurisdiction=jurisdiction, first_name=first_name, last_name=last_name)
    assert person.national_id
    assert person.memberships.filter(valid_until__isnull=True).exists()
    assert person.search_name.isascii()


def test_search_columns_are_filled_for_bulk_loaded_persons(demo):
    person = Person.objects.get(first_name="Łucja", last_name="Żółkiewska")
    assert person.search_name == "lucja zolkiewska"
    assert person.search_address.endswith("kielczowka")
    assert not Person.objects.filter(search_name="").exists()


def test_moldovan_register_has_names_in_cyrillic_and_lithuanian_one_polish_names(db):
    call_command("load_demo", persons_per_centre=500, no_casework=True, stdout=io.StringIO())
    md = Person.objects.filter(centre__jurisdiction="MD")
    cyrillic = sum(1 for name in md.values_list("last_name", flat=True) if any("а" <= c.lower() <= "я" for c in name))
    assert 0.1 * 500 < cyrillic < 0.3 * 500
    lt = Person.objects.filter(centre__jurisdiction="LT")
    polish = lt.filter(Q(last_name__endswith="ski") | Q(last_name__endswith="ska") | Q(last_name__endswith="evič"))
    assert polish.count() > 0.1 * 500


def test_no_per_person_audit_events_only_one_import_event_per_centre(demo):
    # The demo casework is written through the services, which audit it; the registry is bulk-loaded.
    registry = AuditEvent.objects.filter(object_type__in=("person", "household", "membership", "demo_data"))
    assert registry.count() == 3
    assert set(registry.values_list("action", flat=True)) == {"import"}
    assert set(registry.values_list("actor", flat=True)) == {None}


# --- idempotence and determinism ----------------------------------------------------------------------


def test_running_load_demo_twice_changes_nothing(demo):
    before = counts()
    output = load()
    assert counts() == before
    assert output.strip() == "Demo data is already loaded; nothing to do."


def test_the_same_seed_and_day_give_the_same_people():
    villages = [("Baby", 1), ("Srock", 2)]
    today = timezone.localdate()

    def people(seed):
        households = build_population("PL", villages, 200, seed, today)
        return [(m.person.first_name, m.person.last_name, m.person.national_id) for h in households for m in h.members]

    assert people(7) == people(7)
    assert people(7) != people(8)


def test_load_demo_refuses_when_a_demo_username_belongs_to_someone_else(db):
    User.objects.create_user("pl-worker", password="x-y-z-123456")
    with pytest.raises(CommandError, match="pl-worker"):
        load()
    assert not Centre.objects.exists()


# --- demo_logins -----------------------------------------------------------------------------------


def test_demo_logins_without_demo_says_so(db):
    assert "No demo data is loaded" in logins()


def test_demo_logins_lists_every_account_and_the_default_password(demo):
    output = logins()
    for prefix in ("pl", "md", "lt"):
        for suffix in DEMO_ROLES:
            assert f"{prefix}-{suffix} " in output
    assert "Social worker" in output and "Direcția Asistență Socială Dubăsari" in output
    assert f"Password: {DEFAULT_PASSWORD}" in output
    assert PASSWORD_ENV in output


# --- Django admin ------------------------------------------------------------------------------------


def test_admin_is_for_superusers_only(demo, client):
    staff = User.objects.get(username="pl-admin")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get(reverse("admin:index")).status_code == 302  # back to the admin login
    superuser = User.objects.create_superuser("root", password="root-pass-123")
    client.force_login(superuser)
    assert client.get(reverse("admin:index")).status_code == 200
    for name in ("accounts_centre", "accounts_territory", "accounts_team", "accounts_user"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_change", args=[staff.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_user_add")).status_code == 200
    assert client.get("/admin/registry/person/").status_code == 404
