"""Person pages: list, register (with inline validation and duplicate checks), detail, edit, history, move out."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import formats, translation

from socius.accounts.models import AuditEvent
from socius.registry.models import Membership, Person
from socius.testing.factories import (
    HouseholdFactory,
    MembershipFactory,
    PersonFactory,
    TerritoryFactory,
    make_pesel,
)

BIRTH = dt.date(1944, 5, 14)
PESEL = make_pesel(BIRTH, "M", serial=13)
WRONG_PESEL = PESEL[:-1] + str((int(PESEL[-1]) + 1) % 10)


def form_data(**overrides):
    data = {
        "first_name": "Łukasz",
        "last_name": "Kowalski",
        "birth_date": BIRTH.isoformat(),
        "sex": "M",
        "national_id": PESEL,
        "citizenship": "PL",
        "territory": "",
        "street_address": "ul. Długa 1",
        "phone": "+48 600 100 200",
        "email": "",
        "education": "",
        "employment_status": "",
        "disability_degree": "",
        "notes": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def worker_client(client, pl_worker):
    client.force_login(pl_worker)
    return client


@pytest.fixture
def village(pl_centre):
    return TerritoryFactory(jurisdiction="PL", level="village", name="Kiełczówek", parent=pl_centre.territory)


# --- register --------------------------------------------------------------------------------------


def test_register_form_labels_the_national_id_with_the_centres_id_name(worker_client):
    response = worker_client.get(reverse("web:person_create"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_national_id">PESEL</label>' in html  # as on the household form: no colon
    assert (
        '<label for="id_last_name">Family name <span class="required-mark" aria-hidden="true">*</span></label>' in html
    )
    assert 'type="text" name="birth_date"' in html and 'placeholder="dd/mm/yyyy"' in html  # the UI language's
    # Inline validation is wired to the fields it checks.
    assert f'hx-post="{reverse("web:person_validate")}"' in html
    assert 'aria-describedby="id_national_id-errors id_national_id_helptext"' in html


def test_register_saves_and_redirects_to_detail_with_a_message(worker_client, pl_worker, village):
    response = worker_client.post(reverse("web:person_create"), form_data(territory=village.pk), follow=True)
    person = Person.objects.get()
    assert response.redirect_chain == [(reverse("web:person_detail", args=[person.pk]), 302)]
    assert person.centre_id == pl_worker.centre_id
    assert (person.first_name, person.national_id, person.territory) == ("Łukasz", PESEL, village)
    assert "Łukasz Kowalski is registered." in response.content.decode()
    assert AuditEvent.objects.filter(action="create", object_type="person", object_id=person.pk).count() == 1


def test_wrong_pesel_shows_the_field_error_and_writes_nothing(worker_client):
    response = worker_client.post(reverse("web:person_create"), form_data(national_id=WRONG_PESEL))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["national_id"] == ["PESEL check digit is wrong: the number was probably mistyped."]
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert "check digit is wrong" in html
    assert Person.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_pesel_inconsistent_with_birth_date_is_refused(worker_client):
    response = worker_client.post(reverse("web:person_create"), form_data(birth_date="1944-05-15"))
    assert response.status_code == 200
    (message,) = response.context["form"].errors["national_id"]
    assert "differs from the birth date entered" in message
    assert Person.objects.count() == 0


def test_field_errors_and_id_errors_are_shown_together(worker_client):
    response = worker_client.post(reverse("web:person_create"), form_data(email="not-an-email", national_id="123"))
    errors = response.context["form"].errors
    assert errors["email"] == ["Enter a valid email address."]
    assert errors["national_id"] == ["PESEL must have 11 digits; this one has 3."]
    assert Person.objects.count() == 0


def test_duplicate_national_id_blocks_with_a_link_to_the_registered_person(worker_client, pl_centre):
    existing = PersonFactory(centre=pl_centre, first_name="Jan", last_name="Nowak", national_id=PESEL)
    response = worker_client.post(reverse("web:person_create"), form_data())
    assert response.status_code == 200
    assert response.context["form"].errors["national_id"] == ["A person with this national ID is already registered."]
    assert response.context["duplicate_of"] == existing
    assert f'href="{reverse("web:person_detail", args=[existing.pk])}"' in response.content.decode()
    assert Person.objects.count() == 1


def test_similar_name_same_birth_date_warns_with_candidates_then_confirm_saves(worker_client, pl_centre):
    existing = PersonFactory(centre=pl_centre, first_name="Lukasz", last_name="Kowalski", birth_date=BIRTH)
    data = form_data(national_id="")

    warned = worker_client.post(reverse("web:person_create"), data)
    assert warned.status_code == 200
    assert warned.context["possible_duplicates"] == [existing]
    assert warned.context["form"].non_field_errors()[0].startswith("A person with a similar name")
    html = warned.content.decode()
    assert f'href="{reverse("web:person_detail", args=[existing.pk])}"' in html
    assert 'name="confirm_different"' in html
    assert Person.objects.count() == 1

    confirmed = worker_client.post(reverse("web:person_create"), {**data, "confirm_different": "on"})
    assert confirmed.status_code == 302
    assert Person.objects.count() == 2


def test_confirmation_checkbox_is_not_offered_without_candidates(worker_client):
    html = worker_client.get(reverse("web:person_create")).content.decode()
    assert 'name="confirm_different"' not in html


def test_locality_of_another_country_is_not_a_choice(worker_client, md_centre):
    response = worker_client.post(reverse("web:person_create"), form_data(territory=md_centre.territory.pk))
    assert "territory" in response.context["form"].errors
    assert Person.objects.count() == 0


def test_finance_officer_cannot_register(client, pl_finance):
    client.force_login(pl_finance)
    assert client.get(reverse("web:person_create")).status_code == 403
    assert client.post(reverse("web:person_create"), form_data()).status_code == 403
    assert Person.objects.count() == 0


def test_anonymous_is_sent_to_login(client, db):
    url = reverse("web:person_create")
    response = client.post(url, form_data())
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"
    assert Person.objects.count() == 0


# --- inline validation -------------------------------------------------------------------------------


def validate(client, data, field, **params):
    url = reverse("web:person_validate")
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return client.post(url, data, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME=field)


def test_inline_validation_shows_wrong_checksum_without_saving(worker_client):
    response = validate(worker_client, form_data(national_id=WRONG_PESEL), "national_id")
    assert response.status_code == 200
    assert response.content.decode() == (
        '<ul class="errorlist"><li>PESEL check digit is wrong: the number was probably mistyped.</li></ul>'
    )
    assert Person.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_inline_validation_of_a_valid_field_answers_empty(worker_client):
    response = validate(worker_client, form_data(), "national_id")
    assert response.status_code == 200
    assert response.content == b""


def test_inline_validation_of_birth_date_refreshes_the_national_id_out_of_band(worker_client):
    response = validate(worker_client, form_data(birth_date="1950-01-01"), "birth_date")
    html = response.content.decode()
    assert html.startswith('<div id="id_national_id-errors" hx-swap-oob="innerHTML"><ul class="errorlist">')
    assert "differs from the birth date entered" in html


def test_inline_validation_links_a_duplicate_national_id(worker_client, pl_centre):
    existing = PersonFactory(centre=pl_centre, national_id=PESEL)
    html = validate(worker_client, form_data(), "national_id").content.decode()
    assert "A person with this national ID is already registered." in html
    assert f'href="{reverse("web:person_detail", args=[existing.pk])}"' in html


def test_inline_validation_on_edit_does_not_flag_the_persons_own_id(worker_client, pl_centre):
    person = PersonFactory(centre=pl_centre, national_id=PESEL, birth_date=BIRTH, sex="M")
    response = validate(worker_client, form_data(), "national_id", pk=person.pk)
    assert response.content == b""


def test_inline_validation_for_another_centres_person_is_404(client, md_worker, pl_centre):
    person = PersonFactory(centre=pl_centre)
    client.force_login(md_worker)
    assert validate(client, form_data(), "national_id", pk=person.pk).status_code == 404


def test_inline_validation_is_post_only(worker_client):
    assert worker_client.get(reverse("web:person_validate")).status_code == 405


def test_inline_validation_of_an_unknown_field_answers_empty(worker_client):
    response = validate(worker_client, form_data(), "password")
    assert response.status_code == 200
    assert response.content == b""


# --- detail ------------------------------------------------------------------------------------------


def test_detail_logs_exactly_one_view_event(worker_client, pl_worker, pl_centre):
    person = PersonFactory(centre=pl_centre)
    response = worker_client.get(reverse("web:person_detail", args=[person.pk]), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    events = AuditEvent.objects.filter(action="view")
    assert [(e.actor, e.object_type, e.object_id, e.person_id, e.ip, e.channel) for e in events] == [
        (pl_worker, "person", person.pk, person.pk, "10.1.2.3", "web")
    ]


def test_detail_shows_facts_in_the_users_language_and_the_household(client, pl_worker, pl_centre):
    pl_worker.language = "pl"
    pl_worker.save()
    client.force_login(pl_worker)
    person = PersonFactory(centre=pl_centre, birth_date=BIRTH, first_name="Łukasz", last_name="Nowak")
    household = HouseholdFactory(centre=pl_centre)
    old = HouseholdFactory(centre=pl_centre)
    MembershipFactory(household=old, person=person, valid_from=dt.date(2010, 1, 1), valid_until=dt.date(2020, 1, 1))
    MembershipFactory(household=household, person=person, relationship="head", valid_from=dt.date(2020, 1, 1))
    response = client.get(reverse("web:person_detail", args=[person.pk]))
    html = response.content.decode()
    with translation.override("pl"):
        assert formats.date_format(BIRTH) in html
    assert response.context["membership"].household == household
    assert [m.household for m in response.context["memberships"]] == [household, old]
    assert reverse("web:household_detail", args=[household.pk]) in html
    assert reverse("web:household_detail", args=[old.pk]) in html


def test_detail_offers_edit_and_move_out_to_workers_but_not_history(worker_client, pl_centre):
    person = PersonFactory(centre=pl_centre)
    MembershipFactory(household=HouseholdFactory(centre=pl_centre), person=person)
    html = worker_client.get(reverse("web:person_detail", args=[person.pk])).content.decode()
    assert reverse("web:person_edit", args=[person.pk]) in html
    assert reverse("web:person_move_out", args=[person.pk]) in html
    assert reverse("web:person_history", args=[person.pk]) not in html


def test_detail_offers_history_but_not_edit_to_auditors(client, pl_auditor, pl_centre):
    person = PersonFactory(centre=pl_centre)
    client.force_login(pl_auditor)
    html = client.get(reverse("web:person_detail", args=[person.pk])).content.decode()
    assert reverse("web:person_history", args=[person.pk]) in html
    assert reverse("web:person_edit", args=[person.pk]) not in html


def test_cyrillic_name_is_shown_with_its_latin_transliteration(worker_client, pl_centre):
    person = PersonFactory(centre=pl_centre, first_name="Ольга", last_name="Петрова")
    html = worker_client.get(reverse("web:person_detail", args=[person.pk])).content.decode()
    assert "Olga Petrova" in html


@pytest.mark.parametrize("name", ["person_detail", "person_edit", "person_move_out"])
def test_another_centres_person_is_404_and_not_logged(client, md_worker, pl_centre, name):
    person = PersonFactory(centre=pl_centre)
    client.force_login(md_worker)
    assert client.get(reverse(f"web:{name}", args=[person.pk])).status_code == 404
    assert AuditEvent.objects.count() == 0


def test_another_centres_person_history_is_404(client, md_director, pl_centre):
    person = PersonFactory(centre=pl_centre)
    client.force_login(md_director)
    assert client.get(reverse("web:person_history", args=[person.pk])).status_code == 404


def test_another_centres_person_cannot_be_edited_or_moved_by_post(client, md_worker, pl_centre):
    person = PersonFactory(centre=pl_centre, first_name="Anna")
    membership = MembershipFactory(household=HouseholdFactory(centre=pl_centre), person=person)
    client.force_login(md_worker)
    assert client.post(reverse("web:person_edit", args=[person.pk]), form_data()).status_code == 404
    assert client.post(reverse("web:person_move_out", args=[person.pk]), {"on": "2024-01-01"}).status_code == 404
    person.refresh_from_db()
    membership.refresh_from_db()
    assert person.first_name == "Anna"
    assert membership.valid_until is None


def test_missing_person_is_404(worker_client):
    assert worker_client.get(reverse("web:person_detail", args=[999999])).status_code == 404


# --- edit --------------------------------------------------------------------------------------------


def test_edit_form_is_filled_with_the_person(worker_client, pl_centre, village):
    person = PersonFactory(centre=pl_centre, first_name="Anna", territory=village, birth_date=BIRTH)
    response = worker_client.get(reverse("web:person_edit", args=[person.pk]))
    form = response.context["form"]
    assert form["first_name"].value() == "Anna"
    assert form["territory"].value() == village.pk
    assert f'value="{BIRTH:%d/%m/%Y}"' in response.content.decode()  # day first, in English too
    assert f'hx-post="{reverse("web:person_validate")}?pk={person.pk}"' in response.content.decode()


def test_edit_saves_changes_and_records_before_and_after(worker_client, pl_worker, pl_centre):
    person = PersonFactory(centre=pl_centre, first_name="Łukasz", last_name="Kowalski", birth_date=BIRTH, sex="M")
    response = worker_client.post(
        reverse("web:person_edit", args=[person.pk]), form_data(national_id="", phone="600 700 800")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:person_detail", args=[person.pk])
    person.refresh_from_db()
    assert person.phone == "600 700 800"
    event = AuditEvent.objects.get(action="update")
    assert event.actor == pl_worker
    assert event.changes["phone"] == ["", "600 700 800"]


def test_edit_refuses_a_national_id_taken_by_another_person(worker_client, pl_centre):
    PersonFactory(centre=pl_centre, national_id=PESEL)
    person = PersonFactory(centre=pl_centre, first_name="Anna", national_id="")
    response = worker_client.post(reverse("web:person_edit", args=[person.pk]), form_data(first_name="Zofia"))
    assert response.status_code == 200
    assert "national_id" in response.context["form"].errors
    person.refresh_from_db()
    assert (person.first_name, person.national_id) == ("Anna", "")
    assert AuditEvent.objects.filter(action="update").count() == 0


def test_finance_officer_cannot_edit(client, pl_finance, pl_centre):
    person = PersonFactory(centre=pl_centre, first_name="Anna")
    client.force_login(pl_finance)
    assert client.post(reverse("web:person_edit", args=[person.pk]), form_data()).status_code == 403
    person.refresh_from_db()
    assert person.first_name == "Anna"


# --- list --------------------------------------------------------------------------------------------


def test_list_filters_by_query_sex_and_locality(worker_client, pl_centre, village):
    anna = PersonFactory(centre=pl_centre, first_name="Anna", last_name="Żak", sex="F", territory=village)
    PersonFactory(centre=pl_centre, first_name="Jan", last_name="Żak", sex="M")
    PersonFactory(centre=pl_centre, first_name="Ewa", last_name="Nowak", sex="F")
    url = reverse("web:person_list")

    def names(**params):
        return [p.first_name for p in worker_client.get(url, params).context["page_obj"].object_list]

    assert names() == ["Ewa", "Anna", "Jan"]  # Nowak, Żak Anna, Żak Jan (ordered by family name)
    assert names(q="zak") == ["Anna", "Jan"]
    assert names(q="zak", sex="F") == ["Anna"]
    assert names(territory=village.pk) == ["Anna"]
    assert names(territory=pl_centre.territory.pk) == ["Anna"]  # descendants of the chosen area
    assert names(sex="unknown") == []
    assert anna.pk


def test_list_sorts_by_birth_date_both_ways(worker_client, pl_centre):
    PersonFactory(centre=pl_centre, first_name="Old", birth_date=dt.date(1940, 1, 1))
    PersonFactory(centre=pl_centre, first_name="Young", birth_date=dt.date(2000, 1, 1))
    PersonFactory(centre=pl_centre, first_name="Unknown", birth_date=None)
    url = reverse("web:person_list")
    ascending = worker_client.get(url, {"sort": "birth_date"})
    descending = worker_client.get(url, {"sort": "-birth_date"})
    assert [p.first_name for p in ascending.context["page_obj"]] == ["Old", "Young", "Unknown"]
    assert [p.first_name for p in descending.context["page_obj"]] == ["Young", "Old", "Unknown"]
    assert 'aria-sort="descending"' in descending.content.decode()


def test_list_is_paginated_and_scoped_to_the_centre(worker_client, pl_centre, md_centre):
    PersonFactory.create_batch(27, centre=pl_centre)
    PersonFactory.create_batch(3, centre=md_centre)
    first = worker_client.get(reverse("web:person_list"))
    second = worker_client.get(reverse("web:person_list"), {"page": 2})
    assert first.context["page_obj"].paginator.count == 27
    assert len(first.context["page_obj"].object_list) == 25
    assert len(second.context["page_obj"].object_list) == 2
    assert "?page=2" in first.content.decode()


def test_list_is_open_to_the_finance_officer_without_register_button(client, pl_finance):
    client.force_login(pl_finance)
    response = client.get(reverse("web:person_list"))
    assert response.status_code == 200
    assert reverse("web:person_create") not in response.content.decode()


# --- history -----------------------------------------------------------------------------------------


def test_history_shows_who_when_and_before_after(client, pl_worker, pl_auditor, pl_centre, village):
    from socius.registry.services import register_person, update_person

    person = register_person(pl_worker, {"first_name": "Anna", "last_name": "Nowak", "sex": "F"})
    update_person(pl_worker, person.pk, {"sex": "M", "territory": village})
    client.force_login(pl_auditor)
    response = client.get(reverse("web:person_history", args=[person.pk]))
    assert response.status_code == 200
    events = response.context["page_obj"].object_list
    assert [e.action for e in events] == ["update", "create"]
    assert events[0].change_rows == [("sex", "Female", "Male"), ("locality", "—", "Kiełczówek")]
    html = response.content.decode()
    assert "pl_worker" in html
    assert "Kiełczówek" in html


def test_history_is_for_auditors_and_directors_only(client, pl_worker, pl_director, pl_centre):
    person = PersonFactory(centre=pl_centre)
    client.force_login(pl_worker)
    assert client.get(reverse("web:person_history", args=[person.pk])).status_code == 403
    client.force_login(pl_director)
    assert client.get(reverse("web:person_history", args=[person.pk])).status_code == 200


# --- moving out --------------------------------------------------------------------------------------


def test_move_out_asks_for_confirmation_then_ends_the_membership(worker_client, pl_centre):
    household = HouseholdFactory(centre=pl_centre)
    head = PersonFactory(centre=pl_centre)
    child = PersonFactory(centre=pl_centre, first_name="Ola", last_name="Nowak")
    MembershipFactory(household=household, person=head, relationship="head")
    membership = MembershipFactory(household=household, person=child, relationship="child")
    url = reverse("web:person_move_out", args=[child.pk])

    confirm = worker_client.get(url)
    assert confirm.status_code == 200
    membership.refresh_from_db()
    assert membership.valid_until is None

    response = worker_client.post(url, {"on": "2024-03-01"})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:person_detail", args=[child.pk])
    membership.refresh_from_db()
    assert membership.valid_until == dt.date(2024, 3, 1)


def test_head_with_other_members_cannot_move_out(worker_client, pl_centre):
    household = HouseholdFactory(centre=pl_centre)
    head = PersonFactory(centre=pl_centre)
    MembershipFactory(household=household, person=head, relationship="head")
    MembershipFactory(household=household, person=PersonFactory(centre=pl_centre), relationship="child")
    response = worker_client.post(reverse("web:person_move_out", args=[head.pk]), {"on": "2024-03-01"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Choose a new head of the household before the head moves out."
    ]
    assert Membership.objects.filter(valid_until__isnull=False).count() == 0


def test_move_out_refuses_a_future_date(worker_client, pl_centre):
    person = PersonFactory(centre=pl_centre)
    MembershipFactory(household=HouseholdFactory(centre=pl_centre), person=person)
    response = worker_client.post(reverse("web:person_move_out", args=[person.pk]), {"on": "2999-01-01"})
    assert response.context["form"].errors["on"] == ["The date cannot be in the future."]
    assert Membership.objects.get().valid_until is None


def test_move_out_without_a_household_goes_back_to_detail(worker_client, pl_centre):
    person = PersonFactory(centre=pl_centre)
    response = worker_client.post(reverse("web:person_move_out", args=[person.pk]), {"on": "2024-03-01"})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:person_detail", args=[person.pk])
