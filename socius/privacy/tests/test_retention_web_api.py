"""The director's retention pages and the retention API (decision 0023): who may use them, what they show (audited
under the persons named), and the answers to wrong moves (409 with the reason, nothing changed)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent, AuditEventPerson
from socius.accounts.roles import Role
from socius.privacy.anonymise import ANONYMISED_NAME
from socius.privacy.models_retention import Anonymisation, ErasureRequest, RetentionReview
from socius.privacy.tests.retention_support import OLD, RECENT, aged, close
from socius.registry.models import Person
from socius.reporting.tests.statutory_support import World
from socius.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(pl_centre):
    return World(pl_centre)


@pytest.fixture
def expired(world):
    """A person whose only case closed in 2012: expired by today."""
    person = aged(world.household(adults=1, on=OLD)[1][0])
    close(world.case(person=person, opened_on=dt.date(2011, 1, 3)), OLD)
    return person


@pytest.fixture
def kept(world):
    """A person whose case closed in 2022: the archival law keeps it until 2033."""
    person = aged(world.household(adults=1, on=RECENT)[1][0])
    close(world.case(person=person, opened_on=dt.date(2021, 1, 4)), RECENT)
    return person


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _persons_of(event) -> set[int]:
    return {event.person_id} - {None} | set(
        AuditEventPerson.objects.filter(event=event).values_list("person_id", flat=True)
    )


# --- UI ------------------------------------------------------------------------------------------------------------


def test_the_director_runs_a_review_sees_who_expired_and_why_and_approves_it(client, pl_director, expired, kept):
    client.force_login(pl_director)
    assert client.get(reverse("web:retention_reviews")).status_code == 200
    response = client.post(reverse("web:retention_run"))
    review = RetentionReview.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:retention_review", args=[review.pk])

    page = client.get(reverse("web:retention_review", args=[review.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert expired.last_name in html and kept.last_name not in html
    assert "narodowym zasobie archiwalnym" in html  # the case file's legal basis
    view = AuditEvent.objects.get(object_type="retention_review", action="view")
    assert _persons_of(view) == {expired.pk}

    response = client.post(reverse("web:retention_approve", args=[review.pk]))
    assert response.status_code == 302
    assert Person.objects.get(pk=expired.pk).last_name == ANONYMISED_NAME
    assert Person.objects.get(pk=kept.pk).last_name == kept.last_name


def test_a_rejection_needs_a_reason_and_anonymises_nothing(client, pl_director, expired):
    client.force_login(pl_director)
    client.post(reverse("web:retention_run"))
    review = RetentionReview.objects.get()
    client.post(reverse("web:retention_reject", args=[review.pk]), {"reason": ""})
    review.refresh_from_db()
    assert review.status == "pending"
    client.post(reverse("web:retention_reject", args=[review.pk]), {"reason": "The archive has not agreed"})
    review.refresh_from_db()
    assert (review.status, review.rejection_reason) == ("rejected", "The archive has not agreed")
    assert Anonymisation.objects.count() == 0


@pytest.mark.parametrize("persona", ["pl_worker", "pl_auditor", "pl_finance", "pl_admin"], indirect=True)
def test_only_the_director_reaches_the_retention_pages(client, persona, expired):
    client.force_login(persona)
    assert client.get(reverse("web:retention_reviews")).status_code == 403
    assert client.post(reverse("web:retention_run")).status_code == 403
    assert RetentionReview.objects.count() == 0


def test_a_worker_records_an_erasure_request_that_the_law_refuses_and_sees_why(client, pl_worker, kept):
    client.force_login(pl_worker)
    form = client.get(reverse("web:erasure_new", args=[kept.pk]))
    assert form.status_code == 200
    response = client.post(
        reverse("web:erasure_new", args=[kept.pk]), {"received_on": "2026-12-01", "note": "In person"}
    )
    erasure = ErasureRequest.objects.get()
    assert response.status_code == 302
    assert erasure.status == "refused"
    page = client.get(reverse("web:erasure_request", args=[erasure.pk]))
    assert page.status_code == 200
    assert "narodowym zasobie archiwalnym" in page.content.decode()
    assert "erasure_approve" not in page.content.decode() and "/approve/" not in page.content.decode()
    assert Person.objects.get(pk=kept.pk).last_name == kept.last_name


def test_an_erasure_request_with_a_future_date_is_refused_on_its_field(client, pl_worker, expired):
    client.force_login(pl_worker)
    response = client.post(reverse("web:erasure_new", args=[expired.pk]), {"received_on": "2999-01-01"})
    assert response.status_code == 400
    assert response.context["form"].errors["received_on"]
    assert ErasureRequest.objects.count() == 0


def test_the_director_approves_an_erasure_request_no_statute_keeps(client, pl_worker, pl_director, world):
    person = aged(world.household(adults=1, on=OLD)[1][0])
    client.force_login(pl_worker)
    client.post(reverse("web:erasure_new", args=[person.pk]), {"received_on": "2026-12-01"})
    erasure = ErasureRequest.objects.get()
    assert erasure.status == "requested"
    assert client.post(reverse("web:erasure_approve", args=[erasure.pk])).status_code == 403
    client.force_login(pl_director)
    assert client.get(reverse("web:erasure_requests")).status_code == 200
    client.post(reverse("web:erasure_approve", args=[erasure.pk]))
    erasure.refresh_from_db()
    assert erasure.status == "anonymised"
    assert Person.objects.get(pk=person.pk).last_name == ANONYMISED_NAME


def test_another_centres_person_review_and_request_are_not_found(client, md_director, pl_director, expired):
    client.force_login(pl_director)
    client.post(reverse("web:retention_run"))
    review = RetentionReview.objects.get()
    client.force_login(md_director)
    assert client.get(reverse("web:retention_review", args=[review.pk])).status_code == 404
    assert client.post(reverse("web:retention_approve", args=[review.pk])).status_code == 404
    assert client.get(reverse("web:erasure_new", args=[expired.pk])).status_code == 404
    assert Anonymisation.objects.count() == 0


# --- API -------------------------------------------------------------------------------------------------------------


def test_api_review_run_retrieve_and_approve(pl_director, expired, kept):
    client = api(pl_director)
    made = client.post("/api/v1/retention/reviews/run/", {}, format="json")
    assert made.status_code == 201
    body = made.json()
    assert body["status"] == "pending" and body["persons"] == 1
    assert [i["person"] for i in body["items"]] == [expired.pk]
    basis = {b["record_type"]: b for b in body["items"][0]["basis"]}
    assert basis["case_file"]["years"] == 10 and basis["case_file"]["statutory_keep"] is True
    listed = client.get("/api/v1/retention/reviews/").json()
    assert [r["id"] for r in listed["results"]] == [body["id"]] and listed["results"][0]["persons"] == 1

    approved = client.post(f"/api/v1/retention/reviews/{body['id']}/approve/", {}, format="json")

    assert approved.status_code == 200 and approved.json()["anonymised_count"] == 1
    again = client.post(f"/api/v1/retention/reviews/{body['id']}/approve/", {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    rejected = client.post(f"/api/v1/retention/reviews/{body['id']}/reject/", {"reason": "x"}, format="json")
    assert rejected.status_code == 409
    assert RetentionReview.objects.get().status == "approved"


def test_api_reject_needs_a_reason(pl_director, expired):
    client = api(pl_director)
    review_id = client.post("/api/v1/retention/reviews/run/", {}, format="json").json()["id"]
    response = client.post(f"/api/v1/retention/reviews/{review_id}/reject/", {"reason": " "}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    assert RetentionReview.objects.get().status == "pending"


def test_api_erasure_refused_by_law_then_approval_is_409(pl_worker, pl_director, kept):
    response = api(pl_worker).post(
        "/api/v1/retention/erasure-requests/", {"person": kept.pk, "received_on": "2026-12-01"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "refused"
    assert body["kept_by_law"][0]["record_type"] == "case_file"
    assert "archiwalnym" in body["kept_by_law"][0]["keep_reason"]
    answer = api(pl_director).post(f"/api/v1/retention/erasure-requests/{body['id']}/approve/", {}, format="json")
    assert answer.status_code == 409
    assert Anonymisation.objects.count() == 0


def test_api_erasure_approved_by_the_director(pl_worker, pl_director, world):
    person = aged(world.household(adults=1, on=OLD)[1][0])
    made = (
        api(pl_worker)
        .post("/api/v1/retention/erasure-requests/", {"person": person.pk, "received_on": "2026-12-01"}, format="json")
        .json()
    )
    assert made["status"] == "requested"
    assert api(pl_worker).post(f"/api/v1/retention/erasure-requests/{made['id']}/approve/").status_code == 403
    response = api(pl_director).post(f"/api/v1/retention/erasure-requests/{made['id']}/approve/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "anonymised"
    view = AuditEvent.objects.filter(object_type="erasure_request", action="view").last()
    assert view.person_id == person.pk


def test_api_bad_input_and_other_centres(pl_worker, md_director, pl_director, expired):
    client = api(pl_worker)
    bad = client.post("/api/v1/retention/erasure-requests/", {"person": "x", "received_on": "no"}, format="json")
    assert bad.status_code == 400 and set(bad.json()) == {"person", "received_on"}
    missing = api(md_director).post(
        "/api/v1/retention/erasure-requests/", {"person": expired.pk, "received_on": "2026-12-01"}, format="json"
    )
    assert missing.status_code == 404
    assert ErasureRequest.objects.count() == 0
    review_id = api(pl_director).post("/api/v1/retention/reviews/run/", {}, format="json").json()["id"]
    assert api(md_director).get(f"/api/v1/retention/reviews/{review_id}/").status_code == 404
    assert api(pl_worker).get("/api/v1/retention/reviews/").status_code == 403
    assert (
        api(UserFactory(centre=expired.centre, role=Role.AUDITOR)).post("/api/v1/retention/reviews/run/").status_code
        == 403
    )
