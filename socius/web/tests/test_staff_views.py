"""Centre administration pages: staff list and forms, password resets, teams — who may, and what they show."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import formats, translation

from socius.accounts.models import AuditEvent, Team, User
from socius.accounts.roles import Role
from socius.testing.factories import TeamFactory, UserFactory

GOOD_PASSWORD = "Brzoza-Kasztan-1987"


@pytest.fixture
def admin_client(client, pl_admin):
    client.force_login(pl_admin)
    return client


@pytest.fixture
def family_team(pl_centre):
    return TeamFactory(centre=pl_centre, name="Zespół ds. rodziny", problem_group="family")


def new_staff(**overrides):
    data = {
        "username": "a.nowak",
        "first_name": "Anna",
        "last_name": "Nowak",
        "email": "",
        "role": Role.SOCIAL_WORKER,
        "language": "pl",
        "password": GOOD_PASSWORD,
    }
    data.update(overrides)
    return data


def edit_staff(user, **overrides):
    data = {
        "first_name": user.first_name or "Jan",
        "last_name": user.last_name or "Kowalski",
        "email": user.email,
        "role": user.role,
        "language": user.language,
        "teams": [t.pk for t in user.teams.all()],
        "is_active": "on" if user.is_active else "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v not in (None, "") or k in ("email", "language")}


# --- navigation ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("pl_admin", True), ("pl_director", True), ("pl_worker", False), ("pl_auditor", False)],
    indirect=["persona"],
)
def test_the_administration_link_is_offered_only_to_those_who_may_see_staff(client, persona, shown):
    client.force_login(persona)

    html = client.get(reverse("web:home")).content.decode()

    assert (f'href="{reverse("web:staff_list")}"' in html) is shown


# --- staff list ------------------------------------------------------------------------------------


def test_staff_list_shows_role_teams_language_and_localised_last_login(admin_client, pl_admin, family_team):
    worker = UserFactory(
        username="m.wisniewska", first_name="Maria", last_name="Wiśniewska", centre=pl_admin.centre, language="ru"
    )
    worker.teams.set([family_team])
    worker.last_login = dt.datetime(2025, 3, 14, 9, 30, tzinfo=dt.UTC)
    worker.save()
    UserFactory(username="md-someone", centre=UserFactory().centre)  # another centre

    with translation.override("pl"):
        response = admin_client.get(reverse("web:staff_list"), HTTP_ACCEPT_LANGUAGE="pl")
        expected_login = formats.date_format(worker.last_login.astimezone(), "SHORT_DATETIME_FORMAT")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Wiśniewska, Maria" in html
    assert "Zespół ds. rodziny" in html
    assert "Русский" in html
    assert reverse("web:staff_edit", args=[worker.pk]) in html
    assert "md-someone" not in html
    assert expected_login in html


def test_staff_list_filters_by_role_team_and_status(admin_client, pl_admin, family_team):
    in_team = UserFactory(username="in-team", centre=pl_admin.centre, role=Role.TEAM_LEADER)
    in_team.teams.set([family_team])
    UserFactory(username="gone-user", centre=pl_admin.centre, is_active=False)

    by_team = admin_client.get(reverse("web:staff_list"), {"team": family_team.pk, "status": ""}).content.decode()
    by_role = admin_client.get(reverse("web:staff_list"), {"role": "team_leader"}).content.decode()
    default = admin_client.get(reverse("web:staff_list")).content.decode()
    inactive = admin_client.get(reverse("web:staff_list"), {"status": "inactive"}).content.decode()

    assert "<td>in-team</td>" in by_team and "<td>pl_admin</td>" not in by_team
    assert "<td>in-team</td>" in by_role and "<td>pl_admin</td>" not in by_role
    assert "<td>gone-user</td>" not in default and "<td>in-team</td>" in default  # active unless asked otherwise
    assert "<td>gone-user</td>" in inactive and "<td>in-team</td>" not in inactive


def test_staff_list_filter_answers_htmx_with_the_results_only(admin_client):
    response = admin_client.get(reverse("web:staff_list"), {"status": "active"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "<html" not in html
    assert "<td>pl_admin</td>" in html


def test_director_reads_the_staff_list_without_edit_links(client, pl_director, pl_worker):
    client.force_login(pl_director)

    html = client.get(reverse("web:staff_list")).content.decode()

    assert "pl_worker" in html
    assert reverse("web:staff_create") not in html
    assert reverse("web:staff_edit", args=[pl_worker.pk]) not in html


# --- create ----------------------------------------------------------------------------------------


def test_create_form_has_labelled_fields_and_offers_active_teams(admin_client, family_team, pl_centre):
    TeamFactory(centre=pl_centre, name="Stary zespół", is_active=False)

    html = admin_client.get(reverse("web:staff_create")).content.decode()

    assert '<label for="id_username">' in html
    assert '<label for="id_password">' in html
    assert "<legend>Teams</legend>" in html
    assert "Zespół ds. rodziny" in html
    assert "Stary zespół" not in html
    assert 'aria-describedby="id_username-errors id_username_helptext"' in html


def test_create_saves_and_redirects_with_a_message(admin_client, pl_admin, family_team):
    response = admin_client.post(reverse("web:staff_create"), new_staff(teams=[family_team.pk]), follow=True)

    user = User.objects.get(username="a.nowak")
    assert response.redirect_chain == [(reverse("web:staff_list"), 302)]
    assert (user.centre_id, user.role, list(user.teams.all())) == (pl_admin.centre_id, "social_worker", [family_team])
    assert user.check_password(GOOD_PASSWORD)
    assert "Anna Nowak has been added to the staff." in response.content.decode()
    assert AuditEvent.objects.filter(action="create", object_type="user", object_id=user.pk).count() == 1


def test_create_without_a_password_shows_the_generated_one_once_uncached(admin_client):
    response = admin_client.post(reverse("web:staff_create"), new_staff(password=""))

    user = User.objects.get(username="a.nowak")
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    password = html.split("<code>")[1].split("</code>")[0]
    assert user.check_password(password)


def test_create_errors_appear_beside_their_fields_and_nothing_is_saved(admin_client, pl_admin):
    response = admin_client.post(
        reverse("web:staff_create"), new_staff(username=pl_admin.username, password="12345678")
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert not User.objects.filter(first_name="Anna").exists()
    assert 'id="id_username-errors"' in html
    assert "This username is already taken." in html
    assert "This password is entirely numeric." in html
    assert 'href="#id_password"' in html  # the summary links to the field


def test_another_centres_team_cannot_be_posted(admin_client, md_centre):
    foreign = TeamFactory(centre=md_centre, name="Echipa")

    response = admin_client.post(reverse("web:staff_create"), new_staff(teams=[foreign.pk]))

    assert response.status_code == 400
    assert not User.objects.filter(username="a.nowak").exists()


# --- edit ------------------------------------------------------------------------------------------


def test_edit_changes_role_and_teams(admin_client, pl_worker, family_team):
    response = admin_client.post(
        reverse("web:staff_edit", args=[pl_worker.pk]),
        edit_staff(pl_worker, role=Role.TEAM_LEADER, teams=[family_team.pk]),
        follow=True,
    )

    pl_worker.refresh_from_db()
    assert response.redirect_chain == [(reverse("web:staff_list"), 302)]
    assert pl_worker.role == "team_leader"
    assert list(pl_worker.teams.all()) == [family_team]
    assert "are saved" in response.content.decode()


def test_the_last_administrator_cannot_deactivate_themselves_from_the_form(admin_client, pl_admin):
    response = admin_client.post(reverse("web:staff_edit", args=[pl_admin.pk]), edit_staff(pl_admin, is_active=""))

    pl_admin.refresh_from_db()
    assert response.status_code == 400
    assert pl_admin.is_active is True
    assert "The centre&#x27;s last active administrator cannot be deactivated." in response.content.decode()


def test_another_centres_user_answers_404(admin_client, md_director):
    for name in ("web:staff_edit", "web:staff_reset_password"):
        assert admin_client.get(reverse(name, args=[md_director.pk])).status_code == 404
        assert admin_client.post(reverse(name, args=[md_director.pk]), {"role": "social_worker"}).status_code == 404
    md_director.refresh_from_db()
    assert md_director.role == "director"


@pytest.mark.parametrize("persona", ["pl_worker", "pl_director"], indirect=True)
def test_workers_and_directors_are_refused_every_write(client, persona, pl_worker2, family_team):
    client.force_login(persona)
    before = (User.objects.count(), Team.objects.count(), AuditEvent.objects.count())

    posts = [
        (reverse("web:staff_create"), new_staff()),
        (reverse("web:staff_edit", args=[pl_worker2.pk]), edit_staff(pl_worker2, role=Role.ADMINISTRATOR)),
        (reverse("web:staff_reset_password", args=[pl_worker2.pk]), {}),
        (reverse("web:team_create"), {"name": "Nowy", "problem_group": "other", "is_active": "on"}),
        (reverse("web:team_edit", args=[family_team.pk]), {"name": "X", "problem_group": "other"}),
    ]
    for url, data in posts:
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url

    pl_worker2.refresh_from_db()
    assert pl_worker2.role == "social_worker"
    assert (User.objects.count(), Team.objects.count(), AuditEvent.objects.count()) == before


# --- reset password --------------------------------------------------------------------------------


def test_reset_password_with_a_chosen_password(admin_client, pl_worker):
    url = reverse("web:staff_reset_password", args=[pl_worker.pk])

    response = admin_client.post(url, {"password": GOOD_PASSWORD, "password_confirm": GOOD_PASSWORD}, follow=True)

    pl_worker.refresh_from_db()
    assert response.redirect_chain == [(reverse("web:staff_list"), 302)]
    assert pl_worker.check_password(GOOD_PASSWORD)
    assert AuditEvent.objects.get().changes == {"password_reset": [None, True]}


def test_reset_password_mismatch_and_weak_passwords_are_refused(admin_client, pl_worker):
    url = reverse("web:staff_reset_password", args=[pl_worker.pk])

    mismatch = admin_client.post(url, {"password": GOOD_PASSWORD, "password_confirm": GOOD_PASSWORD + "x"})
    weak = admin_client.post(url, {"password": "password", "password_confirm": "password"})

    assert mismatch.status_code == 400 and "The two passwords differ." in mismatch.content.decode()
    assert weak.status_code == 400 and "This password is too common." in weak.content.decode()
    pl_worker.refresh_from_db()
    assert pl_worker.check_password("pass-word-123")


def test_reset_password_empty_generates_and_shows_it(admin_client, pl_worker):
    response = admin_client.post(reverse("web:staff_reset_password", args=[pl_worker.pk]), {})

    password = response.content.decode().split("<code>")[1].split("</code>")[0]
    pl_worker.refresh_from_db()
    assert pl_worker.check_password(password)


def test_resetting_ones_own_password_keeps_one_logged_in(admin_client, pl_admin):
    url = reverse("web:staff_reset_password", args=[pl_admin.pk])
    admin_client.post(url, {"password": GOOD_PASSWORD, "password_confirm": GOOD_PASSWORD})

    assert admin_client.get(reverse("web:staff_list")).status_code == 200


# --- teams -----------------------------------------------------------------------------------------


def test_team_list_shows_member_counts_with_a_fixed_number_of_queries(
    admin_client, pl_admin, family_team, django_assert_max_num_queries
):
    for i in range(5):
        TeamFactory(centre=pl_admin.centre, name=f"Zespół {i}").members.add(pl_admin)
    for _ in range(3):
        UserFactory(centre=pl_admin.centre).teams.add(family_team)

    # 9: with the menu's question whether the reader was authorised to approve payments (PaymentApprover).
    with django_assert_max_num_queries(9):
        response = admin_client.get(reverse("web:team_list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Family team" in html  # the pack's default name, in the reader's language
    assert '<td class="num"><a href="/admin-centre/staff/?team=' in html
    assert f'?team={family_team.pk}&amp;status=active">3</a>' in html


def test_team_create_and_edit(admin_client, pl_admin):
    created = admin_client.post(
        reverse("web:team_create"), {"name": "Uzależnienia", "problem_group": "addictions", "is_active": "on"}
    )
    team = Team.objects.get(centre=pl_admin.centre, name="Uzależnienia")
    assert created.status_code == 302
    assert team.is_active

    edited = admin_client.post(
        reverse("web:team_edit", args=[team.pk]), {"name": "Uzależnienia", "problem_group": "addictions"}
    )

    team.refresh_from_db()
    assert edited.status_code == 302
    assert team.is_active is False
    assert list(AuditEvent.objects.filter(object_type="team").values_list("action", flat=True).order_by("id")) == [
        "create",
        "update",
    ]


def test_team_duplicate_name_error_is_on_the_name_field(admin_client, family_team):
    response = admin_client.post(reverse("web:team_create"), {"name": family_team.name, "problem_group": "family"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Your centre already has a team with this name." in html
    assert Team.objects.count() == 1


def test_another_centres_team_answers_404(admin_client, md_centre):
    foreign = TeamFactory(centre=md_centre, name="Echipa")

    assert admin_client.get(reverse("web:team_edit", args=[foreign.pk])).status_code == 404
    assert (
        admin_client.post(
            reverse("web:team_edit", args=[foreign.pk]), {"name": "X", "problem_group": "other"}
        ).status_code
        == 404
    )
    foreign.refresh_from_db()
    assert foreign.name == "Echipa"


def test_staff_changes_appear_in_the_audit_log_in_words(client, pl_admin, pl_director, pl_worker, family_team):
    client.force_login(pl_admin)
    client.post(reverse("web:staff_edit", args=[pl_worker.pk]), edit_staff(pl_worker, teams=[family_team.pk]))
    client.force_login(pl_director)

    html = client.get(reverse("web:audit"), {"record_type": "user"}).content.decode()

    assert "Staff member" in html
    assert "Family team" in html  # the pack's default name, in the reader's language
