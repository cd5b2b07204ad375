"""The statutory statistics' API and pages: figures as JSON and as the form's XLSX (read back), refusals naming the
field, who may read them (director, team leader, finance, auditor; not a worker; not another country's report),
and the XLSX download audited as an export while the figures name no one."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent
from socius.accounts.roles import Role
from socius.reporting.tests.statutory_support import World
from socius.testing.factories import TerritoryFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/mrpips-03/"


@pytest.fixture
def pl_data(pl_centre):
    world = World(pl_centre)
    household, people = world.household(adults=2, children=1)
    case = world.case(household=household, circumstances=["poverty", "unemployment"])
    decision = world.decision(case, "pl.periodic_allowance", members=people, amount="450.00")
    world.pay(decision, dt.date(2026, 1, 1))
    world.pay(decision, dt.date(2026, 2, 1))
    return world


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _section(body, code):
    return next(s for s in body["sections"] if s["code"] == code)


def test_director_reads_mrpips_03_for_a_half_year_as_json(pl_data, pl_director):
    response = _client(pl_director).get(URL, {"period": "2026-H1"})
    assert response.status_code == 200
    body = response.json()
    assert body["period"]["key"] == "2026-H1"
    assert body["report"] is None and body["frozen"] is False
    own = _section(body, "mrpips03_own")
    assert [c["code"] for c in own["columns"]] == [
        "mrpips03_own_persons", "mrpips03_own_benefits", "mrpips03_own_amount", "mrpips03_own_families",
        "mrpips03_own_family_members",
    ]  # fmt: skip
    total, *rows = own["rows"]
    assert total["code"] is None and total["values"] == ["1", "2", "900.00", "1", "3"]
    periodic = next(r for r in rows if r["code"] == "periodic_allowance")
    assert periodic["values"] == ["1", "2", "900.00", "1", "3"]
    meal = next(r for r in rows if r["code"] == "meal")
    assert meal["values"] == [".", ".", ".", ".", "."] and meal["confirmed"] is False and meal["source"]
    reasons = _section(body, "mrpips03_reasons")
    assert next(r for r in reasons["rows"] if r["code"] == "poverty")["values"] == ["1", "3"]
    assert not AuditEvent.objects.exists()  # figures name no one


def test_mrpips_03_as_xlsx_follows_the_form_and_the_download_is_audited(pl_data, pl_director):
    response = _client(pl_director).get(URL, {"period": "2026", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="mrpips-03-2026.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    labels = [r[0] for r in rows]
    assert "Zasiłek okresowy" in labels or "Periodic allowance" in labels
    periodic = next(r for r in rows if r[0] in ("Zasiłek okresowy", "Periodic allowance"))
    assert periodic[1:6] == [1, 2, Decimal("900") if isinstance(periodic[3], Decimal) else 900, 1, 3]
    assert book.worksheets[1].max_row > 10  # the sources sheet
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.actor_id) == ("export", "statutory_report", pl_director.pk)


@pytest.mark.parametrize(
    ("params", "field"),
    [({"period": "2026-Q1"}, "period"), ({"period": "2026-13"}, "period"), ({}, "period"), ({"period": "x"}, "period")],
)
def test_a_bad_period_is_a_400_naming_the_field(pl_director, params, field):
    response = _client(pl_director).get(URL, params)
    assert response.status_code == 400
    assert field in response.json()


def test_a_territory_outside_the_centre_is_a_400_naming_it(pl_director):
    elsewhere = TerritoryFactory(jurisdiction="PL")
    response = _client(pl_director).get(URL, {"period": "2026", "territory": elsewhere.pk})
    assert response.status_code == 400
    assert "territory" in response.json()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.DIRECTOR, 200),
        (Role.TEAM_LEADER, 200),
        (Role.FINANCE_OFFICER, 200),
        (Role.AUDITOR, 200),
        (Role.SOCIAL_WORKER, 403),
    ],
)
def test_who_may_read_the_statistics(pl_centre, role, status):
    user = UserFactory(centre=pl_centre, role=role)
    assert _client(user).get(URL, {"period": "2026"}).status_code == status


def test_another_country_s_report_is_not_found_and_anonymous_is_refused(pl_director, lt_centre):
    assert _client(pl_director).get("/api/v1/reports/lt-cash-assistance/", {"quarter": "2026-Q1"}).status_code == 404
    assert APIClient().get(URL, {"period": "2026"}).status_code in (401, 403)


def test_lt_quarterly_and_md_yearly_reports(lt_centre, md_centre):
    lt_director = UserFactory(centre=lt_centre, role=Role.DIRECTOR)
    response = _client(lt_director).get("/api/v1/reports/lt-cash-assistance/", {"quarter": "2026-Q1"})
    assert response.status_code == 200
    assert [s["code"] for s in response.json()["sections"]] == [
        "lt_cash_social_benefit", "lt_cash_heating_compensation", "lt_cash_water_compensation",
    ]  # fmt: skip
    bad = _client(lt_director).get("/api/v1/reports/lt-cash-assistance/", {"quarter": "2026"})
    assert bad.status_code == 400 and "quarter" in bad.json()
    md_director = UserFactory(centre=md_centre, role=Role.DIRECTOR)
    response = _client(md_director).get("/api/v1/reports/md-yearly-aid/", {"year": "2026", "format": "xlsx"})
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).worksheets[0]["A1"].value


# --- pages ---------------------------------------------------------------------------------------------------


def test_the_page_shows_the_form_s_tables_with_sources(client, pl_data, pl_director):
    client.force_login(pl_director)
    response = client.get("/statistics/mrpips-03/", {"period": "2026-H1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="mrpips03_own"' in html and 'id="mrpips03_reasons"' in html
    assert '<th scope="col"' in html and '<th scope="row"' in html
    assert "form.stat.gov.pl" in html
    assert not AuditEvent.objects.exists()


def test_the_index_lists_the_centre_s_country_reports_only(client, pl_director):
    client.force_login(pl_director)
    html = client.get("/statistics/").content.decode()
    assert "/statistics/mrpips-03/" in html and "/statistics/ozps/" in html
    assert "lt-cash-assistance" not in html


def test_a_bad_period_on_the_page_is_a_400_naming_the_field(client, pl_director):
    client.force_login(pl_director)
    response = client.get("/statistics/mrpips-03/", {"period": "2026-Q2"})
    assert response.status_code == 400
    assert 'href="#id-period"' in response.content.decode()


def test_the_page_refuses_a_worker_and_another_country_s_report(client, pl_director, pl_worker):
    client.force_login(pl_worker)
    assert client.get("/statistics/mrpips-03/").status_code == 403
    client.force_login(pl_director)
    assert client.get("/statistics/md-yearly-aid/").status_code == 404


def test_the_page_s_xlsx_download_is_audited(client, pl_data, pl_director):
    client.force_login(pl_director)
    response = client.get("/statistics/ozps/export.xlsx", {"year": "2026"})
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).worksheets[0].max_row > 20
    assert AuditEvent.objects.filter(action="export", object_type="statutory_report").count() == 1
