"""The report's documents (socius.reporting.exports): the PDF's text (pdftotext), the XLSX read back with its
formulas, the CSV parsed, from a `ReportData` with known figures (the Dubăsari worked example's shape)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from socius.accounts.roles import Role
from socius.casework.models import Contact
from socius.reporting import exports
from socius.reporting.exports import report_csv, report_pdf, report_xlsx
from socius.reporting.indicators import NO_LOCALITY, Figure, Indicator, Part, Unit, build_scope
from socius.reporting.models import Report, ReportVersion
from socius.reporting.periods import parse_period
from socius.reporting.report import ReportData, Row
from socius.reporting.statuses import NarrativeStatus, ReportKind, VersionStatus
from socius.testing.factories import TerritoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def _indicator(code: str, section: str, label: str, unit: str, order: int) -> Indicator:
    return Indicator(
        code=code,
        section=section,
        label=label,
        unit=unit,
        definition=f"Definition of {code}.",
        compute=lambda scope: Figure(0, {}),
        records=lambda scope, group, part: Contact.objects.none(),
        visible=lambda actor, qs: qs,
        columns=(),
        persons_of=lambda rows: [],
        audit_object_type="contact",
        kinds=frozenset({ReportKind.MONTHLY_ACTIVITY}),
        order=order,
    )


CONTACTS = _indicator("contacts", "casework", "Citizens heard", Unit.COUNT, 1)
AID_PERSONS = _indicator("aid_persons", "aid", "Persons who received social aid", Unit.PERSONS, 1)
FUND_AMOUNT = _indicator("support_fund_amount", "fund", "Local support fund: amount", Unit.MONEY, 2)


@pytest.fixture
def district(md_centre):
    root = md_centre.territory
    oxentea = TerritoryFactory(jurisdiction="MD", level="community", name="Oxentea", parent=root)
    cosnita = TerritoryFactory(jurisdiction="MD", level="community", name="Coșnița", parent=root)
    return md_centre, oxentea, cosnita


def _data(district, *, status=VersionStatus.DRAFT, live_contacts=467, narrative="", month="2026-10") -> ReportData:
    centre, oxentea, cosnita = district
    period = parse_period(month)
    report = Report.objects.create(
        centre=centre,
        kind=ReportKind.MONTHLY_ACTIVITY,
        period=period.key,
        period_start=period.start,
        period_end=period.end,
    )
    head = UserFactory(
        username=f"md-head-{month}", centre=centre, role=Role.DIRECTOR, first_name="Ana", last_name="Rusu"
    )
    signed = timezone.make_aware(dt.datetime(2026, 11, 3, 10, 0))
    version = ReportVersion.objects.create(
        report=report,
        number=1,
        status=status,
        narrative=narrative,
        narrative_status=NarrativeStatus.SIGNED if narrative else NarrativeStatus.EMPTY,
        narrative_signed_by=head if narrative else None,
        narrative_signed_at=signed if narrative else None,
        approved_by=head if status != VersionStatus.DRAFT else None,
        approved_at=signed if status != VersionStatus.DRAFT else None,
    )
    scope = build_scope(centre, period.start, period.end)
    ox, co = oxentea.pk, cosnita.pk
    contacts = Figure(
        467,
        {ox: 300, co: 160, NO_LOCALITY: 7},
        (
            Part("phone", "By phone", 100, {ox: 60, co: 40}),
            Part("office", "At the office", 367, {ox: 240, co: 120, NO_LOCALITY: 7}),
        ),
    )
    live = (
        contacts
        if live_contacts == 467
        else Figure(live_contacts, {ox: 300 + live_contacts - 467, co: 160, NO_LOCALITY: 7}, contacts.parts)
    )
    persons = Figure(255, {ox: 200, co: 60})  # one person paid in both communities counts once in the total
    amount = Figure(
        Decimal("29300.00"),
        {ox: Decimal("21000.50"), co: Decimal("8299.50")},
        (
            Part("food", "Food", Decimal("20000.00"), {ox: Decimal("15000.00"), co: Decimal("5000.00")}),
            Part("medicines", "Medicines", Decimal("7300.00"), {ox: Decimal("4000.50"), co: Decimal("3299.50")}),
            Part("canteen", "Social canteen", Decimal("2000.00"), {ox: Decimal("2000.00")}),
        ),
    )
    rows = (
        Row(CONTACTS, contacts, live),
        Row(AID_PERSONS, persons, persons),
        Row(FUND_AMOUNT, amount, amount),
    )
    return ReportData(
        report=report,
        version=version,
        period=period,
        scope=scope,
        rows=rows,
        currency="MDL",
        computed_at=timezone.now(),
        is_frozen=status != VersionStatus.DRAFT,
    )


def _pdf_text(content: bytes, tmp_path) -> str:
    assert content.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")


@needs_poppler
def test_pdf_has_the_narrative_then_the_tables_in_the_centres_language(district, tmp_path):
    data = _data(district, narrative="În octombrie asistenții sociali comunitari au audiat 467 de cetățeni.")
    text = _pdf_text(report_pdf(data), tmp_path)
    assert "DAS Dubăsari" in text
    assert "octombrie 2026" in text  # the period in Romanian, the centre's language (lower case in a title)
    assert "au audiat 467 de cetățeni" in text
    assert "Ana Rusu" in text  # who signed the narrative off
    # The tables: a column per community, the total, money as Moldova writes it.
    assert "Oxentea" in text and "Coșnița" in text
    assert "Citizens heard" in text
    assert "27.300,00" not in text  # the fund's total is 29,300 (food, medicines and the canteen)
    assert "29.300,00 lei" in text
    assert "2.000,00 lei" in text
    assert "Definition of support_fund_amount." in text
    # The narrative page comes before the tables.
    assert text.index("au audiat 467") < text.index("Citizens heard")


@needs_poppler
def test_pdf_in_another_language_and_a_draft_says_so(district, tmp_path):
    text = _pdf_text(report_pdf(_data(district), language="en"), tmp_path)
    assert "October 2026" in text
    assert "Monthly activity report" in text
    assert "Draft: the figures are computed from the records as they are now" in text
    assert "No narrative was written for this version." in text
    assert "MDL29,300.00" in text.replace("\xa0", "").replace(" ", "")


@needs_poppler
def test_pdf_of_an_approved_version_notes_a_figure_changed_after_approval(district, tmp_path):
    data = _data(district, status=VersionStatus.APPROVED, live_contacts=470, narrative="Signed text.")
    text = _pdf_text(report_pdf(data, language="en"), tmp_path)
    assert "Draft:" not in text
    assert "Changed after approval: +3 (now 470)." in text
    assert "467" in text  # the frozen figure stays what the report says


def test_xlsx_has_numbers_sum_formulas_and_a_sheet_per_territory(district):
    data = _data(district)
    book = load_workbook(io.BytesIO(report_xlsx(data, language="en")))
    assert book.sheetnames == ["Summary", "Coșnița", "Oxentea", "Locality not recorded"]
    sheet = book["Summary"]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    header = next(r for r in rows if r[0] == "Section")
    assert header[:7] == ["Section", "Indicator", "Unit", "Coșnița", "Oxentea", "Locality not recorded", "Total"]
    by_label = {r[1].strip(): r for r in rows if r[1] and r is not header}
    contacts = by_label["Citizens heard"]
    assert contacts[3:6] == [160, 300, 7]
    row_no = rows.index(contacts) + 1
    assert contacts[6] == f"=SUM(D{row_no}:F{row_no})"  # events: the total is the sum of the columns
    assert by_label["By phone"][3:7] == [40, 60, 0, f"=SUM(D{row_no + 1}:F{row_no + 1})"]
    persons = by_label["Persons who received social aid"]
    assert persons[3:7] == [60, 200, 0, 255]  # distinct persons: the number, not a sum of the columns (260)
    assert sheet.cell(rows.index(persons) + 1, 7).comment is not None
    amount = by_label["Local support fund: amount"]
    assert [Decimal(str(v)) for v in amount[3:6]] == [Decimal("8299.5"), Decimal("21000.5"), Decimal("0")]
    assert amount[6].startswith("=SUM(")
    assert sheet.cell(rows.index(amount) + 1, 4).number_format == "#,##0.00"
    assert Decimal(str(by_label["Social canteen"][4])) == Decimal("2000")
    # A sheet per community: its own column's numbers.
    ox_rows = {r[1].strip(): r[3] for r in book["Oxentea"].iter_rows(values_only=True) if r[1]}
    assert ox_rows["Citizens heard"] == 300
    assert ox_rows["Persons who received social aid"] == 200
    assert Decimal(str(ox_rows["Food"])) == Decimal("15000")


def test_xlsx_formulas_compute_to_the_totals(district):
    """The SUM formulas give the report's totals (evaluated here from the cells they name)."""
    data = _data(district)
    sheet = load_workbook(io.BytesIO(report_xlsx(data, language="en")))["Summary"]
    checked = 0
    for row in sheet.iter_rows():
        total = row[6].value
        if isinstance(total, str) and total.startswith("=SUM("):
            values = [Decimal(str(c.value)) for c in row[3:6]]
            expected = {"Citizens heard": 467, "Local support fund: amount": Decimal("29300.00")}.get(row[1].value)
            if expected is not None:
                assert sum(values) == expected
                checked += 1
    assert checked == 2


