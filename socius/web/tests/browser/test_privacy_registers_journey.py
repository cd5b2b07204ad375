"""In a browser: a worker records a person's consent in the section of the person's page (loaded when revealed)
and withdraws it; the DPO signs in to the privacy page, adds the country's model entries to the register and
records a breach."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from socius.privacy.models_registers import DataBreach, ProcessingActivity
from socius.registry.models import Consent
from socius.web.tests.browser import test_journeys as journeys
from socius.web.tests.browser.test_journeys import log_in

compiled_locale_dir = journeys.compiled_locale_dir
fresh_catalogues = journeys.fresh_catalogues
demo = journeys.demo
lukasz = journeys.lukasz

SLOW = 30_000  # a write and the section drawn again, on a busy test machine


def test_a_worker_records_and_withdraws_a_consent_on_the_persons_page(page: Page, lukasz):
    log_in(page, "pl-worker")
    page.goto(f"/persons/{lukasz.pk}/")
    section = page.locator("section#consents")
    section.scroll_into_view_if_needed()
    expect(section.locator("summary")).to_be_visible(timeout=SLOW)  # drawn by htmx when revealed
    section.locator("summary").first.click()
    section.locator("#consent_purpose").select_option("photos")
    section.locator("#consent_method").select_option("oral")
    section.locator("form button[type=submit].primary").click()
    expect(page.locator("section#consents table")).to_be_visible(timeout=SLOW)
    consent = Consent.objects.get(person=lukasz, purpose="photos")
    assert consent.withdrawn_on is None and consent.recorded_by.username == "pl-worker"
    withdraw = page.locator(f"#consent-{consent.pk} details")
    withdraw.locator("summary").click()
    withdraw.locator("button[type=submit]").click()
    expect(page.locator(f"#consent-{consent.pk} details")).to_have_count(0, timeout=SLOW)
    consent.refresh_from_db()
    assert consent.withdrawn_on is not None


def test_the_dpo_keeps_the_register_and_the_breach_log(page: Page, demo):
    log_in(page, "pl-dpo")
    expect(page.locator("h1")).to_be_visible()
    page.goto("/privacy/register/")
    page.locator("form[action='/privacy/register/seed/'] button").click()
    expect(page.locator("section.card h2").first).to_be_visible(timeout=SLOW)
    assert ProcessingActivity.objects.filter(centre__code="pl-moszczenica").count() == 5
    page.goto("/privacy/breaches/new/")
    page.locator("#id_title").fill("Zgubiony pendrive")
    page.locator("#id_nature").select_option("confidentiality")
    page.locator("#id_description").fill("Pendrive z listą obecności zgubiony w autobusie.")
    page.locator("#id_data_categories").fill("Imiona i nazwiska")
    page.locator("#id_subjects_count").fill("25")
    page.locator("#id_consequences").fill("Ujawnienie nazwisk")
    page.locator("#id_measures").fill("Powiadomiono uczestników")
    page.locator("#id_risk").select_option("risk")
    page.locator("form[method=post] button[type=submit].primary").click()
    expect(page.locator("h1")).to_have_text("Zgubiony pendrive", timeout=SLOW)
    breach = DataBreach.objects.get()
    assert breach.authority.endswith("(UODO)") and breach.subjects_count == 25
