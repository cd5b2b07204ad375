"""Browser journeys of issue 2, driven through Debian's Chromium at 1366×768.

Each test loads the small demo (30 persons per centre) on a transactional database, logs in through
the login form as a demo user and does what a worker would do. Texts are read from the translation
catalogues (compiled fresh from locale/*.po for the test), so the tests hold whichever catalogues are
filled; the Romanian test asserts the Romanian words themselves. Screenshots of each final state go to
/tmp/socius_browser/ (outside the repository).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polib
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from socius.accounts.demo import CENTRE_CODES, demo_password
from socius.accounts.models import Centre, Territory, User
from socius.registry.models import Household, Membership, Person, Relationship, Sex
from socius.registry.national_id import check_national_id, problem_messages
from socius.testing.factories import PersonFactory

SCREENSHOTS = Path("/tmp/socius_browser")

# A PESEL with a wrong check digit (44051401359 is the valid one: a man born on 14 May 1944).
WRONG_PESEL = "44051401358"
VALID_PESEL = "44051401359"
PESEL_BIRTH_DATE = dt.date(1944, 5, 14)


# --- fixtures and helpers -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def compiled_locale_dir(tmp_path_factory):
    """The project's catalogues compiled as they are now (as `make messages` does), outside the repo."""
    target = tmp_path_factory.mktemp("locale")
    for code, _name in django_settings.LANGUAGES:
        po_path = Path(django_settings.LOCALE_PATHS[0]) / code / "LC_MESSAGES" / "django.po"
        out = target / code / "LC_MESSAGES"
        out.mkdir(parents=True)
        polib.pofile(str(po_path)).save_as_mofile(str(out / "django.mo"))
    return target


@pytest.fixture(autouse=True)
def fresh_catalogues(settings, compiled_locale_dir):
    # Changing LOCALE_PATHS resets Django's translation caches, for the live server's thread too.
    settings.LOCALE_PATHS = [compiled_locale_dir]


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", persons_per_centre=30, stdout=io.StringIO())


@pytest.fixture
def lukasz(demo):
    return Person.objects.get(first_name="Łukasz", last_name="Kowalski", birth_date=dt.date(1978, 3, 14))


def in_language(code: str, message: str) -> str:
    with translation.override(code):
        return gettext(message)


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@contextmanager
def htmx_settled(page: Page) -> Iterator[None]:
    """Wait, after the block, until htmx has swapped and settled its answer: the response alone arrives
    before the swap, and a field filled in between is lost when the old form is replaced."""
    page.evaluate(
        "window.__htmxSettled = false;"
        " document.body.addEventListener('htmx:afterSettle', () => { window.__htmxSettled = true; }, {once: true});"
    )
    yield
    # Polled with evaluate(): wait_for_function() evaluates its predicate as a string, which the pages'
    # Content-Security-Policy (no 'unsafe-eval', decision 0021) refuses.
    for _ in range(400):  # 20 s
        if page.evaluate("window.__htmxSettled === true"):
            return
        page.wait_for_timeout(50)
    raise AssertionError("htmx did not settle its answer within 20 s")


def log_in(page: Page, username: str) -> None:
    """Through the login form, as a person would."""
    page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(demo_password())
    page.locator(".login-box form button[type=submit]").click()
    expect(page.locator("form[action='/logout/']")).to_be_visible()


def log_out(page: Page) -> None:
    page.locator("form[action='/logout/'] button").click()
    expect(page.locator("#id_username")).to_be_visible()


# --- 1. header search -----------------------------------------------------------------------------


def test_pl_worker_finds_lukasz_by_typing_lukasz_in_the_header_search(page: Page, lukasz):
    log_in(page, "pl-worker")
    page.locator("#header-search-input").press_sequentially("lukasz")

    popup = page.locator("#header-search-results")
    link = popup.locator(f"a.result-link[href='/persons/{lukasz.pk}/']")
    expect(link).to_be_visible()
    expect(link).to_have_text("Łukasz Kowalski")
    shot(page, "1a-header-search-popup")

    link.click()
    expect(page).to_have_url(re.compile(rf"/persons/{lukasz.pk}/$"))
    expect(page.locator("main h1")).to_have_text("Łukasz Kowalski")
    shot(page, "1b-lukasz-person-page")