def test_csv_is_utf8_with_bom_semicolons_and_the_languages_decimal_separator(district):
    content = report_csv(_data(district))
    assert content.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    header, body = lines[0], lines[1:]
    assert len(header) == 14
    assert all(len(line) == 14 for line in body)
    total = next(line for line in body if line[5] == "contacts" and line[8] == "" and line[10] == "")
    assert total[12] == "467"
    food_ox = next(line for line in body if line[8] == "food" and line[11] == "Oxentea")
    assert food_ox[12] == "15000,00"  # Romanian: decimal comma, no grouping
    # Every figure × part × column once, plus the totals: 3 columns + total for 2+1+3+1 lines... counted exactly.
    assert len(body) == (1 + 2 + 1 + 1 + 3) * 4
    english = list(
        csv.reader(
            io.StringIO(report_csv(_data(district, month="2026-09"), language="en").decode("utf-8-sig")), delimiter=";"
        )
    )
    assert english[0][12] == "Value"
    amount_total = next(
        line for line in english[1:] if line[5] == "support_fund_amount" and line[8] == "" and line[10] == ""
    )
    assert amount_total[12] == "29300.00"


def test_csv_of_an_approved_version_gives_the_change_after_approval(district):
    data = _data(district, status=VersionStatus.APPROVED, live_contacts=465)
    lines = list(csv.reader(io.StringIO(report_csv(data, language="en").decode("utf-8-sig")), delimiter=";"))
    total = next(line for line in lines[1:] if line[5] == "contacts" and line[8] == "" and line[10] == "")
    assert total[12] == "467" and total[13] == "-2"
    unchanged = next(line for line in lines[1:] if line[5] == "aid_persons" and line[10] == "")
    assert unchanged[13] == "0"


