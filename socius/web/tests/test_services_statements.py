# ruff: noqa: F811
"""Monthly statements on the web and in the API: the permission matrix (persona × operation), the audit of
every read under the client a statement names, the pages, and the PDF's text in two languages."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent, AuditEventPerson
from socius.services.models import MonthlyStatement
from socius.services.statements import generate_statements, issue_statement
from socius.services.tests.statement_fixtures import (  # noqa: F401 - fixtures
    MARCH,
    ON,
    anna_help,
    assess,
    deliver,
    family,
    miss,
    prices,
)

pytestmark = pytest.mark.django_db
PDFTOTEXT = shutil.which("pdftotext")
V1 = "/api/v1/services/statements/"


@pytest.fixture
def world(pl_centre, family, anna_help, pl_worker, pl_director, pl_finance):
    _household, anna, _jan = family
    for day, units in ((3, "2"), (10, "3"), (17, "2"), (24, "1.5")):
        deliver(anna_help, dt.date(2025, 3, day), units, pl_worker)
    miss(anna_help, dt.date(2025, 3, 5), pl_worker)
    assess(anna_help, pl_director, share="30")
    generate_statements(pl_finance, pl_centre, MARCH, on=ON)
    draft = MonthlyStatement.objects.get(person=anna)
    return {"anna": anna, "draft": draft}


PERSONAS = ["anonymous", "pl_worker", "pl_teamlead", "pl_finance", "pl_director", "pl_auditor", "md_director"]
READERS = {"pl_teamlead", "pl_finance", "pl_director", "pl_auditor"}
ISSUERS = {"pl_finance", "pl_director"}


def expected(allowed: set, success: int, *, md: int = 404, capable: set) -> dict:
    """401 anonymous; 403 without the capability; 404 for the other centre's director (who has it)."""
    out = {}
    for persona in PERSONAS:
        if persona == "anonymous":
            out[persona] = 401
        elif persona == "md_director":
            out[persona] = md
        elif persona in allowed:
            out[persona] = success
        else:
            out[persona] = 403 if persona not in capable else 404
    return out


OPERATIONS = {
    "list": ("get", "", None, expected(READERS, 200, md=200, capable=READERS)),
    "read": ("get", "{pk}/", None, expected(READERS, 200, capable=READERS)),
    "pdf": ("get", "{pk}/pdf/?lang=en", None, expected(READERS, 200, capable=READERS)),
    "generate": ("post", "generate/", {"month": "2025-03"}, expected(ISSUERS, 200, md=200, capable=ISSUERS)),
    "issue-all": ("post", "issue-all/", {"month": "2025-03"}, expected(ISSUERS, 200, md=200, capable=ISSUERS)),
    "issue": ("post", "{pk}/issue/", {}, expected(ISSUERS, 200, capable=ISSUERS)),
    "cancel": ("post", "{pk}/cancel/", {"reason": "wrong"}, expected(ISSUERS, 200, capable=ISSUERS)),
}


def client_for(persona, request):
    client = APIClient()
    if persona != "anonymous":
        client.force_authenticate(request.getfixturevalue(persona))
    return client


@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_statements_api_permission_matrix(world, persona, operation, request):
    method, path, body, answers = OPERATIONS[operation]
    if persona == "md_director" and operation in ("generate", "issue-all"):
        pytest.skip("the other centre generates its own month (answered 200 for its centre: see below)")
    draft = world["draft"]
    before = list(MonthlyStatement.objects.values_list("pk", "status", "total_due").order_by("pk"))
    url = V1 + path.format(pk=draft.pk)
    response = getattr(client_for(persona, request), method)(url, body, format="json")
    assert response.status_code == answers[persona], response.content[:300]
    if response.status_code >= 400:
        assert list(MonthlyStatement.objects.values_list("pk", "status", "total_due").order_by("pk")) == before


def test_the_other_centre_generating_makes_nothing_of_this_centre(world, md_director):
    client = APIClient()
    client.force_authenticate(md_director)
    response = client.post(V1 + "generate/", {"month": "2025-03"}, format="json")
    assert response.status_code == 200
    assert response.json()["created"] == 0
    assert MonthlyStatement.objects.filter(centre_id=md_director.centre_id).count() == 0


def test_the_other_centres_list_is_empty(world, md_director):
    client = APIClient()
    client.force_authenticate(md_director)
    assert client.get(V1).json()["results"] == []


def test_a_statement_read_in_the_api_is_audited_under_its_client(world, pl_finance):
    client = APIClient()
    client.force_authenticate(pl_finance)
    body = client.get(f"{V1}{world['draft'].pk}/").json()
    assert (body["total_cost"], body["total_due"], body["client"]["id"]) == ("354.00", "106.20", world["anna"].pk)
    assert [p["cost"] for p in body["lines"][0]["periods"]] == ["200.00", "154.00"]
    event = AuditEvent.objects.filter(action="view", object_type="service_statement").get()
    assert (event.object_id, event.person_id, event.actor_id) == (world["draft"].pk, world["anna"].pk, pl_finance.pk)


