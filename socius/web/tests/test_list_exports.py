# ruff: noqa: F811  (the fixtures imported from other test modules are parameters of the tests)
"""Every wired list exports to CSV and XLSX within the viewer's access, and the export is audited (issue 12,
socius.web.exports): only the rows the viewer may see (another centre's never), every page of them, one EXPORT
event naming every person in the file; a refused export writes nothing."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from socius.accounts.models import AuditAction, AuditEvent, AuditEventPerson
from socius.accounts.roles import Role
from socius.casework.tests.factories import CaseFactory, ContactFactory
from socius.community.tests.outreach_fixtures import held_event, planned_event, recipient, tree  # noqa: F401 (fixtures)
from socius.family.tests.protection_fixtures import (  # noqa: F401 (fixtures)
    case,
    child_record,
    family_team,
    household,
    mother,
    other_case,
    son,
)
from socius.testing.factories import CentreFactory, HouseholdFactory, MembershipFactory, PersonFactory, UserFactory
from socius.web import exports
from socius.web.tests.test_payments_views import anna, fund, run  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _xlsx(response) -> list[tuple]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == exports.CONTENT_TYPES["xlsx"]
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def _export_event(object_type: str) -> AuditEvent:
    events = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type=object_type)
    assert events.count() == 1
    return events.get()


def _named(event: AuditEvent) -> set[int]:
    others = set(AuditEventPerson.objects.filter(event=event).values_list("person_id", flat=True))
    return others | ({event.person_id} if event.person_id else set())


@pytest.fixture
def other_centre(db):
    return CentreFactory(code="pl-other", name="GOPS Other", jurisdiction="PL")


# --- persons ----------------------------------------------------------------------------------------------------


def test_persons_export_every_page_of_the_filtered_list_and_nothing_of_another_centre(
    client, pl_centre, pl_worker, other_centre
):
    mine = [PersonFactory(centre=pl_centre, last_name=f"Nowak{i:02d}", first_name="Anna") for i in range(30)]
    PersonFactory(centre=pl_centre, last_name="Kowalski", first_name="Jan")
    PersonFactory(centre=other_centre, last_name="Nowak99", first_name="Ewa")
    client.force_login(pl_worker)
    rows = _csv(client.get(reverse("web:person_list"), {"q": "nowak", "export": "csv", "page": 2}))
    header, body = rows[0], rows[1:]
    assert header[:2] == ["Last name", "First name"]
    assert sorted(r[0] for r in body) == sorted(p.last_name for p in mine)  # all 30: every page, not page 2
    event = _export_event("person")
    assert _named(event) == {p.pk for p in mine}
    assert event.changes["format"] == [None, "csv"]
    assert event.changes["rows"] == [None, 30]
    assert event.changes["search"] == [None, "nowak"]
    assert event.centre_id == pl_centre.pk


def test_persons_export_as_xlsx_has_dates_as_dates(client, pl_centre, pl_worker):
    person = PersonFactory(centre=pl_centre, last_name="Zielińska", first_name="Ola")
    client.force_login(pl_worker)
    rows = _xlsx(client.get(reverse("web:person_list"), {"export": "xlsx"}))
    assert rows[0][0] == "Last name"
    row = next(r for r in rows[1:] if r[0] == "Zielińska")
    assert row[2].date() == person.birth_date
    assert _named(_export_event("person")) == {person.pk}


def test_the_page_offers_the_export_links_with_its_filters(client, pl_centre, pl_worker):
    PersonFactory(centre=pl_centre, last_name="Nowak")
    client.force_login(pl_worker)
    page = client.get(reverse("web:person_list"), {"q": "nowak", "page": 1}).content.decode()
    assert "?q=nowak&amp;export=csv" in page
    assert "?q=nowak&amp;export=xlsx" in page
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()  # showing the page exports nothing


def test_a_list_too_large_is_refused_and_writes_nothing(client, pl_centre, pl_worker, monkeypatch):
    for _i in range(3):
        PersonFactory(centre=pl_centre)
    monkeypatch.setattr(exports, "EXPORT_MAX_ROWS", 2)
    client.force_login(pl_worker)
    response = client.get(reverse("web:person_list"), {"export": "csv"})
    assert response.status_code == 400
    assert "narrow the filters" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_text_cell_never_starts_a_formula(client, pl_centre, pl_worker):
    PersonFactory(centre=pl_centre, last_name="=HYPERLINK(1)", first_name="@x")
    client.force_login(pl_worker)
    body = _csv(client.get(reverse("web:person_list"), {"export": "csv"}))[1:]
    assert body[0][:2] == ["'=HYPERLINK(1)", "'@x"]


def test_an_unknown_format_shows_the_page(client, pl_centre, pl_worker):
    client.force_login(pl_worker)
    response = client.get(reverse("web:person_list"), {"export": "pdf"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_export_needs_the_lists_permission(client, pl_centre, other_centre):
    PersonFactory(centre=pl_centre)
    nobody = UserFactory(username="pl-carer", centre=pl_centre, role=Role.CARER) if hasattr(Role, "CARER") else None
    if nobody is None or nobody.can("view_registry"):
        pytest.skip("no role without the registry here")
    client.force_login(nobody)
    assert client.get(reverse("web:person_list"), {"export": "csv"}).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


# --- households -------------------------------------------------------------------------------------------------


def test_households_export_names_each_head(client, pl_centre, pl_worker, other_centre):
    household = HouseholdFactory(centre=pl_centre)
    head = MembershipFactory(household=household, person=PersonFactory(centre=pl_centre, last_name="Głowa")).person
    MembershipFactory(household=HouseholdFactory(centre=other_centre), person=PersonFactory(centre=other_centre))
    client.force_login(pl_worker)
    rows = _csv(client.get(reverse("web:household_list"), {"export": "csv"}))
    assert len(rows) == 2
    assert rows[1][0] == str(household.pk)
    assert "Głowa" in rows[1][1]
    assert _named(_export_event("household")) == {head.pk}


# --- casework -----------------------------------------------------------------------------------------------------


def test_cases_export_only_the_cases_the_viewer_may_read(client, pl_centre, pl_worker, pl_director, other_centre):
    mine = CaseFactory(centre=pl_centre, assigned_worker=pl_worker)
    member = MembershipFactory(household=mine.household, person=PersonFactory(centre=pl_centre)).person
    CaseFactory(centre=other_centre)
    client.force_login(pl_director)
    rows = _csv(client.get(reverse("web:case_list"), {"export": "csv", "worker": ""}))
    assert [r[0] for r in rows[1:]] == [mine.reference]
    assert member.pk in _named(_export_event("case"))


def test_contacts_export_names_the_persons_heard(client, pl_centre, pl_worker, other_centre):
    person = PersonFactory(centre=pl_centre, last_name="Słuchana")
    contact = ContactFactory(centre=pl_centre, handled_by=pl_worker)
    contact.persons.add(person)
    ContactFactory(centre=other_centre)
    client.force_login(pl_worker)
    rows = _csv(client.get(reverse("web:contact_list"), {"export": "csv"}))
    assert len(rows) == 2
    assert "Słuchana" in ";".join(rows[1])
    assert _named(_export_event("contact")) == {person.pk}


# --- payments ---------------------------------------------------------------------------------------------------


def test_a_runs_payments_export_as_xlsx_with_amounts_as_numbers(client, pl_finance, run, anna):
    client.force_login(pl_finance)
    rows = _xlsx(client.get(reverse("web:payment_run_payments", args=[run.pk]), {"export": "xlsx"}))
    assert rows[0][0] == "Payee"
    payees = {r[0]: r for r in rows[1:]}
    assert set(payees) == {"Anna Kowalska", "Stołówka Caritas"}
    assert float(payees["Anna Kowalska"][5]) == 600.0
    event = _export_event("payment")
    assert _named(event) == {anna.pk}
    assert event.changes["rows"] == [None, 2]


def test_a_runs_payments_export_keeps_the_search(client, pl_finance, run, anna):
    client.force_login(pl_finance)
    rows = _csv(client.get(reverse("web:payment_run_payments", args=[run.pk]), {"q": "caritas", "export": "csv"}))
    assert [r[0] for r in rows[1:]] == ["Stołówka Caritas"]
    event = _export_event("payment")
    assert _named(event) == set()
    assert event.changes["search"] == [None, "caritas"]


# --- children, outreach, recipients, service decisions ----------------------------------------------------------


def test_children_export_only_the_childrens_records_the_worker_may_read(
    client, pl_worker, pl_worker2, child_record, other_case, son
):
    from socius.family.tests.protection_fixtures import record

    record(pl_worker2, other_case, other_case.test_child)
    client.force_login(pl_worker)
    rows = _csv(client.get(reverse("web:children"), {"export": "csv"}))
    assert [r[0] for r in rows[1:]] == [son.full_name]
    assert _named(_export_event("child_in_difficulty")) == {son.pk}


def test_outreach_events_export(client, lt_worker, planned_event, held_event):
    client.force_login(lt_worker)
    rows = _csv(client.get(reverse("web:outreach_list"), {"export": "csv"}))
    assert len(rows) == 3
    held = next(r for r in rows[1:] if r[6] == "14")
    assert held[0] == held_event.date.isoformat()
    event = _export_event("outreach_event")
    assert event.changes["rows"] == [None, 2]


def test_potential_recipients_export_the_open_ones_as_the_page_shows(client, lt_worker, recipient):
    from socius.community.models import PotentialRecipient

    PotentialRecipient.objects.create(
        centre=recipient.centre, description="Dismissed", need="-", found_by=lt_worker, found_on=recipient.found_on,
        status="dismissed",
    )  # fmt: skip
    client.force_login(lt_worker)
    rows = _csv(client.get(reverse("web:potential_recipients"), {"export": "csv"}))
    assert [r[1] for r in rows[1:]] == [recipient.description]  # open ones only, like the page by default
    assert _export_event("potential_recipient").changes["rows"] == [None, 1]


def test_service_decisions_export(client, pl_centre, pl_director, other_centre):
    from socius.services.tests.factories_rosters import DecisionFactory

    decision = DecisionFactory(centre=pl_centre)
    DecisionFactory(centre=other_centre)
    client.force_login(pl_director)
    rows = _csv(client.get(reverse("web:service_decisions"), {"export": "csv"}))
    assert [r[0] for r in rows[1:]] == [decision.person.full_name]
    assert rows[1][2] == "4.00"  # English: a decimal point
    assert _named(_export_event("service_decision")) == {decision.person_id}


# --- every wired list answers the export, audited, for a reader of the list --------------------------------------


@pytest.mark.parametrize(
    ("route", "persona", "object_type"),
    [
        ("web:person_list", "pl_worker", "person"),
        ("web:household_list", "pl_worker", "household"),
        ("web:case_list", "pl_teamlead", "case"),
        ("web:contact_list", "pl_worker", "contact"),
        ("web:benefit_queue", "pl_teamlead", "benefit_decision"),
        ("web:family_enrolments", "pl_teamlead", "family_enrolment"),
        ("web:children", "pl_worker", "child_in_difficulty"),
        ("web:service_decisions", "pl_director", "service_decision"),
        ("web:outreach_list", "pl_worker", "outreach_event"),
        ("web:potential_recipients", "pl_worker", "potential_recipient"),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_wired_list_exports_and_audits(client, request, route, persona, object_type, fmt):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse(route), {"export": fmt})
    rows = _csv(response) if fmt == "csv" else _xlsx(response)
    assert len(rows) >= 1 and rows[0][0]
    event = _export_event(object_type)
    assert event.changes["format"] == [None, fmt]


def test_payment_returns_export_with_the_return(client, pl_finance, run, anna):
    import datetime as dt

    from socius.payments.models import Payment

    returned = Payment.objects.get(run=run, person=anna)
    Payment.objects.filter(pk=returned.pk).update(
        status="returned", returned_on=dt.date(2026, 11, 5), return_code="AC04", return_reason="Account closed"
    )
    client.force_login(pl_finance)
    rows = _csv(client.get(reverse("web:payment_returns"), {"export": "csv"}))
    assert [(r[0], r[-2], r[-1]) for r in rows[1:]] == [("Anna Kowalska", "2026-11-05", "Account closed")]
    assert _named(_export_event("payment")) == {anna.pk}
