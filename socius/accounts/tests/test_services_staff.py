"""Centre administration services: staff members, roles, teams, password resets — scoped, checked, audited."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from socius.accounts.models import AuditEvent, ProblemGroup, Team, User
from socius.accounts.roles import Role
from socius.accounts.selectors import get_staff_member_for, get_team_for, list_staff_for, list_teams_for
from socius.accounts.services import (
    create_staff_member,
    create_team,
    reset_password,
    update_staff_member,
    update_team,
)
from socius.accounts.tests.helpers import make_centre, make_user
from socius.common.errors import Forbidden, NotFound, ValidationFailed

GOOD_PASSWORD = "Brzoza-Kasztan-1987"


@pytest.fixture
def centre(db):
    return make_centre("pl-a")


@pytest.fixture
def other_centre(db):
    return make_centre("md-b", "MD")


@pytest.fixture
def admin(centre):
    return make_user("admin-a", centre, Role.ADMINISTRATOR)


@pytest.fixture
def family_team(centre):
    return Team.objects.create(centre=centre, name="Zespół ds. rodziny", problem_group=ProblemGroup.FAMILY)


@pytest.fixture
def other_team(other_centre):
    return Team.objects.create(centre=other_centre, name="Echipa familie", problem_group=ProblemGroup.FAMILY)


def staff_data(**overrides):
    data = {
        "username": "a.nowak",
        "first_name": "Anna",
        "last_name": "Nowak",
        "email": "a.nowak@example.org",
        "role": Role.SOCIAL_WORKER,
        "teams": [],
        "language": "pl",
        "password": GOOD_PASSWORD,
    }
    data.update(overrides)
    return data


def counts():
    return (User.objects.count(), Team.objects.count(), AuditEvent.objects.count())


# --- create_staff_member ---------------------------------------------------------------------------


def test_administrator_adds_a_staff_member_to_their_centre_with_teams_and_an_audit_event(admin, family_team):
    user, generated = create_staff_member(admin, staff_data(teams=[family_team.pk]))

    user.refresh_from_db()
    assert generated is None
    assert (user.username, user.first_name, user.last_name, user.email) == (
        "a.nowak",
        "Anna",
        "Nowak",
        "a.nowak@example.org",
    )
    assert (user.centre_id, user.role, user.language, user.is_active) == (admin.centre_id, "social_worker", "pl", True)
    assert list(user.teams.all()) == [family_team]
    assert user.check_password(GOOD_PASSWORD)
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.object_type, event.object_id, event.centre_id) == (
        admin,
        "create",
        "user",
        user.pk,
        admin.centre_id,
    )
    assert event.changes == {
        "username": [None, "a.nowak"],
        "first_name": [None, "Anna"],
        "last_name": [None, "Nowak"],
        "email": [None, "a.nowak@example.org"],
        "role": [None, "social_worker"],
        "language": [None, "pl"],
        "is_active": [None, True],
        "teams": [None, [family_team.pk]],
    }


def test_without_a_password_one_is_generated_returned_once_and_never_logged(admin):
    user, generated = create_staff_member(admin, staff_data(password=""))

    assert generated and len(generated) >= 12
    user.refresh_from_db()
    assert user.check_password(generated)
    assert generated not in str(AuditEvent.objects.get().changes)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"username": ""}, "username"),
        ({"username": "a nowak"}, "username"),
        ({"username": "ADMIN-A"}, "username"),  # taken, whatever the case
        ({"first_name": "  "}, "first_name"),
        ({"last_name": ""}, "last_name"),
        ({"email": "not-an-address"}, "email"),
        ({"role": "superhero"}, "role"),
        ({"language": "de"}, "language"),
        ({"password": "12345678"}, "password"),  # common and numeric
        ({"password": "short"}, "password"),
        ({"password": "nowak123"}, "password"),  # too like the username
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_written(admin, overrides, field):
    before = counts()

    with pytest.raises(ValidationFailed) as exc:
        create_staff_member(admin, staff_data(**overrides))

    assert field in exc.value.errors
    assert all(str(m) for m in exc.value.errors[field])
    assert counts() == before


def test_another_centres_team_is_refused_and_nothing_is_written(admin, other_team):
    before = counts()

    with pytest.raises(ValidationFailed) as exc:
        create_staff_member(admin, staff_data(teams=[other_team.pk]))

    assert exc.value.errors == {"teams": ["Choose teams of your centre."]}
    assert counts() == before


def test_an_inactive_team_takes_no_new_members(admin, family_team):
    family_team.is_active = False
    family_team.save()

    with pytest.raises(ValidationFailed) as exc:
        create_staff_member(admin, staff_data(teams=[family_team.pk]))

    assert exc.value.errors == {"teams": ["An inactive team cannot take new members."]}
    assert not User.objects.filter(username="a.nowak").exists()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_roles_without_the_capability_are_forbidden_to_add_staff(centre, role):
    actor = make_user(f"u-{role}", centre, role)
    before = counts()

    with pytest.raises(Forbidden):
        create_staff_member(actor, staff_data())

    assert counts() == before


def test_an_inactive_administrator_is_forbidden(centre):
    actor = make_user("gone", centre, Role.ADMINISTRATOR, is_active=False)

    with pytest.raises(Forbidden):
        create_staff_member(actor, staff_data())


# --- update_staff_member ---------------------------------------------------------------------------


def test_administrator_changes_role_teams_language_and_the_event_lists_exactly_the_changes(admin, family_team):
    worker = make_user("worker-a", admin.centre, Role.SOCIAL_WORKER)
    addictions = Team.objects.create(centre=admin.centre, name="Uzależnienia", problem_group=ProblemGroup.ADDICTIONS)
    worker.teams.set([family_team])

    update_staff_member(
        admin, worker.pk, {"role": Role.TEAM_LEADER, "teams": [addictions.pk, family_team.pk], "language": "ru"}
    )

    worker.refresh_from_db()
    assert (worker.role, worker.language) == ("team_leader", "ru")
    assert set(worker.teams.all()) == {family_team, addictions}
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.object_type, event.object_id) == (admin, "update", "user", worker.pk)
    assert event.changes == {
        "role": ["social_worker", "team_leader"],
        "language": ["", "ru"],
        "teams": [[family_team.pk], sorted([family_team.pk, addictions.pk])],
    }


def test_an_update_that_changes_nothing_writes_no_event(admin):
    worker = make_user("worker-a", admin.centre, Role.SOCIAL_WORKER)

    update_staff_member(admin, worker.pk, {"role": Role.SOCIAL_WORKER, "teams": []})

    assert AuditEvent.objects.count() == 0


def test_deactivating_a_member_keeps_the_account_and_records_it(admin):
    worker = make_user("worker-a", admin.centre, Role.SOCIAL_WORKER)

    update_staff_member(admin, worker.pk, {"is_active": False})

    worker.refresh_from_db()
    assert worker.is_active is False
    assert AuditEvent.objects.get().changes == {"is_active": [True, False]}


def test_a_member_may_keep_an_inactive_team(admin, family_team):
    worker = make_user("worker-a", admin.centre, Role.SOCIAL_WORKER)
    worker.teams.set([family_team])
    Team.objects.filter(pk=family_team.pk).update(is_active=False)

    update_staff_member(admin, worker.pk, {"teams": [family_team.pk], "first_name": "Ewa"})

    worker.refresh_from_db()
    assert worker.first_name == "Ewa"
    assert list(worker.teams.all()) == [family_team]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"is_active": False}, "is_active"),
        ({"role": Role.DIRECTOR}, "role"),
    ],
)
def test_the_last_active_administrator_can_neither_deactivate_nor_demote_themselves(admin, change, field):
    make_user("old-admin", admin.centre, Role.ADMINISTRATOR, is_active=False)  # inactive: does not count
    make_user("admin-elsewhere", make_centre("lt-c", "LT"), Role.ADMINISTRATOR)  # another centre: does not count

    with pytest.raises(ValidationFailed) as exc:
        update_staff_member(admin, admin.pk, change)

    assert list(exc.value.errors) == [field]
    admin.refresh_from_db()
    assert (admin.role, admin.is_active) == ("administrator", True)
    assert AuditEvent.objects.count() == 0


def test_with_another_active_administrator_one_may_step_down(admin):
    make_user("admin-b", admin.centre, Role.ADMINISTRATOR)

    update_staff_member(admin, admin.pk, {"role": Role.DIRECTOR})

    admin.refresh_from_db()
    assert admin.role == "director"


def test_bad_update_is_refused_and_nothing_changes(admin):
    worker = make_user("worker-a", admin.centre, Role.SOCIAL_WORKER)

    with pytest.raises(ValidationFailed) as exc:
        update_staff_member(admin, worker.pk, {"first_name": "", "email": "x@", "role": "boss", "language": "xx"})

    assert set(exc.value.errors) == {"first_name", "email", "role", "language"}
    worker.refresh_from_db()
    assert (worker.email, worker.role, worker.language) == ("", "social_worker", "")
    assert AuditEvent.objects.count() == 0


def test_another_centres_user_is_not_found_and_unchanged(admin, other_centre):
    stranger = make_user("md-worker", other_centre, Role.SOCIAL_WORKER)

    with pytest.raises(NotFound):
        update_staff_member(admin, stranger.pk, {"role": Role.DIRECTOR})
    with pytest.raises(NotFound):
        reset_password(admin, stranger.pk, GOOD_PASSWORD)
    with pytest.raises(NotFound):
        update_staff_member(admin, 999999, {"role": Role.DIRECTOR})

    stranger.refresh_from_db()
    assert stranger.role == "social_worker"
    assert stranger.check_password("pass-word-123")
    assert AuditEvent.objects.count() == 0


def test_operator_accounts_are_not_the_centres_to_change(admin):
    operator = make_user("operator", admin.centre, Role.ADMINISTRATOR)
    User.objects.filter(pk=operator.pk).update(is_superuser=True, is_staff=True)

    with pytest.raises(Forbidden):
        update_staff_member(admin, operator.pk, {"is_active": False})
    with pytest.raises(Forbidden):
        reset_password(admin, operator.pk, GOOD_PASSWORD)

    assert AuditEvent.objects.count() == 0


def test_a_worker_is_forbidden_to_change_staff(centre):
    worker = make_user("worker-a", centre, Role.SOCIAL_WORKER)
    colleague = make_user("worker-b", centre, Role.SOCIAL_WORKER)

    with pytest.raises(Forbidden):
        update_staff_member(worker, colleague.pk, {"role": Role.ADMINISTRATOR})
    with pytest.raises(Forbidden):
        reset_password(worker, colleague.pk, GOOD_PASSWORD)

    colleague.refresh_from_db()
    assert colleague.role == "social_worker"
    assert AuditEvent.objects.count() == 0


# --- reset_password --------------------------------------------------------------------------------


def test_reset_password_sets_a_validated_password_and_logs_the_fact_only(admin):
    worker = make_user("worker-a", admin.centre, Role.SOCIAL_WORKER)

    assert reset_password(admin, worker.pk, GOOD_PASSWORD) == GOOD_PASSWORD

    worker.refresh_from_db()
    assert worker.check_password(GOOD_PASSWORD)
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.object_id, event.changes) == (
        "update",
        "user",
        worker.pk,
        {"password_reset": [None, True]},
    )


def test_reset_password_without_one_generates_it(admin):
    worker = make_user("worker-a", admin.centre, Role.SOCIAL_WORKER)

    password = reset_password(admin, worker.pk)

    worker.refresh_from_db()
    assert len(password) >= 12 and worker.check_password(password)


def test_a_weak_password_is_refused_and_the_old_one_kept(admin):
    worker = make_user("worker-a", admin.centre, Role.SOCIAL_WORKER)

    with pytest.raises(ValidationFailed) as exc:
        reset_password(admin, worker.pk, "password")

    assert list(exc.value.errors) == ["password"]
    worker.refresh_from_db()
    assert worker.check_password("pass-word-123")
    assert AuditEvent.objects.count() == 0


# --- teams -----------------------------------------------------------------------------------------


def test_create_team_in_the_actors_centre_with_its_event(admin):
    team = create_team(admin, {"name": " Niepełnosprawność ", "problem_group": ProblemGroup.DISABILITY})

    assert (team.centre_id, team.name, team.problem_group, team.is_active) == (
        admin.centre_id,
        "Niepełnosprawność",
        "disability",
        True,
    )
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.object_type, event.object_id, event.centre_id) == (
        admin,
        "create",
        "team",
        team.pk,
        admin.centre_id,
    )
    assert event.changes == {
        "name": [None, "Niepełnosprawność"],
        "problem_group": [None, "disability"],
        "is_active": [None, True],
    }


def test_team_names_are_unique_per_centre_whatever_the_case(admin, family_team, other_centre):
    other_admin = make_user("admin-b", other_centre, Role.ADMINISTRATOR)
    before = counts()

    with pytest.raises(ValidationFailed) as exc:
        create_team(admin, {"name": "ZESPÓŁ DS. RODZINY", "problem_group": ProblemGroup.FAMILY})

    assert exc.value.errors == {"name": ["Your centre already has a team with this name."]}
    assert counts() == before
    # Another centre may use the same name.
    assert create_team(other_admin, {"name": family_team.name, "problem_group": ProblemGroup.FAMILY}).pk


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"name": "", "problem_group": ProblemGroup.FAMILY}, {"name"}),
        ({"name": "x" * 121, "problem_group": ProblemGroup.FAMILY}, {"name"}),
        ({"name": "Zespół", "problem_group": "astrology"}, {"problem_group"}),
    ],
)
def test_bad_team_input_is_refused_and_nothing_is_written(admin, data, fields):
    before = counts()

    with pytest.raises(ValidationFailed) as exc:
        create_team(admin, data)

    assert set(exc.value.errors) == fields
    assert counts() == before


def test_update_team_renames_and_deactivates_with_exact_changes(admin, family_team):
    update_team(admin, family_team.pk, {"name": "Rodzina", "is_active": False})

    family_team.refresh_from_db()
    assert (family_team.name, family_team.is_active) == ("Rodzina", False)
    assert AuditEvent.objects.get().changes == {
        "name": ["Zespół ds. rodziny", "Rodzina"],
        "is_active": [True, False],
    }


def test_update_team_to_a_taken_name_is_refused(admin, family_team):
    other = create_team(admin, {"name": "Bezrobocie", "problem_group": ProblemGroup.UNEMPLOYMENT})
    AuditEvent.objects.all().delete()

    with pytest.raises(ValidationFailed) as exc:
        update_team(admin, other.pk, {"name": family_team.name})

    assert list(exc.value.errors) == ["name"]
    other.refresh_from_db()
    assert other.name == "Bezrobocie"
    assert AuditEvent.objects.count() == 0


def test_another_centres_team_is_not_found(admin, other_team):
    with pytest.raises(NotFound):
        update_team(admin, other_team.pk, {"is_active": False})
    with pytest.raises(NotFound):
        get_team_for(admin, other_team.pk)

    other_team.refresh_from_db()
    assert other_team.is_active is True


def test_a_director_is_forbidden_to_change_teams(centre, family_team):
    director = make_user("director-a", centre, Role.DIRECTOR)

    with pytest.raises(Forbidden):
        create_team(director, {"name": "Nowy", "problem_group": ProblemGroup.OTHER})
    with pytest.raises(Forbidden):
        update_team(director, family_team.pk, {"is_active": False})

    assert Team.objects.count() == 1
    assert AuditEvent.objects.count() == 0


# --- selectors -------------------------------------------------------------------------------------


def test_staff_selectors_see_only_the_actors_centre(admin, other_centre):
    worker = make_user("worker-a", admin.centre, Role.SOCIAL_WORKER)
    stranger = make_user("md-worker", other_centre, Role.SOCIAL_WORKER)

    assert set(list_staff_for(admin)) == {admin, worker}
    assert get_staff_member_for(admin, worker.pk) == worker
    with pytest.raises(NotFound):
        get_staff_member_for(admin, stranger.pk)
    with pytest.raises(NotFound):
        get_staff_member_for(admin, "junk")


def test_staff_list_filters_by_role_team_and_activity(admin, family_team):
    in_team = make_user("worker-a", admin.centre, Role.SOCIAL_WORKER)
    in_team.teams.set([family_team])
    gone = make_user("worker-b", admin.centre, Role.SOCIAL_WORKER, is_active=False)

    assert set(list_staff_for(admin, role=Role.SOCIAL_WORKER)) == {in_team, gone}
    assert list(list_staff_for(admin, team_id=family_team.pk)) == [in_team]
    assert list(list_staff_for(admin, is_active=False)) == [gone]


def test_director_may_read_staff_and_teams_but_a_worker_may_not(centre, family_team):
    director = make_user("director-a", centre, Role.DIRECTOR)
    worker = make_user("worker-a", centre, Role.SOCIAL_WORKER)

    assert director in set(list_staff_for(director))
    assert list(list_teams_for(director)) == [family_team]
    with pytest.raises(Forbidden):
        list_staff_for(worker)
    with pytest.raises(Forbidden):
        list_teams_for(worker)


def test_team_list_counts_active_members_in_one_query(admin, family_team):
    addictions = Team.objects.create(centre=admin.centre, name="Uzależnienia", problem_group=ProblemGroup.ADDICTIONS)
    for i in range(3):
        make_user(f"w{i}", admin.centre, Role.SOCIAL_WORKER).teams.set([family_team, addictions])
    make_user("gone", admin.centre, Role.SOCIAL_WORKER, is_active=False).teams.set([family_team])

    with CaptureQueriesContext(connection) as queries:
        counts_by_name = {t.name: t.member_count for t in list_teams_for(admin)}

    assert counts_by_name == {"Zespół ds. rodziny": 3, "Uzależnienia": 3}
    assert len(queries) == 1
