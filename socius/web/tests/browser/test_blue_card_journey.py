"""Browser: a PL social worker starts a Blue Card (NK-A) from the registry search and sees its page; another
worker of the same centre is answered "not found". Screenshots of the card's page in Polish and English go to
/tmp/socius_browser/."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from socius.family.models import BlueCard
from socius.testing.factories import (
    CentreFactory,
    HouseholdFactory,
    MembershipFactory,
    PersonFactory,
    TerritoryFactory,
    UserFactory,
)
from socius.web.tests.browser import test_journeys as journeys
from socius.web.tests.browser.test_journeys import shot

compiled_locale_dir = journeys.compiled_locale_dir
fresh_catalogues = journeys.fresh_catalogues

PASSWORD = "pass-word-123"  # the factories' password


def _log_in(page: Page, username: str) -> None:
    page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator(".login-box form button[type=submit]").click()
    expect(page.locator("form[action='/logout/']")).to_be_visible()


def test_pl_worker_starts_a_blue_card_and_another_worker_gets_not_found(page: Page, transactional_db):
    gmina = TerritoryFactory(jurisdiction="PL", level="municipality", name="Moszczenica")
    centre = CentreFactory(code="pl-bc", name="GOPS Moszczenica", jurisdiction="PL", territory=gmina)
    UserFactory(
        username="pl-bc-worker", centre=centre, role="social_worker", first_name="Anna", last_name="Lis", language="pl"
    )
    UserFactory(username="pl-bc-worker2", centre=centre, role="social_worker", language="pl")
    home = HouseholdFactory(centre=centre, street_address="ul. Różana 7")
    victim = PersonFactory(centre=centre, first_name="Agnieszka", last_name="Zawadzka", birth_date=dt.date(1985, 1, 1))
    suspect = PersonFactory(centre=centre, first_name="Marek", last_name="Wrona", birth_date=dt.date(1980, 2, 2))
    MembershipFactory(household=home, person=victim)
    MembershipFactory(household=home, person=suspect, relationship="partner")

    _log_in(page, "pl-bc-worker")
    page.goto("/blue-cards/")
    page.locator("#blue-card-start").click()
    page.locator("#bc-person-q").fill("Zawadzka, Wrona")
    page.locator("#bc-person-q").press("Enter")
    page.locator(f"#role_{victim.pk}").select_option("victim")
    page.locator(f"#role_{suspect.pk}").select_option("suspect")
    page.locator("#id_initiator").select_option("social_assistance")
    page.locator("#id_violence").fill("przemoc psychiczna i ekonomiczna")
    page.locator("#blue-card-submit").click()

    card = BlueCard.objects.get()
    expect(page).to_have_url(f"{page.url.split('/blue-cards/')[0]}/blue-cards/{card.pk}/")
    expect(page.locator("h1")).to_contain_text(card.reference)
    expect(page.locator("#parties")).to_contain_text("Agnieszka Zawadzka")
    expect(page.locator("#group")).to_contain_text("Anna Lis")
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    shot(page, "blue_card_pl")

    page.locator("#language-select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#h-group")).to_have_text("Diagnostic-and-support group")
    shot(page, "blue_card_en")

    page.goto("/blue-cards/")
    expect(page.locator("table.blue-cards")).to_contain_text(card.reference)
    page.locator("form[action='/logout/'] button").click()

    _log_in(page, "pl-bc-worker2")
    response = page.goto(f"/blue-cards/{card.pk}/")
    assert response is not None and response.status == 404
    page.goto("/blue-cards/")
    expect(page.locator("#blue-cards-empty")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(card.reference)
