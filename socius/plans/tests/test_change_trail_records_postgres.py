"""The change trail (docs/decisions/0008) covers a case's records too: interviews, help plans with their goals
and actions, social contracts with their clients and obligations, case flags, home visits, social work and
its participants, referrals and documents' metadata; each entry with its centre, whoever wrote the row."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from socius.accounts.models import AuditEvent, ChangeTrailEntry, User
from socius.accounts.roles import Role
from socius.assessments.models import Assessment
from socius.casework.models import Case, CaseDocument, HomeVisit, Referral, SocialWorkActivity
from socius.casework.services import attach_document
from socius.casework.tests.factories_referrals import ReferralFactory
from socius.plans.models import CaseFlag, Goal, HelpPlan, Obligation, PlanAction, SocialContract
from socius.registry.models import Membership

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: triggers"),
]


PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def demo(db):
    call_command("load_demo", persons_per_centre=40, stdout=io.StringIO())


def _centre_of_case(case_id: int) -> int:
    return Case.objects.values_list("centre_id", flat=True).get(pk=case_id)


# table -> (model, the path from a row to its case)
RECORDS = {
    "assessments_assessment": (Assessment, "case_id"),
    "plans_helpplan": (HelpPlan, "case_id"),
    "plans_goal": (Goal, "plan__case_id"),
    "plans_planaction": (PlanAction, "goal__plan__case_id"),
    "plans_socialcontract": (SocialContract, "case_id"),
    "plans_socialcontract_clients": (SocialContract.clients.through, "socialcontract__case_id"),
    "plans_obligation": (Obligation, "contract__case_id"),
    "casework_homevisit": (HomeVisit, "case_id"),
    "casework_socialworkactivity": (SocialWorkActivity, "case_id"),
    "casework_socialworkactivity_participants": (
        SocialWorkActivity.participants.through,
        "socialworkactivity__case_id",
    ),
    "casework_referral": (Referral, "case_id"),
}


def test_every_case_record_written_by_the_services_is_in_the_trail_with_its_centre(demo):
    if not Referral.objects.exists():  # the small demo may send none
        ReferralFactory(case=HomeVisit.objects.first().case)
    for table, (model, case_path) in RECORDS.items():
        row_id, case_id = model.objects.values_list("pk", case_path).first()
        inserted = ChangeTrailEntry.objects.get(table_name=table, row_id=row_id, operation="INSERT")
        assert inserted.centre_id == _centre_of_case(case_id), table
        assert inserted.new_row["id"] == row_id, table


def test_updates_and_deletes_outside_the_services_are_recorded(demo):
    goal = Goal.objects.first()
    Goal.objects.filter(pk=goal.pk).update(description="Changed in the shell")
    referral = ReferralFactory()
    Referral.objects.filter(pk=referral.pk).delete()

    update = ChangeTrailEntry.objects.filter(table_name="plans_goal", row_id=goal.pk).latest("id")
    assert update.operation == "UPDATE" and update.actor_id is None
    assert (update.old_row["description"], update.new_row["description"]) == (goal.description, "Changed in the shell")
    assert update.centre_id == _centre_of_case(goal.plan.case_id)
    deleted = ChangeTrailEntry.objects.filter(table_name="casework_referral", row_id=referral.pk).latest("id")
    assert deleted.operation == "DELETE" and deleted.old_row["id"] == referral.pk
    assert deleted.centre_id == referral.centre_id


def test_document_metadata_and_case_flags_are_recorded(demo):
    contract = SocialContract.objects.filter(case__centre__jurisdiction="PL").first()
    case = contract.case
    document = attach_document(case.assigned_worker, case.pk, SimpleUploadedFile("a.pdf", PDF, "application/pdf"),
                               kind="other", title="Scan")  # fmt: skip
    CaseDocument.objects.filter(pk=document.pk).update(title="Renamed")
    flag = CaseFlag.objects.filter(contract=contract).first() or CaseFlag.objects.create(
        case=case,
        contract=contract,
        kind=CaseFlag._meta.get_field("kind").choices[0][0],
        consequence=CaseFlag._meta.get_field("consequence").choices[0][0],
        raised_on=dt.date(2026, 12, 1),
    )
    CaseFlag.objects.filter(pk=flag.pk).update(cleared_reason="Cleared in the shell")

    entries = ChangeTrailEntry.objects.filter(table_name="casework_casedocument", row_id=document.pk).order_by("id")
    assert [(e.operation, (e.new_row or {}).get("title")) for e in entries] == [
        ("INSERT", "Scan"),
        ("UPDATE", "Renamed"),
    ]
    assert {e.centre_id for e in entries} == {case.centre_id}
    flag_entries = ChangeTrailEntry.objects.filter(table_name="plans_caseflag", row_id=flag.pk).order_by("id")
    assert [e.operation for e in flag_entries] == ["INSERT", "UPDATE"]
    assert flag_entries[1].new_row["cleared_reason"] == "Cleared in the shell"
    assert {e.centre_id for e in flag_entries} == {case.centre_id}


def test_the_auditor_finds_a_goal_changed_in_the_shell_on_the_trail_page_by_a_member_of_the_household(client, demo):
    plan = HelpPlan.objects.filter(case__household__isnull=False, goals__isnull=False).first()
    goal = plan.goals.first()
    Goal.objects.filter(pk=goal.pk).update(description="Changed in the shell")
    member = Membership.objects.filter(household_id=plan.case.household_id).order_by("id").last().person
    auditor = User.objects.get(centre_id=plan.case.centre_id, role=Role.AUDITOR)
    client.force_login(auditor)

    response = client.get(reverse("web:audit_trail"), {"person": member.pk, "record_type": "goal"})

    assert response.status_code == 200
    assert "trail-needs-postgresql" not in response.content.decode()
    shown = response.context["page"].object_list
    assert any(e.row_id == goal.pk and e.operation == "UPDATE" for e in shown)
    assert {e.table_name for e in shown} == {"plans_goal"}
    event = AuditEvent.objects.filter(object_type="change_trail").latest("id")
    assert event.actor_id == auditor.pk
