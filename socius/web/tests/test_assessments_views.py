"""UI: the environmental interview — the case page's "Interviews" section, starting one, the page drawn from
the instrument by section (typed inputs), save draft, complete with the missing mandatory fields listed,
sign, the printable view; 400/403/404/409 and nothing written on refusals."""

import datetime as dt

import pytest
from django.urls import reverse

from socius.accounts.models import AuditEvent
from socius.assessments.models import Assessment, AssessmentEvent, AssessmentStatus
from socius.assessments.services import complete_assessment, save_draft, start_assessment
from socius.casework.tests.factories import CaseFactory
from socius.testing.factories import PersonFactory, TeamFactory

OPEN_ALL = {"open": "all"}  # the case page with every section drawn (they load lazily otherwise)

D = dt.date

ANSWERS = {
    "I_A__applicant_name": "Anna Nowak",
    "I_A__address": "ul. Lipowa 7",
    "I_A__interview_date": "2025-04-16",
    "I_A__household_size": "3",
    "I_A__family_members": "Anna, Jan, Ewa",
    "I_H__needs_expectations": "Opał.",
    "I_I__diagnosis": "Ubóstwo.",
    "I_I__worker_conclusions": "Zasiłek celowy.",
    "I_J__help_plan": "Zasiłek celowy; praca socjalna.",
}


@pytest.fixture
def family_team(pl_centre, pl_worker, pl_worker2, pl_teamlead):
    team = TeamFactory(centre=pl_centre, problem_group="family", name="Family")
    team.members.add(pl_worker, pl_worker2, pl_teamlead)
    return team


@pytest.fixture
def case(pl_centre, pl_worker, family_team):
    person = PersonFactory(centre=pl_centre, first_name="Anna", last_name="Nowak")
    return CaseFactory(centre=pl_centre, person=person, household=None, assigned_worker=pl_worker, team=family_team)


@pytest.fixture
def draft(pl_worker, case):
    return start_assessment(pl_worker, case.pk, kind="initial", need_identified_on=D(2025, 4, 14))


def login(client, user):
    client.force_login(user)
    return client


def state():
    return (
        sorted(Assessment.objects.values_list("pk", "status", "answers", "completed_on", "signed_on")),
        AssessmentEvent.objects.count(),
        AuditEvent.objects.exclude(action="view").count(),
    )


def test_case_page_lists_interviews_with_overdue_flag_and_start_form(client, pl_worker, case, draft):
    response = login(client, pl_worker).get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="interviews"' in html and f'id="assessment-{draft.pk}"' in html
    assert "overdue" in html  # due in April 2025, still a draft
    assert reverse("web:assessment_start", args=[case.pk]) in html


def test_case_page_query_count_is_bounded(client, pl_worker, case, django_assert_max_num_queries):
    for _ in range(4):
        start_assessment(pl_worker, case.pk, kind="initial", need_identified_on=D(2025, 4, 14))
    login(client, pl_worker)
    with django_assert_max_num_queries(60):
        first = client.get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL)
    assert first.status_code == 200
    for _ in range(4):
        start_assessment(pl_worker, case.pk, kind="initial", need_identified_on=D(2025, 4, 14))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL)
    for _ in range(4):
        start_assessment(pl_worker, case.pk, kind="initial", need_identified_on=D(2025, 4, 14))
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL)
    assert len(more) == len(few)


def test_start_an_interview(client, pl_worker, case):
    response = login(client, pl_worker).post(
        reverse("web:assessment_start", args=[case.pk]),
        {"kind": "initial", "need_identified_on": "2025-04-14", "urgent": "on"},
    )
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and response.url == reverse("web:assessment_detail", args=[assessment.pk])
    assert assessment.urgent and assessment.due_on is not None


def test_start_with_bad_input_is_400_and_writes_nothing(client, pl_worker, case):
    login(client, pl_worker)
    before = state()
    response = client.post(reverse("web:assessment_start", args=[case.pk]), {"kind": "x", "need_identified_on": ""})
    assert response.status_code == 400
    response = client.post(
        reverse("web:assessment_start", args=[case.pk]), {"kind": "initial", "need_identified_on": "2999-01-01"}
    )
    assert response.status_code == 400 and "future" in response.content.decode()
    assert state() == before


