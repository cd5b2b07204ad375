"""Browser: a subject-access request (GDPR art. 15) — pl-worker records Łukasz Kowalski's request from his person
page; pl-director finds it in the Subject access queue, approves it (the export is produced) and downloads the
ZIP: JSON files per record type, a readable PDF in Polish naming him, the manifest's checksums matching."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

from playwright.sync_api import Page, expect

from socius.privacy.models import SubjectAccessRequest
from socius.web.tests.browser import test_journeys as journeys
from socius.web.tests.browser.test_journeys import log_in, log_out
from socius.web.tests.test_pdf_views import pdf_text

compiled_locale_dir = journeys.compiled_locale_dir
fresh_catalogues = journeys.fresh_catalogues
demo = journeys.demo
lukasz = journeys.lukasz

SLOW = 60_000


def test_pl_director_approves_a_subject_access_export_and_downloads_it(page: Page, lukasz):
    log_in(page, "pl-worker")
    page.goto(f"/persons/{lukasz.pk}/")
    page.locator(f"a[href='/persons/{lukasz.pk}/subject-access/new/']").click()
    page.locator("#id_channel").select_option("letter")
    page.locator("form.card button[type=submit]").click()
    expect(page.locator("#sar-status")).to_be_visible()
    sar = SubjectAccessRequest.objects.get(person=lukasz)
    assert (sar.status, sar.language) == ("requested", "pl")
    log_out(page)

    log_in(page, "pl-director")
    page.locator("header nav a[href='/subject-access/']").click()
    page.locator(f"a[href='/subject-access/{sar.pk}/']").click()
    page.locator("#sar-approve").click()
    expect(page.locator("#sar-download")).to_be_visible(timeout=SLOW)
    with page.expect_download(timeout=SLOW) as download:
        page.locator("#sar-download").click()
    with open(download.value.path(), "rb") as handle:
        content = handle.read()
    (journeys.SCREENSHOTS / "subject-access-export.zip").write_bytes(content)  # to look at

    sar.refresh_from_db()
    assert (sar.status, sar.approved_by.username) == ("approved", "pl-director")
    assert hashlib.sha256(content).hexdigest() == sar.export_sha256
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        person = json.loads(archive.read("data/registry/registry.Person.json"))
        pdf = archive.read("Kowalski-Lukasz-subject-access.pdf")
        for listed in manifest["files"]:
            assert hashlib.sha256(archive.read(listed["name"])).hexdigest() == listed["sha256"]
    assert [row["last_name"] for row in person["rows"]] == ["Kowalski"]
    assert {"data/household/registry.Membership.json", "data/audit/accounts.AuditEvent.json"} <= names
    assert pdf.startswith(b"%PDF")
    text = " ".join(pdf_text(pdf).split())
    assert "Łukasz Kowalski" in text  # the heading, in Polish once the catalogue has it