def test_the_list_is_audited_under_every_client_shown(world, pl_auditor):
    client = APIClient()
    client.force_authenticate(pl_auditor)
    assert client.get(V1, {"month": "2025-03"}).status_code == 200
    event = AuditEvent.objects.filter(action="view", object_type="service_statements").get()
    named = {event.person_id, *AuditEventPerson.objects.filter(event=event).values_list("person_id", flat=True)}
    assert named - {None} == {world["anna"].pk}


@pytest.mark.parametrize("query", [{"month": "2025-13"}, {"status": "paid"}, {"person": "x"}, {"month": "March"}])
def test_a_bad_filter_is_a_400_naming_the_field(world, pl_finance, query):
    client = APIClient()
    client.force_authenticate(pl_finance)
    response = client.get(V1, query)
    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_a_refused_move_is_a_409_and_changes_nothing(world, pl_finance):
    client = APIClient()
    client.force_authenticate(pl_finance)
    draft = world["draft"]
    assert client.post(f"{V1}{draft.pk}/issue/").status_code == 200
    response = client.post(f"{V1}{draft.pk}/issue/")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert MonthlyStatement.objects.get(pk=draft.pk).status == "issued"


def test_a_correction_in_the_api_answers_the_replacement(world, pl_director, pl_worker, anna_help):
    issue_statement(pl_director, world["draft"], on=ON)
    deliver(anna_help, dt.date(2025, 3, 28), "1", pl_worker)
    client = APIClient()
    client.force_authenticate(pl_director)
    response = client.post(f"{V1}{world['draft'].pk}/correct/", {"reason": "late visit"}, format="json")
    assert response.status_code == 201
    assert (response.json()["replaces"], response.json()["total_cost"]) == (world["draft"].pk, "398.00")
    assert client.post(f"{V1}{world['draft'].pk}/correct/", {}, format="json").status_code == 400


# --- pages ------------------------------------------------------------------------------------------------


def test_the_month_page_lists_the_statements_with_totals_and_is_audited(world, client, pl_finance):
    client.force_login(pl_finance)
    response = client.get(reverse("web:service_statements"), {"month": "2025-03"})
    assert response.status_code == 200
    page = response.content.decode()
    assert world["draft"].number in page and "Anna Nowak" in page
    assert response.context["totals"].total_due == Decimal("106.20")
    assert AuditEvent.objects.filter(action="view", object_type="service_statements").count() == 1


def test_the_statement_page_shows_its_periods_and_finance_issues_it(world, client, pl_finance):
    client.force_login(pl_finance)
    url = reverse("web:service_statement", args=[world["draft"].pk])
    page = client.get(url).content.decode()
    assert "Issue the statement" in page and "1 missed (no charge)" in page
    response = client.post(reverse("web:service_statement_issue", args=[world["draft"].pk]))
    assert response.status_code == 302
    assert MonthlyStatement.objects.get(pk=world["draft"].pk).status == "issued"


def test_a_team_leader_reads_but_cannot_issue(world, client, pl_teamlead):
    client.force_login(pl_teamlead)
    page = client.get(reverse("web:service_statement", args=[world["draft"].pk])).content.decode()
    assert "Issue the statement" not in page
    assert client.post(reverse("web:service_statement_issue", args=[world["draft"].pk])).status_code == 403
    assert MonthlyStatement.objects.get(pk=world["draft"].pk).status == "draft"


def test_generating_from_the_page_reports_what_was_made(world, client, pl_director):
    client.force_login(pl_director)
    response = client.post(reverse("web:service_statements_generate"), {"month": "2025-03"}, follow=True)
    assert "0 new, 1 drafts brought up to date" in response.content.decode()


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Statement of services and co-payment", "Anna Nowak", "354.00", "106.20", "Amount to pay"]),
        ("pl", ["Anna Nowak", "354,00", "106,20", "zł", "S/2025/03/0001"]),
    ],
)
def test_the_pdf_names_the_client_and_the_amounts_in_the_language_asked(
    world, client, pl_finance, lang, words, tmp_path
):
    client.force_login(pl_finance)
    response = client.get(reverse("web:service_statement_pdf", args=[world["draft"].pk]), {"lang": lang})
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "statement.pdf"
    path.write_bytes(response.content)
    text = subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for word in words:
        assert word in text, (word, text[:1500])
    assert world["draft"].payment_reference in text
    event = AuditEvent.objects.filter(action="view", object_type="service_statement").get()
    assert (event.person_id, event.changes) == (world["anna"].pk, {"format": [None, "pdf"]})


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_months_pdf_holds_every_statement_not_cancelled(world, client, pl_director, tmp_path):
    client.force_login(pl_director)
    response = client.get(reverse("web:service_statements_pdf"), {"month": "2025-03", "lang": "en"})
    path = tmp_path / "month.pdf"
    path.write_bytes(response.content)
    text = subprocess.run([PDFTOTEXT, str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count("Statement of services and co-payment") == 1
    assert client.get(reverse("web:service_statements_pdf"), {"month": "x"}).status_code == 400
