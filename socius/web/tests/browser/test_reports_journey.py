"""Browser: the monthly activity report (issue 12) — md-director opens October's report for the district from the
Reports menu, drills into the home visits (the list as long as the figure), downloads the PDF (its text read with
pdftotext, its first page drawn to PNG with pdftoppm) and the XLSX (read back with openpyxl: the total a SUM of
the columns), writes and signs off the narrative and approves the report. Screenshots in Romanian and English go
to /tmp/shots-repweb/."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from socius.accounts.demo import CENTRE_CODES
from socius.accounts.models import Centre, Territory, User
from socius.casework.models_visits import HomeVisit, VisitStatus
from socius.casework.tests.factories import CaseFactory
from socius.reporting import indicators as ind
from socius.reporting.models import Report
from socius.reporting.statuses import ReportKind, VersionStatus
from socius.web.tests.browser import test_journeys as journeys
from socius.web.tests.browser.test_journeys import htmx_settled, log_in

compiled_locale_dir = journeys.compiled_locale_dir
fresh_catalogues = journeys.fresh_catalogues
demo = journeys.demo

SHOTS = Path("/tmp/shots-repweb")
SLOW = 60_000
OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 11, 1))


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _done_in_october(centre) -> int:
    return HomeVisit.objects.filter(
        case__centre=centre, status=VisitStatus.DONE, done_on__gte=OCTOBER[0], done_on__lt=OCTOBER[1]
    ).count()


@pytest.fixture
def home_visits_indicator():
    """Part 1's `home_visits`; until it is merged, a stand-in counting the same records (done visits of the month
    where they happened)."""
    found = ind.get_indicator("home_visits")
    if found is not None:
        yield found
        return

    def records(scope, group, part):
        return HomeVisit.objects.filter(
            case__centre=scope.centre, status=VisitStatus.DONE, done_on__gte=scope.start, done_on__lt=scope.end
        ).filter(scope.in_group("territory_id", group))

    stand_in = ind.Indicator(
        code="home_visits",
        section="casework",
        label="Home visits made",
        unit=ind.Unit.COUNT,
        definition="Home visits done in the month, where they happened.",
        compute=lambda scope: ind.count_by_group(records(scope, None, None), "territory_id", scope),
        records=records,
        visible=lambda actor, qs: qs,
        columns=(
            ind.Column(
                "Done on", lambda v: v.done_on.isoformat(), lambda v: reverse("web:case_detail", args=(v.case_id,))
            ),
            ind.Column("Case", lambda v: v.case.reference),
        ),
        persons_of=lambda rows: [v.case.person_id for v in rows if v.case.person_id],
        audit_object_type="home_visit",
        kinds=frozenset({ReportKind.MONTHLY_ACTIVITY}),
        order=20,
    )
    ind.register(stand_in)
    yield stand_in
    ind.REGISTRY.pop("home_visits", None)


@pytest.fixture
def october_visits(demo, home_visits_indicator):
    """Known October visits in the district: 3 in Pohrebea (Coșnița), 2 in Oxentea; a cancelled one and one done
    in November do not count."""
    centre = Centre.objects.get(code=CENTRE_CODES["MD"])
    pohrebea = Territory.objects.get(jurisdiction="MD", name="Pohrebea")
    oxentea = Territory.objects.get(jurisdiction="MD", name="Oxentea", parent__name="Oxentea")
    worker = User.objects.get(username="md-worker")
    made = []
    for village, days in ((pohrebea, (1, 15, 31)), (oxentea, (7, 20))):
        case = CaseFactory(centre=centre, territory=village, assigned_worker=worker)
        for day in days:
            made.append(
                HomeVisit.objects.create(
                    case=case,
                    planned_on=dt.date(2026, 10, day),
                    done_on=dt.date(2026, 10, day),
                    status=VisitStatus.DONE,
                    territory=village,
                )
            )
        HomeVisit.objects.create(
            case=case,
            planned_on=dt.date(2026, 10, 9),
            status=VisitStatus.CANCELLED,
            cancel_reason="—",
            territory=village,
        )
        HomeVisit.objects.create(
            case=case,
            planned_on=dt.date(2026, 11, 2),
            done_on=dt.date(2026, 11, 2),
            status=VisitStatus.DONE,
            territory=village,
        )
    return centre


def test_md_director_opens_drills_exports_and_approves_octobers_report(page: Page, october_visits, tmp_path):
    centre = october_visits
    expected = _done_in_october(centre)
    assert expected >= 5
    log_in(page, "md-director")
    lang = page.locator("html").get_attribute("lang")

    # 1. From the Reports menu: October, the whole district.
    page.locator(".main-nav a[href='/reports/']").click()
    page.locator("#report_month").fill("2026-10")
    page.locator("form[action='/reports/monthly/'] button[type=submit]").click()
    expect(page.locator("#report-version")).to_be_visible(timeout=SLOW)
    report = Report.objects.get(centre=centre, kind=ReportKind.MONTHLY_ACTIVITY, period="2026-10", territory=None)
    row = page.locator("#indicator-home_visits")
    total = row.locator("td.total a")
    expect(total).to_have_text(str(expected))
    expect(page.locator("main h1")).to_contain_text(centre.name)
    shot(page, f"1-report-{lang}")

    # 2. The drill-down: as many rows as the figure (one page of 25 at most).
    total.click()
    expect(page.locator("#records-behind")).to_have_text(str(expected), timeout=SLOW)
    assert page.locator("#drilldown tbody tr").count() == min(expected, 25)
    shot(page, f"2-drilldown-home-visits-{lang}")
    page.go_back()
    expect(page.locator("#report-version")).to_be_visible(timeout=SLOW)

    # 3. The PDF: its text says the district, the month and the figure; its first page drawn to PNG.
    with page.expect_download(timeout=SLOW) as download:
        page.locator("#export-pdf").click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    assert centre.name in text
    with translation.override(lang):
        label = str(home_visits_label())  # as the PDF and the XLSX say it, in the page's language
    assert label in " ".join(text.split())
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf), str(SHOTS / "3-pdf")], check=True)
    assert list(SHOTS.glob("3-pdf*.png"))

    # 4. The XLSX: the home visits line per column, its total the SUM of the columns.
    with page.expect_download(timeout=SLOW) as download:
        page.locator("#export-xlsx").click()
    xlsx = tmp_path / "report.xlsx"
    download.value.save_as(xlsx)
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).worksheets[0]
    lines = [r for r in sheet.iter_rows(values_only=True) if len(r) > 1 and r[1] == label]
    assert lines, f"no line {label!r} in the summary sheet"
    numbers = [v for v in lines[0][3:] if isinstance(v, int | float)]
    formulas = [v for v in lines[0][3:] if isinstance(v, str) and v.startswith("=SUM(")]
    assert sum(numbers) == expected and formulas

    # 5. The narrative written and signed off (htmx), then the report approved.
    page.locator("#narrative_text").fill("În octombrie asistenții sociali comunitari au efectuat vizitele planificate.")
    with htmx_settled(page):
        page.locator("#narrative form button[type=submit]").first.click()
    expect(page.locator("#narrative-notice")).to_be_visible()
    with htmx_settled(page):
        page.locator("form[action$='/narrative/sign/'] button").click()
    expect(page.locator("#narrative .narrative-signed")).to_be_visible()
    page.locator("#approve-report").click()
    expect(page.locator("#report-version .status-approved")).to_be_visible(timeout=SLOW)
    version = report.versions.get()
    assert version.status == VersionStatus.APPROVED
    assert version.figures["home_visits"]["total"] == expected
    shot(page, f"4-approved-{lang}")

    # 6. The same page in English.
    page.locator("#language-select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en", timeout=SLOW)
    expect(page.locator("#report-version")).to_contain_text("Approved")
    expect(page.locator("#indicator-home_visits td.total a")).to_have_text(str(expected))
    shot(page, "5-approved-en")


def home_visits_label():
    return ind.get_indicator("home_visits").label
