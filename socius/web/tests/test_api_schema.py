"""OpenAPI 3 at /api/schema/ (YAML and JSON) and the interactive page at /api/docs/, served without a CDN."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from rest_framework.test import APIClient

from socius.family.tests.test_api_permissions import ROUTES as FAMILY_API_ROUTES

EXPECTED_PATHS = {
    "/api/v1/auth/token/": {"post"},
    # Staff sign-in (issue 13, decision 0021).
    "/api/v1/auth/tokens/": {"get"},
    "/api/v1/auth/tokens/{id}/revoke/": {"post"},
    "/api/v1/auth/sign-out-everywhere/": {"post"},
    "/api/v1/persons/": {"get", "post"},
    "/api/v1/persons/{id}/": {"get", "put", "patch"},
    "/api/v1/households/": {"get", "post"},
    "/api/v1/households/{id}/": {"get", "put", "patch"},
    "/api/v1/audit/events/": {"get"},
    "/api/v1/audit/trail/": {"get"},
    "/api/v1/contacts/": {"get", "post"},
    "/api/v1/contacts/{id}/": {"get"},
    "/api/v1/cases/": {"get", "post"},
    "/api/v1/cases/{id}/": {"get"},
    "/api/v1/case-flags/": {"get"},
    "/api/v1/case-flags/{id}/": {"get"},
    "/api/v1/cases/{id}/timeline/": {"get"},
    "/api/v1/households/{id}/timeline/": {"get"},
    "/api/v1/persons/{id}/timeline/": {"get"},
    "/api/v1/desk/": {"get"},
    "/api/v1/cases/{id}/activate/": {"post"},
    "/api/v1/cases/{id}/suspend/": {"post"},
    "/api/v1/cases/{id}/close/": {"post"},
    "/api/v1/cases/{id}/reopen/": {"post"},
    "/api/v1/cases/{id}/share/": {"post"},
    "/api/v1/cases/{id}/unshare/": {"post"},
    "/api/v1/cases/reassign/": {"post"},
    "/api/v1/caseload/": {"get"},
    "/api/v1/home-visits/": {"get", "post"},
    "/api/v1/home-visits/{id}/": {"get"},
    "/api/v1/home-visits/{id}/done/": {"post"},
    "/api/v1/home-visits/{id}/cancel/": {"post"},
    "/api/v1/social-work/": {"get", "post"},
    "/api/v1/social-work/{id}/": {"get"},
    "/api/v1/case-documents/": {"get", "post"},
    "/api/v1/case-documents/{id}/": {"get", "delete"},
    "/api/v1/case-documents/{id}/download/": {"get"},
    "/api/v1/help-plans/": {"get", "post"},
    "/api/v1/help-plans/{id}/": {"get"},
    "/api/v1/help-plans/{id}/goals/": {"post"},
    "/api/v1/help-plans/{id}/actions/": {"post"},
    "/api/v1/help-plans/{id}/action-status/": {"post"},
    "/api/v1/help-plans/{id}/activate/": {"post"},
    "/api/v1/help-plans/{id}/complete/": {"post"},
    "/api/v1/help-plans/{id}/cancel/": {"post"},
    "/api/v1/help-plans/{id}/review/": {"post"},
    "/api/v1/social-contracts/": {"get", "post"},
    "/api/v1/social-contracts/{id}/": {"get"},
    "/api/v1/social-contracts/{id}/obligations/": {"post"},
    "/api/v1/social-contracts/{id}/obligation-done/": {"post"},
    "/api/v1/social-contracts/{id}/sign/": {"post"},
    "/api/v1/social-contracts/{id}/start/": {"post"},
    "/api/v1/social-contracts/{id}/breach/": {"post"},
    "/api/v1/social-contracts/{id}/refuse/": {"post"},
    "/api/v1/social-contracts/{id}/fulfil/": {"post"},
    "/api/v1/social-contracts/{id}/terminate/": {"post"},
    "/api/v1/assessments/": {"get", "post"},
    "/api/v1/assessments/{id}/": {"get", "patch"},
    "/api/v1/assessments/{id}/complete/": {"post"},
    "/api/v1/assessments/{id}/sign/": {"post"},
    "/api/v1/partners/": {"get", "post"},
    "/api/v1/partners/{id}/": {"get", "put", "patch"},
    "/api/v1/referrals/": {"get", "post"},
    "/api/v1/referrals/{id}/": {"get"},
    "/api/v1/referrals/{id}/acknowledge/": {"post"},
    "/api/v1/referrals/{id}/answer/": {"post"},
    "/api/v1/referrals/{id}/close/": {"post"},
    "/api/v1/benefits/": {"get"},
    "/api/v1/benefits/{code}/": {"get"},
    "/api/v1/benefits/evaluate/": {"post"},
    "/api/v1/applications/": {"get", "post"},
    "/api/v1/applications/{id}/": {"get", "patch"},
    "/api/v1/applications/{id}/incomes/": {"post"},
    "/api/v1/applications/{id}/members/": {"post"},
    "/api/v1/applications/{id}/propose/": {"post"},
    "/api/v1/applications/{id}/withdraw/": {"post"},
    "/api/v1/decisions/": {"get"},
    "/api/v1/decisions/{id}/": {"get"},
    "/api/v1/decisions/{id}/approve/": {"post"},
    "/api/v1/decisions/{id}/return/": {"post"},
    "/api/v1/decisions/{id}/suspend/": {"post"},
    "/api/v1/decisions/{id}/resume/": {"post"},
    "/api/v1/decisions/{id}/revoke/": {"post"},
    "/api/v1/decisions/{id}/end/": {"post"},
    "/api/v1/decisions/{id}/amend/": {"post"},
    "/api/v1/decisions/{id}/income-change/": {"post"},
    "/api/v1/decisions/breach/": {"post"},
    "/api/v1/approver-authorisations/": {"get", "post"},
    "/api/v1/approver-authorisations/{id}/revoke/": {"post"},
    "/api/v1/recalculations/": {"get", "post"},
    "/api/v1/recalculations/{id}/": {"get"},
    "/api/v1/recalculations/{id}/items/": {"get"},
    "/api/v1/recalculations/{id}/approve/": {"post"},
    "/api/v1/funds/": {"get", "post"},
    "/api/v1/funds/{id}/": {"get", "patch"},
    "/api/v1/funds/{id}/allocations/": {"get", "post"},
    "/api/v1/funds/{id}/statement/": {"get"},
    "/api/v1/benefit-funds/": {"get", "post"},
    "/api/v1/payment-runs/": {"get", "post"},
    "/api/v1/payment-runs/{id}/": {"get"},
    "/api/v1/payment-runs/{id}/check/": {"post"},
    "/api/v1/payment-runs/{id}/approve/": {"post"},
    "/api/v1/payment-runs/{id}/export/": {"post"},
    "/api/v1/payment-runs/{id}/cancel/": {"post"},
    "/api/v1/payment-runs/{id}/draft/": {"post"},
    "/api/v1/payment-runs/{id}/file/": {"get"},
    "/api/v1/payment-runs/{id}/progress/": {"get"},
    "/api/v1/payments/": {"get"},
    "/api/v1/payments/{id}/": {"get"},
    "/api/v1/payments/{id}/reissue/": {"post"},
    "/api/v1/payments/{id}/cancel/": {"post"},
    "/api/v1/bank-statements/": {"get", "post"},
    "/api/v1/bank-statements/{id}/": {"get"},
    "/api/v1/bank-statements/{id}/lines/": {"get"},
    "/api/v1/transfers/": {"get", "post"},
    "/api/v1/transfers/{id}/": {"get"},
    "/api/v1/transfers/{id}/approve/": {"post"},
    "/api/v1/transfers/{id}/cancel/": {"post"},
    "/api/v1/payment-details/": {"get", "post"},
    "/api/v1/payment-approvers/": {"get", "post"},
    "/api/v1/payment-approvers/{id}/revoke/": {"post"},
    # Blue Card (issue 10, helper bluecard)
    "/api/v1/blue-cards/": {"get", "post"},
    "/api/v1/blue-cards/{id}/": {"get"},
    "/api/v1/blue-cards/{id}/members/": {"post"},
    "/api/v1/blue-cards/{id}/remove-member/": {"post"},
    "/api/v1/blue-cards/{id}/forms/": {"post"},
    "/api/v1/blue-cards/{id}/meetings/": {"post"},
    "/api/v1/blue-cards/{id}/plan-items/": {"post"},
    "/api/v1/blue-cards/{id}/plan-item-done/": {"post"},
    "/api/v1/blue-cards/{id}/monitoring/": {"post"},
    "/api/v1/blue-cards/{id}/move/": {"post"},
    "/api/v1/blue-cards/{id}/close/": {"post"},
    # Outreach (issue 11, helper outreach)
    "/api/v1/community/events/": {"get", "post"},
    "/api/v1/community/events/{id}/": {"get", "patch"},
    "/api/v1/community/events/{id}/held/": {"post"},
    "/api/v1/community/events/{id}/cancel/": {"post"},
    "/api/v1/community/events/{id}/replan/": {"post"},
    "/api/v1/community/events/{id}/follow-up-done/": {"post"},
    "/api/v1/community/potential-recipients/": {"get", "post"},
    "/api/v1/community/potential-recipients/{id}/": {"get"},
    "/api/v1/community/potential-recipients/{id}/make-contact/": {"post"},
    "/api/v1/community/potential-recipients/{id}/refer/": {"post"},
    "/api/v1/community/potential-recipients/{id}/dismiss/": {"post"},
    "/api/v1/community/potential-recipients/{id}/reopen/": {"post"},
    "/api/v1/community/territories/": {"get"},
    "/api/v1/community/diagnosis/": {"get"},
    # Statutory statistics (issue 12)
    "/api/v1/reports/mrpips-03/": {"get"},
    "/api/v1/reports/ozps/": {"get"},
    "/api/v1/reports/lt-cash-assistance/": {"get"},
    "/api/v1/reports/md-yearly-aid/": {"get"},
}
# Family support and child protection (issue 10): the routes their permission matrix covers.
for _method, _path in FAMILY_API_ROUTES.values():
    EXPECTED_PATHS.setdefault(f"/api/v1{_path}", set()).add(_method)
# Social services (issue 11): the offer, decisions, waiting lists, rosters, deliveries, statements.
EXPECTED_PATHS.update(
    {
        "/api/v1/services/canteen-days/": {"get", "post"},
        "/api/v1/services/catalogue/": {"get"},
        "/api/v1/services/decisions/": {"get", "post"},
        "/api/v1/services/decisions/{id}/": {"get", "patch"},
        "/api/v1/services/decisions/{id}/cancel/": {"post"},
        "/api/v1/services/decisions/{id}/copayment/": {"post"},
        "/api/v1/services/decisions/{id}/end/": {"post"},
        "/api/v1/services/decisions/{id}/issue/": {"post"},
        "/api/v1/services/decisions/{id}/resume/": {"post"},
        "/api/v1/services/decisions/{id}/suspend/": {"post"},
        "/api/v1/services/deliveries/": {"get", "post"},
        "/api/v1/services/deliveries/{id}/": {"get"},
        "/api/v1/services/deliveries/{id}/correct/": {"post"},
        "/api/v1/services/offers/": {"get", "post"},
        "/api/v1/services/providers/": {"get", "post"},
        "/api/v1/services/providers/{id}/": {"get", "patch"},
        "/api/v1/services/providers/{id}/capacity/": {"post"},
        "/api/v1/services/rosters/": {"get"},
        "/api/v1/services/rosters/generate/": {"post"},
        "/api/v1/services/rosters/{id}/": {"get"},
        "/api/v1/services/rosters/{id}/publish/": {"post"},
        "/api/v1/services/rosters/{id}/reopen/": {"post"},
        "/api/v1/services/statements/": {"get"},
        "/api/v1/services/statements/generate/": {"post"},
        "/api/v1/services/statements/issue-all/": {"post"},
        "/api/v1/services/statements/{id}/": {"get"},
        "/api/v1/services/statements/{id}/cancel/": {"post"},
        "/api/v1/services/statements/{id}/correct/": {"post"},
        "/api/v1/services/statements/{id}/issue/": {"post"},
        "/api/v1/services/statements/{id}/pdf/": {"get"},
        "/api/v1/services/visits/": {"get", "post"},
        "/api/v1/services/visits/{id}/": {"get"},
        "/api/v1/services/visits/{id}/cancel/": {"post"},
        "/api/v1/services/visits/{id}/deliver/": {"post"},
        "/api/v1/services/visits/{id}/miss/": {"post"},
        "/api/v1/services/visits/{id}/move/": {"post"},
        "/api/v1/services/waiting-list/": {"get", "post"},
        "/api/v1/services/waiting-list/{id}/": {"get"},
        "/api/v1/services/waiting-list/{id}/place/": {"post"},
        "/api/v1/services/waiting-list/{id}/priority/": {"post"},
        "/api/v1/services/waiting-list/{id}/restore/": {"post"},
        "/api/v1/services/waiting-list/{id}/withdraw/": {"post"},
        "/api/v1/services/workers/": {"get", "post"},
        "/api/v1/services/workers/{id}/": {"get", "patch"},
    }
)
# Supervision and the calendar (issue 11).
EXPECTED_PATHS.update(
    {
        "/api/v1/community/supervisions/": {"get", "post"},
        "/api/v1/community/supervisions/{id}/": {"get"},
        "/api/v1/community/supervisions/{id}/held/": {"post"},
        "/api/v1/community/supervisions/{id}/cancel/": {"post"},
        "/api/v1/community/calendar/": {"get"},
        "/api/v1/community/calendar-entries/": {"get", "post"},
        "/api/v1/community/calendar-entries/{id}/": {"get", "put", "delete"},
        "/api/v1/calendar.ics": {"get"},
    }
)
# Reports (issue 12, repengine): the monthly activity report and the versions' actions.
EXPECTED_PATHS.update(
    {
        "/api/v1/reports/": {"get", "post"},
        "/api/v1/reports/{id}/": {"get"},
        "/api/v1/reports/{id}/narrative/": {"post"},
        "/api/v1/reports/{id}/sign-narrative/": {"post"},
        "/api/v1/reports/{id}/approve/": {"post"},
        "/api/v1/reports/{id}/new-version/": {"post"},
        "/api/v1/reports/monthly-activity/": {"get"},
    }
)
# Retention (issue 13, decision 0023): reviews and erasure requests with their actions.
EXPECTED_PATHS.update(
    {
        "/api/v1/retention/reviews/": {"get"},
        "/api/v1/retention/reviews/{id}/": {"get"},
        "/api/v1/retention/reviews/run/": {"post"},
        "/api/v1/retention/reviews/{id}/approve/": {"post"},
        "/api/v1/retention/reviews/{id}/reject/": {"post"},
        "/api/v1/retention/erasure-requests/": {"get", "post"},
        "/api/v1/retention/erasure-requests/{id}/": {"get"},
        "/api/v1/retention/erasure-requests/{id}/approve/": {"post"},
        "/api/v1/retention/erasure-requests/{id}/refuse/": {"post"},
    }
)

# Consents, the register of processing activities and the breach log (issue 13, decision 0024).
EXPECTED_PATHS.update(
    {
        "/api/v1/consents/": {"get", "post"},
        "/api/v1/consents/{id}/": {"get"},
        "/api/v1/consents/{id}/withdraw/": {"post"},
        "/api/v1/processing-activities/": {"get", "post"},
        "/api/v1/processing-activities/{id}/": {"get", "patch"},
        "/api/v1/processing-activities/seed/": {"post"},
        "/api/v1/data-breaches/": {"get", "post"},
        "/api/v1/data-breaches/{id}/": {"get", "patch"},
    }
)

# Subject access (issue 13, sar): requests and their actions, the export's download.
EXPECTED_PATHS.update(
    {
        "/api/v1/subject-access/": {"get", "post"},
        "/api/v1/subject-access/{id}/": {"get"},
        "/api/v1/subject-access/{id}/approve/": {"post"},
        "/api/v1/subject-access/{id}/refuse/": {"post"},
        "/api/v1/subject-access/{id}/retry-export/": {"post"},
        "/api/v1/subject-access/{id}/deliver/": {"post"},
        "/api/v1/subject-access/{id}/download/": {"get"},
    }
)


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    """The schema, generated once for the module's read-only checks (each generation walks every view)."""
    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_is_openapi_3_yaml_by_default(db):
    response = APIClient().get("/api/schema/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    document = yaml.safe_load(response.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Socius API"


def test_schema_is_json_when_asked(db):
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_schema_lists_every_endpoint_with_its_methods(schema):
    paths = {path: set(ops) & {"get", "post", "put", "patch", "delete"} for path, ops in schema["paths"].items()}

    assert paths == EXPECTED_PATHS


def test_schema_names_fields_in_english_snake_case(schema):
    person = schema["components"]["schemas"]["Person"]["properties"]
    household_request = schema["components"]["schemas"]["HouseholdRequest"]["properties"]

    for name in [*person, *household_request]:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", name), name
    assert {"id", "first_name", "last_name", "birth_date", "sex", "national_id", "household", "latin_name"} <= set(
        person
    )
    assert person["sex"]["nullable"] is True
    assert person["birth_date"]["format"] == "date"


def test_schema_documents_members_with_relationship_codes(schema):
    components = schema["components"]["schemas"]
    members = components["HouseholdRequest"]["properties"]["members"]
    member = components[members["items"]["$ref"].rsplit("/", 1)[1]]

    assert members["type"] == "array"
    assert set(member["properties"]) == {"person", "relationship"}
    assert components["RelationshipEnum"]["enum"] == [
        "head",
        "spouse",
        "partner",
        "child",
        "parent",
        "sibling",
        "grandchild",
        "other_relative",
        "unrelated",
    ]
    assert "move" in components["HouseholdRequest"]["properties"]


def test_schema_documents_search_filters_and_pagination(schema):
    persons_list = schema["paths"]["/api/v1/persons/"]["get"]
    parameters = {p["name"] for p in persons_list["parameters"]}

    assert {"search", "page", "page_size", "birth_date", "sex", "national_id"} <= parameters
    page = persons_list["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert page.endswith("/PaginatedPersonList")
    assert set(schema["components"]["schemas"]["PaginatedPersonList"]["properties"]) == {
        "count",
        "next",
        "previous",
        "results",
    }


def test_schema_documents_the_audit_filters(schema):
    parameters = {p["name"] for p in schema["paths"]["/api/v1/audit/events/"]["get"]["parameters"]}

    assert {"person", "user", "action", "object_type", "object_id", "date_from", "date_to"} <= parameters


def test_schema_declares_token_and_session_authentication(schema):
    assert set(schema["components"]["securitySchemes"]) == {"tokenAuth", "cookieAuth"}


def test_schema_generates_valid_and_without_warnings(db, tmp_path):
    # --fail-on-warn turns every drf-spectacular warning (untyped field, unknown path parameter ...) into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))

    assert yaml.safe_load((tmp_path / "schema.yaml").read_text())["openapi"].startswith("3.")


def test_docs_page_answers_200_without_external_urls(db):
    response = APIClient().get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="swagger-ui"' in html
    # Its settings come as a script of its own (the Content-Security-Policy allows no inline script, decision 0021).
    assert 'src="/api/docs/?script="' in html
    assert 'url: "/api/schema/"' in APIClient().get("/api/docs/?script=").content.decode()
    assert re.findall(r"https?://", html) == []
    assert "cdn" not in html.lower()
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert len(assets) >= 3
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset
