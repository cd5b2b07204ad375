"""Household pages: list, register, detail, edit, history and the member search, for each kind of caller."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from socius.accounts.models import AuditAction, AuditEvent
from socius.registry.models import Household, Membership
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, TerritoryFactory

CREATE_URL = reverse("web:household_create")
SEARCH_URL = reverse("web:household_member_search")


@pytest.fixture
def village(pl_centre):
    return TerritoryFactory(jurisdiction="PL", level="village", name="Kiełczówek", parent=pl_centre.territory)


@pytest.fixture
def other_village(pl_centre):
    return TerritoryFactory(jurisdiction="PL", level="village", name="Dąbrowa", parent=pl_centre.territory)


@pytest.fixture
def anna(pl_centre):
    return PersonFactory(
        centre=pl_centre, first_name="Anna", last_name="Kowalska", birth_date=dt.date(1980, 3, 2), sex="F"
    )


@pytest.fixture
def jan(pl_centre):
    return PersonFactory(
        centre=pl_centre, first_name="Jan", last_name="Kowalski", birth_date=dt.date(1978, 11, 20), sex="M"
    )


@pytest.fixture
def zofia(pl_centre):
    return PersonFactory(
        centre=pl_centre, first_name="Zofia", last_name="Kowalska", birth_date=dt.date(2012, 6, 1), sex="F"
    )


def _post_data(territory, members, **extra):
    data = {
        "territory": territory.pk if territory else "",
        "street_address": "ul. Polna 3",
        "external_ref": "",
        "notes": "",
        "person": [str(p) for p, _rel in members],
        "relationship": [rel for _p, rel in members],
    }
    data.update(extra)
    return data


def _nothing_written():
    assert Household.objects.count() == 0
    assert Membership.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def _member_errors(response):
    return response.context["member_errors"]


def _household_with(centre, *members, territory=None):
    """A household whose members joined on 2020-01-01: (person, relationship) pairs."""
    household = HouseholdFactory(centre=centre, territory=territory)
    for person, relationship in members:
        MembershipFactory(household=household, person=person, relationship=relationship)
    return household


# --- register --------------------------------------------------------------------------------------


def test_register_household_with_two_members_writes_memberships_and_audit_events(client, pl_worker, village, anna, jan):
    client.force_login(pl_worker)
    response = client.post(CREATE_URL, _post_data(village, [(anna.pk, "head"), (jan.pk, "spouse")]))

    household = Household.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:household_detail", args=[household.pk])
    assert household.centre == pl_worker.centre
    assert household.territory == village
    assert household.street_address == "ul. Polna 3"
    today = timezone.localdate()
    assert sorted(
        Membership.objects.values_list("person_id", "relationship", "valid_from", "valid_until", "household_id")
    ) == sorted(
        [
            (anna.pk, "head", today, None, household.pk),
            (jan.pk, "spouse", today, None, household.pk),
        ]
    )
    memberships = {m.person_id: m.pk for m in Membership.objects.all()}
    events = sorted(
        AuditEvent.objects.values_list("action", "object_type", "object_id", "person_id", "changes", "actor_id"),
        key=lambda e: (e[1], e[3] or 0),
    )
    assert events == sorted(
        [
            (
                "create",
                "household",
                household.pk,
                None,
                {"territory": [None, village.pk], "street_address": [None, "ul. Polna 3"]},
                pl_worker.pk,
            ),
            (
                "create",
                "membership",
                memberships[anna.pk],
                anna.pk,
                {"household": [None, household.pk], "relationship": [None, "head"]},
                pl_worker.pk,
            ),
            (
                "create",
                "membership",
                memberships[jan.pk],
                jan.pk,
                {"household": [None, household.pk], "relationship": [None, "spouse"]},
                pl_worker.pk,
            ),
        ],
        key=lambda e: (e[1], e[3] or 0),
    )
    assert set(AuditEvent.objects.values_list("channel", "ip")) == {("web", "127.0.0.1")}


def test_registration_page_offers_the_localities_of_the_centre_and_the_relationships(client, pl_worker, village):
    client.force_login(pl_worker)
    response = client.get(CREATE_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{village.pk}"' in html
    assert "Kiełczówek (Moszczenica)" in html
    assert 'id="member-search-input"' in html
    assert response.context["rows"] == []


def test_register_without_a_head_shows_the_member_error_and_writes_nothing(client, pl_worker, village, anna, jan):
    client.force_login(pl_worker)
    response = client.post(CREATE_URL, _post_data(village, [(anna.pk, "spouse"), (jan.pk, "child")]))
    assert response.status_code == 400
    assert _member_errors(response) == ["Mark exactly one member as the head of the household."]
    assert "Mark exactly one member as the head of the household." in response.content.decode()
    # The rows come back as posted, so nothing typed is lost.
    assert [(r.person_id, r.relationship) for r in response.context["rows"]] == [(anna.pk, "spouse"), (jan.pk, "child")]
    _nothing_written()


def test_register_with_two_heads_shows_the_member_error_and_writes_nothing(client, pl_worker, village, anna, jan):
    client.force_login(pl_worker)
    response = client.post(CREATE_URL, _post_data(village, [(anna.pk, "head"), (jan.pk, "head")]))
    assert response.status_code == 400
    assert _member_errors(response) == ["Mark exactly one member as the head of the household."]
    _nothing_written()


def test_register_with_an_unknown_person_shows_the_member_error_and_writes_nothing(client, pl_worker, village, anna):
    client.force_login(pl_worker)
    response = client.post(CREATE_URL, _post_data(village, [(anna.pk, "head"), (987654, "child")]))
    assert response.status_code == 400
    assert _member_errors(response) == ["No such person: 987654."]
    unknown_row = response.context["rows"][1]
    assert unknown_row.person is None
    assert "Unknown person" in response.content.decode()
    _nothing_written()


def test_register_with_another_centres_person_treats_them_as_unknown(client, pl_worker, md_centre, village, anna):
    foreign = PersonFactory(centre=md_centre, first_name="Ion", last_name="Rusu")
    client.force_login(pl_worker)
    response = client.post(CREATE_URL, _post_data(village, [(anna.pk, "head"), (foreign.pk, "child")]))
    assert response.status_code == 400
    assert _member_errors(response) == [f"No such person: {foreign.pk}."]
    assert "Rusu" not in response.content.decode()
    _nothing_written()


def test_register_without_members_asks_for_one(client, pl_worker, village):
    client.force_login(pl_worker)
    response = client.post(CREATE_URL, _post_data(village, []))
    assert response.status_code == 400
    assert _member_errors(response) == ["A household needs at least one member."]
    _nothing_written()


def test_register_without_a_locality_shows_the_field_error(client, pl_worker, anna):
    client.force_login(pl_worker)
    response = client.post(CREATE_URL, _post_data(None, [(anna.pk, "head")]))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["territory"]
    _nothing_written()


def test_register_with_a_row_without_relationship_names_the_row(client, pl_worker, village, anna, jan):
    client.force_login(pl_worker)
    response = client.post(CREATE_URL, _post_data(village, [(anna.pk, "head"), (jan.pk, "")]))
    assert response.status_code == 400
    assert _member_errors(response) == ["Choose the relationship to the head."]
    assert response.context["rows"][1].error == "Choose the relationship to the head."
    _nothing_written()


def test_register_with_a_taken_reference_shows_it_next_to_the_reference(client, pl_worker, village, anna):
    HouseholdFactory(centre=pl_worker.centre, external_ref="REF-7")
    client.force_login(pl_worker)
    response = client.post(CREATE_URL, _post_data(village, [(anna.pk, "head")], external_ref="REF-7"))
    assert response.status_code == 400
    assert response.context["form"].errors == {"external_ref": ["Another household already has this reference."]}
    assert Household.objects.count() == 1
    assert Membership.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_person_in_another_household_is_refused_then_moved_on_request(client, pl_worker, village, anna, jan):
    old = _household_with(pl_worker.centre, (jan, "head"))
    client.force_login(pl_worker)
    data = _post_data(village, [(anna.pk, "head"), (jan.pk, "spouse")])

    refused = client.post(CREATE_URL, data)

    assert refused.status_code == 400
    assert len(_member_errors(refused)) == 1
    assert _member_errors(refused)[0].startswith("Already a member of another household:")
    assert refused.context["offer_move"] is True
    assert [r.in_other_household for r in refused.context["rows"]] == [False, True]
    assert 'name="move"' in refused.content.decode()
    assert Household.objects.count() == 1
    assert list(Membership.objects.values_list("person_id", "valid_until")) == [(jan.pk, None)]
    assert AuditEvent.objects.count() == 0

    moved = client.post(CREATE_URL, {**data, "move": "on"})

    assert moved.status_code == 302
    new = Household.objects.exclude(pk=old.pk).get()
    today = timezone.localdate()
    old_membership = Membership.objects.get(household=old, person=jan)
    assert old_membership.valid_until == today
    assert Membership.objects.get(household=new, person=jan).valid_until is None
    assert Membership.objects.get(household=new, person=anna).relationship == "head"
    ended = AuditEvent.objects.get(object_type="membership", object_id=old_membership.pk)
    assert ended.action == AuditAction.UPDATE
    assert ended.changes == {"household": [old.pk, None], "reason": [None, "moved"]}


def test_head_shortcut_prefills_the_head(client, pl_worker, anna):
    client.force_login(pl_worker)
    response = client.get(CREATE_URL, {"head": anna.pk})
    assert response.status_code == 200
    assert [(r.person_id, r.relationship) for r in response.context["rows"]] == [(anna.pk, "head")]
    html = response.content.decode()
    assert f'<input type="hidden" name="person" value="{anna.pk}">' in html
    assert '<option value="head" selected>' in html


def test_head_shortcut_ignores_another_centres_person(client, pl_worker, md_centre):
    foreign = PersonFactory(centre=md_centre, last_name="Rusu")
    client.force_login(pl_worker)
    response = client.get(CREATE_URL, {"head": foreign.pk})
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "Rusu" not in response.content.decode()


def test_finance_officer_cannot_register_a_household(client, pl_finance, village, anna):
    client.force_login(pl_finance)
    assert client.get(CREATE_URL).status_code == 403
    assert client.post(CREATE_URL, _post_data(village, [(anna.pk, "head")])).status_code == 403
    _nothing_written()


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(CREATE_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- edit ------------------------------------------------------------------------------------------


def test_edit_removing_a_member_ends_their_membership_and_keeps_history(client, pl_worker, village, anna, jan, zofia):
    household = _household_with(pl_worker.centre, (anna, "head"), (jan, "spouse"), (zofia, "child"), territory=village)
    client.force_login(pl_worker)
    url = reverse("web:household_edit", args=[household.pk])

    page = client.get(url)
    assert [(r.person_id, r.relationship) for r in page.context["rows"]] == [
        (anna.pk, "head"),
        (jan.pk, "spouse"),
        (zofia.pk, "child"),
    ]

    response = client.post(url, _post_data(village, [(anna.pk, "head"), (zofia.pk, "child")]))

    assert response.status_code == 302
    today = timezone.localdate()
    assert sorted(Membership.objects.values_list("person_id", "valid_from", "valid_until")) == sorted(
        [
            (anna.pk, dt.date(2020, 1, 1), None),
            (jan.pk, dt.date(2020, 1, 1), today),
            (zofia.pk, dt.date(2020, 1, 1), None),
        ]
    )
    left = Membership.objects.get(person=jan)
    event = AuditEvent.objects.get(object_type="membership")
    assert (event.action, event.object_id, event.person_id) == ("update", left.pk, jan.pk)
    assert event.changes == {"household": [household.pk, None], "reason": [None, "left"]}
    # The household's own fields were not touched beyond the street address posted.
    assert AuditEvent.objects.filter(object_type="household").get().changes == {
        "street_address": [household.street_address, "ul. Polna 3"]
    }

    detail = client.get(reverse("web:household_detail", args=[household.pk]))
    assert [m.person_id for m in detail.context["members"]] == [anna.pk, zofia.pk]
    history = detail.context["membership_history"]
    assert {(m.person_id, m.valid_until) for m in history} == {(anna.pk, None), (jan.pk, today), (zofia.pk, None)}


def test_edit_changes_the_address_with_before_and_after(client, pl_worker, village, other_village, anna):
    household = _household_with(pl_worker.centre, (anna, "head"), territory=village)
    old_street = household.street_address
    client.force_login(pl_worker)
    response = client.post(
        reverse("web:household_edit", args=[household.pk]),
        {**_post_data(other_village, [(anna.pk, "head")]), "street_address": "ul. Leśna 1"},
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.territory, household.street_address) == (other_village, "ul. Leśna 1")
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.object_id) == ("update", "household", household.pk)
    assert event.changes == {
        "territory": [village.pk, other_village.pk],
        "street_address": [old_street, "ul. Leśna 1"],
    }
    assert Membership.objects.get().valid_until is None


def test_edit_with_an_error_changes_nothing(client, pl_worker, village, other_village, anna, jan):
    household = _household_with(pl_worker.centre, (anna, "head"), (jan, "spouse"), territory=village)
    client.force_login(pl_worker)
    response = client.post(
        reverse("web:household_edit", args=[household.pk]),
        _post_data(other_village, [(anna.pk, "spouse"), (jan.pk, "spouse")]),
    )
    assert response.status_code == 400
    assert _member_errors(response) == ["Mark exactly one member as the head of the household."]
    household.refresh_from_db()
    assert household.territory == village
    assert Membership.objects.filter(valid_until__isnull=True).count() == 2
    assert AuditEvent.objects.count() == 0


def test_other_centres_household_answers_404_everywhere(client, md_worker, md_director, pl_centre, anna):
    household = _household_with(pl_centre, (anna, "head"))
    client.force_login(md_worker)
    assert client.get(reverse("web:household_detail", args=[household.pk])).status_code == 404
    assert client.get(reverse("web:household_edit", args=[household.pk])).status_code == 404
    response = client.post(reverse("web:household_edit", args=[household.pk]), {"street_address": "x"})
    assert response.status_code == 404
    client.force_login(md_director)
    assert client.get(reverse("web:household_history", args=[household.pk])).status_code == 404
    assert AuditEvent.objects.count() == 0
    assert Household.objects.get().street_address == household.street_address


def test_finance_officer_cannot_edit_a_household(client, pl_finance, village, anna):
    household = _household_with(pl_finance.centre, (anna, "head"), territory=village)
    client.force_login(pl_finance)
    url = reverse("web:household_edit", args=[household.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _post_data(village, [])).status_code == 403
    assert Membership.objects.get().valid_until is None


# --- detail ----------------------------------------------------------------------------------------


def test_detail_shows_members_with_relationship_age_and_id_and_logs_the_view(
    client, pl_worker, village, anna, jan, zofia
):
    anna.national_id = "80030212345"
    anna.save()
    household = _household_with(pl_worker.centre, (zofia, "child"), (jan, "spouse"), (anna, "head"), territory=village)
    client.force_login(pl_worker)

    response = client.get(reverse("web:household_detail", args=[household.pk]))

    assert response.status_code == 200
    members = response.context["members"]
    assert [(m.person_id, m.relationship) for m in members] == [
        (anna.pk, "head"),
        (jan.pk, "spouse"),
        (zofia.pk, "child"),
    ]
    today = timezone.localdate()
    expected_age = today.year - 1980 - ((today.month, today.day) < (3, 2))
    assert members[0].age == expected_age
    html = response.content.decode()
    assert "80030212345" in html
    assert "Head of household" in html
    assert "Moszczenica" in html and "Kiełczówek" in html
    assert reverse("web:person_detail", args=[anna.pk]) in html
    assert reverse("web:household_edit", args=[household.pk]) in html
    assert reverse("web:household_history", args=[household.pk]) not in html
    view = AuditEvent.objects.get()
    assert (view.action, view.object_type, view.object_id, view.actor_id) == (
        "view",
        "household",
        household.pk,
        pl_worker.pk,
    )


@pytest.mark.parametrize(
    ("persona", "sees_edit", "sees_history"),
    [
        ("pl_worker", True, False),
        ("pl_finance", False, False),
        ("pl_auditor", False, True),
        ("pl_director", True, True),
    ],
    indirect=["persona"],
)
def test_detail_offers_edit_and_history_links_by_role(client, persona, sees_edit, sees_history, anna):
    household = _household_with(persona.centre, (anna, "head"))
    client.force_login(persona)
    html = client.get(reverse("web:household_detail", args=[household.pk])).content.decode()
    assert (reverse("web:household_edit", args=[household.pk]) in html) is sees_edit
    assert (reverse("web:household_history", args=[household.pk]) in html) is sees_history


def test_detail_shows_dates_in_the_users_language(client, pl_worker, anna):
    household = _household_with(pl_worker.centre, (anna, "head"))
    pl_worker.language = "pl"
    pl_worker.save()
    client.force_login(pl_worker)
    html = client.get(reverse("web:household_detail", args=[household.pk])).content.decode()
    with translation.override("pl"):
        polish = formats.date_format(dt.date(2020, 1, 1), "SHORT_DATE_FORMAT")
    with translation.override("en"):
        english = formats.date_format(dt.date(2020, 1, 1), "SHORT_DATE_FORMAT")
    assert polish != english
    assert polish in html  # the membership start, as Polish users write dates
    assert english not in html


# --- list ------------------------------------------------------------------------------------------


def test_list_shows_only_own_centre_with_head_and_member_count(client, pl_worker, md_centre, anna, jan):
    own = _household_with(pl_worker.centre, (anna, "head"), (jan, "spouse"))
    foreign = _household_with(md_centre, (PersonFactory(centre=md_centre, last_name="Rusu"), "head"))
    client.force_login(pl_worker)
    response = client.get(reverse("web:household_list"))
    assert response.status_code == 200
    households = list(response.context["page"].object_list)
    assert [h.pk for h in households] == [own.pk]
    assert households[0].head.person == anna
    assert len(households[0].current_members) == 2
    html = response.content.decode()
    assert "Rusu" not in html
    assert reverse("web:household_detail", args=[foreign.pk]) not in html


def test_list_filters_by_locality_including_the_places_below(client, pl_worker, village, other_village, anna, jan):
    hamlet = TerritoryFactory(jurisdiction="PL", level="locality", name="Kolonia", parent=village)
    in_village = _household_with(pl_worker.centre, (anna, "head"), territory=village)
    in_hamlet = _household_with(pl_worker.centre, (jan, "head"), territory=hamlet)
    _household_with(pl_worker.centre, (PersonFactory(centre=pl_worker.centre), "head"), territory=other_village)
    client.force_login(pl_worker)
    response = client.get(reverse("web:household_list"), {"locality": village.pk})
    assert {h.pk for h in response.context["page"].object_list} == {in_village.pk, in_hamlet.pk}


def test_list_filters_by_a_current_members_name_forgiving_diacritics(client, pl_worker, anna, jan):
    lukasz = PersonFactory(centre=pl_worker.centre, first_name="Łukasz", last_name="Żółkiewski")
    wanted = _household_with(pl_worker.centre, (lukasz, "head"), (anna, "spouse"))
    _household_with(pl_worker.centre, (jan, "head"))
    client.force_login(pl_worker)
    response = client.get(reverse("web:household_list"), {"member": "lukasz zolkiewski"})
    assert [h.pk for h in response.context["page"].object_list] == [wanted.pk]


def test_list_answers_htmx_with_the_results_only(client, pl_worker, anna):
    _household_with(pl_worker.centre, (anna, "head"))
    client.force_login(pl_worker)
    response = client.get(reverse("web:household_list"), {"member": "anna"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.templates[0].name == "web/households_list_results.html"
    assert "<html" not in response.content.decode()


def test_list_is_paginated(client, pl_worker):
    for _ in range(27):
        HouseholdFactory(centre=pl_worker.centre)
    client.force_login(pl_worker)
    first = client.get(reverse("web:household_list"))
    second = client.get(reverse("web:household_list"), {"page": 2})
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 2
    assert first.context["page"].paginator.count == 27


def test_list_query_count_does_not_grow_with_households(client, pl_worker, django_assert_max_num_queries):
    for _ in range(25):
        household = HouseholdFactory(centre=pl_worker.centre)
        MembershipFactory(household=household, person=PersonFactory(centre=pl_worker.centre))
    client.force_login(pl_worker)
    # 14: the menu asks once whether the reader is authorised to approve decisions (ApproverAuthorisation) and
    # once whether to approve payments (PaymentApprover): such staff are offered the runs in the menu.
    # +2: the audit event's place in its centre's hash chain (decision 0020)
    with django_assert_max_num_queries(16):
        client.get(reverse("web:household_list"))


# --- history ---------------------------------------------------------------------------------------


def test_history_lists_household_and_membership_events_with_before_and_after(
    client, pl_worker, pl_auditor, village, anna, jan
):
    client.force_login(pl_worker)
    client.post(CREATE_URL, _post_data(village, [(anna.pk, "head"), (jan.pk, "spouse")]))
    household = Household.objects.get()
    client.post(reverse("web:household_edit", args=[household.pk]), _post_data(village, [(anna.pk, "head")]))
    unrelated = PersonFactory(centre=pl_worker.centre)
    _household_with(pl_worker.centre, (unrelated, "head"))
    client.force_login(pl_auditor)

    response = client.get(reverse("web:household_history", args=[household.pk]))

    assert response.status_code == 200
    events = list(response.context["page"].object_list)
    jan_membership = Membership.objects.get(person=jan)
    anna_membership = Membership.objects.get(person=anna)
    assert sorted((e.action, e.object_type, e.object_id) for e in events) == sorted(
        [
            ("create", "household", household.pk),
            ("create", "membership", anna_membership.pk),
            ("create", "membership", jan_membership.pk),
            ("update", "membership", jan_membership.pk),
        ]
    )
    left = next(e for e in events if e.action == "update")
    assert left.person == jan
    assert sorted(left.change_rows) == [("household", f"Household {household.pk}", "—"), ("reason", "—", "moved out")]
    html = response.content.decode()
    assert "Jan Kowalski" in html
    assert "Kiełczówek" in html  # territory id shown as the place's name


def test_history_keeps_a_membership_corrected_on_the_day_it_began(client, pl_worker, pl_auditor, village, anna, jan):
    client.force_login(pl_worker)
    client.post(CREATE_URL, _post_data(village, [(anna.pk, "head"), (jan.pk, "spouse")]))
    household = Household.objects.get()
    first_jan = Membership.objects.get(person=jan)
    client.post(
        reverse("web:household_edit", args=[household.pk]),
        _post_data(village, [(anna.pk, "head"), (jan.pk, "child")]),
    )
    second_jan = Membership.objects.get(person=jan)
    assert second_jan.pk != first_jan.pk  # the same-day correction replaced the row
    client.force_login(pl_auditor)

    response = client.get(reverse("web:household_history", args=[household.pk]))

    jan_events = sorted((e.action, e.object_id) for e in response.context["page"].object_list if e.person_id == jan.pk)
    assert jan_events == sorted([("create", first_jan.pk), ("delete", first_jan.pk), ("create", second_jan.pk)])


def test_worker_cannot_open_household_history(client, pl_worker, anna):
    household = _household_with(pl_worker.centre, (anna, "head"))
    client.force_login(pl_worker)
    assert client.get(reverse("web:household_history", args=[household.pk])).status_code == 403


def test_director_opens_household_history(client, pl_director, anna):
    household = _household_with(pl_director.centre, (anna, "head"))
    client.force_login(pl_director)
    assert client.get(reverse("web:household_history", args=[household.pk])).status_code == 200


# --- member search ---------------------------------------------------------------------------------


def test_member_search_lists_persons_with_an_add_button(client, pl_worker, md_centre, anna, jan):
    PersonFactory(centre=md_centre, first_name="Anna", last_name="Kowalska")
    _household_with(pl_worker.centre, (jan, "head"))
    client.force_login(pl_worker)
    response = client.get(SEARCH_URL, {"q": "kowalsk"})
    assert response.status_code == 200
    persons = response.context["persons"]
    assert {p.pk for p in persons} == {anna.pk, jan.pk}
    html = response.content.decode()
    assert html.count('hx-target="#member-rows"') == 2
    assert "now in household" in html  # Jan is already in a household


def test_member_search_marks_persons_already_listed(client, pl_worker, anna):
    client.force_login(pl_worker)
    response = client.get(SEARCH_URL, {"q": "anna", "person": [anna.pk]})
    assert [p.is_listed for p in response.context["persons"]] == [True]
    assert 'hx-target="#member-rows"' not in response.content.decode()


def test_member_search_needs_two_characters(client, pl_worker, anna):
    client.force_login(pl_worker)
    response = client.get(SEARCH_URL, {"q": "a"})
    assert response.context["persons"] == []


def test_member_search_add_returns_a_row_head_first(client, pl_worker, anna, jan):
    client.force_login(pl_worker)
    first = client.get(SEARCH_URL, {"add": anna.pk})
    assert first.status_code == 200
    assert first.context["row"].relationship == "head"
    assert f'name="person" value="{anna.pk}"' in first.content.decode()
    second = client.get(SEARCH_URL, {"add": jan.pk, "person": [anna.pk]})
    assert second.context["row"].relationship == ""
    again = client.get(SEARCH_URL, {"add": anna.pk, "person": [anna.pk]})
    assert again.status_code == 204


def test_member_search_add_of_another_centres_person_is_404(client, pl_worker, md_centre):
    foreign = PersonFactory(centre=md_centre)
    client.force_login(pl_worker)
    assert client.get(SEARCH_URL, {"add": foreign.pk}).status_code == 404


def test_member_search_is_for_those_who_edit(client, pl_finance, pl_auditor):
    for user in (pl_finance, pl_auditor):
        client.force_login(user)
        assert client.get(SEARCH_URL, {"q": "anna"}).status_code == 403
