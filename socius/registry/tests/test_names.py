"""Names need a visible letter and refuse the characters that change the direction of the text around
them: in the registry's validation, so the API, the web form, the import and the staff accounts agree."""

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent, User
from socius.common.errors import ValidationFailed
from socius.common.text import has_bidi_controls, has_letter, name_problem
from socius.registry.models import Person
from socius.registry.services import register_person, update_person
from socius.registry.tests.test_importer import anna, csv_bytes, localities, messages, run, statuses  # noqa: F401
from socius.testing.factories import PersonFactory

NO_LETTER = "A name must contain at least one letter."
DIRECTION = "A name cannot contain invisible characters that change the direction of the text."

REFUSED = [
    ("\u200b\u200b", NO_LETTER),  # zero-width spaces only
    ("\u200d", NO_LETTER),  # a zero-width joiner
    ("123", NO_LETTER),
    ("-'.", NO_LETTER),
    ("Anna\u202eowak", DIRECTION),  # right-to-left override
    ("\u202aAnna\u202c", DIRECTION),  # embedding and pop
    ("Anna\u2066x\u2069", DIRECTION),  # an isolate
    ("Anna\u200f", DIRECTION),  # right-to-left mark
    ("Anna\u200e", DIRECTION),  # left-to-right mark
]
ACCEPTED = ["Anna", "Łukasz", "Ștefan", "Ąžuolas", "Ольга", "O'Brien", "Anna-Maria", "Zoë", "Jan\u0301", "李"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(("value", "message"), REFUSED)
def test_name_problem_names_what_is_wrong(value, message):
    assert name_problem(value) == message


@pytest.mark.parametrize("value", ACCEPTED)
def test_names_of_every_script_pass(value):
    assert name_problem(value) is None
    assert has_letter(value) and not has_bidi_controls(value)


@pytest.mark.parametrize(("value", "message"), REFUSED)
@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_registering_refuses_the_name_with_a_field_message_and_writes_nothing(pl_worker, field, value, message):
    data = {"first_name": "Anna", "last_name": "Nowak", field: value}

    with pytest.raises(ValidationFailed) as exc:
        register_person(pl_worker, data)

    assert exc.value.errors == {field: [message]}
    assert Person.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_updating_refuses_it_too_and_keeps_the_record(pl_worker, pl_centre):
    person = PersonFactory(centre=pl_centre, first_name="Anna", last_name="Nowak")

    with pytest.raises(ValidationFailed) as exc:
        update_person(pl_worker, person.pk, {"last_name": "Nowak\u202e"})

    assert exc.value.errors == {"last_name": [DIRECTION]}
    person.refresh_from_db()
    assert person.last_name == "Nowak"


def test_the_api_answers_400_with_the_translated_field_message(pl_worker):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="pl")
    client.force_authenticate(pl_worker)

    response = client.post("/api/v1/persons/", {"first_name": "\u200b\u200b", "last_name": "Nowak"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["first_name"]
    with translation.override("pl"):
        assert response.json()["first_name"] == [translation.gettext(NO_LETTER)]
    assert response.json()["first_name"] != [NO_LETTER]  # the pl catalogue has it
    assert Person.objects.count() == 0


def test_the_web_form_shows_the_message_beside_the_field(client, pl_worker):
    client.force_login(pl_worker)

    response = client.post(
        reverse("web:person_create"),
        {"first_name": "Anna\u202eowak", "last_name": "Nowak", "citizenship": "PL"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert response.context["form"].errors["first_name"] == [DIRECTION]
    assert Person.objects.count() == 0


def test_an_import_row_with_such_a_name_is_rejected_with_the_reason(pl_teamlead, localities):  # noqa: F811
    report = run(pl_teamlead, csv_bytes([anna(first_name="\u200b"), anna(household_ref="H-2", last_name="A\u202eB")]))

    assert statuses(report) == {2: "rejected", 3: "rejected"}
    assert NO_LETTER in messages(report, 2)
    assert DIRECTION in messages(report, 3)
    assert Person.objects.count() == 0


def test_staff_names_follow_the_same_rule(pl_admin):
    from socius.accounts.services import create_staff_member

    with pytest.raises(ValidationFailed) as exc:
        create_staff_member(
            pl_admin,
            {
                "username": "z.w",
                "first_name": "\u200b",
                "last_name": "Nowak\u202e",
                "email": "z@example.org",
                "role": "social_worker",
                "teams": [],
                "language": "pl",
            },
        )

    assert exc.value.errors["first_name"] == [NO_LETTER]
    assert exc.value.errors["last_name"] == [DIRECTION]
    assert not User.objects.filter(username="z.w").exists()
