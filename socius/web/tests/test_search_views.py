"""Home page and person search: full page, header popup and home live results (htmx partials)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, translation

from socius.accounts.models import AuditEvent
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory

HEADER = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "header-search-results"}
HOME = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "home-search-results"}


@pytest.fixture
def worker_client(client, pl_worker):
    client.force_login(pl_worker)
    return client


@pytest.fixture
def lukasz(pl_centre):
    return PersonFactory(
        centre=pl_centre, first_name="Łukasz", last_name="Żółkiewski", birth_date=dt.date(1980, 3, 9), sex="M"
    )


# --- home --------------------------------------------------------------------------------------------


def test_home_welcomes_with_an_autofocused_search_box_and_register_links(worker_client):
    response = worker_client.get(reverse("web:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="home-search-input"' in html
    assert "autofocus" in html
    assert reverse("web:person_create") in html
    assert reverse("web:household_create") in html


def test_home_lists_the_persons_the_user_registered_recently(worker_client, pl_worker, pl_worker2, pl_centre):
    mine = PersonFactory(centre=pl_centre, created_by=pl_worker, first_name="Mine")
    PersonFactory(centre=pl_centre, created_by=pl_worker2, first_name="Theirs")
    response = worker_client.get(reverse("web:home"))
    assert response.context["recent_persons"] == [mine]


def test_home_does_not_offer_registration_to_the_finance_officer(client, pl_finance):
    client.force_login(pl_finance)
    html = client.get(reverse("web:home")).content.decode()
    assert reverse("web:person_create") not in html
    assert 'id="home-search-input"' in html


def test_home_sends_anonymous_visitors_to_login(client, db):
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


# --- search ------------------------------------------------------------------------------------------


def test_lukasz_finds_Łukasz_on_the_full_page(worker_client, lukasz):
    response = worker_client.get(reverse("web:search"), {"q": "lukasz"})
    assert response.status_code == 200
    assert response.context["results"] == [lukasz]
    html = response.content.decode()
    assert "<html" in html
    assert reverse("web:person_detail", args=[lukasz.pk]) in html


def test_header_popup_is_a_compact_partial(worker_client, lukasz, pl_centre):
    household = HouseholdFactory(centre=pl_centre)
    MembershipFactory(household=household, person=lukasz)
    response = worker_client.get(reverse("web:search"), {"q": "lukasz zolkiewski"}, **HEADER)
    assert response.status_code == 200
    assert [t.name for t in response.templates] == ["web/search_popup.html"]
    html = response.content.decode()
    assert "<html" not in html
    assert "Łukasz Żółkiewski" in html
    assert reverse("web:person_detail", args=[lukasz.pk]) in html
    assert reverse("web:household_detail", args=[household.pk]) in html
    vary = {v.strip() for v in response["Vary"].split(",")}
    assert {"HX-Request", "HX-Target"} <= vary


def test_the_popup_names_a_household_by_its_head_and_the_audit_names_the_head_too(worker_client, pl_centre):
    household = HouseholdFactory(centre=pl_centre)
    head = PersonFactory(centre=pl_centre, first_name="Halina", last_name="Wrona")
    son = PersonFactory(centre=pl_centre, first_name="Tymon", last_name="Wrona")
    MembershipFactory(household=household, person=son, relationship="child", valid_from=dt.date(2019, 1, 1))
    MembershipFactory(household=household, person=head, relationship="head", valid_from=dt.date(2020, 1, 1))

    response = worker_client.get(reverse("web:search"), {"q": "Tymon Wrona"}, **HEADER)

    html = response.content.decode()
    assert "Halina Wrona (household)" in html
    assert f"Household {household.pk}" not in html
    assert f'href="{reverse("web:household_detail", args=[household.pk])}"' in html
    event = AuditEvent.objects.get(action="view", object_type="person")
    named = {event.person_id, *event.further_persons.values_list("person_id", flat=True)} - {None}
    assert named == {son.pk, head.pk}


def test_a_person_alone_in_a_household_names_it(worker_client, pl_centre, lukasz):
    household = HouseholdFactory(centre=pl_centre)
    MembershipFactory(household=household, person=lukasz, valid_from=dt.date(2020, 1, 1))

    html = worker_client.get(reverse("web:search"), {"q": "lukasz"}, **HEADER).content.decode()

    # Łukasz is its only member, so he names it.
    assert "Łukasz Żółkiewski (household)" in html


def test_the_popup_names_households_with_the_same_queries_whatever_their_number(worker_client, pl_centre):
    for n in range(4):
        household = HouseholdFactory(centre=pl_centre)
        MembershipFactory(
            household=household, person=PersonFactory(centre=pl_centre, last_name="Sowa", first_name=f"Ala{n}")
        )
    worker_client.get(reverse("web:search"), {"q": "Sowa"}, **HEADER)  # warm the session
    with CaptureQueriesContext(connection) as four:
        worker_client.get(reverse("web:search"), {"q": "Sowa"}, **HEADER)
    household = HouseholdFactory(centre=pl_centre)
    MembershipFactory(household=household, person=PersonFactory(centre=pl_centre, last_name="Sowa", first_name="Ala9"))
    with CaptureQueriesContext(connection) as five:
        worker_client.get(reverse("web:search"), {"q": "Sowa"}, **HEADER)

    assert len(five) == len(four)


def test_popup_shows_birth_date_in_the_users_locale(client, pl_worker, lukasz):
    pl_worker.language = "pl"
    pl_worker.save()
    client.force_login(pl_worker)
    html = client.get(reverse("web:search"), {"q": "lukasz"}, **HEADER).content.decode()
    with translation.override("pl"):
        expected = formats.date_format(lukasz.birth_date, "SHORT_DATE_FORMAT")
    assert expected in html


def test_cyrillic_names_come_with_their_latin_transliteration(worker_client, pl_centre):
    PersonFactory(centre=pl_centre, first_name="Ольга", last_name="Петрова")
    html = worker_client.get(reverse("web:search"), {"q": "olga"}, **HEADER).content.decode()
    assert "Ольга Петрова" in html
    assert "(<bdi>Olga Petrova</bdi>)" in html


def test_search_by_national_id_prefix(worker_client, pl_centre):
    person = PersonFactory(centre=pl_centre, national_id="80030912345")
    response = worker_client.get(reverse("web:search"), {"q": "800309"})
    assert response.context["results"] == [person]


def test_empty_query_gives_an_empty_popup_and_a_hint_on_the_page(worker_client):
    popup = worker_client.get(reverse("web:search"), {"q": "  "}, **HEADER)
    assert popup.status_code == 200
    assert popup.content == b""
    page = worker_client.get(reverse("web:search"))
    assert page.status_code == 200
    assert page.context["results"] == []
    assert "finds “Łukasz”" in page.content.decode()


def test_no_match_says_so(worker_client, lukasz):
    html = worker_client.get(reverse("web:search"), {"q": "qqqqqq"}, **HEADER).content.decode()
    assert "No persons found for “qqqqqq”." in html


def test_home_live_results_are_a_table_partial(worker_client, lukasz):
    response = worker_client.get(reverse("web:search"), {"q": "lukasz"}, **HOME)
    assert [t.name for t in response.templates] == ["web/search_results.html"]
    assert "<table" in response.content.decode()


def test_search_never_shows_another_centres_persons(client, md_worker, lukasz):
    client.force_login(md_worker)
    response = client.get(reverse("web:search"), {"q": "lukasz"})
    assert response.context["results"] == []
    popup = client.get(reverse("web:search"), {"q": "lukasz"}, **HEADER)
    assert "Łukasz" not in popup.content.decode()


def test_search_logs_one_view_naming_the_persons_found(worker_client, lukasz):
    worker_client.get(reverse("web:search"), {"q": "lukasz"})
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.object_id) == ("view", "person", None)
    assert (event.person_id, event.changes) == (lukasz.pk, {"search": [None, "lukasz"]})


def test_search_is_open_to_every_role_of_the_centre(client, pl_finance, lukasz):
    client.force_login(pl_finance)
    assert client.get(reverse("web:search"), {"q": "lukasz"}).context["results"] == [lukasz]


def test_search_sends_anonymous_visitors_to_login(client, db):
    response = client.get(reverse("web:search"), {"q": "lukasz"}, **HEADER)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")
