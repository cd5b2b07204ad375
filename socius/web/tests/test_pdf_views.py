"""Printable PDF documents: the interview, the social contract, the referral letter (access, audit, language)."""

import datetime as dt
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from socius.accounts.models import AuditEvent
from socius.assessments.services import save_draft, start_assessment
from socius.casework.tests.factories import CaseFactory
from socius.casework.tests.factories_referrals import PartnerFactory, ReferralFactory
from socius.plans.services import (
    add_action,
    add_goal,
    add_obligation,
    create_plan,
    draft_contract,
    record_breach,
    sign_contract,
)
from socius.testing.factories import PersonFactory, TeamFactory, TerritoryFactory
from socius.web.pdf import safe_filename

OPEN_ALL = {"open": "all"}  # the case page with every section drawn (they load lazily otherwise)

D = dt.date
PDFTOTEXT = shutil.which("pdftotext")


def pdf_text(content: bytes) -> str:
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text cannot be checked")
    return subprocess.run(
        [PDFTOTEXT, "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture
def family_team(pl_centre, pl_worker, pl_worker2, pl_teamlead):
    team = TeamFactory(centre=pl_centre, problem_group="family", name="Family")
    team.members.add(pl_worker, pl_worker2, pl_teamlead)
    return team


@pytest.fixture
def mother(pl_centre):
    return PersonFactory(centre=pl_centre, first_name="Anna", last_name="Żółkiewska")


@pytest.fixture
def case(pl_centre, pl_worker, family_team, mother):
    return CaseFactory(centre=pl_centre, person=mother, household=None, assigned_worker=pl_worker, team=family_team)


@pytest.fixture
def interview(pl_worker, case):
    assessment = start_assessment(pl_worker, case.pk, kind="initial", need_identified_on=D(2025, 4, 14))
    save_draft(pl_worker, assessment.pk, {"I_A": {"applicant_name": "Anna Żółkiewska", "address": "ul. Łąkowa 7"}})
    return assessment


@pytest.fixture
def contract(case, pl_worker, mother):
    contract = draft_contract(
        pl_worker, case.pk, {"variant": "IB_IIB", "clients": [mother.pk], "valid_from": D(2025, 3, 3),
                             "valid_until": D(2025, 9, 3), "causes": "Długotrwałe bezrobocie"}
    )  # fmt: skip
    add_obligation(pl_worker, contract.pk, party="client", description="Klub pracy", due_on=D(2025, 5, 30))
    return contract


@pytest.fixture
def plan(case, pl_worker):
    plan = create_plan(pl_worker, case.pk, {"title": "Powrót do pracy", "valid_from": D(2025, 3, 3)})
    goal = add_goal(pl_worker, plan.pk, description="Podjęcie zatrudnienia")
    add_action(
        pl_worker,
        goal.pk,
        {"kind": "social_work", "description": "Napisać CV", "responsible": "client", "due_on": D(2025, 4, 1)},
    )
    return plan


@pytest.fixture
def referral(case, pl_centre):
    partner = PartnerFactory(centre=pl_centre, name="Poradnia Psychologiczno-Pedagogiczna")
    return ReferralFactory(
        case=case, partner=partner, reason="Diagnoza dziecka", documents=["Wywiad środowiskowy", "Opinia szkoły"],
        response_due_on=D(2025, 2, 17),
    )  # fmt: skip


def get_pdf(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def assert_pdf(response, stem):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="{stem}') and disposition.endswith('.pdf"')
    assert disposition.isascii()
    assert response.content.startswith(b"%PDF-")


def view_events():
    return list(AuditEvent.objects.filter(action="view").values_list("object_type", "object_id"))


def test_safe_filename_is_ascii():
    assert safe_filename('kontrakt ŁÓDŹ/2025 "x"') == "kontrakt-LODZ-2025-x.pdf"
    assert safe_filename("ššš") == "sss.pdf" and safe_filename("ъ") == "document.pdf"


def test_interview_pdf_in_the_jurisdiction_language_and_audited(client, pl_worker, interview, case):
    AuditEvent.objects.all().delete()
    response = get_pdf(client, pl_worker, reverse("web:assessment_pdf", args=[interview.pk]))
    assert_pdf(response, f"interview-{case.reference.replace('/', '-')}")
    assert view_events() == [("assessment", interview.pk)]
    text = pdf_text(response.content)
    assert "Anna Żółkiewska" in text and "ul. Łąkowa 7" in text and case.reference in text
    assert "Sprawa" in text  # Polish: the centre's jurisdiction's language


def test_interview_pdf_honours_lang(client, pl_worker, interview, case):
    response = get_pdf(client, pl_worker, reverse("web:assessment_pdf", args=[interview.pk]), lang="en")
    assert_pdf(response, "interview-")
    assert f"Case {case.reference}" in pdf_text(response.content)


def test_contract_pdf_polish_variant_title_and_content(client, pl_worker, contract, case):
    AuditEvent.objects.all().delete()
    response = get_pdf(client, pl_worker, reverse("web:contract_pdf", args=[contract.pk]), lang="xx")
    assert_pdf(response, f"contract-{case.reference.replace('/', '-')}")
    assert view_events() == [("case", case.pk)]
    text = pdf_text(response.content)
    assert "Kontrakt socjalny" in text and "I B / II B" in text
    assert "Anna Żółkiewska" in text and "Długotrwałe bezrobocie" in text and "Klub pracy" in text
    assert "Zobowiązania" in text and "Pracownik socjalny" in text


def test_contract_pdf_in_english_on_request(client, pl_worker, contract):
    response = get_pdf(client, pl_worker, reverse("web:contract_pdf", args=[contract.pk]), lang="en")
    text = pdf_text(response.content)
    assert "Social contract" in text and "Obligations" in text and "Kontrakt socjalny" not in text


def test_help_plan_pdf_with_goals_actions_and_signatures(client, pl_worker, plan, case):
    AuditEvent.objects.all().delete()
    client.force_login(pl_worker)
    assert (
        reverse("web:plan_pdf", args=[plan.pk])
        in client.get(reverse("web:plan_detail", args=[plan.pk])).content.decode()
    )
    AuditEvent.objects.all().delete()

    response = get_pdf(client, pl_worker, reverse("web:plan_pdf", args=[plan.pk]))

    assert_pdf(response, f"help-plan-{case.reference.replace('/', '-')}")
    assert view_events() == [("case", case.pk)]
    text = pdf_text(response.content)
    assert "Indywidualny plan pomocy" in text and "Powrót do pracy" in text and "Anna Żółkiewska" in text
    assert "Podjęcie zatrudnienia" in text and "Napisać CV" in text and "01.04.2025" in text
    assert "Pracownik socjalny" in text and "Klient" in text


def test_referral_pdf(client, pl_worker, referral, case):
    AuditEvent.objects.all().delete()
    response = get_pdf(client, pl_worker, reverse("web:referral_pdf", args=[referral.pk]))
    assert_pdf(response, f"referral-{case.reference.replace('/', '-')}")
    assert view_events() == [("case", case.pk)]
    text = pdf_text(response.content)
    assert "Poradnia Psychologiczno-Pedagogiczna" in text and "Diagnoza dziecka" in text
    assert "Wywiad środowiskowy" in text and "Opinia szkoły" in text and case.reference in text
    assert "Skierowanie" in text and "Termin odpowiedzi" in text


@pytest.mark.parametrize("name", ["assessment_pdf", "plan_pdf", "contract_pdf", "referral_pdf"])
def test_colleague_without_content_403_other_centre_404(
    client, name, pl_worker2, md_worker, pl_finance, interview, plan, contract, referral
):
    pk = {
        "assessment_pdf": interview.pk,
        "plan_pdf": plan.pk,
        "contract_pdf": contract.pk,
        "referral_pdf": referral.pk,
    }[name]
    AuditEvent.objects.all().delete()
    url = reverse(f"web:{name}", args=[pk])
    assert get_pdf(client, pl_worker2, url).status_code == 403
    assert get_pdf(client, md_worker, url).status_code == 404
    assert get_pdf(client, pl_finance, url).status_code == 403
    assert get_pdf(client, md_worker, reverse(f"web:{name}", args=[999999])).status_code == 404
    assert view_events() == []


def test_pages_link_the_pdfs(client, pl_worker, interview, contract, referral, case):
    client.force_login(pl_worker)
    assert (
        reverse("web:assessment_pdf", args=[interview.pk])
        in client.get(reverse("web:assessment_detail", args=[interview.pk])).content.decode()
    )
    assert (
        reverse("web:contract_pdf", args=[contract.pk])
        in client.get(reverse("web:contract_detail", args=[contract.pk])).content.decode()
    )
    assert (
        reverse("web:referral_pdf", args=[referral.pk])
        in client.get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).content.decode()
    )


def test_query_counts_are_bounded(client, pl_worker, contract, referral, interview, django_assert_max_num_queries):
    client.force_login(pl_worker)
    for name, pk in (("contract_pdf", contract.pk), ("referral_pdf", referral.pk), ("assessment_pdf", interview.pk)):
        # +2: the audit event's place in its centre's hash chain (decision 0020)
        with django_assert_max_num_queries(17):
            assert client.get(reverse(f"web:{name}", args=[pk])).status_code == 200


def test_contract_pdf_other_jurisdiction_general_title_in_its_language(client, md_centre, md_worker):
    person = PersonFactory(centre=md_centre, first_name="Ion", last_name="Țurcanu")
    md_case = CaseFactory(centre=md_centre, person=person, household=None, assigned_worker=md_worker)
    contract = draft_contract(
        md_worker, md_case.pk, {"variant": "general", "clients": [person.pk], "valid_from": D(2025, 3, 3),
                                "valid_until": D(2025, 9, 3)}
    )  # fmt: skip
    response = get_pdf(client, md_worker, reverse("web:contract_pdf", args=[contract.pk]), lang="en")
    assert_pdf(response, "contract-")
    text = pdf_text(response.content)
    assert "Social contract" in text and "Ion Țurcanu" in text and " / II" not in text
    response = get_pdf(client, md_worker, reverse("web:contract_pdf", args=[contract.pk]))
    assert "Social contract" not in pdf_text(response.content)  # Romanian, the Moldovan pack's default


def test_the_pdf_button_lets_the_worker_choose_the_clients_language(client, pl_worker, plan):
    client.force_login(pl_worker)
    html = client.get(reverse("web:plan_detail", args=[plan.pk])).content.decode()
    assert f'action="{reverse("web:plan_pdf", args=[plan.pk])}"' in html
    assert 'name="lang"' in html and '<option value="ru">' in html and '<option value="">' in html

    text = pdf_text(get_pdf(client, pl_worker, reverse("web:plan_pdf", args=[plan.pk]), lang="ru").content)

    assert "Индивидуальный план помощи" in text and "Powrót do pracy" in text


# --- documents usable as official documents -------------------------------------------------------------


def flat(text: str) -> str:
    """The PDF's text with its spacing evened out (non-breaking spaces, layout runs of spaces)."""
    return " ".join(text.replace("\xa0", " ").split())


@pytest.fixture
def letterhead(pl_centre, mother):
    pl_centre.name = "Gminny Ośrodek Pomocy Społecznej w Moszczenicy"
    pl_centre.address = "ul. Piotrkowska 21, 97-310 Moszczenica"
    pl_centre.locality = "Moszczenica"
    pl_centre.phone = "+48 44 616 10 20"
    pl_centre.email = "gops@moszczenica.example"
    pl_centre.save()
    village = TerritoryFactory(jurisdiction="PL", level="village", name="Kiełczówek", parent=pl_centre.territory)
    mother.national_id, mother.birth_date = "44051401359", D(1944, 5, 14)
    mother.territory, mother.street_address = village, "Kiełczówek 12"
    mother.save()
    return pl_centre


@pytest.mark.parametrize("name", ["assessment_pdf", "plan_pdf", "contract_pdf", "referral_pdf"])
def test_every_document_has_the_letterhead_the_place_and_date_of_issue_and_the_clients_identifiers(
    client, pl_worker, letterhead, name, interview, plan, contract, referral
):
    pk = {"assessment_pdf": interview.pk, "plan_pdf": plan.pk, "contract_pdf": contract.pk, "referral_pdf": referral.pk}
    today = timezone.localdate()

    text = flat(pdf_text(get_pdf(client, pl_worker, reverse(f"web:{name}", args=[pk[name]])).content))

    assert "Gminny Ośrodek Pomocy Społecznej w Moszczenicy" in text
    assert "ul. Piotrkowska 21, 97-310 Moszczenica" in text
    assert "tel. +48 44 616 10 20" in text and "gops@moszczenica.example" in text
    assert f"Moszczenica, dnia {today:%d.%m.%Y}" in text
    assert "PESEL" in text and "44051401359" in text and "14.05.1944" in text
    assert "Kiełczówek 12, Kiełczówek" in text


def test_without_a_place_of_issue_the_document_gives_the_date_of_issue(client, pl_worker, plan):
    text = flat(pdf_text(get_pdf(client, pl_worker, reverse("web:plan_pdf", args=[plan.pk]), lang="en").content))
    assert f"Issued on {timezone.localdate():%d/%m/%Y}" in text


def test_a_breached_contract_prints_its_reasons_and_the_consequence(client, pl_worker, contract):
    sign_contract(pl_worker, contract.pk, D(2025, 3, 3))
    record_breach(
        pl_worker, contract.pk, reasons="Nie podjął pracy w klubie pracy.", consequence="suspend_cash_aid",
        on=D(2025, 6, 10),
    )  # fmt: skip
    url = reverse("web:contract_pdf", args=[contract.pk])

    polish = flat(pdf_text(get_pdf(client, pl_worker, url).content))
    russian = flat(pdf_text(get_pdf(client, pl_worker, url, lang="ru").content))

    assert "Niedotrzymanie kontraktu" in polish and "10.06.2025" in polish
    assert "Nie podjął pracy w klubie pracy." in polish
    assert "Wstrzymanie świadczenia pieniężnego — art. 11 ust. 2 u.p.s." in polish
    # In the client's language, the document's own words and the consequence are Russian (the worker's
    # reasons stay as written).
    assert "Нарушение контракта" in russian and "Приостановить денежную помощь" in russian
    assert "Niedotrzymanie" not in russian and "Wstrzymanie" not in russian


def test_the_interview_prints_amounts_as_money_in_the_documents_language(client, pl_worker, interview):
    save_draft(pl_worker, interview.pk, {"I_D": {"monthly_income": "1878.91"}})
    url = reverse("web:assessment_pdf", args=[interview.pk])

    assert "1 878,91 zł" in flat(pdf_text(get_pdf(client, pl_worker, url).content))
    assert "PLN 1,878.91" in flat(pdf_text(get_pdf(client, pl_worker, url, lang="en").content))
