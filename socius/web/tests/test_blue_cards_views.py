"""The Blue Card pages: who sees them (persona matrix), starting a card, the sections' actions, the PDFs, and that
nothing of a card leaks to non-members (timelines, the suspect's notice)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.urls import reverse

from socius.accounts.audit import persons_of_events
from socius.accounts.models import AuditEvent
from socius.family.bluecards import add_group_member
from socius.family.bluecards.documents import suspect_notice_context
from socius.family.models import BlueCard, BlueCardMember, BlueCardMonitoring, BlueCardParty
from socius.family.statuses import BlueCardStatus
from socius.family.tests import bluecard_fixtures
from socius.testing.factories import CentreFactory, UserFactory

pytestmark = pytest.mark.django_db

# Shared fixtures (a PL family: one person affected, a child, a suspect; a card started by pl_worker).
family = bluecard_fixtures.family
card = bluecard_fixtures.card
DAY = bluecard_fixtures.DAY

PDFTOTEXT = shutil.which("pdftotext")


def pdf_text(content: bytes) -> str:
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text cannot be checked")
    return subprocess.run(
        [PDFTOTEXT, "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture
def other_centre_worker(db):
    centre = CentreFactory(code="pl-other", name="MOPS Radom", jurisdiction="PL")
    return UserFactory(username="pl_other_worker", centre=centre, role="social_worker")


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


# --- who sees ----------------------------------------------------------------------------------------

PERSONAS = ["pl_worker", "pl_director", "pl_worker2", "pl_auditor", "other_centre_worker", "md_worker", None]


@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_matrix_of_the_pages(request, client, persona, card):
    user = request.getfixturevalue(persona) if persona else None
    login(client, user)
    listing = client.get(reverse("web:blue_cards"))
    detail = client.get(reverse("web:blue_card", args=[card.pk]))
    pdf = client.get(reverse("web:blue_card_nka_pdf", args=[card.pk]))
    if persona is None:
        assert listing.status_code == detail.status_code == pdf.status_code == 302  # to the login page
    elif persona in ("pl_worker", "pl_director"):
        assert listing.status_code == 200 and card.reference in listing.content.decode()
        assert detail.status_code == 200 and pdf.status_code == 200
    elif persona == "md_worker":
        assert (listing.status_code, detail.status_code, pdf.status_code) == (404, 404, 404)
    else:
        assert listing.status_code == 200 and card.reference not in listing.content.decode()
        assert "blue-cards-empty" in listing.content.decode()
        assert (detail.status_code, pdf.status_code) == (404, 404)


@pytest.mark.parametrize("persona", ["pl_worker2", "other_centre_worker"])
def test_outsiders_posting_to_a_card_get_404_and_nothing_changes(request, client, persona, card):
    login(client, request.getfixturevalue(persona))
    response = client.post(reverse("web:blue_card_monitoring_add", args=[card.pk]), {"on": "2026-03-03", "note": "x"})
    assert response.status_code == 404 and not BlueCardMonitoring.objects.exists()
    response = client.post(reverse("web:blue_card_status", args=[card.pk]), {"to": "in_progress", "on": "2026-03-03"})
    assert response.status_code == 404
    card.refresh_from_db()
    assert card.status == BlueCardStatus.STARTED


def test_the_auditor_cannot_start_or_act_by_role(client, pl_auditor, card):
    login(client, pl_auditor)
    assert client.get(reverse("web:blue_card_new")).status_code == 403
    assert (
        client.post(
            reverse("web:blue_card_monitoring_add", args=[card.pk]), {"on": "2026-03-03", "note": "x"}
        ).status_code
        == 403
    )
    assert not BlueCardMonitoring.objects.exists()


def test_a_removed_member_loses_the_page(client, pl_worker, pl_worker2, card):
    member = add_group_member(pl_worker, card, on=DAY, user=pl_worker2)
    login(client, pl_worker2)
    assert client.get(reverse("web:blue_card", args=[card.pk])).status_code == 200
    login(client, pl_worker)
    response = client.post(
        reverse("web:blue_card_member_remove", args=[card.pk]), {"member": member.pk, "on": "2026-03-04"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#group")
    login(client, pl_worker2)
    assert client.get(reverse("web:blue_card", args=[card.pk])).status_code == 404


def test_every_page_view_is_audited_under_the_parties(client, pl_director, card):
    parties = set(BlueCardParty.objects.filter(card=card).values_list("person_id", flat=True))
    AuditEvent.objects.all().delete()
    login(client, pl_director)
    client.get(reverse("web:blue_cards"))
    client.get(reverse("web:blue_card", args=[card.pk]))
    events = list(AuditEvent.objects.filter(object_type="blue_card", action="view").order_by("id"))
    assert [e.object_id for e in events] == [None, card.pk]
    named = persons_of_events(events)
    assert all(set(named[e.pk]) == parties for e in events)


# --- starting a card ---------------------------------------------------------------------------------


def test_start_page_searches_the_registry_and_starts_a_card(client, pl_worker, family):
    login(client, pl_worker)
    found = client.get(reverse("web:blue_card_new"), {"q": "Zawadzka, Wrona"})
    body = found.content.decode()
    assert found.status_code == 200
    for person in (family["victim"], family["child"], family["suspect"]):
        assert f'name="role_{person.pk}"' in body
    response = client.post(
        reverse("web:blue_card_new"),
        {
            "q": "Zawadzka, Wrona",
            "initiator": "social_assistance",
            "started_on": "2026-03-02",
            "received_on": "2026-03-02",
            f"role_{family['victim'].pk}": "victim",
            f"role_{family['suspect'].pk}": "suspect",
            "violence": "przemoc psychiczna",
        },
    )
    card = BlueCard.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:blue_card", args=[card.pk])
    assert BlueCardMember.objects.get(card=card).user_id == pl_worker.pk
    assert card.forms.get().answers == {"IV": "przemoc psychiczna"}


def test_start_without_a_suspect_stays_on_the_page_with_the_reason(client, pl_worker, family):
    login(client, pl_worker)
    response = client.post(
        reverse("web:blue_card_new"),
        {
            "q": "Zawadzka",
            "initiator": "police",
            "started_on": "2026-03-02",
            "received_on": "2026-03-02",
            f"role_{family['victim'].pk}": "victim",
        },
    )
    assert response.status_code == 400
    assert "party-errors" in response.content.decode()
    assert "at least one" in response.content.decode()
    assert '<option value="victim" selected>' in response.content.decode()  # the choice is kept
    assert not BlueCard.objects.exists()


def test_other_countries_have_no_blue_card_pages(client, md_worker, lt_worker):
    for user in (md_worker, lt_worker):
        login(client, user)
        assert client.get(reverse("web:blue_cards")).status_code == 404
        assert client.get(reverse("web:blue_card_new")).status_code == 404


# --- the sections' actions ---------------------------------------------------------------------------


def test_sections_record_forms_meetings_plan_monitoring_and_status(client, pl_worker, family, card):
    login(client, pl_worker)
    member = BlueCardMember.objects.get(card=card)
    posts = [
        (
            "web:blue_card_form_add",
            {"form": "nk_c", "person": family["victim"].pk, "filled_on": "2026-03-04"},
            "#forms",
        ),
        ("web:blue_card_meeting_add", {"held_on": "2026-03-05", "notes": "Ocena", "present": [member.pk]}, "#meetings"),
        (
            "web:blue_card_plan_add",
            {"person": family["victim"].pk, "measure": "Terapia", "responsible": "PIK", "agreed_on": "2026-03-05"},
            "#plan",
        ),
        ("web:blue_card_monitoring_add", {"on": "2026-03-06", "note": "Wizyta"}, "#monitoring"),
        (
            "web:blue_card_member_add",
            {"name": "asp. Nowak", "institution": "KPP", "role": "policjant", "on": "2026-03-04"},
            "#group",
        ),
    ]
    for name, data, anchor in posts:
        response = client.post(reverse(name, args=[card.pk]), data)
        assert response.status_code == 302 and response["Location"].endswith(anchor), (name, response.content[:2000])
    card.refresh_from_db()
    assert card.status == BlueCardStatus.IN_PROGRESS  # the first meeting
    page = client.get(reverse("web:blue_card", args=[card.pk])).content.decode()
    for text in ("Terapia", "Wizyta", "asp. Nowak", "Ocena"):
        assert text in page


def test_a_refused_status_move_is_409_with_the_reason_and_changes_nothing(client, pl_worker, card):
    login(client, pl_worker)
    response = client.post(reverse("web:blue_card_status", args=[card.pk]), {"to": "monitoring", "on": "2026-03-03"})
    assert response.status_code == 409 and "error-summary" in response.content.decode()
    card.refresh_from_db()
    assert card.status == BlueCardStatus.STARTED


def test_closing_needs_a_ground(client, pl_worker, card):
    login(client, pl_worker)
    response = client.post(reverse("web:blue_card_status", args=[card.pk]), {"to": "closed", "on": "2026-03-03"})
    assert response.status_code == 400
    card.refresh_from_db()
    assert card.status == BlueCardStatus.STARTED
    response = client.post(
        reverse("web:blue_card_status", args=[card.pk]),
        {"to": "closed", "on": "2026-03-03", "closure_ground": "not_justified"},
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.status, card.closure_ground) == (BlueCardStatus.CLOSED, "not_justified")


def test_an_invalid_form_is_400_with_the_field_named(client, pl_worker, family, card):
    login(client, pl_worker)
    response = client.post(
        reverse("web:blue_card_form_add", args=[card.pk]),
        {"form": "nk_d", "person": family["victim"].pk, "filled_on": "2026-03-04"},
    )
    assert response.status_code == 400
    assert "suspected of violence listed on the card" in response.content.decode()
    assert card.forms.count() == 1


# --- PDFs and what the suspect may see -----------------------------------------------------------------


def test_the_suspects_notice_context_holds_only_the_suspect_reference_day_and_place(family, card):
    context = suspect_notice_context(card, family["suspect"], meeting_on=DAY, place="GOPS, pok. 3", issued_on=DAY)
    assert set(context) == {"centre", "issued_on", "reference", "addressee", "meeting_on", "place"}
    assert context["addressee"] == {"name": "Marek Wrona", "address": "ul. Kolejowa 99, Wierzbica"}
    flat = repr(context)
    for victim in (family["victim"], family["child"]):
        for value in (victim.first_name, victim.last_name, victim.national_id):
            assert value not in flat
    assert "Różana" not in flat


def test_the_suspects_notice_pdf_names_no_victim(client, pl_worker, family, card):
    login(client, pl_worker)
    response = client.get(
        reverse("web:blue_card_notice_pdf", args=[card.pk]),
        {"suspect": family["suspect"].pk, "meeting_on": "2026-03-09", "place": "GOPS Moszczenica, pok. 3"},
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Marek Wrona" in text and card.reference in text and "pok. 3" in text and "Kolejowa 99" in text
    for victim in (family["victim"], family["child"]):
        for value in (victim.first_name, victim.last_name, victim.national_id):
            assert value not in text
    assert "Różana" not in text
    event = AuditEvent.objects.filter(object_type="blue_card", action="view").latest("id")
    assert event.changes == {"document": [None, "suspect_notice_pdf"]}


def test_the_notice_cannot_be_addressed_to_a_victim(client, pl_worker, family, card):
    login(client, pl_worker)
    response = client.get(
        reverse("web:blue_card_notice_pdf", args=[card.pk]),
        {"suspect": family["victim"].pk, "meeting_on": "2026-03-09", "place": "GOPS"},
    )
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")


def test_the_nka_pdf_lists_the_parties_for_the_group(client, pl_worker, family, card):
    login(client, pl_worker)
    response = client.get(reverse("web:blue_card_nka_pdf", args=[card.pk]))
    assert response.status_code == 200
    text = pdf_text(response.content)
    for value in (card.reference, "Agnieszka", "Zawadzka", "Marek", "Wrona", "85010112345", "przemoc psychiczna"):
        assert value in text, value


# --- no leak to non-members ---------------------------------------------------------------------------


def test_no_blue_card_on_person_household_pages_or_timelines_for_non_members(client, pl_worker2, family, card):
    login(client, pl_worker2)
    urls = [
        reverse("web:person_detail", args=[family["victim"].pk]),
        reverse("web:person_timeline", args=[family["victim"].pk]),
        reverse("web:household_detail", args=[family["victim_home"].pk]),
        reverse("web:household_timeline", args=[family["victim_home"].pk]),
        reverse("web:home"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        # (the nav may link to the list of Blue Cards; nothing names this card or counts cards)
        assert card.reference not in body and reverse("web:blue_card", args=[card.pk]) not in body, url
        assert "NK/" not in body and "suspected of violence" not in body, url
