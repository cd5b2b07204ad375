"""API: /api/v1/partners/ (no delete) and /api/v1/referrals/ (list ?case= ?overdue=, create, read, actions
with 409 on a move the map does not allow); referrals are content, readable only by the case's readers."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent
from socius.casework.models import CaseEvent, CaseShare, Partner, Referral
from socius.casework.statuses import ReferralStatus
from socius.casework.tests.factories import CaseFactory
from socius.casework.tests.factories_referrals import PartnerFactory, ReferralFactory

PARTNERS = "/api/v1/partners/"
REFERRALS = "/api/v1/referrals/"


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def state():
    return (
        sorted(Referral.objects.values_list("pk", "status", "outcome", "answered_on", "closed_on")),
        sorted(Partner.objects.values_list("pk", "name", "is_active")),
        CaseEvent.objects.count(),
        AuditEvent.objects.exclude(action="view").count(),
    )


@pytest.fixture
def case(pl_centre, pl_worker, family_team):
    return CaseFactory(centre=pl_centre, assigned_worker=pl_worker, team=family_team)


@pytest.fixture
def school(pl_centre):
    return PartnerFactory(centre=pl_centre, name="Szkoła Podstawowa nr 1")


# --- partners -------------------------------------------------------------------------------------


def test_partner_crud_without_delete(pl_worker):
    client = api(pl_worker)
    response = client.post(PARTNERS, {"name": "Policja", "kind": "police", "phone": "997"}, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["is_active"] is True

    response = client.patch(f"{PARTNERS}{pk}/", {"is_active": False}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert Partner.objects.get().phone == "997"
    assert client.get(PARTNERS).json()["count"] == 0
    assert client.get(PARTNERS, {"active": "all"}).json()["results"][0]["name"] == "Policja"
    assert client.delete(f"{PARTNERS}{pk}/").status_code == 405
    assert Partner.objects.count() == 1


def test_duplicate_partner_name_is_400(pl_worker, school):
    before = state()
    response = api(pl_worker).post(PARTNERS, {"name": "SZKOŁA podstawowa NR 1", "kind": "school"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"name": ["Your centre already has a partner institution with this name."]}
    assert state() == before


def test_partners_read_by_finance_written_only_by_casework(pl_finance, school):
    client = api(pl_finance)
    assert client.get(f"{PARTNERS}{school.pk}/").json()["name"] == "Szkoła Podstawowa nr 1"
    assert client.post(PARTNERS, {"name": "X", "kind": "ngo"}, format="json").status_code == 403
    assert client.patch(f"{PARTNERS}{school.pk}/", {"name": "X"}, format="json").status_code == 403


def test_another_centres_partner_is_404(md_worker, school):
    assert api(md_worker).get(f"{PARTNERS}{school.pk}/").status_code == 404
    assert api(md_worker).patch(f"{PARTNERS}{school.pk}/", {"name": "X"}, format="json").status_code == 404


def test_anonymous_is_401():
    assert api().get(PARTNERS).status_code == 401


# --- referrals ------------------------------------------------------------------------------------


def test_create_and_read_a_referral(case, school, pl_worker):
    response = api(pl_worker).post(
        REFERRALS,
        {"case": case.pk, "direction": "outgoing", "partner": school.pk, "reason": "Absences", "sent_on": "2025-02-03"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {k: body[k] for k in ("case", "partner", "status", "response_due_on", "documents", "is_overdue")} == {
        "case": case.pk,
        "partner": school.pk,
        "status": "sent",
        "response_due_on": "2025-02-17",
        "documents": [],
        "is_overdue": True,  # due in 2025, still awaiting an answer today
    }
    read = api(pl_worker).get(f"{REFERRALS}{body['id']}/")
    assert read.status_code == 200 and read.json()["partner_name"] == "Szkoła Podstawowa nr 1"


def test_due_before_sent_is_400_and_writes_nothing(case, school, pl_worker):
    before = state()
    response = api(pl_worker).post(
        REFERRALS,
        {
            "case": case.pk,
            "direction": "incoming",
            "partner": school.pk,
            "reason": "Police notice",
            "sent_on": "2025-02-03",
            "response_due_on": "2025-02-02",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"response_due_on": ["The response cannot be due before the referral was sent."]}
    assert state() == before


def test_list_by_case_and_overdue(case, school, pl_worker):
    today = timezone.localdate()
    late = ReferralFactory(
        case=case, partner=school, sent_on=today - dt.timedelta(30), response_due_on=today - dt.timedelta(1)
    )
    ReferralFactory(case=case, partner=school, sent_on=today, response_due_on=today + dt.timedelta(14))
    client = api(pl_worker)
    assert client.get(REFERRALS, {"case": case.pk}).json()["count"] == 2
    overdue = client.get(REFERRALS, {"overdue": "true"}).json()
    assert [r["id"] for r in overdue["results"]] == [late.pk]
    assert AuditEvent.objects.filter(action="view", object_type="case", object_id=case.pk).count() == 2


def test_list_shows_only_cases_whose_content_one_reads(case, school, pl_worker2, pl_teamlead, pl_director, pl_worker):
    ReferralFactory(case=case, partner=school)
    assert api(pl_worker2).get(REFERRALS).json()["count"] == 0
    assert api(pl_teamlead).get(REFERRALS).json()["count"] == 1
    assert api(pl_director).get(REFERRALS).json()["count"] == 1
    CaseShare.objects.create(case=case, user=pl_worker2, shared_by=pl_worker)
    assert api(pl_worker2).get(REFERRALS).json()["count"] == 1


def test_reading_without_content_access_is_403_and_other_centre_404(case, school, pl_worker2, md_worker):
    referral = ReferralFactory(case=case, partner=school)
    assert api(pl_worker2).get(f"{REFERRALS}{referral.pk}/").status_code == 403
    assert api(pl_worker2).get(REFERRALS, {"case": case.pk}).status_code == 403
    assert api(md_worker).get(f"{REFERRALS}{referral.pk}/").status_code == 404
    assert api(md_worker).get(REFERRALS, {"case": case.pk}).status_code == 404


def test_actions_follow_the_map(case, school, pl_worker):
    referral = ReferralFactory(case=case, partner=school)
    client = api(pl_worker)
    response = client.post(f"{REFERRALS}{referral.pk}/acknowledge/", {"on": "2025-02-05"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "acknowledged"
    response = client.post(f"{REFERRALS}{referral.pk}/answer/", {"on": "2025-02-10"}, format="json")
    assert response.status_code == 400 and response.json() == {"outcome": ["Describe the outcome."]}
    response = client.post(
        f"{REFERRALS}{referral.pk}/answer/", {"outcome": "Seen by the pedagogue", "on": "2025-02-10"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["answered_on"]) == ("answered", "2025-02-10")
    before = state()
    response = client.post(f"{REFERRALS}{referral.pk}/acknowledge/", {}, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "A referral cannot move from “Answered” to “Acknowledged”.",
        "code": "invalid_transition",
    }
    assert state() == before
    response = client.post(f"{REFERRALS}{referral.pk}/close/", {}, format="json")
    assert response.status_code == 200 and response.json()["outcome"] == "Seen by the pedagogue"


@pytest.mark.parametrize("persona", ["pl_worker2", "pl_finance", "pl_auditor", "md_worker"], indirect=True)
def test_others_may_not_create_or_move(persona, case, school):
    referral = ReferralFactory(case=case, partner=school)
    before = state()
    client = api(persona)
    created = client.post(
        REFERRALS, {"case": case.pk, "direction": "outgoing", "partner": school.pk, "reason": "X"}, format="json"
    )
    moved = client.post(f"{REFERRALS}{referral.pk}/acknowledge/", {}, format="json")
    expected = 404 if persona.centre_id != case.centre_id else 403
    assert (created.status_code, moved.status_code) == (expected, expected)
    assert state() == before
    assert Referral.objects.get().status == ReferralStatus.SENT


def test_no_put_patch_or_delete_on_a_referral(case, school, pl_worker):
    referral = ReferralFactory(case=case, partner=school)
    client = api(pl_worker)
    for method in (client.put, client.patch, client.delete):
        assert method(f"{REFERRALS}{referral.pk}/", {"status": "closed"}, format="json").status_code == 405
