"""The import page: who may use it, upload checks, the report, and the real run after a dry run."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from socius.accounts.models import AuditAction, AuditEvent
from socius.registry.importing import storage
from socius.registry.models import Household, Person
from socius.testing.factories import TerritoryFactory, make_pesel

URL = reverse("web:import")
HEADER = "household_ref;relationship;first_name;last_name;birth_date;sex;national_id;locality"
ANNA = make_pesel(dt.date(1980, 3, 14), "F", serial=201)
JAN = make_pesel(dt.date(1978, 11, 2), "M", serial=202)


def csv_file(*lines, name="persons.csv"):
    text = "\r\n".join([HEADER, *lines]) + "\r\n"
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


GOOD = (
    f"H-1;head;Anna;Kowalska;1980-03-14;F;{ANNA};Baby",
    f"H-1;spouse;Jan;Kowalski;1978-11-02;M;{JAN};Baby",
)
BAD = f"H-2;head;Ewa;Nowak;1990-01-01;F;{ANNA[:-1]}0;Baby"  # wrong check digit (ANNA's ends otherwise)


@pytest.fixture(autouse=True)
def empty_upload_storage():
    """The test settings' in-memory storage lives as long as the process: start each test without uploads."""
    storage.default_storage.delete(storage.ROOT)
    yield
    storage.default_storage.delete(storage.ROOT)


@pytest.fixture
def baby(pl_centre):
    return TerritoryFactory(jurisdiction="PL", level="village", name="Baby", parent=pl_centre.territory)


@pytest.fixture
def lead_client(client, pl_teamlead, baby):
    client.force_login(pl_teamlead)
    return client


def upload(client, file, dry_run=True):
    data = {"file": file}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(URL, data)


def token_of(response):
    assert response.status_code == 302, response.content[:500]
    return response["Location"].split("report=")[1].split("&")[0]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("pl_worker", 403), ("pl_assistant", 403), ("pl_finance", 403), ("pl_auditor", 403),
     ("pl_teamlead", 200), ("pl_director", 200), ("pl_admin", 200)],
    indirect=["persona"],
)  # fmt: skip
def test_only_team_leaders_directors_and_administrators_may_import(client, persona, status):
    client.force_login(persona)
    assert client.get(URL).status_code == status
    assert upload(client, csv_file(*GOOD)).status_code in ((302,) if status == 200 else (403,))


def test_the_form_offers_a_dry_run_by_default_and_lists_the_columns(lead_client):
    response = lead_client.get(URL)
    html = response.content.decode()
    assert '<input type="checkbox" name="dry_run" id="id_dry_run" checked>' in html
    assert "household_ref" in html
    assert 'enctype="multipart/form-data"' in html


