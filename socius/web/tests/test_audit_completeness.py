"""Audit completeness: after each kind of read of a person's data, through the web or the API, the
auditor's `?person=` finds it (API and web audit page), naming that person (decision 0007).

The data is the demo's: a household case with an interview, a plan, a contract, visits, social work and
a referral, written through the services; a document and a contact are added here."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent, User
from socius.accounts.roles import Role
from socius.assessments.models import Assessment
from socius.benefits.models import Application, Decision
from socius.casework.models import Case, HomeVisit, Referral, SocialWorkActivity
from socius.casework.services import attach_document
from socius.casework.tests.factories import ContactFactory
from socius.casework.tests.factories_referrals import ReferralFactory
from socius.plans.models import HelpPlan, SocialContract
from socius.registry.models import Membership

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _person_of(case: Case):
    """The person whose data the case's records show that ?person= must find: for a household case not
    its first member, so the event's further persons are exercised, not only its own person_id."""
    if case.person_id:
        return case.person
    return Membership.objects.filter(household=case.household).order_by("id").last().person


@pytest.fixture
def story(db):
    call_command("load_demo", persons_per_centre=40, stdout=io.StringIO())
    pl = Case.objects.filter(centre__jurisdiction="PL")
    case = pl.filter(household__isnull=False, help_plans__isnull=False).first()
    assert case is not None and Membership.objects.filter(household=case.household).count() >= 2
    person = _person_of(case)
    document = attach_document(case.assigned_worker, case.pk, SimpleUploadedFile("a.pdf", PDF, "application/pdf"),
                               kind="other", title="Scan")  # fmt: skip
    contact = ContactFactory(centre=case.centre, handled_by=case.assigned_worker, notes="Asked about rent")
    contact.persons.set([person])
    records = {
        "plan": HelpPlan.objects.filter(case__in=pl).first(),
        "contract": SocialContract.objects.filter(case__in=pl).first(),
        "assessment": Assessment.objects.filter(case__in=pl).first(),
        "referral": Referral.objects.filter(case__in=pl).first() or ReferralFactory(case=case),
        "visit": HomeVisit.objects.filter(case__in=pl).first(),
        "activity": SocialWorkActivity.objects.filter(case__in=pl).first(),
        "document": document,
    }
    assert all(records.values()), "the demo no longer has every kind of case record in the PL centre"
    benefits = {
        "application": Application.objects.filter(case=case).first(),
        "decision": Decision.objects.filter(case=case, status="approved").first(),
    }
    assert all(benefits.values()), "the demo no longer has an application and an approved decision on the PL case"
    return {
        **benefits,
        "case": case,
        "person": person,
        "reader": User.objects.get(centre=case.centre, role=Role.DIRECTOR),  # reads every case's content
        "auditor": User.objects.get(centre=case.centre, role=Role.AUDITOR),
        "contact": contact,
        **records,
    }


def _found(auditor: User, person_id: int, after: int) -> list[dict]:
    """The events the auditor's API finds for the person, newer than `after`."""
    client = APIClient()
    client.force_authenticate(auditor)
    body = client.get("/api/v1/audit/events/", {"person": person_id, "page_size": 200}).json()
    return [row for row in body["results"] if row["id"] > after]


def _check(story, label: str, get) -> None:
    """Do the read; the auditor's ?person= then finds it for the person whose data it showed."""
    key = next((k for k in ("plan", "contract", "assessment", "referral", "visit", "activity", "document")
                if k in label.replace("interview", "assessment").replace("social work", "activity")), None)  # fmt: skip
    person = _person_of(story[key].case) if key else story["person"]
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = get()
    assert response.status_code == 200, (label, response.status_code)
    found = _found(story["auditor"], person.pk, before)
    assert found, f"{label}: ?person= finds no event of this read"
    assert all(person.pk in row["persons"] for row in found), label


