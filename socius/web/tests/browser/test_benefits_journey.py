"""Browser: the benefit pages (issue 8) — the calculator with htmx rows, the application with its incomes,
the proposal and its trace, four eyes in the approver's queue, and the decision PDF."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from socius.accounts.models import User
from socius.web.tests import benefit_toy
from socius.web.tests.browser import test_journeys as journeys
from socius.web.tests.browser.test_journeys import htmx_settled, log_in, log_out, shot

compiled_locale_dir = journeys.compiled_locale_dir
fresh_catalogues = journeys.fresh_catalogues
demo = journeys.demo


@pytest.fixture
def toy_benefit(monkeypatch):
    return benefit_toy.install(monkeypatch)


def _set_language(username: str, language: str) -> None:
    User.objects.filter(username=username).update(language=language)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_pl_worker_adds_members_and_reads_the_trace_in_the_calculator(page: Page, demo, toy_benefit, language):
    _set_language("pl-worker", language)
    log_in(page, "pl-worker")
    page.locator("header nav a[href='/benefits/calculator/']").click()
    page.wait_for_load_state()  # htmx (deferred) binds the form on load: a change before that sends nothing
    with htmx_settled(page):  # choosing a benefit draws its fields
        page.locator("#calc_benefit").select_option("pl.web_toy_allowance")
    page.locator("#calc_in_need").fill("500")
    page.locator("#id_members-0-income").fill("600")
    page.locator("#add-member").click()
    # htmx answered the form alone and focused the new row
    expect(page.locator("#id_members-1-role")).to_be_focused()
    page.locator("#id_members-1-role").select_option("spouse")
    page.locator("#id_members-1-income").fill("200")
    page.locator("#id_members-1-birth_date").fill("02.04.1950" if language == "pl" else "02/04/1950")
    page.locator("button[value=calculate]").click()
    expect(page.locator(".outcome-amount")).to_have_text("100,00\xa0zł" if language == "pl" else "PLN\xa0100.00")
    expect(page.locator("table.trace-table tbody tr")).to_have_count(5)
    shot(page, f"benefits-calculator-pl-worker-{language}")
    page.set_viewport_size({"width": 420, "height": 900})
    shot(page, f"benefits-calculator-pl-worker-{language}-narrow")


def _open_case_with_household_and_interview(username: str):
    """A case of the worker's with a household, given a completed environmental interview a week ago (the
    PL law asks for a current one before a decision)."""
    import datetime as dt

    from django.utils import timezone

    from socius.assessments.models import Assessment, AssessmentStatus
    from socius.casework.models import Case, CaseStatus

    worker = User.objects.get(username=username)
    case = (
        Case.objects.filter(assigned_worker=worker, household__isnull=False, status=CaseStatus.ACTIVE)
        .order_by("pk")
        .first()
    )
    week_ago = timezone.localdate() - dt.timedelta(days=7)
    Assessment.objects.create(
        case=case,
        instrument_code="pl.rws",
        instrument_version="2021",
        kind="initial",
        status=AssessmentStatus.COMPLETED,
        need_identified_on=week_ago,
        completed_on=week_ago,
        created_by=worker,
    )
    return case


PL_IBAN = "PL61109010140000071219812874"


def test_pl_worker_files_proposes_and_pl_teamlead_approves_and_the_pdf_shows_amount_and_law(page: Page, demo):
    from socius.benefits.models import Decision
    from socius.web.tests.test_pdf_views import pdf_text

    _set_language("pl-worker", "pl")
    _set_language("pl-teamlead", "pl")
    case = _open_case_with_household_and_interview("pl-worker")
    log_in(page, "pl-worker")
    page.goto(f"/cases/{case.pk}/")
    page.locator("#case-apply").click()
    page.locator("#choose-benefit").select_option("pl.periodic_allowance")
    page.get_by_role("button", name="Dalej").click()
    expect(page.locator("h1")).to_contain_text("Zasiłek okresowy")
    shot(page, "benefits-application-form-pl")
    page.get_by_role("button", name="Zarejestruj wniosek").click()

    # The income table: one row per member, in the month before the first month.
    expect(page.locator("#incomes")).to_be_visible()
    page.locator("#id_incomes-0-amount").fill("300,00")
    rows = page.locator("table.income-table tbody tr")
    members = rows.count()
    page.locator("#add-income").click()  # htmx draws a row more, keeping what was typed
    expect(rows).to_have_count(members + 1)
    expect(page.locator(f"#id_incomes-{members}-person")).to_be_focused()
    expect(page.locator("#id_incomes-0-amount")).to_have_value("300,00")
    page.locator("#save-incomes").click()
    expect(page.locator("#incomes-notice")).to_have_text("Dochody zapisano.")
    shot(page, "benefits-application-pl")

    page.locator("#to-proposal").click()
    expect(page.locator("table.trace-table tbody tr").first).to_be_visible()
    assert page.locator("table.trace-table tbody tr").count() >= 3
    amount_text = page.locator(".outcome-amount").inner_text()
    assert "zł" in amount_text
    shot(page, "benefits-proposal-pl")
    page.locator("#proposal_iban").fill(PL_IBAN)
    page.locator("#submit-proposal").click()
    expect(page.locator(".messages")).to_contain_text("Projekt przekazano do zatwierdzenia.")
    decision = Decision.objects.filter(case=case).order_by("-pk").first()
    assert decision.status == "proposed"
    # The author's own proposal: shown in the queue-like approval card without a button.
    expect(page.locator("#approve")).to_have_count(0)
    log_out(page)

    log_in(page, "pl-teamlead")
    page.locator("header nav a[href='/benefits/queue/']").click()
    row = page.locator(f"table.queue-table tbody tr:has(a[href='/benefits/decisions/{decision.pk}/'])")
    shot(page, "benefits-queue-pl")
    row.get_by_role("button", name="Zatwierdź").click()
    expect(page.locator(".messages")).to_contain_text("Decyzję zatwierdzono.")
    decision.refresh_from_db()
    assert decision.status == "approved" and decision.reference
    shot(page, "benefits-decision-pl")

    with page.expect_download() as download:
        page.locator("#decision-pdf").click()
    with open(download.value.path(), "rb") as handle:
        content = handle.read()
    (journeys.SCREENSHOTS / "benefits-decision-pl.pdf").write_bytes(content)  # to look at
    text = " ".join(pdf_text(content).split())
    assert f"DECYZJA nr {decision.reference}" in text
    assert amount_text.replace("\xa0", " ") in text
    assert "art. 38 ustawy z dnia 12 marca 2004 r. o pomocy społecznej" in text
    assert "Samorządowego Kolegium Odwoławczego" in text


def test_md_worker_evaluates_social_aid_in_romanian(page: Page, demo):
    _set_language("md-worker", "ro")
    log_in(page, "md-worker")
    page.locator("header nav a[href='/benefits/calculator/']").click()
    page.wait_for_load_state()  # htmx (deferred) binds the form on load: a change before that sends nothing
    expect(page.locator("h1")).to_have_text("Calculatorul prestațiilor")
    with htmx_settled(page):  # the redrawn form replaces this one: fill it only after the swap
        page.locator("#calc_benefit").select_option("md.social_aid")
    page.locator("#calc_month").select_option("3")
    page.locator("#calc_year").fill("2025")
    page.locator("#id_members-0-birth_date").fill("02.04.1980")
    page.locator("#id_members-0-income").fill("500")
    page.locator("#id_members-0-unemployed").check()
    page.locator("#add-member").click()
    page.locator("#id_members-1-role").select_option("child")
    page.locator("#id_members-1-birth_date").fill("10.09.2015")
    page.locator("button[value=calculate]").click()
    expect(page.locator(".benefit-outcome h2")).to_contain_text("Ajutor social")
    expect(page.locator(".outcome-amount")).to_contain_text("lei")
    expect(page.locator("#trace-title")).to_have_text("Cum a fost calculat")
    shot(page, "benefits-calculator-md-worker-ro")
    assert page.locator("table.trace-table tbody tr").count() >= 3
    page.set_viewport_size({"width": 420, "height": 900})
    shot(page, "benefits-calculator-md-worker-ro-narrow")


# The page's content (the header is the base template's) never wider than its column.
NO_SIDEWAYS_SCROLL = "() => { const m = document.querySelector('main'); return m.scrollWidth <= m.clientWidth + 1; }"


def test_the_benefit_pages_in_russian_with_a_long_name_fit_wide_and_narrow_screens(page: Page, demo):
    """Every benefit page of a proposal drawn in Russian, for a client with a 100-character name, at 1366 px
    and at 420 px: nothing in the content scrolls sideways (wide tables scroll inside their frame)."""
    from socius.benefits import services
    from socius.benefits.models import Decision
    from socius.registry.models import Person

    case = _open_case_with_household_and_interview("pl-worker")
    worker = User.objects.get(username="pl-worker")
    decision = Decision.objects.filter(case__centre=worker.centre, status="proposed").exclude(application=None).first()
    if decision is None:  # the demo made none: make one
        from django.utils import timezone

        application = services.file_application(
            worker, case.pk, {"benefit": "pl.periodic_allowance", "applied_on": timezone.localdate()}
        )
        decision = services.propose_decision(worker, application.pk, {"payment_method": "cash"})
    Person.objects.filter(pk=decision.applicant_id).update(
        first_name="Konstantynopolitańczykowianeczka Maria Magdalena",
        last_name="Wierzbięta-Szczebrzeszyńska-Chrząszczewska",
    )
    _set_language("pl-teamlead", "ru")
    log_in(page, "pl-teamlead")
    pages = {
        "queue": "/benefits/queue/",
        "decision": f"/benefits/decisions/{decision.pk}/",
        "application": f"/benefits/applications/{decision.application_id}/",
        "household": f"/households/{decision.household_id}/benefits/",
        "calculator": "/benefits/calculator/",
    }
    for width in (1366, 420):
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in pages.items():
            page.goto(url)
            expect(page.locator("html")).to_have_attribute("lang", "ru")
            shot(page, f"benefits-{name}-ru-{width}")
            assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{name} scrolls sideways at {width} px"


def test_pl_director_authorises_and_revokes_an_approver_from_the_home_page(page: Page, demo):
    from socius.benefits.models import ApproverAuthorisation

    _set_language("pl-director", "en")
    worker = User.objects.get(username="pl-worker")
    log_in(page, "pl-director")
    page.locator("a[href='/benefits/approvers/']").first.click()
    expect(page.locator("h1")).to_have_text("Staff authorised to approve decisions")
    page.locator("#id_user").select_option(str(worker.pk))
    page.get_by_role("button", name="Authorise").click()
    expect(page.locator(".messages")).to_contain_text("may now approve benefit decisions")
    grant = ApproverAuthorisation.objects.get(user=worker, revoked_at__isnull=True)
    expect(page.locator(f"#current #authorisation-{grant.pk}")).to_be_visible()
    shot(page, "benefits-approvers-en")

    page.locator(f"#authorisation-{grant.pk}").get_by_role("button", name="Revoke").click()
    expect(page.locator(".messages")).to_contain_text("may no longer approve benefit decisions")
    expect(page.locator(f"#past #authorisation-{grant.pk}")).to_be_visible()
    grant.refresh_from_db()
    assert grant.revoked_at is not None


def test_pl_worker_turns_a_breach_flag_into_a_suspension_proposal_from_the_case_page(page: Page, demo):
    import datetime as dt

    from django.utils import timezone

    from socius.benefits import services
    from socius.benefits.models import Decision
    from socius.plans.models import CaseFlag, Consequence, SocialContract

    _set_language("pl-worker", "en")
    case = _open_case_with_household_and_interview("pl-worker")
    worker = User.objects.get(username="pl-worker")
    today = timezone.localdate()
    month = today.replace(day=1)
    application = services.file_application(
        worker, case.pk, {"benefit": "pl.periodic_allowance", "applied_on": today, "period_from": month}
    )
    proposal = services.propose_decision(worker, application.pk, {"payment_method": "cash"})
    grant = services.approve_decision(User.objects.get(username="pl-director"), proposal.pk)
    contract = SocialContract.objects.create(
        case=case, variant="IA_IIA", worker=worker, valid_from=today, valid_until=today + dt.timedelta(days=90),
        status="breached",
    )  # fmt: skip
    flag = CaseFlag.objects.create(
        case=case,
        kind="contract_breached",
        consequence=Consequence.SUSPEND_CASH_AID,
        contract=contract,
        raised_on=today,
    )
    assert grant.eligible, "the demo household is entitled to the periodic allowance"

    log_in(page, "pl-worker")
    page.goto(f"/cases/{case.pk}/")
    banner = page.locator(f"#plan-flag-{flag.pk}")
    banner.get_by_text("Propose the consequence for cash aid").click()
    banner.locator(f"#breach{flag.pk}_decision").select_option(str(grant.pk))  # the demo case may hold more
    banner.locator(f"#breach{flag.pk}_from_month").fill(month.strftime("%d/%m/%Y"))
    shot(page, "benefits-breach-flag-en")
    banner.locator(f"#propose-flag-{flag.pk}").click()

    expect(page.locator(".messages")).to_contain_text("The proposal was submitted for approval.")
    suspension = Decision.objects.get(flag=flag)
    assert page.url.endswith(f"/benefits/decisions/{suspension.pk}/")
    assert (suspension.kind, suspension.changes_id, suspension.status) == ("suspension", grant.pk, "proposed")
