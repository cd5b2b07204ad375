"""The reports API: the monthly activity report as JSON (figures, groups, history, differences, drill-down URLs)
and as documents (audited), the actions on versions with their refusals (403/404/409, nothing written), and the
permission matrix (director, team leader, finance, auditor, worker, another centre's director)."""

from __future__ import annotations

import sys
import types

import pytest
from django.urls import NoReverseMatch, reverse
from rest_framework.test import APIClient

import socius.reporting
from socius.accounts.models import AuditEvent
from socius.accounts.roles import Role
from socius.reporting import services
from socius.reporting.models import Report, ReportVersion
from socius.reporting.statuses import ReportKind, VersionStatus
from socius.reporting.tests.engine_helpers import contacts, make_md_area, use_engine_indicators
from socius.testing.factories import CentreFactory, TerritoryFactory, UserFactory

MONTHLY = "/api/v1/reports/monthly-activity/"
pytestmark = pytest.mark.usefixtures("engine_registry")


@pytest.fixture
def engine_registry(monkeypatch):
    return use_engine_indicators(monkeypatch)


@pytest.fixture
def md_area(md_centre):
    return make_md_area(md_centre)


@pytest.fixture
def people(md_centre, md_director, md_worker):
    root = TerritoryFactory(jurisdiction="MD", level="district", name="Criuleni")
    other = CentreFactory(code="md-other", jurisdiction="MD", territory=root)
    return {
        "director": md_director,
        "teamlead": UserFactory(username="md_teamlead", centre=md_centre, role=Role.TEAM_LEADER),
        "finance": UserFactory(username="md_finance", centre=md_centre, role=Role.FINANCE_OFFICER),
        "auditor": UserFactory(username="md_auditor", centre=md_centre, role=Role.AUDITOR),
        "worker": md_worker,
        "other_director": UserFactory(username="other_director", centre=other, role=Role.DIRECTOR),
    }


def api(user, language="en"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


def state():
    return (
        Report.objects.count(),
        sorted(ReportVersion.objects.values_list("pk", "status", "narrative_status", "narrative")),
        AuditEvent.objects.exclude(action="view").count(),
    )


def _started(director, text="October went well."):
    report = services.start_report(director, ReportKind.MONTHLY_ACTIVITY, "2026-10")
    version = report.versions.get()
    services.write_narrative(director, version.pk, text)
    return report


# --- the monthly activity report as JSON ----------------------------------------------------------------------


def test_monthly_report_json_has_every_figure_per_group_with_history(md_director, md_area):
    centre = md_director.centre
    contacts(centre, md_area["first"], 3)
    contacts(centre, md_area["village"], 1)
    contacts(centre, md_area["second"], 2)
    contacts(centre, None, 1)
    contacts(centre, md_area["first"], 4, day=1)  # 1 October
    response = api(md_director).get(MONTHLY, {"month": "2026-10"})
    assert response.status_code == 200, response.content
    body = response.json()
    report = Report.objects.get()
    assert (body["report"], body["version"], body["status"], body["is_frozen"]) == (report.pk, None, None, False)
    assert body["period"] == {"key": "2026-10", "label": "October 2026", "start": "2026-10-01", "end": "2026-11-01"}
    assert body["territory"] is None and body["currency"] == "MDL"
    assert [g["name"] for g in body["groups"]] == ["Coşniţa", "Oxentea", "Locality not recorded"]
    row = next(i for i in body["indicators"] if i["code"] == "t_contacts")
    assert row["total"] == 11 and row["live_total"] == 11
    assert row["by_group"] == {str(md_area["first"].pk): 8, str(md_area["second"].pk): 2, "0": 1}
    assert row["unit"] == "count" and row["section"] == "casework"
    assert row["history"][0]["period"] == "2025-10" and len(row["history"]) == 12
    assert row["difference"] is None
    money = next(i for i in body["indicators"] if i["code"] == "t_amount")
    assert money["total"] == "550.00" and money["unit"] == "money"
    try:
        expected = "http://testserver" + reverse("web:report_drilldown", args=[report.pk, "t_contacts"])
    except NoReverseMatch:
        expected = None  # the web route arrives with the report pages (repweb)
    assert row["drilldown_url"] == expected
    # Counts and sums: reading the report names no one.
    assert not AuditEvent.objects.filter(action="view").exists()


def test_monthly_report_for_a_community_has_its_children_as_columns(md_director, md_area):
    contacts(md_director.centre, md_area["village"], 2)
    contacts(md_director.centre, md_area["first"], 1)
    contacts(md_director.centre, md_area["second"], 5)
    body = api(md_director).get(MONTHLY, {"month": "2026-10", "territory": md_area["first"].pk}).json()
    assert body["territory"] == {"id": md_area["first"].pk, "name": "Coşniţa"}
    assert [g["name"] for g in body["groups"]] == ["Pohrebea", "Locality not recorded"]
    row = next(i for i in body["indicators"] if i["code"] == "t_contacts")
    assert row["total"] == 3 and row["by_group"] == {str(md_area["village"].pk): 2, "0": 1}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"month": "2026-13"}, "month"),
        ({"month": "2026-Q4"}, "month"),
        ({}, "month"),
        ({"month": "2026-10", "territory": "abc"}, "territory"),
        ({"month": "2026-10", "territory": 2**63}, "territory"),
        ({"month": "2026-10", "format": "docx"}, "format"),
    ],
)
def test_monthly_report_bad_query_is_400_naming_the_field(md_director, query, field):
    response = api(md_director).get(MONTHLY, query)
    assert response.status_code == 400
    assert field in response.json()
    assert Report.objects.count() == 0


