"""UI: the family assistant programme — the assistant's desk (and its home-page card), the loads, the list,
a request from a case and the head's decision, a direct enrolment with consent, the family page's sections
(consents, work plan, activity log, assessments and their PDF, closure), the timesheet and its PDF; refusals
(the caseload cap, bad or hostile input) say why and write nothing; who may see what; bounded queries."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from socius.accounts.models import AuditEvent, AuditEventPerson
from socius.casework.models import CaseShare
from socius.casework.tests.factories import CaseFactory
from socius.family.models import (
    AssistantActivity,
    EnrolmentConsent,
    FamilyAssessment,
    FamilyEnrolment,
    FamilyEvent,
    WorkPlan,
    WorkPlanItem,
)
from socius.family.statuses import EnrolmentRoute, EnrolmentStatus, PlanItemStatus, WorkPlanStatus
from socius.family.support import ConsentInput, add_plan_item, draft_work_plan, enrol_family, log_activity
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, TeamFactory, UserFactory

TODAY = timezone.localdate()
HTMX = {"HTTP_HX_REQUEST": "true"}


def iso(day: dt.date) -> str:
    return day.isoformat()


@pytest.fixture
def family_team(pl_centre, pl_worker, pl_teamlead):
    team = TeamFactory(centre=pl_centre, problem_group="family", name="Family")
    team.members.add(pl_worker, pl_teamlead)
    return team


@pytest.fixture
def household(pl_centre):
    return HouseholdFactory(centre=pl_centre)


@pytest.fixture
def mother(pl_centre, household):
    person = PersonFactory(centre=pl_centre, first_name="Anna", last_name="Nowak")
    MembershipFactory(household=household, person=person, relationship="head", valid_from=dt.date(2020, 1, 1))
    return person


@pytest.fixture
def son(pl_centre, household):
    person = PersonFactory(centre=pl_centre, first_name="Jan", last_name="Nowak")
    MembershipFactory(household=household, person=person, relationship="child", valid_from=dt.date(2020, 1, 1))
    return person


@pytest.fixture
def outsider(pl_centre):
    return PersonFactory(centre=pl_centre, first_name="Ewa", last_name="Obca")


@pytest.fixture
def case(pl_centre, pl_worker, family_team, household, mother, son):
    return CaseFactory(centre=pl_centre, household=household, assigned_worker=pl_worker, team=family_team)


@pytest.fixture
def shared_case(case, pl_assistant, pl_worker):
    CaseShare.objects.create(case=case, user=pl_assistant, shared_by=pl_worker)
    return case


@pytest.fixture
def enrolment(shared_case, pl_assistant, mother):
    """An active statutory enrolment of the Nowak family with pl_assistant, the mother consenting."""
    return enrol_family(
        pl_assistant, case=shared_case, route=EnrolmentRoute.STATUTORY, assistant=pl_assistant,
        started_on=TODAY - dt.timedelta(days=30), legal_basis="art. 11 ust. 1a",
        consent=ConsentInput(person=mother, given_on=TODAY - dt.timedelta(days=30), method="written"),
    )  # fmt: skip


def fill_caseload(centre, assistant, count: int, team) -> None:
    """`count` other families, each with an active enrolment with `assistant`."""
    worker = UserFactory(centre=centre, role="social_worker")
    team.members.add(worker)
    for n in range(count):
        household = HouseholdFactory(centre=centre)
        person = PersonFactory(centre=centre, first_name="Other", last_name=f"Family{n}")
        MembershipFactory(household=household, person=person, relationship="head", valid_from=dt.date(2020, 1, 1))
        other = CaseFactory(centre=centre, household=household, assigned_worker=worker, team=team)
        enrol_family(
            worker, case=other, route=EnrolmentRoute.COURT_ORDER, assistant=assistant,
            started_on=TODAY - dt.timedelta(days=60), court_name="Sąd Rejonowy",
        )  # fmt: skip


def page_url(enrolment) -> str:
    return reverse("web:family_enrolment", args=[enrolment.pk])


# --- direct enrolment, the cap ---------------------------------------------------------------------------


def enrol_data(case, assistant, mother, **extra):
    data = {
        "case": case.pk, "route": "statutory", "assistant": assistant.pk, "started_on": iso(TODAY),
        "legal_basis": "art. 11 ust. 1a", "consent_person": mother.pk, "consent_given_on": iso(TODAY),
        "consent_method": "written",
    }  # fmt: skip
    data.update(extra)
    return data


def test_an_assistant_enrols_a_family_with_consent(client, pl_assistant, shared_case, mother):
    client.force_login(pl_assistant)
    response = client.post(reverse("web:family_enrol"), enrol_data(shared_case, pl_assistant, mother))
    enrolment = FamilyEnrolment.objects.get(case=shared_case)
    assert response.status_code == 302 and response["Location"] == page_url(enrolment)
    assert (enrolment.status, enrolment.assistant_id, enrolment.route) == ("active", pl_assistant.pk, "statutory")
    assert list(enrolment.consents.values_list("person_id", "method")) == [(mother.pk, "written")]
    page = client.get(page_url(enrolment)).content.decode()
    assert "Anna Nowak" in page and "In writing" in page


def test_the_enrol_form_starts_with_the_case_reference(client, pl_assistant, shared_case):
    client.force_login(pl_assistant)
    response = client.get(reverse("web:family_enrol"), {"case_ref": shared_case.reference})
    assert response.status_code == 302 and response["Location"].endswith(f"?case={shared_case.pk}")
    page = client.get(response["Location"]).content.decode()
    assert 'name="consent_person"' in page and "Anna Nowak" in page
    unknown = client.get(reverse("web:family_enrol"), {"case_ref": "1999/9999"})
    assert unknown.status_code == 400 and "No case of this centre has this reference." in unknown.content.decode()


def test_over_the_cap_the_enrolment_is_refused_with_the_reason_and_nothing_is_written(
    client, pl_centre, pl_assistant, shared_case, mother, family_team
):
    fill_caseload(pl_centre, pl_assistant, 15, family_team)
    before = (FamilyEnrolment.objects.count(), EnrolmentConsent.objects.count(), FamilyEvent.objects.count())
    client.force_login(pl_assistant)
    response = client.post(reverse("web:family_enrol"), enrol_data(shared_case, pl_assistant, mother))
    body = response.content.decode()
    assert response.status_code == 409
    assert 'id="form-refusal"' in body and "already works with 15 families; the most allowed is 15" in body
    assert (FamilyEnrolment.objects.count(), EnrolmentConsent.objects.count(), FamilyEvent.objects.count()) == before
    assert not FamilyEnrolment.objects.filter(case=shared_case).exists()


def test_a_court_order_without_the_court_is_refused_beside_the_field(client, pl_assistant, shared_case, mother):
    client.force_login(pl_assistant)
    data = enrol_data(shared_case, pl_assistant, mother, route="court_order", court_name="")
    response = client.post(reverse("web:family_enrol"), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="enrol_court_name-errors"' in body and "Name the court that ordered the assistant." in body
    assert not FamilyEnrolment.objects.exists()


def test_a_consent_by_someone_outside_the_family_is_refused(client, pl_assistant, shared_case, mother, outsider):
    client.force_login(pl_assistant)
    response = client.post(reverse("web:family_enrol"), enrol_data(shared_case, pl_assistant, outsider))
    assert response.status_code == 400
    assert not FamilyEnrolment.objects.exists() and not EnrolmentConsent.objects.exists()


@pytest.mark.parametrize("case_param", ["abc", "999999", "-1"])
def test_hostile_case_ids_give_404(client, pl_assistant, case_param):
    client.force_login(pl_assistant)
    assert client.get(reverse("web:family_enrol"), {"case": case_param}).status_code == 404


def test_an_assistant_cannot_enrol_a_case_they_do_not_read(client, pl_assistant, case, mother):
    client.force_login(pl_assistant)
    assert client.get(reverse("web:family_enrol"), {"case": case.pk}).status_code == 403
    response = client.post(reverse("web:family_enrol"), enrol_data(case, pl_assistant, mother))
    assert response.status_code == 403 and not FamilyEnrolment.objects.exists()


# --- a request from the case, the head's decision ----------------------------------------------------------


def test_a_worker_requests_and_the_director_approves_with_an_assistant(
    client, pl_worker, pl_director, pl_assistant, case, mother
):
    client.force_login(pl_worker)
    url = reverse("web:family_enrolment_request", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Parenting support needed", "requested_on": iso(TODAY)})
    enrolment = FamilyEnrolment.objects.get(case=case)
    assert response.status_code == 302 and enrolment.status == EnrolmentStatus.REQUESTED
    # The worker cannot decide; the director can.
    decide = reverse("web:family_enrolment_decide", args=[enrolment.pk])
    assert client.get(decide).status_code == 403
    client.force_login(pl_director)
    data = {
        "decision": "approve", "decided_on": iso(TODAY), "assistant": pl_assistant.pk,
        "consent_person": mother.pk, "consent_given_on": iso(TODAY), "consent_method": "oral",
    }  # fmt: skip
    response = client.post(decide, data)
    enrolment.refresh_from_db()
    assert response.status_code == 302
    assert (enrolment.status, enrolment.assistant_id, enrolment.started_on) == ("active", pl_assistant.pk, TODAY)
    assert enrolment.consents.get().method == "oral"


def test_the_director_refuses_a_request_with_a_reason(client, pl_worker, pl_director, case):
    client.force_login(pl_worker)
    client.post(reverse("web:family_enrolment_request", args=[case.pk]), {"reason": "x", "requested_on": iso(TODAY)})
    enrolment = FamilyEnrolment.objects.get(case=case)
    client.force_login(pl_director)
    decide = reverse("web:family_enrolment_decide", args=[enrolment.pk])
    no_reason = client.post(decide, {"decision": "refuse", "decided_on": iso(TODAY)})
    assert no_reason.status_code == 400 and "Say why the request is refused." in no_reason.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == "requested"
    client.post(decide, {"decision": "refuse", "decided_on": iso(TODAY), "refusal_reason": "No assistant free"})
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.refusal_reason) == ("refused", "No assistant free")


def test_approving_onto_a_full_assistant_is_refused_and_the_request_waits(
    client, pl_centre, pl_worker, pl_director, pl_assistant, case, family_team
):
    fill_caseload(pl_centre, pl_assistant, 15, family_team)
    client.force_login(pl_worker)
    client.post(reverse("web:family_enrolment_request", args=[case.pk]), {"reason": "x", "requested_on": iso(TODAY)})
    enrolment = FamilyEnrolment.objects.get(case=case)
    client.force_login(pl_director)
    response = client.post(
        reverse("web:family_enrolment_decide", args=[enrolment.pk]),
        {"decision": "approve", "decided_on": iso(TODAY), "assistant": pl_assistant.pk},
    )
    assert response.status_code == 409 and "the most allowed is 15" in response.content.decode()
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.assistant_id, enrolment.decided_on) == ("requested", None, None)
    assert not CaseShare.objects.filter(case=case, user=pl_assistant).exists()


# --- the family page: consents ---------------------------------------------------------------------------


def test_the_family_page_shows_its_sections_and_is_audited(client, pl_assistant, enrolment, mother, son):
    client.force_login(pl_assistant)
    response = client.get(page_url(enrolment))
    body = response.content.decode()
    assert response.status_code == 200
    for anchor in ("consents", "plan", "activities", "assessments", "closure"):
        assert f'id="{anchor}"' in body
    assert "Jan Nowak" in body
    event = AuditEvent.objects.filter(object_type="family_enrolment", object_id=enrolment.pk, action="view").last()
    further = AuditEventPerson.objects.filter(event=event).values_list("person_id", flat=True)
    named = {event.person_id, *further}
    assert {mother.pk, son.pk} <= named


def test_the_family_page_is_a_shell_loading_its_closed_sections(
    client, pl_assistant, pl_worker, enrolment, mother, django_assert_max_num_queries
):
    log_activity(pl_assistant, enrolment, on=TODAY, minutes=90, place="family_home", areas=["budgeting"])
    client.force_login(pl_assistant)
    body = client.get(page_url(enrolment)).content.decode()
    assert "Anna Nowak" in body and 'id="consent_person"' in body  # the family and consents, drawn open
    assert "90 minutes" not in body and 'id="activity_minutes"' not in body  # the log is not drawn ...
    section_url = reverse("web:family_section", args=[enrolment.pk, "activities"])
    assert f'hx-get="{section_url}" hx-trigger="revealed"' in body  # ... but loaded when revealed
    assert f'href="{page_url(enrolment)}?open=activities#activities"' in body  # or opened without JavaScript
    alone = client.get(section_url, **HTMX).content.decode()
    assert "90 minutes" in alone and 'id="activity_minutes"' in alone and "<html" not in alone
    opened = client.get(page_url(enrolment), {"open": "activities"}).content.decode()
    assert "90 minutes" in opened and "<html" in opened
    everything = client.get(page_url(enrolment), {"open": "all"}).content.decode()
    assert all(f'hx-get="{reverse("web:family_section", args=[enrolment.pk, n])}"' not in everything
               for n in ("consents", "plan", "activities", "assessments", "closure"))  # fmt: skip
    # A section loaded alone is a view of the family too, audited under its members.
    before = AuditEvent.objects.filter(object_type="family_enrolment", object_id=enrolment.pk, action="view").count()
    client.force_login(pl_worker)  # reads the case, does not work with the family: sees the sections
    response = client.get(section_url, **HTMX)
    assert response.status_code == 200 and "90 minutes" in response.content.decode()
    after = AuditEvent.objects.filter(object_type="family_enrolment", object_id=enrolment.pk, action="view").count()
    assert after == before + 1
    # The shell, and the page with the log open, cost the same whatever the number of activities.
    client.force_login(pl_assistant)

    def add(n):
        for day in range(n):
            log_activity(pl_assistant, enrolment, on=TODAY - dt.timedelta(days=day), minutes=30, place="office",
                         areas=["health"])  # fmt: skip

    add(25)
    with django_assert_max_num_queries(40) as shell:
        client.get(page_url(enrolment))
    with django_assert_max_num_queries(40) as with_log:
        client.get(page_url(enrolment), {"open": "activities"})
    add(25)
    with django_assert_max_num_queries(len(shell.captured_queries)):
        client.get(page_url(enrolment))
    with django_assert_max_num_queries(len(with_log.captured_queries)):
        client.get(page_url(enrolment), {"open": "activities"})


@pytest.mark.parametrize("name", ["nothing", "..", "consents%00"])
def test_unknown_sections_and_strangers_get_404(client, pl_centre, pl_assistant, enrolment, name):
    client.force_login(pl_assistant)
    assert client.get(f"/family/enrolments/{enrolment.pk}/sections/{name}/", **HTMX).status_code == 404
    assert client.get(page_url(enrolment), {"open": name}).status_code == 200
    client.force_login(UserFactory(centre=pl_centre, role="family_assistant", username="stranger"))  # not theirs
    for section in ("consents", "plan", "activities", "assessments", "closure"):
        url = reverse("web:family_section", args=[enrolment.pk, section])
        assert client.get(url, **HTMX).status_code == 404
        assert client.get(url).status_code == 404
    assert client.post(reverse("web:family_section", args=[enrolment.pk, "activities"])).status_code in (403, 405)


def test_a_consent_is_recorded_in_place_with_htmx(client, pl_assistant, enrolment, son):
    client.force_login(pl_assistant)
    url = reverse("web:family_consent_new", args=[enrolment.pk])
    response = client.post(url, {"person": son.pk, "given_on": iso(TODAY), "method": "oral"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and 'id="consents-notice"' in body and "<html" not in body
    assert enrolment.consents.filter(person=son, withdrawn_on__isnull=True).exists()


def test_a_second_live_consent_of_the_same_person_is_refused(client, pl_assistant, enrolment, mother):
    client.force_login(pl_assistant)
    url = reverse("web:family_consent_new", args=[enrolment.pk])
    response = client.post(url, {"person": mother.pk, "given_on": iso(TODAY), "method": "oral"}, **HTMX)
    assert response.status_code == 400 and "already recorded" in response.content.decode()
    assert enrolment.consents.count() == 1


def test_withdrawing_the_last_consent_closes_the_work(client, pl_assistant, enrolment):
    consent = enrolment.consents.get()
    client.force_login(pl_assistant)
    url = reverse("web:family_consent_withdraw", args=[consent.pk])
    response = client.post(url, {"withdrawn_on": iso(TODAY), "note": "The family refuses"})
    assert response.status_code == 302 and response["Location"].startswith(page_url(enrolment))
    enrolment.refresh_from_db()
    consent.refresh_from_db()
    assert consent.withdrawn_on == TODAY
    assert enrolment.status in ("monitoring", "closed") and enrolment.outcome == "consent_withdrawn"


# --- the work plan ---------------------------------------------------------------------------------------


def item_data(**extra):
    data = {
        "area": "budgeting", "goal": "Pay the rent on time", "action": "Monthly budget together",
        "responsible": "Anna Nowak", "due_on": iso(TODAY + dt.timedelta(days=3)), "expected_effect": "No arrears",
    }  # fmt: skip
    data.update(extra)
    return data


def test_the_draft_editor_adds_edits_removes_and_agrees(client, pl_assistant, pl_worker, enrolment, mother):
    client.force_login(pl_assistant)
    url = reverse("web:family_plan", args=[enrolment.pk])
    response = client.post(url, {"op": "add", **item_data()}, **HTMX)
    assert response.status_code == 200 and "Pay the rent on time" in response.content.decode()
    draft = WorkPlan.objects.get(enrolment=enrolment, status=WorkPlanStatus.DRAFT)
    client.post(url, {"op": "add", **item_data(goal="Second", area="school")}, **HTMX)
    first, second = draft.items.order_by("id")
    item_url = reverse("web:family_plan_item", args=[first.pk])
    client.post(item_url, {"op": "edit", **item_data(goal="Pay the rent and bills")}, **HTMX)
    client.post(reverse("web:family_plan_item", args=[second.pk]), {"op": "remove"}, **HTMX)
    assert list(draft.items.values_list("goal", flat=True)) == ["Pay the rent and bills"]
    agree = {"op": "agree", "agreed_on": iso(TODAY), "agreed_with": [mother.pk], "social_worker": pl_worker.pk}
    response = client.post(url, agree)
    assert response.status_code == 302 and response["Location"] == page_url(enrolment) + "?open=plan#plan"
    draft.refresh_from_db()
    assert draft.status == WorkPlanStatus.AGREED and draft.agreed_on == TODAY
    page = client.get(response["Location"]).content.decode()  # the page drawn with the plan open
    assert "Plan in force" in page and "Pay the rent and bills" in page


def test_agreeing_without_a_draft_is_refused(client, pl_assistant, pl_worker, enrolment, mother):
    client.force_login(pl_assistant)
    agree = {"op": "agree", "agreed_on": iso(TODAY), "agreed_with": [mother.pk], "social_worker": pl_worker.pk}
    response = client.post(reverse("web:family_plan", args=[enrolment.pk]), agree, **HTMX)
    assert response.status_code == 400 and "There is no draft to agree." in response.content.decode()
    assert not WorkPlan.objects.filter(enrolment=enrolment, status=WorkPlanStatus.AGREED).exists()


def test_an_agreed_item_moves_through_its_statuses(client, pl_assistant, pl_worker, enrolment, mother):
    from socius.family.support import agree_work_plan

    plan = draft_work_plan(pl_assistant, enrolment)
    item = add_plan_item(
        pl_assistant, plan, area="housing", goal="Repair", action="Call the landlord", responsible="assistant"
    )
    agree_work_plan(pl_assistant, plan, agreed_on=TODAY, agreed_with=[mother], social_worker=pl_worker)
    client.force_login(pl_assistant)
    url = reverse("web:family_plan_item", args=[item.pk])
    response = client.post(url, {"op": "status", "status": "done", "on": iso(TODAY)}, **HTMX)
    assert response.status_code == 200
    item.refresh_from_db()
    assert (item.status, item.done_on) == (PlanItemStatus.DONE, TODAY)


@pytest.mark.parametrize("op", ["", "nuke", "status"])
def test_unknown_or_invalid_plan_item_operations_write_nothing(client, pl_assistant, enrolment, op):
    plan = draft_work_plan(pl_assistant, enrolment)
    item = add_plan_item(pl_assistant, plan, area="housing", goal="Repair", action="Call", responsible="assistant")
    client.force_login(pl_assistant)
    response = client.post(reverse("web:family_plan_item", args=[item.pk]), {"op": op, "status": "bogus"})
    assert response.status_code in (400, 404, 409)
    item.refresh_from_db()
    assert item.status == PlanItemStatus.PLANNED and WorkPlanItem.objects.count() == 1


# --- the activity log ------------------------------------------------------------------------------------


def activity_data(mother, **extra):
    data = {
        "on": iso(TODAY), "minutes": "90", "place": "family_home", "areas": ["budgeting", "housekeeping"],
        "family_members": [mother.pk], "notes": "Budget plan for the month",
    }  # fmt: skip
    data.update(extra)
    return data


def test_an_activity_is_logged_and_listed(client, pl_assistant, enrolment, mother):
    client.force_login(pl_assistant)
    url = reverse("web:family_activities", args=[enrolment.pk])
    response = client.post(url, activity_data(mother), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "The activity is logged." in body
    assert "Budgeting, Housekeeping" in body and "90 minutes" in body
    activity = AssistantActivity.objects.get(enrolment=enrolment)
    assert (activity.minutes, activity.assistant_id, list(activity.family_members.all())) == (
        90,
        pl_assistant.pk,
        [mother],
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("minutes", "0"), ("minutes", "100000"), ("minutes", "1e3"), ("areas", ["nonsense"]), ("place", "moon"),
     ("on", "2025-13-45"), ("family_members", ["999999"])],
)  # fmt: skip
def test_bad_or_hostile_activity_input_is_refused_beside_the_field(
    client, pl_assistant, enrolment, mother, field, value
):
    client.force_login(pl_assistant)
    url = reverse("web:family_activities", args=[enrolment.pk])
    response = client.post(url, activity_data(mother, **{field: value}), **HTMX)
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="activities-refusal"' in body and f'id="activity_{field}-errors"' in body
    assert not AssistantActivity.objects.exists()


def test_a_family_member_outside_the_household_is_refused(client, pl_assistant, enrolment, mother, outsider):
    client.force_login(pl_assistant)
    url = reverse("web:family_activities", args=[enrolment.pk])
    response = client.post(url, activity_data(mother, family_members=[outsider.pk]))
    assert response.status_code == 400 and not AssistantActivity.objects.exists()


def test_the_activity_log_pages_older_entries(client, pl_assistant, enrolment, mother):
    for n in range(25):
        log_activity(
            pl_assistant, enrolment, on=TODAY - dt.timedelta(days=n), minutes=30 + n, place="office",
            areas=["health"],
        )  # fmt: skip
    client.force_login(pl_assistant)
    url = reverse("web:family_activities", args=[enrolment.pk])
    first = client.get(url, **HTMX).content.decode()
    assert "25 activities logged" in first and "Older activities" in first
    second = client.get(url, {"page": 2}, **HTMX).content.decode()
    assert "Page 2 of 2" in second and "54 minutes" in second and "30 minutes" not in second


# --- assessments and their PDF -----------------------------------------------------------------------------


def assessment_data(**extra):
    data = {
        "assessed_on": iso(TODAY), "period_from": iso(TODAY - dt.timedelta(days=30)), "period_until": iso(TODAY),
        "situation": "The family copes better with the budget", "recommendation": "Continue the work",
        "progress_budgeting": "Rent paid on time", "strengths": "Motivated mother",
    }  # fmt: skip
    data.update(extra)
    return data


def pdf_text(content: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_an_assessment_is_recorded_and_printed(client, pl_assistant, enrolment, tmp_path):
    client.force_login(pl_assistant)
    response = client.post(reverse("web:family_assessment_new", args=[enrolment.pk]), assessment_data())
    assert response.status_code == 302
    assessment = FamilyAssessment.objects.get(enrolment=enrolment)
    assert assessment.progress == {"budgeting": "Rent paid on time"} and not assessment.is_court_opinion
    response = client.get(reverse("web:family_assessment_pdf", args=[assessment.pk]), {"lang": "en"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "Assessment of the family's situation" in text
    assert "Anna Nowak" in text and "Rent paid on time" in text and "Continue the work" in text


def test_a_court_opinion_needs_the_court_and_prints_as_an_opinion(client, pl_assistant, enrolment, tmp_path):
    client.force_login(pl_assistant)
    url = reverse("web:family_assessment_new", args=[enrolment.pk])
    refused = client.post(url, assessment_data(is_court_opinion="on"), **HTMX)
    assert refused.status_code == 400 and "Name the court that asked for the opinion." in refused.content.decode()
    assert not FamilyAssessment.objects.exists()
    client.post(url, assessment_data(is_court_opinion="on", court_name="Sąd Rejonowy w Piotrkowie",
                                     court_reference="III Nsm 12/25"))  # fmt: skip
    opinion = FamilyAssessment.objects.get()
    text = pdf_text(
        client.get(reverse("web:family_assessment_pdf", args=[opinion.pk]), {"lang": "pl"}).content, tmp_path
    )
    assert "Sąd Rejonowy w Piotrkowie" in text and "III Nsm 12/25" in text and "Anna Nowak" in text


def test_a_period_ending_before_it_starts_is_refused(client, pl_assistant, enrolment):
    client.force_login(pl_assistant)
    data = assessment_data(period_from=iso(TODAY), period_until=iso(TODAY - dt.timedelta(days=5)))
    response = client.post(reverse("web:family_assessment_new", args=[enrolment.pk]), data, **HTMX)
    assert response.status_code == 400 and not FamilyAssessment.objects.exists()


# --- closure and monitoring ---------------------------------------------------------------------------------


def test_closing_the_work_starts_monitoring_then_it_ends(client, pl_assistant, enrolment):
    client.force_login(pl_assistant)
    response = client.post(
        reverse("web:family_close", args=[enrolment.pk]), {"closed_on": iso(TODAY), "outcome": "goals_achieved"}
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.outcome == "goals_achieved" and enrolment.closed_on == TODAY
    if enrolment.status == "monitoring":
        assert enrolment.monitoring_until is not None
        client.post(reverse("web:family_end_monitoring", args=[enrolment.pk]), {"ended_on": iso(TODAY)})
        enrolment.refresh_from_db()
    assert enrolment.status == "closed"
    # Closed: a second closing is refused (409) and changes nothing.
    again = client.post(
        reverse("web:family_close", args=[enrolment.pk]), {"closed_on": iso(TODAY), "outcome": "family_moved"}
    )
    enrolment.refresh_from_db()
    assert again.status_code == 409 and enrolment.outcome == "goals_achieved"


# --- the desk, the home card, the loads, the list, the timesheet ---------------------------------------------


def test_the_desk_shows_families_hours_and_the_load(client, pl_assistant, enrolment, mother, pl_worker):
    from socius.family.support import agree_work_plan

    log_activity(pl_assistant, enrolment, on=TODAY.replace(day=1), minutes=120, place="office", areas=["health"])
    plan = draft_work_plan(pl_assistant, enrolment)
    add_plan_item(pl_assistant, plan, area="school", goal="Homework routine", action="Daily check",
                  responsible="Anna Nowak", due_on=TODAY + dt.timedelta(days=2))  # fmt: skip
    agree_work_plan(pl_assistant, plan, agreed_on=TODAY, agreed_with=[mother], social_worker=pl_worker)
    client.force_login(pl_assistant)
    body = client.get(reverse("web:family_desk")).content.decode()
    assert "1 of 15 families" in body and "2.0 h" in body
    assert "Anna Nowak" in body and "Homework routine" in body
    home = client.get(reverse("web:home")).content.decode()
    assert 'id="family-work"' in home and "1 of 15 families" in home


def test_the_home_card_is_only_for_family_assistants(client, pl_worker):
    client.force_login(pl_worker)
    assert 'id="family-work"' not in client.get(reverse("web:home")).content.decode()


def test_team_leaders_see_the_loads_and_assistants_do_not(client, pl_teamlead, pl_assistant, enrolment):
    client.force_login(pl_teamlead)
    body = client.get(reverse("web:family_loads")).content.decode()
    assert "pl_assistant" in body or pl_assistant.get_full_name() in body
    assert "1 / 15" in body
    client.force_login(pl_assistant)
    assert client.get(reverse("web:family_loads")).status_code == 403


def test_the_list_searches_by_family_name_and_filters_by_status(client, pl_assistant, enrolment):
    client.force_login(pl_assistant)
    url = reverse("web:family_enrolments")
    assert "Nowak" in client.get(url, {"q": "Nowak"}).content.decode()
    assert "No family found." in client.get(url, {"q": "Zzyzx"}).content.decode()
    assert "No family found." in client.get(url, {"status": "closed"}).content.decode()
    assert client.get(url, {"status": "bogus"}).status_code == 200  # a junk filter is ignored, not an error


def test_the_timesheet_sums_the_month_and_prints(client, pl_assistant, enrolment, pl_teamlead, tmp_path):
    first = TODAY.replace(day=1)
    log_activity(pl_assistant, enrolment, on=first, minutes=45, place="family_home", areas=["health"])
    log_activity(pl_assistant, enrolment, on=first, minutes=15, place="office", areas=["school"])
    client.force_login(pl_assistant)
    month = first.strftime("%Y-%m")
    body = client.get(reverse("web:family_timesheet"), {"month": month}).content.decode()
    assert "1.0 h in total" in body and "The family&#x27;s home" in body
    bad = client.get(reverse("web:family_timesheet"), {"month": "2025-99"})
    assert bad.status_code == 400
    response = client.get(reverse("web:family_timesheet_pdf"), {"month": month, "lang": "en"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "Timesheet of the family assistant" in text and "60" in text
    # A team leader may ask for any assistant of the centre, and for all of them at once.
    client.force_login(pl_teamlead)
    assert (
        client.get(reverse("web:family_timesheet"), {"month": month, "assistant": pl_assistant.pk}).status_code == 200
    )
    assert "1.0 h in total" in client.get(reverse("web:family_timesheet"), {"month": month}).content.decode()


def test_all_assistants_timesheets_show_the_sums_and_link_to_the_entries(
    client, pl_assistant, enrolment, pl_teamlead, tmp_path
):
    first = TODAY.replace(day=1)
    log_activity(pl_assistant, enrolment, on=first, minutes=45, place="family_home", areas=["health"])
    log_activity(pl_assistant, enrolment, on=first, minutes=16, place="office", areas=["school", "leisure"])
    client.force_login(pl_teamlead)
    month = first.strftime("%Y-%m")
    body = client.get(reverse("web:family_timesheet"), {"month": month}).content.decode()
    assert "Minutes per family" in body and "Anna Nowak" in body and ">61<" in body
    assert "The family&#x27;s home" not in body  # the entries are in the assistant's own sheet
    detail = f"?month={month}&amp;assistant={pl_assistant.pk}"
    assert detail in body
    one = client.get(reverse("web:family_timesheet"), {"month": month, "assistant": pl_assistant.pk})
    assert "The family&#x27;s home" in one.content.decode()
    response = client.get(reverse("web:family_timesheet_pdf"), {"month": month, "lang": "en"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "Minutes per family" in text and "Anna Nowak" in text and "61" in text


def test_an_assistant_sees_only_their_own_timesheet(client, pl_centre, pl_assistant, enrolment):
    other = UserFactory(centre=pl_centre, role="family_assistant", username="other_assistant")
    client.force_login(other)
    body = client.get(reverse("web:family_timesheet"), {"assistant": pl_assistant.pk}).content.decode()
    assert "pl_assistant" not in body  # the assistant field is not offered: it is ignored


# --- who may see what ------------------------------------------------------------------------------------


def test_staff_who_do_not_read_the_case_get_404(client, pl_centre, enrolment, pl_worker2, md_worker):
    for user in (pl_worker2, md_worker):
        client.force_login(user)
        assert client.get(page_url(enrolment)).status_code == 404
        assert client.get(reverse("web:family_activities", args=[enrolment.pk])).status_code == 404


def test_finance_may_not_use_the_family_pages(client, pl_finance, enrolment):
    client.force_login(pl_finance)
    assert client.get(reverse("web:family_desk")).status_code == 403
    assert client.get(reverse("web:family_activities", args=[enrolment.pk])).status_code == 403


def test_a_reader_who_may_not_work_sees_no_forms_and_writes_are_refused(
    client, pl_centre, pl_worker2, family_team, enrolment, mother
):
    # The case shared with another worker: they read it, but the work is the assistant's and the case worker's.
    CaseShare.objects.create(case=enrolment.case, user=pl_worker2)
    client.force_login(pl_worker2)
    body = client.get(page_url(enrolment)).content.decode()
    assert "Log the activity" not in body
    response = client.post(reverse("web:family_activities", args=[enrolment.pk]), activity_data(mother))
    assert response.status_code == 403 and not AssistantActivity.objects.exists()


def test_the_family_page_costs_the_same_queries_whatever_the_log(
    client, pl_assistant, enrolment, django_assert_max_num_queries
):
    client.force_login(pl_assistant)
    for n in range(3):
        log_activity(pl_assistant, enrolment, on=TODAY, minutes=10 + n, place="office", areas=["health"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(page_url(enrolment))
    for n in range(30):
        log_activity(pl_assistant, enrolment, on=TODAY, minutes=20 + n, place="office", areas=["health"])
    with CaptureQueriesContext(connection) as many:
        client.get(page_url(enrolment))
    assert len(many) == len(few)
    with django_assert_max_num_queries(45):
        client.get(page_url(enrolment))