def test_template_download_has_the_header_row(lead_client):
    response = lead_client.get(URL, {"template": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode("utf-8-sig").startswith("household_ref;relationship;first_name;last_name;")


def test_dry_run_shows_the_report_and_writes_nothing(lead_client):
    before = (Person.objects.count(), Household.objects.count(), AuditEvent.objects.count())
    response = upload(lead_client, csv_file(*GOOD, BAD))
    report_page = lead_client.get(response["Location"])
    assert report_page.status_code == 200
    assert (Person.objects.count(), Household.objects.count(), AuditEvent.objects.count()) == before
    html = report_page.content.decode()
    assert "Dry run of persons.csv" in html
    assert "Would be created" in html
    assert "check digit" in html  # the rejected row is shown first, with its reason
    assert "<strong>national_id</strong>" in html  # the reason names the column as the file has it
    assert "Import 2 persons for real" in html
    all_rows = lead_client.get(response["Location"] + "&status=all").content.decode()
    assert "Kowalska" in all_rows and "Nowak" in all_rows


def test_run_for_real_after_a_dry_run_imports_the_same_file(lead_client, pl_teamlead):
    token = token_of(upload(lead_client, csv_file(*GOOD, BAD)))
    response = lead_client.post(URL, {"run": token})
    assert response.status_code == 302
    assert sorted(Person.objects.values_list("first_name", flat=True)) == ["Anna", "Jan"]
    assert Household.objects.get().external_ref == "H-1"
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert (event.actor, event.channel, event.changes["file_name"]) == (pl_teamlead, "import", "persons.csv")
    assert event.ip == "127.0.0.1"
    html = lead_client.get(response["Location"] + "&status=all").content.decode()
    assert "Import of persons.csv" in html
    assert "for real" not in html
    assert reverse("web:person_detail", args=[Person.objects.get(first_name="Anna").pk]) in html
    assert not storage.has_source(pl_teamlead.pk, token)  # the uploaded file is gone after the real run
    again = lead_client.post(URL, {"run": token})
    assert again.status_code == 404
    assert Person.objects.count() == 2


def test_upload_without_dry_run_imports_at_once(lead_client):
    response = upload(lead_client, csv_file(*GOOD), dry_run=False)
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_rejected_rows_download_as_csv(lead_client):
    token = token_of(upload(lead_client, csv_file(*GOOD, BAD)))
    response = lead_client.get(URL, {"report": token, "status": "rejected", "download": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0] == "row;status;household reference;name;column;reason"
    assert len(lines) == 2
    assert lines[1].startswith("4;Rejected;H-2;Ewa Nowak;national_id;")


@override_settings(SOCIUS_IMPORT_MAX_BYTES=100)
def test_too_big_a_file_is_refused_naming_the_field(lead_client):
    response = upload(lead_client, csv_file(*GOOD))
    assert response.status_code == 400
    html = response.content.decode()
    assert "File: The file is too large" in html
    assert "the limit is 100" in html
    assert Person.objects.count() == 0


def test_wrong_extension_is_refused_naming_the_field(lead_client):
    response = upload(lead_client, SimpleUploadedFile("persons.pdf", b"%PDF-1.4", content_type="application/pdf"))
    assert response.status_code == 400
    assert "File: Choose a CSV or XLSX file" in response.content.decode()


def test_unreadable_file_content_is_explained_on_the_form(lead_client, pl_teamlead):
    response = upload(lead_client, SimpleUploadedFile("persons.csv", b"name;shoe_size\r\nAnna;38\r\n"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "File: Unknown columns: “name”, “shoe_size”" in html
    assert storage.default_storage.listdir(f"imports/{pl_teamlead.pk}")[0] == []  # the upload was discarded


def test_errors_are_in_the_users_language(lead_client, pl_teamlead):
    pl_teamlead.language = "pl"
    pl_teamlead.save()
    response = upload(lead_client, SimpleUploadedFile("persons.pdf", b"x"))
    with translation.override("pl"):
        expected = translation.gettext("Choose a CSV or XLSX file (.csv, .xlsx); “%(name)s” is neither.")
    assert (expected % {"name": "persons.pdf"}) in response.content.decode()


def test_another_users_report_is_not_found(client, lead_client, pl_director):
    token = token_of(upload(lead_client, csv_file(*GOOD)))
    client.force_login(pl_director)
    assert client.get(URL, {"report": token}).status_code == 404
    assert client.post(URL, {"run": token}).status_code == 404
    assert client.get(URL, {"report": "../../etc"}).status_code == 404
    assert Person.objects.count() == 0


def test_report_pages_are_paginated(lead_client):
    lines = [f"H-{i};head;Osoba;Numer{i};;;;" for i in range(250)]
    token = token_of(upload(lead_client, csv_file(*lines)))
    first = lead_client.get(URL, {"report": token}).content.decode()
    assert "Page 1 of 3" in first
    assert "Numer99<" in first and "Numer100<" not in first
    third = lead_client.get(URL, {"report": token, "status": "all", "page": 3}).content.decode()
    assert "Numer249<" in third


def test_a_report_still_being_prepared_shows_a_waiting_page(lead_client, pl_teamlead):
    token = storage.save_upload(pl_teamlead.pk, csv_file(*GOOD))
    response = lead_client.get(URL, {"report": token})
    assert response.status_code == 200
    assert "hx-trigger" in response.content.decode()


def test_old_uploads_are_swept(pl_teamlead):
    token = storage.save_upload(pl_teamlead.pk, csv_file(*GOOD))
    assert storage.sweep() == 0
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=25)
    assert storage.sweep(later) == 1
    assert storage.read_meta(pl_teamlead.pk, token) is None