def test_monthly_report_territory_outside_the_area_is_400(md_director, md_area):
    elsewhere = TerritoryFactory(jurisdiction="MD", level="district", name="Orhei")
    response = api(md_director, "ro").get(MONTHLY, {"month": "2026-10", "territory": elsewhere.pk})
    assert response.status_code == 400 and list(response.json()) == ["territory"]
    assert Report.objects.count() == 0


def test_approved_report_shows_frozen_figures_and_the_difference_found(md_director, md_area):
    centre = md_director.centre
    contacts(centre, md_area["first"], 2)
    report = _started(md_director)
    client = api(md_director)
    assert client.post(f"/api/v1/reports/{report.pk}/sign-narrative/").status_code == 200
    assert client.post(f"/api/v1/reports/{report.pk}/approve/").status_code == 200
    contacts(centre, md_area["first"], 3)  # recorded after approval
    body = client.get(MONTHLY, {"month": "2026-10"}).json()
    assert (body["version"], body["status"], body["is_frozen"]) == (1, "approved", True)
    row = next(i for i in body["indicators"] if i["code"] == "t_contacts")
    assert (row["total"], row["live_total"]) == (2, 5)
    assert row["difference"] == {
        "kind": "added",
        "delta": 3,
        "frozen": 2,
        "live": 5,
        "text": "Citizens heard: 3 added after approval",
    }
    money = next(i for i in body["indicators"] if i["code"] == "t_amount")
    assert money["difference"]["delta"] == "150.00" and money["difference"]["kind"] == "amount"


# --- documents ------------------------------------------------------------------------------------------------