def test_csv_text_cells_never_start_a_formula():
    assert exports.csv_text("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert exports.csv_text("@x") == "'@x"
    assert exports.csv_text("Oxentea") == "Oxentea"


def test_sheet_titles_are_valid_and_unique():
    taken: set[str] = set()
    assert exports._sheet_title("Sat [nou]: a/b", taken) == "Sat -nou-- a-b"
    long = "Comuna cu un nume foarte foarte lung de tot"
    first = exports._sheet_title(long, taken)
    second = exports._sheet_title(long, taken)
    assert len(first) <= 31 and len(second) <= 31 and first != second


def test_the_documents_render_what_report_data_reads(district, monkeypatch):
    """Through the one read model: a registered indicator's figure, read by `report_data`, in all three."""
    from dataclasses import replace

    from socius.reporting import indicators
    from socius.reporting.report import report_data

    _centre, oxentea, _cosnita = district
    counted = replace(CONTACTS, compute=lambda scope: Figure(5, {oxentea.pk: 5}))
    monkeypatch.setattr(indicators, "REGISTRY", {counted.code: counted})
    data = _data(district)
    director = UserFactory(username="md-dir", centre=data.report.centre, role=Role.DIRECTOR)
    live = report_data(director, data.report, history=False)
    assert [r.indicator.code for r in live.rows] == ["contacts"]
    lines = list(csv.reader(io.StringIO(report_csv(live, language="en").decode("utf-8-sig")), delimiter=";"))
    assert next(line for line in lines[1:] if line[10] == "")[12] == "5"
    sheet = load_workbook(io.BytesIO(report_xlsx(live, language="en")))["Oxentea"]
    assert [r[3] for r in sheet.iter_rows(values_only=True) if r[1] == "Citizens heard"] == [5]
    assert report_pdf(live, language="en").startswith(b"%PDF")