def test_page_renders_the_instrument_by_section_with_typed_inputs(client, pl_worker, draft):
    response = login(client, pl_worker).get(reverse("web:assessment_detail", args=[draft.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="section-I_A"' in html and 'id="section-I_J"' in html
    assert html.count('class="badge mandatory"') == 4  # A, H, I, J for an initial interview
    assert 'type="text" name="I_A__interview_date"' in html and 'placeholder="dd/mm/yyyy"' in html
    assert 'type="number" name="I_A__household_size"' in html
    assert '<textarea name="I_A__family_members"' in html
    assert 'type="checkbox" name="I_D__debts"' in html
    assert '<select name="I_B__occupational_status"' in html
    assert 'name="I_C__amenities"' in html and 'type="checkbox" name="I_C__amenities"' in html
    assert 'value="draft"' in html and 'value="complete"' in html
    assert AuditEvent.objects.filter(action="view", object_type="assessment", object_id=str(draft.pk)).exists()


def test_save_partial_draft_then_complete_lists_missing_then_sign(client, pl_worker, draft):
    login(client, pl_worker)
    save = reverse("web:assessment_save", args=[draft.pk])
    response = client.post(save, {"action": "draft", "I_A__household_size": "3", "I_D__monthly_income": "1234.50"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.answers["I_A"] == {"household_size": 3}
    assert draft.answers["I_D"]["monthly_income"] == "1234.50"

    before = state()
    response = client.post(save, {"action": "complete", "completed_on": "2025-04-16", "I_A__household_size": "3"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="missing"' in html and "missing-note" in html
    assert Assessment.objects.get(pk=draft.pk).status == AssessmentStatus.DRAFT
    assert state() == before

    response = client.post(save, {"action": "complete", "completed_on": "2025-04-16", **ANSWERS})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.COMPLETED and draft.completed_on == D(2025, 4, 16)

    response = client.post(reverse("web:assessment_sign", args=[draft.pk]), {"signed_on": "2025-04-17"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.SIGNED and draft.signed_on == D(2025, 4, 17)

    page = client.get(reverse("web:assessment_detail", args=[draft.pk])).content.decode()
    assert 'value="complete"' not in page
    # A signed interview reads as a document: questions and answers as text, no inputs, no hints.
    answers = page[page.index('id="section-I_A"') :]
    assert "<input" not in answers and "<textarea" not in answers and "<select" not in answers
    assert "disabled" not in page and "Required to complete the interview." not in page
    assert '<dd class="answer" dir="auto">3</dd>' in page


def test_bad_value_is_400_and_writes_nothing(client, pl_worker, draft):
    login(client, pl_worker)
    before = state()
    response = client.post(
        reverse("web:assessment_save", args=[draft.pk]),
        {"action": "draft", "I_A__household_size": "many", "I_A__applicant_name": "Anna"},
    )
    assert response.status_code == 400
    assert state() == before


def test_invalid_moves_are_409(client, pl_worker, draft):
    login(client, pl_worker)
    before = state()
    response = client.post(reverse("web:assessment_sign", args=[draft.pk]), {"signed_on": "2025-04-17"})
    assert response.status_code == 409
    assert state() == before
    save_draft(pl_worker, draft.pk, {k.split("__")[0]: {} for k in ANSWERS})
    answers = {}
    for key, value in ANSWERS.items():
        section, field = key.split("__")
        answers.setdefault(section, {})[field] = int(value) if field == "household_size" else value
    save_draft(pl_worker, draft.pk, answers)
    complete_assessment(pl_worker, draft.pk, on=D(2025, 4, 16))
    before = state()
    response = client.post(reverse("web:assessment_save", args=[draft.pk]), {"action": "draft", **ANSWERS})
    assert response.status_code == 409
    assert state() == before


def test_sign_with_bad_date_is_400(client, pl_worker, draft):
    response = login(client, pl_worker).post(reverse("web:assessment_sign", args=[draft.pk]), {"signed_on": "x"})
    assert response.status_code == 400


def test_printable_view(client, pl_worker, draft):
    save_draft(pl_worker, draft.pk, {"I_A": {"applicant_name": "Anna Nowak"}, "I_D": {"debts": True}})
    response = login(client, pl_worker).get(reverse("web:assessment_print", args=[draft.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "@media print" in html and "Anna Nowak" in html and "<form" not in html


def test_other_worker_403_other_centre_404(client, pl_worker2, md_worker, case, draft):
    before = state()
    login(client, pl_worker2)
    assert client.get(reverse("web:assessment_detail", args=[draft.pk])).status_code == 403
    assert client.get(reverse("web:assessment_print", args=[draft.pk])).status_code == 403
    assert client.post(reverse("web:assessment_save", args=[draft.pk]), {"action": "draft"}).status_code == 403
    assert (
        client.post(
            reverse("web:assessment_start", args=[case.pk]), {"kind": "initial", "need_identified_on": "2025-04-14"}
        ).status_code
        == 403
    )
    login(client, md_worker)
    assert client.get(reverse("web:assessment_detail", args=[draft.pk])).status_code == 404
    assert client.post(reverse("web:assessment_sign", args=[draft.pk]), {"signed_on": "2025-04-17"}).status_code == 404
    assert state() == before


def test_finance_officer_reads_nothing_and_cannot_post(client, pl_finance, draft):
    login(client, pl_finance)
    assert client.post(reverse("web:assessment_save", args=[draft.pk]), {"action": "draft"}).status_code == 403


def test_team_leader_reads_but_page_is_read_only_when_case_closed(client, pl_teamlead, draft):
    response = login(client, pl_teamlead).get(reverse("web:assessment_detail", args=[draft.pk]))
    assert response.status_code == 200


def test_get_on_post_views_is_refused(client, pl_worker, draft, case):
    login(client, pl_worker)
    assert client.get(reverse("web:assessment_save", args=[draft.pk])).status_code == 405
    assert client.get(reverse("web:assessment_start", args=[case.pk])).status_code == 405


def test_a_plan_made_in_the_ui_on_a_ui_interview_shows_its_diagnosis_and_conclusions(
    client, pl_worker, case, monkeypatch
):
    """Review finding #2: the interview filled in through the page, then a plan "based on the interview"
    made through the page: the plan and its PDF show the diagnosis and the conclusions, not dashes."""
    import socius.web.pdf as pdf
    from socius.plans.models import HelpPlan

    login(client, pl_worker)
    client.post(
        reverse("web:assessment_start", args=[case.pk]), {"kind": "initial", "need_identified_on": "2025-04-14"}
    )
    interview = Assessment.objects.get(case=case)
    answers = {**ANSWERS, "I_I__diagnosis": "Ubóstwo i bezrobocie.", "I_I__worker_conclusions": "Kontrakt socjalny."}
    save = client.post(
        reverse("web:assessment_save", args=[interview.pk]),
        {"action": "complete", "completed_on": "2025-04-16", **answers},
    )
    assert save.status_code == 302
    response = client.post(
        reverse("web:case_plan_create", args=[case.pk]),
        {"title": "Powrót do pracy", "valid_from": "2025-04-20", "assessment": interview.pk},
        follow=True,
    )
    plan = HelpPlan.objects.get(case=case)
    assert plan.assessment_id == interview.pk
    html = response.content.decode()
    basis = html[html.index('id="h-basis"') :]
    assert "Ubóstwo i bezrobocie." in basis and "Kontrakt socjalny." in basis

    rendered = []
    real = pdf.render_to_string
    monkeypatch.setattr(pdf, "render_to_string", lambda *a, **k: rendered.append(real(*a, **k)) or rendered[-1])
    assert client.get(reverse("web:plan_pdf", args=[plan.pk])).status_code == 200
    assert "Ubóstwo i bezrobocie." in rendered[0] and "Kontrakt socjalny." in rendered[0]


def test_the_interview_page_starts_with_the_registrys_facts(client, pl_worker, case):
    login(client, pl_worker)
    client.post(
        reverse("web:assessment_start", args=[case.pk]), {"kind": "initial", "need_identified_on": "2025-04-14"}
    )
    page = client.get(reverse("web:assessment_detail", args=[Assessment.objects.get(case=case).pk])).content.decode()
    assert 'name="I_A__applicant_name" value="Anna Nowak"' in page
    assert 'name="I_A__household_size" value="1"' in page


def test_the_printable_completed_interview_has_no_required_hints(client, pl_worker, draft):
    login(client, pl_worker)
    url = reverse("web:assessment_print", args=[draft.pk])
    assert "(mandatory)" in client.get(url).content.decode()  # a draft still says what is missing
    client.post(
        reverse("web:assessment_save", args=[draft.pk]), {"action": "complete", "completed_on": "2025-04-16", **ANSWERS}
    )
    assert Assessment.objects.get(pk=draft.pk).status == AssessmentStatus.COMPLETED
    html = client.get(url).content.decode()
    assert "(mandatory)" not in html and "<input" not in html and '<dd dir="auto">Ubóstwo.</dd>' in html
