"""Browser: a Moldovan centre's Russian-speaking worker reads the case's circumstances in Russian, with the
statutory Romanian wording beside them (issue 7, content in the reader's language)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from socius.accounts.models import User
from socius.casework.models import Case
from socius.rulebook import get_jurisdiction
from socius.web.tests.browser import test_journeys as journeys
from socius.web.tests.browser.test_journeys import in_language, log_in, shot

# The fixtures of the issue 2 journeys: the demo and the catalogues compiled fresh for the test.
compiled_locale_dir = journeys.compiled_locale_dir
fresh_catalogues = journeys.fresh_catalogues
demo = journeys.demo


def test_md_worker_reading_russian_opens_a_case_and_sees_russian_circumstances(page: Page, demo):
    worker = User.objects.get(username="md-worker")
    worker.language = "ru"
    worker.save(update_fields=["language"])
    case = Case.objects.filter(assigned_worker=worker).order_by("pk").first()
    pack = get_jurisdiction("MD")
    items = [c for c in pack.all_circumstances() if c.code in case.circumstances and c.is_in_force(case.opened_on)]
    assert items and all(item.label_in("ru") != item.label for item in items)

    log_in(page, "md-worker")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.locator("header a[href='/cases/']").first.click()
    page.locator(f"a[href='/cases/{case.pk}/']").first.click()
    expect(page.locator("h2#h-circumstances")).to_have_text(in_language("ru", "Qualifying circumstances"))

    listed = page.locator("ul.circumstances li")
    expect(listed).to_have_count(len(case.circumstances))
    for item in items:
        row = listed.filter(has_text=item.label_in("ru"))
        expect(row).to_have_count(1)
        # The statutory Romanian wording stays beside the translation, marked as Romanian.
        statutory = row.locator("span.statutory[lang=ro]")
        expect(statutory).to_contain_text(item.label)
    # Nothing of the Romanian wording outside those marks.
    outside = page.locator("ul.circumstances").evaluate(
        "ul => { const c = ul.cloneNode(true); c.querySelectorAll('.statutory').forEach(s => s.remove());"
        " return c.textContent; }"
    )
    for item in items:
        assert item.label not in outside
    shot(page, "content-language-md-worker-ru-case")
