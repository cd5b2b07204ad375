"""The registry import: dry run, real run, re-import, row rules, file formats, batches."""

import datetime as dt
import io
import threading

import pytest
from django.db import IntegrityError, connection
from openpyxl import Workbook

from socius.accounts.models import AuditAction, AuditEvent
from socius.common.errors import Forbidden
from socius.registry.importing import CREATE, PRESENT, REJECTED, ImportReport, import_registry_file
from socius.registry.importing import runner as runner_module
from socius.registry.models import Household, Membership, Person, Relationship
from socius.testing.factories import (
    HouseholdFactory,
    MembershipFactory,
    PersonFactory,
    TerritoryFactory,
    make_asmens_kodas,
    make_idnp,
    make_pesel,
)

HEADER = [
    "household_ref", "relationship", "first_name", "last_name", "birth_date", "sex", "national_id",
    "citizenship", "locality", "street_address", "phone", "email",
]  # fmt: skip

ANNA_BORN = dt.date(1980, 3, 14)
JAN_BORN = dt.date(1978, 11, 2)
OLA_BORN = dt.date(2012, 6, 30)
ANNA_PESEL = make_pesel(ANNA_BORN, "F", serial=101)
JAN_PESEL = make_pesel(JAN_BORN, "M", serial=102)
OLA_PESEL = make_pesel(OLA_BORN, "F", serial=103)
ZOFIA_PESEL = make_pesel(dt.date(1950, 1, 5), "F", serial=104)


def anna(**kw):
    row = {
        "household_ref": "H-1", "relationship": "head", "first_name": "Anna", "last_name": "Kowalska",
        "birth_date": "1980-03-14", "sex": "F", "national_id": ANNA_PESEL, "citizenship": "PL",
        "locality": "Baby", "street_address": "Baby 12", "phone": "+48 600 100 200", "email": "anna@example.org",
    }  # fmt: skip
    return {**row, **kw}


def jan(**kw):
    row = {"household_ref": "H-1", "relationship": "spouse", "first_name": "Jan", "last_name": "Kowalski",
           "birth_date": "02.11.1978", "sex": "M", "national_id": JAN_PESEL, "locality": "baby"}  # fmt: skip
    return {**row, **kw}


def ola(**kw):
    # A child without a national ID: recognised on re-import by name and birth date in household H-1.
    row = {"household_ref": "H-1", "relationship": "child", "first_name": "Ola", "last_name": "Kowalska",
           "birth_date": "2012-06-30", "sex": "F", "national_id": ""}  # fmt: skip
    return {**row, **kw}


def zofia(**kw):
    row = {"household_ref": "H-2", "relationship": "head", "first_name": "Zofia", "last_name": "Wąsowska",
           "birth_date": "1950-01-05", "sex": "F", "national_id": ZOFIA_PESEL, "locality": "Wola Łużańska"}  # fmt: skip
    return {**row, **kw}


def csv_bytes(rows, *, delimiter=";", bom=False, header=HEADER) -> bytes:
    lines = [delimiter.join(header)]
    for row in rows:
        lines.append(delimiter.join(_quote(str(row.get(col, "")), delimiter) for col in header))
    text = "\r\n".join(lines) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def _quote(value: str, delimiter: str) -> str:
    return '"' + value.replace('"', '""') + '"' if delimiter in value or '"' in value else value


