"""The benefit pages: an application with its incomes, the proposal and its trace, four eyes in the queue,
the decision with its changes, the decision PDF, the household's benefits, and the audit of every read."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from socius.accounts.audit import persons_of_events
from socius.accounts.models import AuditEvent
from socius.benefits import services
from socius.benefits.models import Application, Decision
from socius.benefits.tests import conftest as core
from socius.web.tests.test_pdf_views import pdf_text

toy_pack = core.toy_pack
family_team = core.family_team
household = core.household
mother = core.mother
son = core.son
case = core.case
interview = core.interview
recent_interview = core.recent_interview


def month_before(day: dt.date) -> dt.date:
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def application(pl_worker, case, mother, son, today):
    application = services.file_application(pl_worker, case.pk, {"benefit": "pl.toy_allowance", "applied_on": today})
    services.declare_incomes(
        pl_worker,
        application.pk,
        [{"person": mother.pk, "month": month_before(today), "kind": "employment", "amount": "1000.00"}],
    )
    return application


@pytest.fixture
def proposal(pl_worker, application, recent_interview):
    return services.propose_decision(
        pl_worker, application.pk, {"payment_method": "bank_transfer", "iban": core.PL_IBAN}
    )


def named(event) -> set[int]:
    return set(persons_of_events([event])[event.pk])


def views_of(object_type, object_id=None):
    rows = AuditEvent.objects.filter(action="view", object_type=object_type)
    return rows.filter(object_id=object_id) if object_id else rows


def test_a_worker_files_an_application_with_its_documents_and_lands_on_the_income_table(
    client, pl_worker, case, mother, today
):
    client.force_login(pl_worker)
    url = reverse("web:benefit_application_new", args=[case.pk])
    assert "Toy allowance" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    page = client.get(url, {"benefit": "pl.toy_allowance"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Income statement" in page and "Medical certificate" in page
    response = client.post(
        url,
        {
            "benefit": "pl.toy_allowance",
            "applied_on": today.strftime("%d/%m/%Y"),
            "applicant": mother.pk,
            "documents": ["income_statement"],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:benefit_application", args=[application.pk]) + "#incomes"
    assert application.documents == {"income_statement": True, "medical_certificate": False}


def test_a_bad_application_is_refused_beside_its_field_and_nothing_is_filed(client, pl_worker, case, mother):
    client.force_login(pl_worker)
    url = reverse("web:benefit_application_new", args=[case.pk])
    response = client.post(
        url,
        {"benefit": "pl.toy_allowance", "applied_on": "31/02/2025", "applicant": mother.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert 'href="#app_applied_on"' in response.content.decode()
    assert not Application.objects.exists()


def test_the_income_table_saves_per_member_per_month_and_the_read_is_audited(
    client, pl_worker, application, mother, son, today
):
    client.force_login(pl_worker)
    url = reverse("web:benefit_application", args=[application.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Anna Nowak" in html and 'name="incomes-TOTAL_FORMS" value="1"' in html
    event = views_of("benefit_application", application.pk).get()
    assert named(event) == {mother.pk, son.pk}
    month = month_before(today).strftime("%d/%m/%Y")
    data = {
        "action": "save",
        "incomes-TOTAL_FORMS": "2",
        "incomes-INITIAL_FORMS": "0",
        "incomes-0-person": mother.pk,
        "incomes-0-month": month,
        "incomes-0-kind": "employment",
        "incomes-0-amount": "900.50",
        "incomes-0-deductions": "0",
        "incomes-1-person": son.pk,
        "incomes-1-month": month,
        "incomes-1-kind": "alimony",
        "incomes-1-amount": "300",
        "incomes-1-deductions": "",
    }
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    rows = sorted((r.person_id, r.kind, str(r.amount)) for r in application.incomes.all())
    assert rows == sorted([(mother.pk, "employment", "900.50"), (son.pk, "alimony", "300.00")])


def test_a_bad_income_row_is_refused_beside_it_and_the_declaration_is_unchanged(client, pl_worker, application, mother):
    client.force_login(pl_worker)
    url = reverse("web:benefit_application", args=[application.pk])
    data = {
        "action": "save",
        "incomes-TOTAL_FORMS": "1",
        "incomes-INITIAL_FORMS": "0",
        "incomes-0-person": mother.pk,
        "incomes-0-month": "13/13/2025",
        "incomes-0-kind": "employment",
        "incomes-0-amount": "-5",
    }
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_incomes-0-month"' in html and 'href="#id_incomes-0-amount"' in html
    assert [str(r.amount) for r in application.incomes.all()] == ["1000.00"]


def test_income_rows_are_added_without_javascript_and_with_htmx(client, pl_worker, application, mother):
    client.force_login(pl_worker)
    url = reverse("web:benefit_application", args=[application.pk])
    data = {
        "action": "add",
        "incomes-TOTAL_FORMS": "1",
        "incomes-INITIAL_FORMS": "0",
        "incomes-0-person": mother.pk,
        "incomes-0-month": "01/11/2026",
        "incomes-0-kind": "pension",
        "incomes-0-amount": "12",
    }
    html = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="incomes-TOTAL_FORMS" value="2"' in html and "<html" in html
    html = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en", HTTP_HX_REQUEST="true").content.decode()
    assert 'name="incomes-TOTAL_FORMS" value="2"' in html and "<html" not in html and "autofocus" in html
    assert application.incomes.count() == 1  # drawing rows saves nothing


def test_the_proposal_shows_the_trace_and_is_submitted_for_approval(
    client, pl_worker, application, recent_interview, today
):
    client.force_login(pl_worker)
    url = reverse("web:benefit_proposal", args=[application.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    criterion = "800.00"  # toy criterion from 2025-06, per person, two persons
    assert "Family income" in html and "toy/criterion" in html and criterion in html
    assert re.search(r'class="outcome-amount">PLN\xa0600.00<', html)  # 1600 − 1000
    response = client.post(
        url, {"amount": "500.00", "payment_method": "bank_transfer", "iban": core.PL_IBAN}, HTTP_ACCEPT_LANGUAGE="en"
    )
    decision = Decision.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:benefit_decision", args=[decision.pk])
    assert (decision.status, str(decision.amount), decision.proposed_by) == ("proposed", "500.00", pl_worker)


def test_a_missing_interview_stops_the_proposal_with_its_reason(client, pl_worker, application):
    client.force_login(pl_worker)
    url = reverse("web:benefit_proposal", args=[application.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="proposal-stop"' in html and "environmental interview" in html
    assert 'id="submit-proposal"' not in html
    client.post(url, {"payment_method": "cash"}, HTTP_ACCEPT_LANGUAGE="en")
    assert not Decision.objects.exists()


def test_an_amount_outside_the_range_is_refused_beside_it(client, pl_worker, application, recent_interview):
    client.force_login(pl_worker)
    url = reverse("web:benefit_proposal", args=[application.pk])
    response = client.post(url, {"amount": "5000", "payment_method": "cash"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert 'id="proposal_amount-errors"' in response.content.decode()
    assert not Decision.objects.exists()


def test_the_queue_shows_ones_own_proposal_not_approvable_with_the_reason(client, pl_teamlead, proposal):
    services.authorise_approver  # noqa: B018 (the team leader approves by role)
    client.force_login(proposal.proposed_by)
    html = client.get(reverse("web:benefit_queue"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Anna Nowak" in html
    assert "approving needs a team leader" in html
    client.force_login(pl_teamlead)
    html = client.get(reverse("web:benefit_queue"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("web:benefit_decision_approve", args=[proposal.pk]) in html
    event = views_of("benefit_decision").filter(actor=pl_teamlead).get()
    assert named(event) == {proposal.applicant_id, *proposal.member_ids}


def test_the_team_leader_approves_and_the_author_cannot(client, pl_worker, pl_teamlead, proposal):
    client.force_login(pl_worker)
    response = client.post(reverse("web:benefit_decision_approve", args=[proposal.pk]), HTTP_ACCEPT_LANGUAGE="en")
    proposal.refresh_from_db()
    assert response.status_code == 403 and proposal.status == "proposed" and proposal.number is None
    client.force_login(pl_teamlead)
    response = client.post(reverse("web:benefit_decision_approve", args=[proposal.pk]), HTTP_ACCEPT_LANGUAGE="en")
    proposal.refresh_from_db()
    assert response.status_code == 302
    assert (proposal.status, proposal.state, proposal.approved_by) == ("approved", "active", pl_teamlead)
    assert proposal.reference == f"1/{timezone.localdate().year}"


def test_a_proposal_is_returned_with_a_comment_and_an_empty_comment_is_refused(client, pl_teamlead, proposal):
    client.force_login(pl_teamlead)
    url = reverse("web:benefit_decision_return", args=[proposal.pk])
    response = client.post(url, {"comment": ""}, HTTP_ACCEPT_LANGUAGE="en")
    proposal.refresh_from_db()
    assert response.status_code == 400 and proposal.status == "proposed"
    client.post(url, {"comment": "Brak zaświadczenia o dochodach."}, HTTP_ACCEPT_LANGUAGE="en")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.returned_comment) == ("returned", "Brak zaświadczenia o dochodach.")


def test_an_approved_decision_is_suspended_by_a_linked_proposal(client, pl_worker, pl_teamlead, proposal, today):
    services.approve_decision(pl_teamlead, proposal.pk)
    client.force_login(pl_worker)
    page = client.get(reverse("web:benefit_decision", args=[proposal.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Propose a suspension" in page and "Propose a resumption" not in page
    url = reverse("web:benefit_decision_change", args=[proposal.pk, "suspend"])
    response = client.post(
        url, {"from_month": today.strftime("%d/%m/%Y"), "justification": "Wyjazd."}, HTTP_ACCEPT_LANGUAGE="en"
    )
    suspension = Decision.objects.get(changes=proposal)
    assert response.status_code == 302
    assert (suspension.kind, suspension.status) == ("suspension", "proposed")
    page = client.get(reverse("web:benefit_decision", args=[proposal.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("web:benefit_decision", args=[suspension.pk]) in page


def test_the_decision_pdf_shows_number_amount_legal_basis_and_the_appeal(client, pl_worker, pl_teamlead, proposal):
    services.approve_decision(pl_teamlead, proposal.pk)
    proposal.refresh_from_db()
    client.force_login(pl_worker)
    response = client.get(reverse("web:benefit_decision_pdf", args=[proposal.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert f"DECYZJA nr {proposal.reference}" in text
    assert "600,00 zł" in text and "art. 1 ustawy próbnej" in text
    assert "Samorządowego Kolegium Odwoławczego" in text and "14 dni" in text
    assert "Anna Nowak" in text and core.PL_IBAN in text
    assert views_of("benefit_decision", proposal.pk).filter(actor=pl_worker).exists()
    english = " ".join(
        pdf_text(client.get(reverse("web:benefit_decision_pdf", args=[proposal.pk]), {"lang": "en"}).content).split()
    )
    assert "DECISION no." in english and "PLN 600.00" in english and "within 14 days" in english


def test_the_household_lists_its_applications_and_decisions(client, pl_worker, household, proposal):
    client.force_login(pl_worker)
    html = client.get(
        reverse("web:household_benefits", args=[household.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Toy allowance" in html and reverse("web:benefit_decision", args=[proposal.pk]) in html
    page = client.get(reverse("web:household_detail", args=[household.pk])).content.decode()
    assert reverse("web:household_benefits", args=[household.pk]) in page


def test_another_centre_gets_not_found(client, md_worker, proposal, application):
    client.force_login(md_worker)
    for url in (
        reverse("web:benefit_decision", args=[proposal.pk]),
        reverse("web:benefit_decision_pdf", args=[proposal.pk]),
        reverse("web:benefit_application", args=[application.pk]),
        reverse("web:benefit_proposal", args=[application.pk]),
    ):
        assert client.get(url).status_code == 404, url
