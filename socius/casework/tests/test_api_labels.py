"""API: the packs' labels of a case's circumstances and a contact's topics and outcomes, in the reader's
language (Accept-Language), beside the statutory wording; the codes are unchanged."""

import pytest
from rest_framework.test import APIClient

from socius.casework.tests.factories import CaseFactory, ContactFactory


@pytest.fixture(autouse=True)
def statutory_lists():
    """The real packs here, not the conftest's stand-in: the labels are the packs' own."""


def api(user, language):
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE=language)
    return client


@pytest.fixture
def case(pl_centre, pl_worker, family_team, pl_household):
    return CaseFactory(
        centre=pl_centre,
        household=pl_household,
        assigned_worker=pl_worker,
        team=family_team,
        circumstances=["poverty", "unemployment"],
    )


def test_a_case_lists_its_circumstances_in_the_readers_language_with_the_statutory_wording(pl_worker, case):
    russian = api(pl_worker, "ru").get(f"/api/v1/cases/{case.pk}/").json()
    polish = api(pl_worker, "pl").get(f"/api/v1/cases/{case.pk}/").json()

    assert russian["circumstances"] == polish["circumstances"] == ["poverty", "unemployment"]
    assert russian["circumstance_labels"] == [
        {"code": "poverty", "label": "бедность", "statutory_label": "ubóstwo", "legal_basis": "art. 7 pkt 1 u.p.s."},
        {
            "code": "unemployment",
            "label": "безработица",
            "statutory_label": "bezrobocie",
            "legal_basis": "art. 7 pkt 4 u.p.s.",
        },
    ]
    assert [item["label"] for item in polish["circumstance_labels"]] == ["ubóstwo", "bezrobocie"]


def test_without_the_content_a_case_has_no_circumstance_labels(pl_worker2, case):
    body = api(pl_worker2, "ru").get(f"/api/v1/cases/{case.pk}/").json()
    assert body["content_visible"] is False
    assert body["circumstances"] is None and body["circumstance_labels"] is None


def test_a_contact_lists_its_topics_and_outcomes_in_the_readers_language(pl_worker, pl_centre):
    contact = ContactFactory(
        centre=pl_centre, handled_by=pl_worker, topics=["housing", "health"], outcomes=["information_given"]
    )

    body = api(pl_worker, "ro").get(f"/api/v1/contacts/{contact.pk}/").json()

    assert body["topics"] == ["housing", "health"]
    assert [(t["code"], t["label"], t["statutory_label"]) for t in body["topic_labels"]] == [
        ("housing", "locuință", "sprawy mieszkaniowe"),
        ("health", "sănătate", "zdrowie"),
    ]
    assert [(o["code"], o["label"]) for o in body["outcome_labels"]] == [("information_given", "informație oferită")]
    listed = api(pl_worker, "lt").get("/api/v1/contacts/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [t["label"] for t in rows[0]["topic_labels"]] == ["būstas", "sveikata"]