def xlsx_bytes(rows, header=HEADER, cell=None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append([(cell or (lambda c, v: v))(col, row.get(col, "")) for col in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def localities(pl_centre):
    root = pl_centre.territory
    return {
        "Baby": TerritoryFactory(jurisdiction="PL", level="village", name="Baby", parent=root),
        "Wola Łużańska": TerritoryFactory(jurisdiction="PL", level="village", name="Wola Łużańska", parent=root),
    }


def run(actor, data, *, dry_run=False, name="persons.csv", **kw):
    return import_registry_file(data, name, centre=actor.centre, actor=actor, dry_run=dry_run, **kw)


def counts():
    return (
        Person.objects.count(),
        Household.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    )


def statuses(report):
    return {r.row: r.status for r in report.rows}


def reasons(report, row):
    return [column for column, _message in next(r for r in report.rows if r.row == row).reasons]


def messages(report, row):
    return " ".join(message for _column, message in next(r for r in report.rows if r.row == row).reasons)


# --- dry run and real run -------------------------------------------------------------------------


def test_dry_run_reports_every_row_and_writes_nothing(pl_teamlead, localities):
    before = counts()
    report = run(pl_teamlead, csv_bytes([anna(), jan(), ola(), zofia()]), dry_run=True)
    assert counts() == before
    assert report.file_errors == []
    assert statuses(report) == {2: CREATE, 3: CREATE, 4: CREATE, 5: CREATE}
    assert report.households_created == 2
    assert report.memberships_created == 4
    assert report.totals == {"rows": 4, CREATE: 4, PRESENT: 0, REJECTED: 0}


def test_real_run_creates_exactly_the_persons_households_memberships_and_audit_events(pl_teamlead, localities):
    report = run(pl_teamlead, csv_bytes([anna(), jan(), ola(), zofia()]), on=dt.date(2026, 1, 15))
    assert statuses(report) == {2: CREATE, 3: CREATE, 4: CREATE, 5: CREATE}
    assert Person.objects.count() == 4
    h1 = Household.objects.get(external_ref="H-1")
    h2 = Household.objects.get(external_ref="H-2")
    assert (h1.centre, h1.territory, h1.street_address, h1.created_by) == (
        pl_teamlead.centre, localities["Baby"], "Baby 12", pl_teamlead,
    )  # fmt: skip
    members = {(m.person.first_name, m.relationship, m.valid_from) for m in Membership.objects.filter(household=h1)}
    assert members == {
        ("Anna", "head", dt.date(2026, 1, 15)),
        ("Jan", "spouse", dt.date(2026, 1, 15)),
        ("Ola", "child", dt.date(2026, 1, 15)),
    }
    assert Membership.objects.get(household=h2).person.last_name == "Wąsowska"

    anna_p = Person.objects.get(national_id=ANNA_PESEL)
    assert (anna_p.first_name, anna_p.birth_date, anna_p.sex, anna_p.citizenship) == ("Anna", ANNA_BORN, "F", "PL")
    assert (anna_p.territory, anna_p.phone, anna_p.email) == (localities["Baby"], "+48 600 100 200", "anna@example.org")
    assert anna_p.search_name == "anna kowalska"
    assert anna_p.search_address == "baby 12 baby"
    assert anna_p.phone_digits == "48600100200"
    assert Person.objects.get(national_id=JAN_PESEL).birth_date == JAN_BORN  # DD.MM.YYYY
    assert Person.objects.get(national_id=ZOFIA_PESEL).territory == localities["Wola Łużańska"]
    assert next(r for r in report.rows if r.row == 2).person_id == anna_p.pk

    events = AuditEvent.objects.filter(centre=pl_teamlead.centre)
    assert events.filter(action=AuditAction.CREATE, object_type="person").count() == 4
    assert events.filter(action=AuditAction.CREATE, object_type="household").count() == 2
    assert events.count() == 4 + 2 + 1
    person_event = events.get(object_type="person", object_id=anna_p.pk)
    assert person_event.person_id == anna_p.pk
    assert person_event.actor == pl_teamlead
    assert person_event.changes["national_id"] == [None, ANNA_PESEL]
    assert person_event.changes["birth_date"] == [None, "1980-03-14"]
    assert person_event.changes["household"] == [None, h1.pk]  # the membership is recorded with the person
    assert person_event.changes["relationship"] == [None, "head"]
    assert events.get(object_type="household", object_id=h1.pk).changes == {
        "territory": [None, localities["Baby"].pk], "street_address": [None, "Baby 12"], "external_ref": [None, "H-1"],
    }  # fmt: skip
    run_event = events.get(action=AuditAction.IMPORT)
    assert run_event.changes == {
        "file_name": "persons.csv", "dry_run": False, "rows": 4, "created": 4, "present": 0, "rejected": 0,
        "households_created": 2, "households_reused": 0, "memberships_created": 4, "file_errors": 0,
    }  # fmt: skip


def test_importing_the_same_file_again_creates_nothing_and_reports_rows_as_present(pl_teamlead, localities):
    data = csv_bytes([anna(), jan(), ola(), zofia()])
    run(pl_teamlead, data)
    before = counts()
    report = run(pl_teamlead, data)
    assert statuses(report) == {2: PRESENT, 3: PRESENT, 4: PRESENT, 5: PRESENT}
    assert reasons(report, 2) == ["national_id"]
    assert reasons(report, 4) == ["first_name"]  # no ID: recognised by name and birth date in H-1
    assert report.households_reused == 2
    assert report.households_created == 0
    assert counts() == (before[0], before[1], before[2], before[3] + 1)  # only the IMPORT event
    dry = run(pl_teamlead, data, dry_run=True)
    assert set(statuses(dry).values()) == {PRESENT}


def test_new_member_of_an_existing_household_joins_it(pl_teamlead, localities):
    run(pl_teamlead, csv_bytes([anna(), jan()]))
    report = run(pl_teamlead, csv_bytes([anna(), jan(), ola()]))
    assert statuses(report) == {2: PRESENT, 3: PRESENT, 4: CREATE}
    household = Household.objects.get(external_ref="H-1")
    assert Household.objects.count() == 1
    assert Membership.objects.filter(household=household, valid_until__isnull=True).count() == 3


def test_person_registered_by_hand_is_recognised_by_national_id(pl_teamlead, localities):
    PersonFactory(centre=pl_teamlead.centre, national_id=ZOFIA_PESEL, first_name="Zofia", last_name="W")
    report = run(pl_teamlead, csv_bytes([anna(), zofia()]))
    assert statuses(report) == {2: CREATE, 3: PRESENT}
    assert "already registered" in messages(report, 3)
    # Zofia heads H-2, and a new household cannot be built around a person registered elsewhere.
    assert "cannot be created" in messages(report, 3)
    assert not Household.objects.filter(external_ref="H-2").exists()


def test_national_ids_are_per_centre(pl_teamlead, localities, db):
    from socius.testing.factories import CentreFactory

    other = CentreFactory(jurisdiction="PL")
    PersonFactory(centre=other, national_id=ANNA_PESEL)
    report = run(pl_teamlead, csv_bytes([anna()]))
    assert statuses(report) == {2: CREATE}


def test_new_head_for_a_household_that_has_one_is_rejected(pl_teamlead, localities):
    household = HouseholdFactory(centre=pl_teamlead.centre, external_ref="H-1")
    MembershipFactory(household=household, person=PersonFactory(centre=pl_teamlead.centre), relationship="head")
    report = run(pl_teamlead, csv_bytes([anna(), jan()]))
    assert statuses(report) == {2: REJECTED, 3: REJECTED}
    assert reasons(report, 2) == ["relationship"]
    assert "already has a head" in messages(report, 2)
    assert reasons(report, 3) == ["household_ref"]
    assert Person.objects.count() == 1


# --- row rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        (anna(national_id="80031410100"), "national_id", "check digit"),
        (anna(national_id="8003141"), "national_id", "11 digits"),
        (anna(birth_date="1980-03-15"), "national_id", "differs from the birth date"),
        (anna(sex="M"), "national_id", "differs from the sex"),
        (anna(birth_date="14/03/1980"), "birth_date", "is not a date"),
        (anna(birth_date="1980-02-30"), "birth_date", "is not a date"),
        (anna(birth_date="2999-01-01", national_id=""), "birth_date", "future"),
        (anna(relationship="boss"), "relationship", "Unknown relationship"),
        (anna(relationship=""), "relationship", "Enter the relationship"),
        (anna(locality="Atlantis"), "locality", "No locality"),
        (anna(first_name=" "), "first_name", "given names"),
        (anna(last_name=""), "last_name", "family name"),
        (anna(household_ref=""), "household_ref", "household reference"),
        (anna(sex="X"), "sex", "F (female)"),
        (anna(citizenship="POL"), "citizenship", "two-letter"),
        (anna(email="anna(at)example"), "email", "e-mail"),
        (anna(street_address="x" * 201), "street_address", "At most 200"),
    ],
)
def test_a_bad_cell_rejects_the_row_and_names_the_column(pl_teamlead, localities, row, column, fragment):
    report = run(pl_teamlead, csv_bytes([row]), dry_run=True)
    assert statuses(report) == {2: REJECTED}
    assert column in reasons(report, 2)
    assert fragment in messages(report, 2)


def test_two_heads_reject_the_household(pl_teamlead, localities):
    report = run(pl_teamlead, csv_bytes([anna(), jan(relationship="head"), ola()]))
    assert statuses(report) == {2: REJECTED, 3: REJECTED, 4: REJECTED}
    assert reasons(report, 2) == ["relationship"]
    assert "more than one head (rows 2, 3)" in messages(report, 2)
    assert reasons(report, 4) == ["household_ref"]  # rejected with its household
    assert Person.objects.count() == 0


def test_a_household_without_head_is_rejected(pl_teamlead, localities):
    report = run(pl_teamlead, csv_bytes([jan(), ola()]), dry_run=True)
    assert statuses(report) == {2: REJECTED, 3: REJECTED}
    assert "has no head" in messages(report, 2)


def test_duplicate_national_id_inside_the_file_rejects_both_rows(pl_teamlead, localities):
    report = run(pl_teamlead, csv_bytes([anna(), zofia(national_id=ANNA_PESEL, birth_date="", sex="")]))
    assert statuses(report) == {2: REJECTED, 3: REJECTED}
    assert reasons(report, 2) == ["national_id"]
    assert "also in row 3" in messages(report, 2)
    assert "also in row 2" in messages(report, 3)


def test_the_same_person_twice_in_a_household_is_rejected(pl_teamlead, localities):
    report = run(pl_teamlead, csv_bytes([anna(), ola(), ola()]), dry_run=True)
    assert statuses(report) == {2: REJECTED, 3: REJECTED, 4: REJECTED}
    assert reasons(report, 3) == ["first_name"]


def test_a_bad_row_rejects_its_household_and_the_others_are_imported(pl_teamlead, localities):
    report = run(pl_teamlead, csv_bytes([anna(), jan(national_id="78110201234"), zofia()]))
    assert statuses(report) == {2: REJECTED, 3: REJECTED, 4: CREATE}
    assert reasons(report, 2) == ["household_ref"]
    assert "row 3" in messages(report, 2)
    assert list(Person.objects.values_list("first_name", flat=True)) == ["Zofia"]
    assert list(Household.objects.values_list("external_ref", flat=True)) == ["H-2"]


def test_rows_of_a_household_need_not_be_adjacent(pl_teamlead, localities):
    report = run(pl_teamlead, csv_bytes([anna(), zofia(), jan()]), batch_size=1)
    assert statuses(report) == {2: CREATE, 3: CREATE, 4: CREATE}
    assert Membership.objects.filter(household__external_ref="H-1").count() == 2


def test_relationship_and_headers_accept_other_spellings(pl_teamlead, localities):
    header = ["Household", "Relationship", "First name", "Last name", "Birth-date", "SEX", "PESEL"]
    row = {"Household": "H-9", "Relationship": "Head", "First name": "Ewa", "Last name": "Nowak",
           "Birth-date": "1980-03-14", "SEX": "f", "PESEL": ANNA_PESEL}  # fmt: skip
    report = run(pl_teamlead, csv_bytes([row], header=header), dry_run=True)
    assert report.file_errors == []
    assert statuses(report) == {2: CREATE}
    assert report.columns["national_id"] == "PESEL"


def test_moldovan_and_lithuanian_ids_follow_the_centre_jurisdiction(md_centre, lt_centre, db):
    from socius.testing.factories import UserFactory

    md_lead = UserFactory(centre=md_centre, role="team_leader")
    lt_lead = UserFactory(centre=lt_centre, role="team_leader")
    md = run(md_lead, csv_bytes([anna(locality="", national_id=make_idnp(serial=5)), zofia(locality="")]), dry_run=True)
    assert statuses(md) == {2: CREATE, 3: REJECTED}  # a PESEL is not an IDNP
    assert reasons(md, 3) == ["national_id"]
    kodas = make_asmens_kodas(ANNA_BORN, "F", serial=7)
    lt = run(lt_lead, csv_bytes([anna(locality="", national_id=kodas)]), dry_run=True)
    assert statuses(lt) == {2: CREATE}


# --- files ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("delimiter", "bom"), [(";", False), (",", False), (";", True), (",", True), ("\t", False)])
def test_csv_delimiters_and_bom(pl_teamlead, localities, delimiter, bom):
    rows = [anna(street_address="Baby 12, m. 3"), jan()]
    report = run(pl_teamlead, csv_bytes(rows, delimiter=delimiter, bom=bom))
    assert report.file_errors == []
    assert statuses(report) == {2: CREATE, 3: CREATE}
    assert Person.objects.get(national_id=ANNA_PESEL).street_address == "Baby 12, m. 3"


def test_xlsx_with_date_and_number_cells(pl_teamlead, localities):
    child_born = dt.date(2005, 2, 8)
    child_pesel = make_pesel(child_born, "M", serial=5)  # 05220800051-like: a leading zero a number cell drops
    assert child_pesel.startswith("0")

    def cell(column, value):
        if column == "birth_date" and value:
            return dt.datetime.fromisoformat(value) if "-" in value else value
        if column == "national_id" and value:
            return int(value)
        return value

    rows = [anna(), ola(first_name="Piotr", birth_date="2005-02-08", sex="M", national_id=child_pesel)]
    report = run(pl_teamlead, xlsx_bytes(rows, cell=cell), name="osoby.XLSX")
    assert report.file_errors == []
    assert statuses(report) == {2: CREATE, 3: CREATE}
    assert Person.objects.get(first_name="Piotr").national_id == child_pesel
    assert Person.objects.get(first_name="Anna").birth_date == ANNA_BORN


def test_empty_lines_are_skipped_and_row_numbers_match_the_spreadsheet(pl_teamlead, localities):
    data = csv_bytes([anna()]) + b";;;;;;;;;;;\r\n\r\n" + csv_bytes([jan(relationship="boss")])[len(csv_bytes([])) :]
    report = run(pl_teamlead, data, dry_run=True)
    assert [r.row for r in report.rows] == [2, 5]


@pytest.mark.parametrize(
    ("data", "name", "fragment"),
    [
        (b"", "a.csv", "empty"),
        (b"x;y\r\n", "a.txt", "Choose a CSV or XLSX"),
        (b"household_ref;relationship;first_name;last_name;shoe_size\r\n", "a.csv", "“shoe_size”"),
        (b"household_ref;first_name;last_name\r\n", "a.csv", "missing: relationship"),
        ("household_ref;relationship;first_name;last_name\r\n".encode("utf-16"), "a.csv", "UTF-8"),
        (
            "household_ref;relationship;first_name;last_name\r\nH;head;Łucja;Nowak\r\n".encode("cp1250"),
            "a.csv",
            "UTF-8",
        ),
        (b"not a zip", "a.xlsx", "XLSX"),
        (b"household_ref;relationship;first_name;last_name\r\n", "a.csv", "no rows"),
    ],
)
def test_file_level_errors_import_nothing(pl_teamlead, localities, data, name, fragment):
    before = counts()
    report = run(pl_teamlead, data, name=name)
    assert report.rows == []
    assert fragment in " ".join(report.file_errors)
    assert counts() == (before[0], before[1], before[2], before[3] + 1)  # the IMPORT event records the attempt


def test_xlsx_renamed_to_csv_is_explained(pl_teamlead, localities):
    report = run(pl_teamlead, xlsx_bytes([anna()]), name="persons.csv", dry_run=True)
    assert "save it as .xlsx" in report.file_errors[0]


# --- batches and permissions ----------------------------------------------------------------------


def test_a_failing_batch_rolls_back_alone(pl_teamlead, localities, monkeypatch):
    real_write = runner_module.write_batch

    def write(plan, ctx, inserter):
        real_write(plan, ctx, inserter)  # rows are inserted, then the batch fails: all of it must roll back
        if any(h.ref == "H-2" for h in plan.households):
            raise IntegrityError("simulated")

    monkeypatch.setattr(runner_module, "write_batch", write)
    third = {"household_ref": "H-3", "relationship": "head", "first_name": "Adam", "last_name": "Lis"}
    report = run(pl_teamlead, csv_bytes([anna(), jan(), zofia(), third]), batch_size=1)
    assert statuses(report) == {2: CREATE, 3: CREATE, 4: REJECTED, 5: CREATE}
    assert "Import the file again" in messages(report, 4)
    assert sorted(Household.objects.values_list("external_ref", flat=True)) == ["H-1", "H-3"]
    assert sorted(Person.objects.values_list("first_name", flat=True)) == ["Adam", "Anna", "Jan"]
    assert not AuditEvent.objects.filter(object_type="person", changes__national_id=[None, ZOFIA_PESEL]).exists()


def test_a_person_registered_meanwhile_is_found_when_the_batch_is_retried(pl_teamlead, localities, monkeypatch):
    """Someone registers Jan between the batch's reads and its writes: the insert clashes, the batch is
    planned again, and Jan is then reported as already registered."""
    real_plan = runner_module.plan_batch
    calls = []

    def plan(groups, ctx):
        result = real_plan(groups, ctx)
        if not calls:
            PersonFactory(centre=pl_teamlead.centre, national_id=JAN_PESEL, first_name="Jan", last_name="K")
        calls.append(1)
        return result

    monkeypatch.setattr(runner_module, "plan_batch", plan)
    report = run(pl_teamlead, csv_bytes([anna(), jan()]))
    assert len(calls) == 2
    assert statuses(report) == {2: CREATE, 3: PRESENT}
    assert Person.objects.filter(national_id=JAN_PESEL).count() == 1


def test_only_roles_with_the_import_right_may_import(pl_worker, localities):
    with pytest.raises(Forbidden):
        run(pl_worker, csv_bytes([anna()]), dry_run=True)


def test_an_actor_imports_only_into_their_own_centre(pl_teamlead, md_centre, localities):
    with pytest.raises(Forbidden):
        import_registry_file(csv_bytes([anna()]), "a.csv", centre=md_centre, actor=pl_teamlead, dry_run=True)


def test_command_line_import_without_user_is_audited_as_system(pl_centre, localities):
    report = import_registry_file(csv_bytes([anna()]), "a.csv", centre=pl_centre, actor=None, dry_run=False)
    assert statuses(report) == {2: CREATE}
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert (event.actor, event.actor_username, event.centre) == (None, "", pl_centre)


def test_report_round_trips_through_json_and_csv(pl_teamlead, localities):
    report = run(pl_teamlead, csv_bytes([anna(), jan(first_name="=HYPERLINK(1)", national_id="1")]), dry_run=True)
    again = ImportReport.from_json(report.to_json())
    assert again.to_json() == report.to_json()
    text = report.to_csv(statuses=(REJECTED,))
    assert text.startswith("\ufeffrow;status;household reference;name;column;reason\r\n")
    lines = text.strip().splitlines()[1:]
    assert {line.split(";")[1] for line in lines} == {"Rejected"}
    assert {line.split(";")[0] for line in lines} == {"2", "3"}
    assert "'=HYPERLINK(1) Kowalski" in text  # a spreadsheet will not run it as a formula


def test_a_header_row_in_the_users_language_is_understood(pl_teamlead, localities):
    from django.utils import translation

    from socius.registry.importing import COLUMNS

    with translation.override("pl"):
        header = [str(column.label) for column in COLUMNS]
        head = str(Relationship.HEAD.label)
    codes = [column.code for column in COLUMNS]
    row = dict(zip(header, [anna(relationship=head)[code] for code in codes], strict=True))
    report = run(pl_teamlead, csv_bytes([row], header=header), dry_run=True)
    assert report.file_errors == []
    assert statuses(report) == {2: CREATE}


def test_blanks_inside_names_are_tidied(pl_teamlead, localities):
    run(pl_teamlead, csv_bytes([anna(first_name="  Anna \t Maria ", last_name="Kowalska\u00a0 Nowak")]))
    person = Person.objects.get()
    assert (person.first_name, person.last_name) == ("Anna Maria", "Kowalska Nowak")


def test_backslashes_and_control_characters_are_stored_as_written(pl_teamlead, localities):
    row = anna(first_name="Jan\\N", last_name="O\\Neil\x00", street_address='Baby 5\\7 "B"', email="")
    report = run(pl_teamlead, csv_bytes([row]))
    assert statuses(report) == {2: CREATE}
    person = Person.objects.get()
    assert (person.first_name, person.last_name, person.street_address) == ("Jan\\N", "O\\Neil", 'Baby 5\\7 "B"')
    assert AuditEvent.objects.get(object_type="person").changes["first_name"] == [None, "Jan\\N"]


def test_the_documented_example_imports(pl_teamlead, localities):
    from pathlib import Path

    from django.conf import settings

    text = (Path(settings.BASE_DIR) / "docs" / "import-format.md").read_text(encoding="utf-8")
    example = text.split("```csv\n", 1)[1].split("```", 1)[0]
    report = run(pl_teamlead, example.encode(), dry_run=True)
    assert report.file_errors == []
    assert set(statuses(report).values()) == {CREATE}


def test_command_line_dry_run_and_import(pl_teamlead, localities, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "persons.csv"
    path.write_bytes(csv_bytes([anna(), jan(), zofia(national_id="1")]))
    out = io.StringIO()
    call_command("import_registry", str(path), "--centre", "pl-test", "--dry-run", stdout=out)
    assert "row 4: national_id:" in out.getvalue()
    assert Person.objects.count() == 0
    report_path = tmp_path / "report.csv"
    call_command(
        "import_registry", str(path), "--centre", "pl-test", "--user", "pl_teamlead",
        "--report", str(report_path), stdout=io.StringIO(),
    )  # fmt: skip
    assert Person.objects.count() == 2
    assert AuditEvent.objects.get(action=AuditAction.IMPORT).channel == "command"
    assert report_path.read_text(encoding="utf-8").startswith("\ufeffrow;status;")
    with pytest.raises(CommandError, match="may not import"):
        from socius.testing.factories import UserFactory

        UserFactory(username="someone", centre=pl_teamlead.centre)
        call_command("import_registry", str(path), "--centre", "pl-test", "--user", "someone", stdout=io.StringIO())
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"who;what\r\n")
    with pytest.raises(CommandError, match="not imported"):
        call_command("import_registry", str(bad), "--centre", "pl-test", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_batches_are_written_by_a_second_connection(monkeypatch):
    """PostgreSQL, no enclosing transaction: a writer thread copies batch k while batch k+1 is prepared.
    A clash in the writer is retried there, and the other batches are saved."""
    from socius.testing.factories import CentreFactory, UserFactory

    root = TerritoryFactory(jurisdiction="PL", level="municipality", name="Moszczenica")
    TerritoryFactory(jurisdiction="PL", level="village", name="Baby", parent=root)
    TerritoryFactory(jurisdiction="PL", level="village", name="Wola Łużańska", parent=root)
    centre = CentreFactory(code="pl-pipe", jurisdiction="PL", territory=root)
    lead = UserFactory(centre=centre, role="team_leader")
    flushes = []
    real_flush = runner_module.DeferredInserter.flush

    def register_zofia_elsewhere():  # another user, another connection, committed
        PersonFactory(centre=centre, national_id=ZOFIA_PESEL, first_name="Zofia", last_name="W")
        connection.close()

    def flush(self):
        flushes.append(1)
        if len(flushes) == 2:  # batch H-2 meets Zofia, registered by someone else just now
            other = threading.Thread(target=register_zofia_elsewhere)
            other.start()
            other.join()
        real_flush(self)

    monkeypatch.setattr(runner_module.DeferredInserter, "flush", flush)
    third = {"household_ref": "H-3", "relationship": "head", "first_name": "Adam", "last_name": "Lis"}
    report = run(lead, csv_bytes([anna(), jan(), zofia(), third]), batch_size=1)
    assert len(flushes) == 3  # H-1, H-2 (clash, then planned again and written directly), H-3
    # Zofia heads H-2 and is now registered: a household cannot be built around her.
    assert statuses(report) == {2: CREATE, 3: CREATE, 4: PRESENT, 5: CREATE}
    assert sorted(Household.objects.values_list("external_ref", flat=True)) == ["H-1", "H-3"]
    assert Person.objects.filter(centre=centre).count() == 4
    assert AuditEvent.objects.filter(centre=centre, action=AuditAction.CREATE, object_type="person").count() == 3
    assert report.households_created == 2
    assert report.memberships_created == 3
    assert Person.objects.get(national_id=ANNA_PESEL).pk == next(r for r in report.rows if r.row == 2).person_id