# --- 2. household registration ----------------------------------------------------------------------


def test_pl_worker_registers_a_household_with_a_head_and_a_child(page: Page, demo):
    centre = Centre.objects.get(code=CENTRE_CODES["PL"])
    village = Territory.objects.get(jurisdiction="PL", name="Kiełczówka")
    # Two persons in no household yet (every demo person already lives in one).
    mother = PersonFactory(
        centre=centre, first_name="Bogumiła", last_name="Przybyłowicz", birth_date=dt.date(1986, 2, 3), sex="F"
    )
    son = PersonFactory(
        centre=centre, first_name="Ignacy", last_name="Przybyłowicz", birth_date=dt.date(2015, 9, 1), sex="M"
    )
    log_in(page, "pl-worker")
    page.goto("/households/new/")
    page.locator("#id_territory").select_option(str(village.pk))
    page.locator("#id_street_address").fill("ul. Spacerowa 7")

    search = page.locator("#member-search-input")
    results = page.locator("#member-search-results")
    rows = page.locator("#member-rows [data-member-row]")

    search.press_sequentially("bogumila przybylowicz")
    results.locator("li", has_text="Bogumiła Przybyłowicz").get_by_role("button").click()
    expect(rows).to_have_count(1)
    expect(rows.nth(0)).to_contain_text("Bogumiła Przybyłowicz")
    expect(rows.nth(0).locator("select[name=relationship]")).to_have_value(Relationship.HEAD)  # first is the head

    search.press_sequentially("ignacy")
    results.locator("li", has_text="Ignacy Przybyłowicz").get_by_role("button").click()
    expect(rows).to_have_count(2)
    second = rows.nth(1).locator("select[name=relationship]")
    expect(second).to_be_focused()  # the new row's relationship is next to fill
    second.select_option(Relationship.CHILD)

    page.locator("#household-form .actions button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/households/\d+/$"))
    household = Household.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))

    members = page.locator("section[aria-labelledby=members-heading] tbody tr")
    expect(members).to_have_count(2)
    with translation.override("pl"):  # pl-worker's language
        head_label, child_label = str(Relationship.HEAD.label), str(Relationship.CHILD.label)
    expect(members.nth(0).locator("th")).to_have_text("Bogumiła Przybyłowicz")
    expect(members.nth(0).locator("td").first).to_have_text(head_label)
    expect(members.nth(1).locator("th")).to_have_text("Ignacy Przybyłowicz")
    expect(members.nth(1).locator("td").first).to_have_text(child_label)
    expect(page.locator("main")).to_contain_text("Kiełczówka")
    shot(page, "2-household-registered")

    current = Membership.objects.filter(household=household, valid_until__isnull=True)
    assert sorted(current.values_list("person_id", "relationship")) == sorted(
        [(mother.pk, Relationship.HEAD), (son.pk, Relationship.CHILD)]
    )
    assert household.centre_id == centre.pk
    assert household.territory_id == village.pk


# --- 3. wrong PESEL --------------------------------------------------------------------------------