@pytest.fixture
def fake_exports(monkeypatch):
    calls = []
    module = types.ModuleType("socius.reporting.exports")
    module.report_pdf = lambda data, language=None: calls.append(("pdf", language)) or b"%PDF-1.7 fake"
    module.report_xlsx = lambda data: calls.append(("xlsx", None)) or b"PK fake"
    module.report_csv = lambda data: calls.append(("csv", None)) or "\ufeffa;b\r\n".encode()
    monkeypatch.setitem(sys.modules, "socius.reporting.exports", module)
    monkeypatch.setattr(socius.reporting, "exports", module, raising=False)
    return calls


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("pdf", "application/pdf"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("csv", "text/csv; charset=utf-8"),
    ],
)
def test_monthly_report_document_is_an_audited_download(md_director, md_area, fake_exports, fmt, content_type):
    response = api(md_director, "ro").get(
        MONTHLY, {"month": "2026-10", "territory": md_area["first"].pk, "format": fmt}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    report = Report.objects.get()
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="monthly-activity-2026-10-{md_area["first"].pk}.{fmt}"'
    )
    assert fake_exports == [(fmt, "ro" if fmt == "pdf" else None)]
    event = AuditEvent.objects.get(action="export")
    assert (event.object_type, event.object_id, event.actor, event.changes["format"]) == (
        "report",
        report.pk,
        md_director,
        [None, fmt],
    )


def test_document_without_the_exports_module_is_409(md_director, monkeypatch):
    module = types.ModuleType("socius.reporting.exports")  # no report_* functions
    monkeypatch.setitem(sys.modules, "socius.reporting.exports", module)
    monkeypatch.setattr(socius.reporting, "exports", module, raising=False)
    response = api(md_director).get(MONTHLY, {"month": "2026-10", "format": "pdf"})
    assert response.status_code == 409 and response.json()["code"] == "export_unavailable"
    assert not AuditEvent.objects.filter(action="export").exists()


# --- actions --------------------------------------------------------------------------------------------------