def test_every_web_read_of_a_persons_data_is_found_by_person(client, story):
    s = story
    p, case = s["person"], s["case"]
    client.force_login(s["reader"])
    header = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "header-search-results"}
    reads = {
        "persons list": lambda: client.get(reverse("web:person_list"), {"q": p.last_name}),
        "search page": lambda: client.get(reverse("web:search"), {"q": p.full_name}),
        "header search": lambda: client.get(reverse("web:search"), {"q": p.full_name}, **header),
        "person": lambda: client.get(reverse("web:person_detail", args=[p.pk])),
        "person timeline": lambda: client.get(reverse("web:person_timeline", args=[p.pk])),
        "households list": lambda: client.get(reverse("web:household_list"), {"member": p.full_name}),
        "household": lambda: client.get(reverse("web:household_detail", args=[case.household_id])),
        "household timeline": lambda: client.get(reverse("web:household_timeline", args=[case.household_id])),
        "contacts list": lambda: client.get(reverse("web:contact_list"), {"person": p.pk}),
        "contact": lambda: client.get(reverse("web:contact_detail", args=[s["contact"].pk])),
        "case": lambda: client.get(reverse("web:case_detail", args=[case.pk])),
        "plan": lambda: client.get(reverse("web:plan_detail", args=[s["plan"].pk])),
        "contract": lambda: client.get(reverse("web:contract_detail", args=[s["contract"].pk])),
        "interview": lambda: client.get(reverse("web:assessment_detail", args=[s["assessment"].pk])),
        "interview print": lambda: client.get(reverse("web:assessment_print", args=[s["assessment"].pk])),
        "document download": lambda: client.get(reverse("web:case_document_download", args=[s["document"].pk])),
        "interview PDF": lambda: client.get(reverse("web:assessment_pdf", args=[s["assessment"].pk])),
        "plan PDF": lambda: client.get(reverse("web:plan_pdf", args=[s["plan"].pk])),
        "contract PDF": lambda: client.get(reverse("web:contract_pdf", args=[s["contract"].pk])),
        "referral PDF": lambda: client.get(reverse("web:referral_pdf", args=[s["referral"].pk])),
    }
    for label, get in reads.items():
        _check(s, label, get)

    # The web audit page filtered by the person lists what the API lists.
    client.force_login(s["auditor"])
    page = client.get(reverse("web:audit"), {"person": p.pk})
    api = APIClient()
    api.force_authenticate(s["auditor"])
    assert page.context["page"].paginator.count == api.get("/api/v1/audit/events/", {"person": p.pk}).json()["count"]


def test_every_api_read_of_a_persons_data_is_found_by_person(story):
    s = story
    p, case = s["person"], s["case"]
    client = APIClient()
    client.force_authenticate(s["reader"])
    v1 = "/api/v1"
    reads = {
        "persons list": lambda: client.get(f"{v1}/persons/", {"page_size": 200}),
        "persons search": lambda: client.get(f"{v1}/persons/", {"search": p.full_name}),
        "persons filter": lambda: client.get(f"{v1}/persons/", {"birth_date": p.birth_date, "sex": p.sex}),
        "person": lambda: client.get(f"{v1}/persons/{p.pk}/"),
        "person timeline": lambda: client.get(f"{v1}/persons/{p.pk}/timeline/"),
        "households list": lambda: client.get(f"{v1}/households/", {"person": p.pk}),
        "household": lambda: client.get(f"{v1}/households/{case.household_id}/"),
        "household timeline": lambda: client.get(f"{v1}/households/{case.household_id}/timeline/"),
        "contacts list": lambda: client.get(f"{v1}/contacts/", {"person": p.pk}),
        "contact": lambda: client.get(f"{v1}/contacts/{s['contact'].pk}/"),
        "case": lambda: client.get(f"{v1}/cases/{case.pk}/"),
        "case timeline": lambda: client.get(f"{v1}/cases/{case.pk}/timeline/"),
        "visits of the case": lambda: client.get(f"{v1}/home-visits/", {"case": case.pk}),
        "visits": lambda: client.get(f"{v1}/home-visits/"),
        "visit": lambda: client.get(f"{v1}/home-visits/{s['visit'].pk}/"),
        "social work": lambda: client.get(f"{v1}/social-work/"),
        "social work activity": lambda: client.get(f"{v1}/social-work/{s['activity'].pk}/"),
        "referrals": lambda: client.get(f"{v1}/referrals/"),
        "referral": lambda: client.get(f"{v1}/referrals/{s['referral'].pk}/"),
        "interviews of the case": lambda: client.get(f"{v1}/assessments/", {"case": case.pk}),
        "interview": lambda: client.get(f"{v1}/assessments/{s['assessment'].pk}/"),
        "plans": lambda: client.get(f"{v1}/help-plans/"),
        "plan": lambda: client.get(f"{v1}/help-plans/{s['plan'].pk}/"),
        "contracts": lambda: client.get(f"{v1}/social-contracts/"),
        "contract": lambda: client.get(f"{v1}/social-contracts/{s['contract'].pk}/"),
        "documents": lambda: client.get(f"{v1}/case-documents/"),
        "document": lambda: client.get(f"{v1}/case-documents/{s['document'].pk}/"),
        "document download": lambda: client.get(f"{v1}/case-documents/{s['document'].pk}/download/"),
        "benefit applications": lambda: client.get(f"{v1}/applications/"),
        "benefit applications of the household": lambda: client.get(
            f"{v1}/applications/", {"household": case.household_id}
        ),
        "benefit application": lambda: client.get(f"{v1}/applications/{s['application'].pk}/"),
        "benefit decisions": lambda: client.get(f"{v1}/decisions/"),
        "benefit decisions of the case": lambda: client.get(f"{v1}/decisions/", {"case": case.pk}),
        "benefit decision": lambda: client.get(f"{v1}/decisions/{s['decision'].pk}/"),
    }
    for label, get in reads.items():
        _check(s, label, get)