def test_wrong_pesel_is_explained_inline_and_on_submit_and_nothing_is_saved(page: Page, demo):
    with translation.override("pl"):
        expected = problem_messages("PL", check_national_id("PL", WRONG_PESEL, PESEL_BIRTH_DATE, "M"))
    assert expected == [
        in_language("pl", "%(id)s check digit is wrong: the number was probably mistyped.") % {"id": "PESEL"}
    ]
    persons_before = Person.objects.count()

    log_in(page, "pl-worker")
    page.goto("/persons/new/")
    page.locator("#id_first_name").fill("Zbigniew")
    page.locator("#id_last_name").fill("Pomyłkowski")
    page.locator("#id_birth_date").fill(PESEL_BIRTH_DATE.isoformat())
    page.locator("#id_sex").select_option("M")
    national_id = page.locator("#id_national_id")
    national_id.fill(WRONG_PESEL)
    national_id.blur()  # a change: inline validation asks the server, nothing is submitted

    errors = page.locator("#id_national_id-errors")
    expect(errors).to_have_text(expected[0])
    expect(national_id).to_have_attribute("aria-invalid", "true")
    expect(page).to_have_url(re.compile(r"/persons/new/$"))
    expect(page.locator("#error-summary")).to_have_count(0)  # only a submitted form has the summary
    shot(page, "3a-wrong-pesel-inline")

    page.locator(".form-actions button[type=submit]").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(expected[0])
    expect(summary).to_be_focused()  # read first by a screen reader
    expect(page.locator("#id_national_id-errors")).to_have_text(expected[0])
    expect(page.locator("#id_national_id")).to_have_value(WRONG_PESEL)  # what was typed is kept
    expect(page).to_have_url(re.compile(r"/persons/new/$"))
    shot(page, "3b-wrong-pesel-submitted")

    assert Person.objects.count() == persons_before
    assert not Person.objects.filter(national_id=WRONG_PESEL).exists()
    assert not Person.objects.filter(last_name="Pomyłkowski").exists()

    # Fixing the number clears its inline error, and the summary at the top goes with it.
    national_id = page.locator("#id_national_id")
    national_id.fill(VALID_PESEL)
    national_id.blur()
    expect(page.locator("#id_national_id-errors")).to_be_empty()
    expect(page.locator("#error-summary")).to_have_count(0)


# --- 4. language switch ----------------------------------------------------------------------------


def _romanian_nav(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "ro")
    nav = page.locator("nav.main-nav")
    expect(nav.locator("a[href='/persons/']")).to_have_text("Persoane")
    expect(nav.locator("a[href='/households/']")).to_have_text("Gospodării")
    expect(page.locator("#language-select")).to_have_value("ro")


