"""The benefits API: catalogue, what-if evaluation, applications and decisions, in the caller's language."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent, AuditEventPerson
from socius.benefits.models import Application, Decision
from socius.benefits.tests.conftest import PL_IBAN

V1 = "/api/v1"


def api(user, language="en"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_authenticate(user)
    return client


WHAT_IF = {
    "benefit": "pl.toy_allowance",
    "period": "2025-03",
    "household": [
        {"role": "applicant", "birth_date": "1950-04-02", "income": "950.00", "unable_to_work": True,
         "unemployed": False, "benefit_months_received": 0},
        {"role": "spouse", "income": "300.00"},
    ],
}  # fmt: skip


def test_evaluate_answers_the_issues_shape_in_the_readers_language(pl_worker):
    response = api(pl_worker, "ro").post(f"{V1}/benefits/evaluate/", WHAT_IF, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert {k: body[k] for k in ("eligible", "amount", "minimum", "maximum", "currency", "reasons")} == {
        "eligible": True,
        "amount": "302.00",  # 2 × 776.00 − 1250.00
        "minimum": "20.00",
        "maximum": "302.00",
        "currency": "PLN",
        "reasons": [],
    }
    criterion = body["trace"][0]
    assert (criterion["label"], criterion["statutory_label"], criterion["parameter"], criterion["valid_from"]) == (
        "Criteriu",
        "Kryterium",
        "toy/criterion",
        "2024-01-01",
    )
    assert (criterion["value"], criterion["legal_basis"], criterion["source"]) == (
        "776.00",
        "art. 8 ust. 1 u.p.s.",
        "Dz.U. 2024 próba",
    )
    assert not AuditEvent.objects.exists()  # no registry data touched


def test_evaluate_accepts_typed_incomes_instead_of_the_shortcut(pl_worker):
    body = {**WHAT_IF, "household": [
        {"role": "applicant", "incomes": [{"kind": "pension", "amount": "1600.00", "month": "2025-02"}]},
        {"role": "child"},
    ]}  # fmt: skip
    answer = api(pl_worker).post(f"{V1}/benefits/evaluate/", body, format="json").json()
    assert (answer["eligible"], answer["amount"], [r["label"] for r in answer["reasons"]]) == (
        False,
        "0.00",
        ["Income not below the criterion"],
    )


def test_bad_facts_answer_400_with_field_messages_in_the_callers_language(pl_worker):
    body = {
        "benefit": "pl.no_such_thing",
        "period": "2025-13",
        "household": [{"income": 950.5, "birth_date": "yesterday"}],
    }
    response = api(pl_worker, "pl").post(f"{V1}/benefits/evaluate/", body, format="json")

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"period", "household"}
    assert set(errors["household"]["0"]) == {"income", "birth_date"}
    assert errors["household"]["0"]["birth_date"] == ["Data ma zły format. Użyj jednego z tych formatów: YYYY-MM-DD."]

    unknown = api(pl_worker).post(f"{V1}/benefits/evaluate/", {**WHAT_IF, "benefit": "pl.no_such_thing"}, format="json")
    assert unknown.status_code == 400 and list(unknown.json()) == ["benefit"]
    early = api(pl_worker).post(f"{V1}/benefits/evaluate/", {**WHAT_IF, "period": "2019-12"}, format="json")
    assert early.status_code == 400 and list(early.json()) == ["period"]


def test_the_catalogue_lists_codes_names_and_parameters_in_force_on_a_day(pl_worker):
    response = api(pl_worker, "en").get(f"{V1}/benefits/", {"on": "2025-07-01", "jurisdiction": "PL"})

    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()["results"]}
    toy = rows["pl.toy_allowance"]
    assert (toy["name"], toy["statutory_name"], toy["jurisdiction"], toy["payment"], toy["currency"]) == (
        "Toy allowance",
        "Zasiłek próbny",
        "PL",
        "monthly",
        "PLN",
    )
    assert toy["parameters"] == [
        {"name": "toy/criterion", "value": "800.00", "unit": "PLN", "valid_from": "2025-06-01",
         "legal_basis": "art. 8 ust. 1 u.p.s.", "source": "Dz.U. 2025 próba", "confirmed": True}
    ]  # fmt: skip
    assert [d["code"] for d in toy["documents"]] == ["income_statement", "medical_certificate"]
    assert all(row["jurisdiction"] == "PL" for row in rows.values())
    one = api(pl_worker).get(f"{V1}/benefits/pl.toy_allowance/", {"on": "2025-01-01"}).json()
    assert one["parameters"][0]["value"] == "776.00"
    assert api(pl_worker).get(f"{V1}/benefits/pl.nothing/").status_code == 404


@pytest.fixture
def filed(case, recent_interview, mother, pl_worker):
    response = api(pl_worker).post(
        f"{V1}/applications/",
        {"case": case.pk, "benefit": "pl.toy_allowance", "applied_on": "2025-03-03", "period_from": "2025-03",
         "period_to": "2025-08", "documents": {"income_statement": True}},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_worker_files_declares_incomes_and_proposes_then_a_team_leader_approves(
    filed, mother, son, pl_worker, pl_teamlead
):
    worker = api(pl_worker)
    incomes = worker.post(
        f"{V1}/applications/{filed['id']}/incomes/",
        {"incomes": [{"person": mother.pk, "month": "2025-02", "kind": "employment", "amount": "1000.00"}]},
        format="json",
    )
    assert incomes.status_code == 200, incomes.json()
    assert incomes.json()["incomes"] == [
        {"person": mother.pk, "month": "2025-02", "kind": "employment", "amount": "1000.00", "deductions": "0.00",
         "one_off": False, "covers_months": 1}
    ]  # fmt: skip

    proposed = worker.post(
        f"{V1}/applications/{filed['id']}/propose/",
        {"payment_method": "bank_transfer", "iban": PL_IBAN, "amount": "400.00"},
        format="json",
    )
    assert proposed.status_code == 201, proposed.json()
    decision = proposed.json()
    assert (decision["kind"], decision["status"], decision["amount"], decision["minimum"], decision["maximum"]) == (
        "grant",
        "proposed",
        "400.00",
        "20.00",
        "552.00",
    )
    assert (decision["reference"], decision["period_from"], decision["period_to"]) == ("", "2025-03", "2025-08")
    assert [s["label"] for s in decision["trace"]] == ["Criterion", "Family income", "Amount"]
    assert decision["persons"] == [mother.pk, son.pk]

    own = api(pl_teamlead)
    approved = own.post(f"{V1}/decisions/{decision['id']}/approve/")
    assert approved.status_code == 200, approved.json()
    assert (approved.json()["status"], approved.json()["state"], approved.json()["reference"]) == (
        "approved",
        "active",
        f"1/{dt.date.today().year}",
    )
    again = own.post(f"{V1}/decisions/{decision['id']}/approve/")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"


def test_nobody_approves_their_own_proposal_403_with_the_reason(case, recent_interview, pl_teamlead):
    client = api(pl_teamlead)
    filed = client.post(
        f"{V1}/applications/",
        {"case": case.pk, "benefit": "pl.toy_allowance", "applied_on": "2025-03-03"},
        format="json",
    ).json()
    decision = client.post(
        f"{V1}/applications/{filed['id']}/propose/", {"payment_method": "cash"}, format="json"
    ).json()

    response = client.post(f"{V1}/decisions/{decision['id']}/approve/")

    assert response.status_code == 403
    assert "Nobody approves their own proposal" in response.json()["detail"]
    assert Decision.objects.get(pk=decision["id"]).status == "proposed"


def test_without_the_interview_the_proposal_answers_409_with_a_clear_message(case, pl_worker):
    filed = (
        api(pl_worker)
        .post(
            f"{V1}/applications/",
            {"case": case.pk, "benefit": "pl.toy_allowance", "applied_on": "2025-03-03"},
            format="json",
        )
        .json()
    )
    response = api(pl_worker).post(
        f"{V1}/applications/{filed['id']}/propose/", {"payment_method": "cash"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "interview_missing"
    assert Application.objects.get(pk=filed["id"]).status == "draft"


def test_a_bad_iban_answers_400_on_its_field_in_polish(filed, pl_worker):
    response = api(pl_worker, "pl").post(
        f"{V1}/applications/{filed['id']}/propose/",
        {"payment_method": "bank_transfer", "iban": "PL00 1234"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["iban"]


def test_suspend_return_and_an_invalid_resume(filed, pl_worker, pl_teamlead):
    worker, leader = api(pl_worker), api(pl_teamlead)
    decision = worker.post(
        f"{V1}/applications/{filed['id']}/propose/", {"payment_method": "cash"}, format="json"
    ).json()
    leader.post(f"{V1}/decisions/{decision['id']}/approve/")

    resumed = worker.post(
        f"{V1}/decisions/{decision['id']}/resume/", {"from_month": "2025-05", "justification": "x"}, format="json"
    )
    assert resumed.status_code == 409 and resumed.json()["code"] == "invalid_transition"

    suspension = worker.post(
        f"{V1}/decisions/{decision['id']}/suspend/", {"from_month": "2025-05", "justification": "Abroad"}, format="json"
    )
    assert suspension.status_code == 201
    assert (suspension.json()["kind"], suspension.json()["changes"]) == ("suspension", decision["id"])
    returned = leader.post(
        f"{V1}/decisions/{suspension.json()['id']}/return/", {"comment": "Attach the proof."}, format="json"
    )
    assert returned.status_code == 200
    assert (returned.json()["status"], returned.json()["returned_comment"]) == ("returned", "Attach the proof.")
    assert worker.get(f"{V1}/decisions/{decision['id']}/").json()["changed_by"] == [suspension.json()["id"]]


def test_lists_hold_what_the_caller_may_read_and_filters_narrow(
    filed, case, pl_worker, pl_worker2, pl_finance, md_worker
):
    api(pl_worker).post(f"{V1}/applications/{filed['id']}/propose/", {"payment_method": "cash"}, format="json")

    assert api(pl_worker).get(f"{V1}/applications/").json()["count"] == 1
    assert api(pl_worker2).get(f"{V1}/applications/").json()["count"] == 0  # not their case
    assert api(pl_worker2).get(f"{V1}/applications/{filed['id']}/").status_code == 403
    assert api(pl_finance).get(f"{V1}/decisions/").json()["count"] == 1  # finance reads every decision
    assert api(md_worker).get(f"{V1}/decisions/").json()["count"] == 0
    assert api(md_worker).get(f"{V1}/applications/{filed['id']}/").status_code == 404
    assert api(pl_worker).get(f"{V1}/decisions/", {"status": "approved"}).json()["count"] == 0
    assert api(pl_worker).get(f"{V1}/decisions/", {"case": case.pk, "kind": "grant"}).json()["count"] == 1
    assert api(pl_worker).get(f"{V1}/decisions/", {"state": "nonsense"}).status_code == 400


def test_every_read_is_audited_naming_the_household(filed, case, mother, son, pl_worker):
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    api(pl_worker).get(f"{V1}/applications/{filed['id']}/")
    api(pl_worker).get(f"{V1}/applications/")
    events = list(AuditEvent.objects.filter(id__gt=before).order_by("id"))
    assert [(e.object_type, e.object_id, e.person_id) for e in events] == [
        ("benefit_application", filed["id"], mother.pk),
        ("benefit_application", filed["id"], mother.pk),
    ]
    assert set(AuditEventPerson.objects.filter(event__in=events).values_list("person_id", flat=True)) == {son.pk}


def test_the_director_authorises_an_approver_through_the_api(pl_director, pl_worker2, pl_teamlead):
    granted = api(pl_director).post(f"{V1}/approver-authorisations/", {"user": pl_worker2.pk}, format="json")
    assert granted.status_code == 201
    assert api(pl_teamlead).get(f"{V1}/approver-authorisations/").status_code == 403
    twice = api(pl_director).post(f"{V1}/approver-authorisations/", {"user": pl_worker2.pk}, format="json")
    assert twice.status_code == 409
    revoked = api(pl_director).post(f"{V1}/approver-authorisations/{granted.json()['id']}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]


def test_a_draft_is_changed_its_members_recorded_and_withdrawn(filed, mother, pl_worker):
    worker = api(pl_worker)
    changed = worker.patch(
        f"{V1}/applications/{filed['id']}/", {"period_to": "2025-05", "income_lost": True}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["period_to"], changed.json()["income_lost"], changed.json()["benefit"]) == (
        "2025-05",
        True,
        "pl.toy_allowance",
    )
    members = worker.post(
        f"{V1}/applications/{filed['id']}/members/",
        {"members": [{"person": mother.pk, "unable_to_work": True, "flags": ["abroad"]}]},
        format="json",
    )
    assert members.status_code == 200
    assert members.json()["members"] == [
        {"person": mother.pk, "unable_to_work": True, "benefit_months_received": 0, "flags": ["abroad"]}
    ]
    withdrawn = worker.post(f"{V1}/applications/{filed['id']}/withdraw/")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = worker.post(f"{V1}/applications/{filed['id']}/withdraw/")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"


def test_amend_end_and_revoke_through_the_api(filed, mother, pl_worker, pl_director):
    worker, director = api(pl_worker), api(pl_director)
    worker.post(
        f"{V1}/applications/{filed['id']}/incomes/",
        {"incomes": [{"person": mother.pk, "month": "2025-02", "kind": "pension", "amount": "1000.00"}]},
        format="json",
    )
    grant = worker.post(f"{V1}/applications/{filed['id']}/propose/", {"payment_method": "cash"}, format="json").json()
    director.post(f"{V1}/decisions/{grant['id']}/approve/")

    amendment = worker.post(
        f"{V1}/decisions/{grant['id']}/amend/",
        {"from_month": "2025-06", "amount": "50.00", "justification": "Lower need."},
        format="json",
    )
    assert amendment.status_code == 201, amendment.json()
    assert (amendment.json()["kind"], amendment.json()["amount"], amendment.json()["maximum"]) == (
        "amendment",
        "50.00",
        "1600.00",  # June 2025: 2 × 800.00, no income declared for May
    )
    director.post(f"{V1}/decisions/{amendment.json()['id']}/approve/")
    assert worker.get(f"{V1}/decisions/{grant['id']}/").json()["state"] == "superseded"

    ended = worker.post(
        f"{V1}/decisions/{amendment.json()['id']}/end/",
        {"from_month": "2025-07", "justification": "Job."},
        format="json",
    )
    assert ended.status_code == 201 and ended.json()["kind"] == "ending"
    revoked = worker.post(
        f"{V1}/decisions/{grant['id']}/revoke/", {"from_month": "2025-04", "justification": "x"}, format="json"
    )
    assert revoked.status_code == 409  # superseded: nothing left to revoke
    assert worker.get(f"{V1}/decisions/", {"to_approve": "true"}).json()["count"] == 0  # a worker approves nothing
    assert director.get(f"{V1}/decisions/", {"to_approve": "true"}).json()["count"] == 1
