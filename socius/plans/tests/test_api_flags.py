"""Case flags through the API: the collection (?case=, ?state=), one flag, and the flags in the case detail.

Who sees them: everyone who sees the case's summary (the finance officer acts on them for cash benefits),
nobody of another centre; a flag shows nothing of the case beyond itself (no reasons, no notes).
"""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent
from socius.accounts.roles import Role
from socius.plans.models import CaseFlag, Consequence, ContractVariant
from socius.plans.services import (
    add_obligation,
    clear_flag,
    draft_contract,
    record_breach,
    record_refusal,
    sign_contract,
    start_contract,
)
from socius.plans.tests.conftest import DAY
from socius.testing.factories import UserFactory

LIST = "/api/v1/case-flags/"
LATER = dt.date(2025, 4, 1)


def api(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _contract(worker, case, client):
    return draft_contract(
        worker,
        case.pk,
        {
            "variant": ContractVariant.PL_IA_IIA,
            "clients": [client.pk],
            "causes": "Long-term unemployment",
            "goals": "Find a job",
            "valid_from": DAY,
            "valid_until": dt.date(2025, 9, 3),
        },
    )


@pytest.fixture
def flags(case, pl_worker, mother):
    """A breach flag still raised, and a refusal flag since cleared, on the same case."""
    breached = _contract(pl_worker, case, mother)
    add_obligation(pl_worker, breached.pk, party="client", description="Register", due_on=LATER)
    sign_contract(pl_worker, breached.pk, DAY)
    start_contract(pl_worker, breached.pk, on=DAY)
    record_breach(pl_worker, breached.pk, reasons="Secret reason", consequence=Consequence.SUSPEND_CASH_AID, on=LATER)
    refused = _contract(pl_worker, case, mother)
    record_refusal(pl_worker, refused.pk, reasons="Will not sign", consequence=Consequence.REFUSE_CASH_AID, on=DAY)
    cleared = CaseFlag.objects.get(contract=refused)
    clear_flag(pl_worker, cleared.pk, "Signed after all", on=LATER)
    return {"raised": CaseFlag.objects.get(contract=breached), "cleared": cleared, "contract": breached}


def test_the_collection_lists_flags_with_state_consequence_and_contract(pl_worker, case, flags):
    response = api(pl_worker).get(LIST)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    raised = next(row for row in body["results"] if row["id"] == flags["raised"].pk)
    assert raised == {
        "id": flags["raised"].pk,
        "case": case.pk,
        "case_reference": case.reference,
        "kind": "contract_breached",
        "kind_label": "Social contract breached",
        "state": "raised",
        "consequence": {
            "code": "suspend_cash_aid",
            "label": "Suspend cash aid",
            "statutory_label": "wstrzymanie świadczeń pieniężnych",
            "legal_basis": "art. 11 ust. 2 u.p.s.",
        },
        "contract": {"id": flags["contract"].pk, "status": "breached", "ended_on": "2025-04-01"},
        "raised_on": "2025-04-01",
        "raised_by": pl_worker.pk,
        "cleared_on": None,
        "cleared_by": None,
        "cleared_reason": "",
    }
    assert "Secret reason" not in response.content.decode()


def test_filters_narrow_the_collection(pl_worker, case, flags):
    client = api(pl_worker)

    def ids(params):
        response = client.get(LIST, params)
        assert response.status_code == 200
        return [row["id"] for row in response.json()["results"]]

    assert ids({"state": "raised"}) == [flags["raised"].pk]
    assert ids({"state": "cleared"}) == [flags["cleared"].pk]
    assert sorted(ids({"case": case.pk})) == sorted([flags["raised"].pk, flags["cleared"].pk])
    assert ids({"case": case.pk + 1000}) == []
    assert ids({"case": 2**63 - 1}) == []
    cleared = client.get(LIST, {"state": "cleared"}).json()["results"][0]
    assert (cleared["state"], cleared["cleared_reason"], cleared["cleared_by"]) == (
        "cleared",
        "Signed after all",
        pl_worker.pk,
    )


@pytest.mark.parametrize(
    ("params", "field"), [({"state": "open"}, "state"), ({"case": 2**63}, "case"), ({"case": "x"}, "case")]
)
def test_bad_filters_answer_400_naming_the_field(pl_worker, flags, params, field):
    response = api(pl_worker).get(LIST, params)

    assert response.status_code == 400
    assert list(response.json()) == [field]


# persona: what GET /case-flags/, GET /case-flags/{id}/ and the flags of GET /cases/{id}/ answer
FLAG_MATRIX = {
    "pl_worker": (200, 2),  # holds the case
    "pl_worker2": (200, 2),  # same centre, summary only
    "pl_teamlead": (200, 2),
    "pl_director": (200, 2),
    "pl_finance": (200, 2),  # acts on them for cash benefits
    "pl_auditor": (200, 2),
    "pl_admin": (200, 2),
    "md_worker": (200, 0),  # another centre: nothing listed, the flag and case not found
    "anonymous": (401, None),
}


@pytest.mark.parametrize(("persona_name", "outcome"), FLAG_MATRIX.items(), ids=list(FLAG_MATRIX))
def test_flag_permission_matrix(request, case, flags, persona_name, outcome):
    user = None if persona_name == "anonymous" else request.getfixturevalue(persona_name)
    client = api(user)
    writes = AuditEvent.objects.exclude(action="view").count()
    code, count = outcome

    listing = client.get(LIST)
    one = client.get(f"{LIST}{flags['raised'].pk}/")
    detail = client.get(f"/api/v1/cases/{case.pk}/")

    assert listing.status_code == code
    if code == 401:
        assert one.status_code == detail.status_code == 401
    elif count == 0:
        assert listing.json()["count"] == 0
        assert one.status_code == detail.status_code == 404
    else:
        assert listing.json()["count"] == count
        assert one.status_code == 200 and one.json()["state"] == "raised"
        assert detail.status_code == 200
        assert [f["id"] for f in detail.json()["flags"]] == [flags["raised"].pk, flags["cleared"].pk]
        if not detail.json()["content_visible"]:
            assert detail.json()["notes"] is None  # the flags, but no case content
    assert AuditEvent.objects.exclude(action="view").count() == writes


def test_a_role_without_case_access_is_refused(pl_centre, flags):
    nobody = UserFactory(username="no_centre", centre=None, role=Role.DIRECTOR)

    assert api(nobody).get(LIST).status_code == 403


def test_out_of_range_flag_ids_are_not_found(pl_worker, flags):
    client = api(pl_worker)

    assert client.get(f"{LIST}{2**63}/").status_code == 404
    assert client.get(f"{LIST}99999999999999999999999/").status_code == 404


def test_the_case_detail_without_flags_has_an_empty_list(pl_worker, case):
    response = api(pl_worker).get(f"/api/v1/cases/{case.pk}/")

    assert response.status_code == 200 and response.json()["flags"] == []


def test_schema_documents_the_flags(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]

    assert {"case", "state", "page", "page_size"} <= {p["name"] for p in schema["paths"][LIST]["get"]["parameters"]}
    assert components["FlagStateEnum"]["enum"] == ["raised", "cleared"]
    flag = components["CaseFlag"]["properties"]
    assert {"state", "consequence", "contract", "kind", "raised_on", "cleared_on"} <= set(flag)
    assert components["CaseDetail"]["properties"]["flags"]["type"] == "array"
    detail = schema["paths"]["/api/v1/cases/{id}/"]["get"]["responses"]["200"]
    assert detail["content"]["application/json"]["schema"]["$ref"].endswith("/CaseDetail")