def test_the_director_starts_writes_signs_approves_and_issues_a_new_version(md_director, md_area):
    client = api(md_director)
    response = client.post("/api/v1/reports/", {"kind": "monthly_activity", "period": "2026-10"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    report_id = body["id"]
    assert [(v["number"], v["status"]) for v in body["versions"]] == [(1, "draft")]
    again = client.post("/api/v1/reports/", {"kind": "monthly_activity", "period": "2026-10"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == report_id

    response = client.post(f"/api/v1/reports/{report_id}/approve/")
    assert response.status_code == 409 and response.json()["code"] == "narrative_not_signed"
    response = client.post(f"/api/v1/reports/{report_id}/sign-narrative/")
    assert response.status_code == 400 and list(response.json()) == ["narrative"]
    response = client.post(f"/api/v1/reports/{report_id}/narrative/", {"narrative": "All well."}, format="json")
    assert response.status_code == 200 and response.json()["versions"][0]["narrative_status"] == "written"
    assert client.post(f"/api/v1/reports/{report_id}/sign-narrative/").status_code == 200
    response = client.post(f"/api/v1/reports/{report_id}/approve/")
    assert response.status_code == 200
    v1 = response.json()["versions"][0]
    assert (v1["status"], v1["approved_by"]["id"], v1["narrative_signed_by"]["id"]) == (
        "approved",
        md_director.pk,
        md_director.pk,
    )
    response = client.post(f"/api/v1/reports/{report_id}/approve/")
    assert response.status_code == 409 and response.json()["code"] == "report_frozen"
    response = client.post(f"/api/v1/reports/{report_id}/narrative/", {"narrative": "x"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "report_frozen"

    response = client.post(f"/api/v1/reports/{report_id}/new-version/", {"reason": "Late records."}, format="json")
    assert response.status_code == 200
    assert [(v["number"], v["status"], v["reason"]) for v in response.json()["versions"]] == [
        (2, "draft", "Late records."),
        (1, "approved", ""),
    ]
    response = client.post(f"/api/v1/reports/{report_id}/new-version/", {"reason": "Again."}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "draft_exists"
    client.post(f"/api/v1/reports/{report_id}/sign-narrative/")
    client.post(f"/api/v1/reports/{report_id}/approve/")
    listed = client.get("/api/v1/reports/").json()
    assert listed["count"] == 1
    assert [(v["number"], v["status"]) for v in listed["results"][0]["versions"]] == [
        (2, "approved"),
        (1, "superseded"),
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "weekly", "period": "2026-10"}, "kind"),
        ({"kind": "monthly_activity", "period": "2026-H1"}, "period"),
        ({"kind": "monthly_activity"}, "period"),
        ({"kind": "monthly_activity", "period": "2026-10", "territory": 0}, "territory"),
    ],
)
def test_start_with_bad_input_is_400_and_writes_nothing(md_director, body, field):
    response = api(md_director).post("/api/v1/reports/", body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert state() == (0, [], 0)


def test_new_version_without_a_reason_is_400(md_director):
    report = _started(md_director)
    services.sign_narrative(md_director, report.versions.get().pk)
    services.approve_version(md_director, report.versions.get().pk)
    before = state()
    response = api(md_director).post(f"/api/v1/reports/{report.pk}/new-version/", {"reason": ""}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["reason"]
    assert state() == before


def test_narrative_on_an_opened_report_is_409_not_started(md_director, people):
    api(people["finance"]).get(MONTHLY, {"month": "2026-10"})  # opened, no version
    report = Report.objects.get()
    before = state()
    response = api(md_director).post(f"/api/v1/reports/{report.pk}/narrative/", {"narrative": "x"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "not_started"
    assert state() == before


# --- the permission matrix ---------------------------------------------------------------------------------------

# What each caller gets, on a started report of the director's centre (narrative written, not signed), in order;
# `approve` last (it moves the state).
MATRIX = {
    #               monthly list retrieve start narrative sign approve new-version
    "director": (200, 200, 200, 200, 200, 200, 200, 200),
    "teamlead": (200, 200, 200, 200, 200, 200, 403, 403),
    "finance": (200, 200, 200, 403, 403, 403, 403, 403),
    "auditor": (200, 200, 200, 403, 403, 403, 403, 403),
    "worker": (403, 403, 403, 403, 403, 403, 403, 403),
    "other_director": (200, 200, 404, 201, 404, 404, 404, 404),
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_permission_matrix(people, who):
    director = people["director"]
    report = _started(director)
    client = api(people[who])
    calls = [
        lambda: client.get(MONTHLY, {"month": "2026-10"}),
        lambda: client.get("/api/v1/reports/"),
        lambda: client.get(f"/api/v1/reports/{report.pk}/"),
        lambda: client.post("/api/v1/reports/", {"kind": "monthly_activity", "period": "2026-10"}, format="json"),
        lambda: client.post(f"/api/v1/reports/{report.pk}/narrative/", {"narrative": "Checked."}, format="json"),
        lambda: client.post(f"/api/v1/reports/{report.pk}/sign-narrative/"),
        lambda: client.post(f"/api/v1/reports/{report.pk}/approve/"),
        lambda: client.post(f"/api/v1/reports/{report.pk}/new-version/", {"reason": "Why."}, format="json"),
    ]
    got = []
    for call in calls:
        before = state() if who in ("worker", "finance", "auditor") else None
        code = call().status_code
        got.append(code)
        if code in (403, 404) and before is not None:
            assert state() == before
    assert tuple(got) == MATRIX[who]
    version = ReportVersion.objects.get(report=report, number=1)
    if who == "director":
        assert version.status == VersionStatus.APPROVED
        assert ReportVersion.objects.filter(report=report, number=2, status=VersionStatus.DRAFT).exists()
    else:
        assert version.status == VersionStatus.DRAFT
    if who == "other_director":  # their own centre's report, not ours
        assert Report.objects.filter(centre=people["other_director"].centre).count() == 1
        assert version.narrative == "October went well."


def test_anonymous_is_401(db):
    assert APIClient().get(MONTHLY, {"month": "2026-10"}).status_code in (401, 403)
    assert APIClient().post("/api/v1/reports/", {}, format="json").status_code in (401, 403)
