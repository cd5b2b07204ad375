"""Browser: the family assistant's month (issue 10) — pl-assistant, one family short of the cap, enrols a family
with the mother's consent from the desk, is refused a second family over the cap (the reason at the top of the
form, nothing written), logs two activities, records the six-month assessment and downloads its PDF; the
family page and the desk drawn in Polish and in English."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from socius.accounts.models import User
from socius.casework.models import CaseShare
from socius.casework.tests.factories import CaseFactory
from socius.family.models import AssistantActivity, EnrolmentConsent, FamilyAssessment, FamilyEnrolment
from socius.family.statuses import EnrolmentRoute, EnrolmentStatus
from socius.family.support import enrol_family
from socius.registry.models import Household
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory
from socius.web.tests.browser import test_journeys as journeys
from socius.web.tests.browser.test_journeys import log_in, shot

compiled_locale_dir = journeys.compiled_locale_dir
fresh_catalogues = journeys.fresh_catalogues
demo = journeys.demo

CAP = 15
SLOW = 30_000  # a write and the section drawn again, on a busy test machine


def _family(centre, first: str, last: str, child: str) -> Household:
    household = HouseholdFactory(centre=centre, street_address="ul. Lipowa 3")
    mother = PersonFactory(centre=centre, first_name=first, last_name=last, birth_date=dt.date(1990, 4, 2))
    son = PersonFactory(centre=centre, first_name=child, last_name=last, birth_date=dt.date(2016, 9, 1))
    MembershipFactory(household=household, person=mother, relationship="head", valid_from=dt.date(2020, 1, 1))
    MembershipFactory(household=household, person=son, relationship="child", valid_from=dt.date(2020, 1, 1))
    return household


@pytest.fixture
def assistant_near_the_cap(demo):
    """Two families whose cases pl-worker shared with pl-assistant, and pl-assistant working with CAP - 1
    other families (court-ordered), so that the first enrolment reaches the cap and the second is refused."""
    assistant = User.objects.get(username="pl-assistant")
    worker = User.objects.get(username="pl-worker")
    centre = assistant.centre
    team = worker.teams.first()
    cases = []
    for first, last, child in (("Marta", "Zielińska", "Kacper"), ("Beata", "Wrona", "Igor")):
        case = CaseFactory(
            centre=centre, household=_family(centre, first, last, child), assigned_worker=worker, team=team,
            year=timezone.localdate().year, number=9000 + len(cases),
        )  # fmt: skip
        CaseShare.objects.create(case=case, user=assistant, shared_by=worker)
        cases.append(case)
    active = FamilyEnrolment.objects.filter(assistant=assistant, status=EnrolmentStatus.ACTIVE).count()
    for n in range(CAP - 1 - active):
        household = _family(centre, "Rodzina", f"Testowa{n}", "Dziecko")
        other = CaseFactory(centre=centre, household=household, assigned_worker=worker, team=team, number=9100 + n)
        enrol_family(
            worker, case=other, route=EnrolmentRoute.COURT_ORDER, assistant=assistant,
            started_on=timezone.localdate() - dt.timedelta(days=200), court_name="Sąd Rejonowy w Piotrkowie",
        )  # fmt: skip
    assert FamilyEnrolment.objects.filter(assistant=assistant, status=EnrolmentStatus.ACTIVE).count() == CAP - 1
    return cases


def _enrol(page: Page, case, mother_name: str) -> None:
    page.goto("/family/")
    page.locator("a[href='/family/enrol/']").first.click()
    page.locator("#pick_case_ref").fill(case.reference)
    page.locator("#pick_case_ref").press("Enter")
    page.locator("#enrol_route").select_option("statutory")
    page.locator("#enrol_legal_basis").fill("art. 11 ust. 1a ustawy o wspieraniu rodziny")
    page.locator("#enrol_consent_person").select_option(label=mother_name)
    page.locator("#enrol_consent_method").select_option("written")
    page.locator("form[method=post] button[type=submit].primary").click()


def test_pl_assistant_enrols_with_consent_hits_the_cap_logs_and_assesses(page: Page, assistant_near_the_cap, tmp_path):
    first, second = assistant_near_the_cap
    log_in(page, "pl-assistant")
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    # The home page carries the desk: one family short of the cap.
    expect(page.locator("#family-work")).to_contain_text(f"{CAP - 1}")
    expect(page.locator("#family-work meter")).to_have_attribute("value", str(CAP - 1))

    # 1. Enrol the Zieliński family with the mother's written consent.
    _enrol(page, first, "Marta Zielińska")
    expect(page.locator("#consents")).to_contain_text("Marta Zielińska", timeout=SLOW)
    enrolment = FamilyEnrolment.objects.get(case=first)
    assert enrolment.status == EnrolmentStatus.ACTIVE and enrolment.assistant.username == "pl-assistant"
    assert list(enrolment.consents.values_list("person__first_name", "method")) == [("Marta", "written")]

    # 2. A second family is over the cap: the reason at the top of the form, nothing written.
    counts = (FamilyEnrolment.objects.count(), EnrolmentConsent.objects.count())
    _enrol(page, second, "Beata Wrona")
    refusal = page.locator("#form-refusal")
    expect(refusal).to_be_visible(timeout=SLOW)
    expect(refusal).to_contain_text(str(CAP))
    shot(page, "family-1-cap-refused-pl")
    assert (FamilyEnrolment.objects.count(), EnrolmentConsent.objects.count()) == counts
    assert not FamilyEnrolment.objects.filter(case=second).exists()

    # 3. Two activities in the log (the form opens itself while the log is empty; htmx swaps the section).
    # The page is a shell: the log loads when it comes into view.
    page.goto(f"/family/enrolments/{enrolment.pk}/")
    page.locator("#activities").scroll_into_view_if_needed()
    expect(page.locator("#activities[aria-busy]")).to_have_count(0, timeout=SLOW)
    section = page.locator("#activities")
    for minutes, area in (("90", "budgeting"), ("45", "school")):
        if not section.locator("form").is_visible():
            section.locator("summary").first.click()
        section.locator("#activity_minutes").fill(minutes)
        section.locator(f"input[name=areas][value={area}]").check()
        section.locator("input[name=family_members]").first.check()
        section.locator("#activity_notes").fill(f"Spotkanie ({area})")
        with page.expect_response(lambda r: "/activities/" in r.url and r.request.method == "POST") as answer:
            section.locator("button[type=submit].primary").click()
        assert answer.value.status == 200, answer.value.text()[:3000]
        expect(page.locator("#activities-notice")).to_be_visible(timeout=SLOW)
        section = page.locator("#activities")
    assert sorted(AssistantActivity.objects.filter(enrolment=enrolment).values_list("minutes", flat=True)) == [45, 90]

    # 4. The six-month assessment, then its PDF (the section loads when it comes into view).
    page.locator("#assessments").scroll_into_view_if_needed()
    expect(page.locator("#assessments[aria-busy]")).to_have_count(0, timeout=SLOW)
    assessments = page.locator("#assessments")
    assessments.locator("summary").first.click()
    assessments.locator("#assessment_situation").fill("Rodzina lepiej gospodaruje budżetem.")
    assessments.locator("#assessment_progress_budgeting").fill("Czynsz płacony terminowo.")
    assessments.locator("#assessment_recommendation").fill("Kontynuować pracę z rodziną.")
    assessments.locator("button[type=submit].primary").click()
    expect(page.locator("#assessments-notice")).to_be_visible(timeout=SLOW)
    assessment = FamilyAssessment.objects.get(enrolment=enrolment)
    page.locator("#assessments").scroll_into_view_if_needed()
    shot(page, "family-2-family-page-pl")
    with page.expect_download() as download_info:
        page.locator(f"#assessment-{assessment.pk} .pdf-form button").click()
    download = download_info.value
    path = tmp_path / "assessment.pdf"
    download.save_as(path)
    content = path.read_bytes()
    assert content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert "Marta Zielińska" in text and "Czynsz płacony terminowo." in text
        assert "Kontynuować pracę z rodziną." in text

    # 5. The desk at the cap, then the family page and the desk in English.
    page.goto("/family/")
    expect(page.locator("#family-desk meter")).to_have_attribute("value", str(CAP))
    shot(page, "family-3-desk-pl")
    page.locator("#language-select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#family-desk")).to_contain_text(f"{CAP} of {CAP} families")
    shot(page, "family-4-desk-en")
    page.goto(f"/family/enrolments/{enrolment.pk}/")
    page.locator("#activities").scroll_into_view_if_needed()  # loaded when it comes into view
    expect(page.locator("#activities")).to_contain_text("90 minutes", timeout=SLOW)
    shot(page, "family-5-family-page-en")