def test_switching_to_romanian_translates_the_ui_and_is_remembered_after_logging_in_again(page: Page, demo):
    log_in(page, "pl-worker")
    page.goto("/persons/")
    expect(page.locator("html")).to_have_attribute("lang", "pl")

    page.locator("#language-select").select_option("ro")  # the select submits its form on change
    _romanian_nav(page)
    expect(page).to_have_url(re.compile(r"/persons/$"))  # back on the page where the switch was made
    assert User.objects.get(username="pl-worker").language == "ro"

    log_out(page)
    page.context.clear_cookies()  # forget this browser's language cookie: the account remembers
    page.goto("/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the browser asks for en-GB
    log_in(page, "pl-worker")
    _romanian_nav(page)
    shot(page, "4-romanian-after-login-again")


# --- 5. another centre's person --------------------------------------------------------------------


def test_md_worker_gets_not_found_for_the_polish_person(page: Page, lukasz):
    household_id = Membership.objects.get(person=lukasz, valid_until__isnull=True).household_id
    log_in(page, "md-worker")  # works in Romanian

    for url in (f"/persons/{lukasz.pk}/", f"/persons/{lukasz.pk}/edit/", f"/households/{household_id}/"):
        response = page.goto(url)
        assert response is not None
        assert response.status == 404, url
        expect(page.locator("main h1")).to_have_text(in_language("ro", "Not found"))
        expect(page.locator("main")).to_contain_text(
            in_language("ro", "This record does not exist, or it is not part of your centre's records.")
        )
        expect(page.locator("main")).not_to_contain_text("Kowalski")
    shot(page, "5-md-worker-not-found")

    # Nor does the header search offer him.
    page.goto("/")
    page.locator("#header-search-input").press_sequentially("lukasz")
    expect(page.locator("#header-search-results .popup-summary")).to_be_visible()
    expect(page.locator(f"#header-search-results a[href='/persons/{lukasz.pk}/']")).to_have_count(0)


# --- 6. keyboard and accessible names --------------------------------------------------------------

FOCUS_STATE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const ring = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return {
    id: el.id, tag: el.tagName.toLowerCase(), type: el.type || "", text: (el.textContent || "").trim().slice(0, 40),
    focusVisible: el.matches(":focus-visible"), visible: ring || style.boxShadow !== "none",
  };
}"""


def lacks_focus_ring(state: dict) -> bool:
    return not state["visible"]


def test_person_form_is_filled_and_submitted_by_keyboard_alone_with_visible_focus(page: Page, demo):
    log_in(page, "pl-worker")
    page.goto("/persons/new/")
    visited: list[dict] = []

    def tab_to(selector: str, limit: int = 40) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            visited.append(page.evaluate(FOCUS_STATE))
            if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
                return
        pytest.fail(f"Tab never reached {selector}; went through {visited[-limit:]}")

    tab_to("#id_first_name")
    page.keyboard.type("Jan")
    tab_to("#id_last_name")
    page.keyboard.type("Klawiaturowy")
    tab_to("#id_birth_date")
    # The date is typed as a Polish worker writes it, whatever the browser's own locale: the input
    # is the page's, in the page's language, its format shown as the placeholder; one Tab stop, not three.
    expect(page.locator("#id_birth_date")).to_have_attribute("placeholder", "dd.mm.rrrr")
    page.keyboard.type(f"{PESEL_BIRTH_DATE:%d.%m.%Y}")
    expect(page.locator("#id_birth_date")).to_have_value("14.05.1944")
    tab_to("#id_sex")
    with translation.override("pl"):
        page.keyboard.type(str(Sex.MALE.label))  # a closed select picks the option whose label is typed
    expect(page.locator("#id_sex")).to_have_value(Sex.MALE)
    tab_to("#id_national_id")
    page.keyboard.type(VALID_PESEL)
    tab_to(".form-actions button[type=submit]")  # through every other field of the form
    expect(page.locator("#id_national_id-errors")).to_be_empty()  # inline validation found nothing wrong
    shot(page, "6a-keyboard-focus-on-register")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/persons/\d+/$"))
    expect(page.locator("main h1")).to_have_text("Jan Klawiaturowy")
    shot(page, "6b-keyboard-registered")
    person = Person.objects.get(national_id=VALID_PESEL)
    assert (person.first_name, person.last_name, person.birth_date, person.sex) == (
        "Jan",
        "Klawiaturowy",
        PESEL_BIRTH_DATE,
        "M",
    )
    assert person.created_by.username == "pl-worker"
    unringed = [state for state in visited if lacks_focus_ring(state)]
    assert not unringed, f"focus not visible on {unringed}"


UNNAMED_CONTROLS = """() => {
  const text = (el) => (el ? (el.textContent || "").trim() : "");
  const byIds = (el, attr) => (el.getAttribute(attr) || "").split(/\\s+/).filter(Boolean)
    .map((id) => text(document.getElementById(id))).join(" ").trim();
  const describe = (el) => el.outerHTML.slice(0, 120);
  const problems = [];
  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (el.type === "hidden") continue;
    const label = Array.from(el.labels || []).map(text).join(" ").trim();
    if (!label && !(el.getAttribute("aria-label") || "").trim() && !byIds(el, "aria-labelledby") && !el.title)
      problems.push("control without a label: " + describe(el));
  }
  for (const el of document.querySelectorAll("a[href], button, [role=button]")) {
    const images = Array.from(el.querySelectorAll("img[alt]")).map((img) => img.alt).join(" ").trim();
    if (!text(el) && !images && !(el.getAttribute("aria-label") || "").trim() && !byIds(el, "aria-labelledby")
        && !el.title)
      problems.push("link or button without a name: " + describe(el));
  }
  for (const img of document.querySelectorAll("img:not([alt])")) problems.push("image without alt: " + describe(img));
  const ids = {};
  for (const el of document.querySelectorAll("[id]")) ids[el.id] = (ids[el.id] || 0) + 1;
  for (const [id, n] of Object.entries(ids)) if (n > 1) problems.push(`id "${id}" used ${n} times`);
  if (!document.documentElement.lang) problems.push("no lang on <html>");
  if (document.querySelectorAll("h1").length !== 1) problems.push("not exactly one h1");
  if (!document.querySelector("main")) problems.push("no main landmark");
  return problems;
}"""


def test_pages_have_no_controls_without_accessible_names(page: Page, demo):
    page.goto("/login/")
    problems = {"/login/": page.evaluate(UNNAMED_CONTROLS)}
    log_in(page, "pl-worker")
    for path in ("/", "/persons/", "/persons/new/", "/households/new/"):
        page.goto(path)
        problems[path] = page.evaluate(UNNAMED_CONTROLS)
    page.goto("/")
    shot(page, "7-home-page")
    assert {path: found for path, found in problems.items() if found} == {}
