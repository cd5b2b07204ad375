"""Partner directory and a case's referrals in the UI: forms, errors, status buttons from the map, 403/404/409."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from socius.accounts.models import AuditEvent
from socius.casework.models import Partner, PartnerKind, Referral
from socius.casework.statuses import CaseStatus, ReferralStatus
from socius.casework.tests.factories import CaseFactory
from socius.casework.tests.factories_referrals import PartnerFactory, ReferralFactory
from socius.testing.factories import TeamFactory

OPEN_ALL = {"open": "all"}  # the case page with every section drawn (they load lazily otherwise)


@pytest.fixture
def family_team(pl_centre, pl_worker, pl_worker2, pl_teamlead):
    team = TeamFactory(centre=pl_centre, problem_group="family", name="Family")
    team.members.add(pl_worker, pl_worker2, pl_teamlead)
    return team


@pytest.fixture
def case(pl_centre, pl_worker, family_team):
    return CaseFactory(centre=pl_centre, assigned_worker=pl_worker, team=family_team)


@pytest.fixture
def school(pl_centre):
    return PartnerFactory(centre=pl_centre, name="Szkoła Podstawowa nr 1")


def login(client, user):
    client.force_login(user)
    return client


def partner_post(**overrides):
    data = {"name": "Komenda Powiatowa Policji", "kind": "police", "phone": "997", "email": "", "is_active": "on"}
    data.update(overrides)
    return data


# --- partners -------------------------------------------------------------------------------------


def test_directory_is_readable_by_finance_without_edit_links(client, pl_finance, school, pl_centre):
    PartnerFactory(centre=pl_centre, name="Old partner", is_active=False)
    html = login(client, pl_finance).get(reverse("web:partner_list")).content.decode()
    assert "Szkoła Podstawowa nr 1" in html and "Old partner" not in html
    assert reverse("web:partner_create") not in html
    assert reverse("web:partner_edit", args=[school.pk]) not in html


def test_directory_filters_inactive_and_kind(client, pl_worker, school, pl_centre):
    PartnerFactory(centre=pl_centre, name="Old partner", is_active=False, kind=PartnerKind.NGO)
    html = login(client, pl_worker).get(reverse("web:partner_list"), {"status": "inactive"}).content.decode()
    assert "Old partner" in html and "Szkoła Podstawowa nr 1" not in html
    html = client.get(reverse("web:partner_list"), {"status": "all", "kind": "school"}).content.decode()
    assert "Szkoła Podstawowa nr 1" in html and "Old partner" not in html
    assert reverse("web:partner_edit", args=[school.pk]) in html


def test_worker_adds_a_partner(client, pl_worker):
    response = login(client, pl_worker).post(reverse("web:partner_create"), partner_post())
    assert response.status_code == 302 and response["Location"] == reverse("web:partner_list")
    partner = Partner.objects.get()
    assert (partner.name, partner.kind, partner.phone, partner.is_active) == (
        "Komenda Powiatowa Policji",
        "police",
        "997",
        True,
    )


def test_duplicate_partner_name_is_a_field_error(client, pl_worker, pl_centre):
    PartnerFactory(centre=pl_centre, name="Komenda Powiatowa Policji")
    response = login(client, pl_worker).post(
        reverse("web:partner_create"), partner_post(name="KOMENDA powiatowa policji")
    )
    assert response.status_code == 400
    assert "Your centre already has a partner institution with this name." in response.content.decode()
    assert Partner.objects.count() == 1


def test_missing_kind_is_a_field_error(client, pl_worker):
    response = login(client, pl_worker).post(reverse("web:partner_create"), partner_post(kind=""))
    assert response.status_code == 400
    assert "Choose the kind of institution." in response.content.decode()
    assert not Partner.objects.exists()


def test_edit_deactivates_a_partner(client, pl_worker, school):
    login(client, pl_worker)
    html = client.get(reverse("web:partner_edit", args=[school.pk])).content.decode()
    assert 'value="Szkoła Podstawowa nr 1"' in html
    response = client.post(reverse("web:partner_edit", args=[school.pk]), {"name": school.name, "kind": "school"})
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.is_active is False


@pytest.mark.parametrize("persona", ["pl_finance", "pl_auditor"], indirect=True)
def test_those_who_do_no_casework_may_not_write_partners(client, persona, school):
    login(client, persona)
    assert client.get(reverse("web:partner_create")).status_code == 403
    assert client.post(reverse("web:partner_create"), partner_post()).status_code == 403
    assert client.post(reverse("web:partner_edit", args=[school.pk]), partner_post()).status_code == 403
    assert Partner.objects.count() == 1


def test_another_centres_partner_is_404(client, md_worker, school):
    assert login(client, md_worker).get(reverse("web:partner_edit", args=[school.pk])).status_code == 404


def test_nav_links_to_partners(client, pl_finance):
    html = login(client, pl_finance).get(reverse("web:case_list")).content.decode()
    assert f'href="{reverse("web:partner_list")}"' in html


# --- referrals on the case page ------------------------------------------------------------------


def test_case_page_shows_referrals_to_content_readers_only(client, case, school, pl_worker, pl_worker2, pl_finance):
    ReferralFactory(case=case, partner=school)
    url = reverse("web:case_detail", args=[case.pk])
    assert 'id="referrals"' in login(client, pl_worker).get(url).content.decode()
    for user in (pl_worker2, pl_finance):
        html = login(client, user).get(url).content.decode()
        assert 'id="referrals"' not in html and "Szkoła Podstawowa nr 1" not in html


def test_referrals_section_shows_overdue_flag_and_buttons_from_the_map(client, case, school, pl_worker):
    overdue = ReferralFactory(case=case, partner=school, response_due_on=timezone.localdate() - dt.timedelta(days=1))
    answered = ReferralFactory(
        case=case,
        partner=school,
        status=ReferralStatus.ANSWERED,
        outcome="Attendance improved",
        answered_on=dt.date(2025, 2, 10),
    )
    with CaptureQueriesContext(connection) as queries:
        response = login(client, pl_worker).get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="badge warn overdue"') == 1
    for action in ("acknowledge", "answer", "close"):
        assert reverse(f"web:referral_{action}", args=[overdue.pk]) in html
    assert reverse("web:referral_close", args=[answered.pk]) in html
    assert reverse("web:referral_answer", args=[answered.pk]) not in html
    assert reverse("web:referral_acknowledge", args=[answered.pk]) not in html
    assert reverse("web:case_referral_create", args=[case.pk]) in html
    assert "Attendance improved" in html
    assert "Szkoła Podstawowa nr 1 (School)" in html  # the partner choice in the form
    assert AuditEvent.objects.filter(action="view", object_type="case", object_id=case.pk).count() == 1
    referral_queries = [q for q in queries.captured_queries if '"casework_referral"' in q["sql"]]
    assert len(referral_queries) == 1  # one query for the section, whatever the number of referrals


def test_timeline_describes_referral_events(client, case, school, pl_worker):
    login(client, pl_worker).post(reverse("web:case_referral_create", args=[case.pk]), referral_post(school))
    referral = Referral.objects.get()
    client.post(
        reverse("web:referral_answer", args=[referral.pk]), {"outcome": "Pedagogue involved", "on": "2025-02-10"}
    )
    html = client.get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).content.decode()
    assert "Referral sent" in html and "Referral status changed" in html
    assert "Partner institution: Szkoła Podstawowa nr 1" in html
    assert "Sent → Answered" in html and "Outcome: Pedagogue involved" in html


def test_closed_case_shows_referrals_without_buttons(client, pl_centre, pl_worker, family_team, school):
    case = CaseFactory(
        centre=pl_centre,
        assigned_worker=pl_worker,
        team=family_team,
        status=CaseStatus.CLOSED,
        closure_reason="goals_achieved",
        closed_on=dt.date(2025, 2, 1),
    )
    referral = ReferralFactory(case=case, partner=school)
    html = login(client, pl_worker).get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).content.decode()
    assert f'id="referral-{referral.pk}"' in html
    assert reverse("web:referral_close", args=[referral.pk]) not in html
    assert reverse("web:case_referral_create", args=[case.pk]) not in html


# --- creating and moving -------------------------------------------------------------------------


def referral_post(partner, **overrides):
    data = {
        "direction": "outgoing",
        "partner": partner.pk,
        "reason": "Frequent absences",
        "documents": "Letter\nInterview copy",
        "sent_on": "2025-02-03",
        "response_due_on": "",
    }
    data.update(overrides)
    return data


def test_new_referral_is_recorded_with_the_default_due_date(client, case, school, pl_worker):
    response = login(client, pl_worker).post(reverse("web:case_referral_create", args=[case.pk]), referral_post(school))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:case_detail", args=[case.pk]) + "?open=referrals#referrals"
    referral = Referral.objects.get()
    assert (referral.response_due_on, referral.documents, referral.created_by) == (
        dt.date(2025, 2, 17),
        ["Letter", "Interview copy"],
        pl_worker,
    )


def test_due_date_before_sending_is_a_field_error_and_writes_nothing(client, case, school, pl_worker):
    response = login(client, pl_worker).post(
        reverse("web:case_referral_create", args=[case.pk]), referral_post(school, response_due_on="2025-02-01")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The response cannot be due before the referral was sent." in html
    assert 'id="referral_response_due_on-errors"' in html
    assert not Referral.objects.exists()


def test_inactive_partner_is_refused(client, case, pl_centre, pl_worker):
    old = PartnerFactory(centre=pl_centre, is_active=False)
    response = login(client, pl_worker).post(reverse("web:case_referral_create", args=[case.pk]), referral_post(old))
    assert response.status_code == 400
    assert "Choose an active partner institution of your centre." in response.content.decode()
    assert not Referral.objects.exists()


def test_closed_case_refuses_a_referral_with_409(client, pl_centre, pl_worker, family_team, school):
    case = CaseFactory(
        centre=pl_centre,
        assigned_worker=pl_worker,
        team=family_team,
        status=CaseStatus.CLOSED,
        closure_reason="goals_achieved",
        closed_on=dt.date(2025, 2, 1),
    )
    response = login(client, pl_worker).post(reverse("web:case_referral_create", args=[case.pk]), referral_post(school))
    assert response.status_code == 409
    assert not Referral.objects.exists()


def test_colleague_without_access_gets_403(client, case, school, pl_worker2):
    response = login(client, pl_worker2).post(
        reverse("web:case_referral_create", args=[case.pk]), referral_post(school)
    )
    assert response.status_code == 403
    assert not Referral.objects.exists()


def test_acknowledge_then_answer_then_close(client, case, school, pl_worker):
    referral = ReferralFactory(case=case, partner=school)
    login(client, pl_worker)
    assert client.post(reverse("web:referral_acknowledge", args=[referral.pk])).status_code == 302
    response = client.post(
        reverse("web:referral_answer", args=[referral.pk]), {"outcome": "Will watch attendance", "on": "2025-02-10"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.answered_on, referral.outcome) == (
        "answered",
        dt.date(2025, 2, 10),
        "Will watch attendance",
    )
    assert client.post(reverse("web:referral_close", args=[referral.pk]), {"outcome": ""}).status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("closed", "Will watch attendance")


def test_answer_without_outcome_is_a_field_error(client, case, school, pl_worker):
    referral = ReferralFactory(case=case, partner=school)
    response = login(client, pl_worker).post(reverse("web:referral_answer", args=[referral.pk]), {"outcome": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Describe the outcome." in html and f'id="r{referral.pk}_answer_outcome-errors"' in html
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_invalid_move_is_409_with_the_reason_and_changes_nothing(client, case, school, pl_worker):
    referral = ReferralFactory(
        case=case, partner=school, status=ReferralStatus.ANSWERED, outcome="Done", answered_on=dt.date(2025, 2, 10)
    )
    response = login(client, pl_worker).post(reverse("web:referral_acknowledge", args=[referral.pk]))
    assert response.status_code == 409
    assert "A referral cannot move from “Answered” to “Acknowledged”." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ANSWERED


def test_moves_are_post_only_and_scoped(client, case, school, pl_worker, md_worker, pl_finance):
    referral = ReferralFactory(case=case, partner=school)
    assert login(client, pl_worker).get(reverse("web:referral_acknowledge", args=[referral.pk])).status_code == 405
    assert login(client, md_worker).post(reverse("web:referral_acknowledge", args=[referral.pk])).status_code == 404
    assert login(client, pl_finance).post(reverse("web:referral_acknowledge", args=[referral.pk])).status_code == 403
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
