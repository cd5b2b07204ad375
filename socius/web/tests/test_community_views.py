"""UI: community work (issue 11) — the outreach list and its filters, planning an event from the territory
tree, the event's page (recorded as held with partners, named attendees by consent, leaflets per service,
follow-ups; cancelled and planned again), potential recipients followed up in one step each (a contact counted
once, a referral refused without an open case, dismissed and reopened), the territory map (an SVG whose areas are
named links, not told by colour alone) with its table, and the diagnosis. Refusals say why and write nothing;
who may see and do what; reads that name persons are audited."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from socius.accounts.models import AuditEvent
from socius.accounts.roles import Role
from socius.casework.models import Contact
from socius.casework.models_referrals import Partner, Referral
from socius.community.models import EventAttendee, LeafletCount, OutreachEvent, PotentialRecipient
from socius.community.outreach import leaflet_services
from socius.testing.factories import PersonFactory, TerritoryFactory, UserFactory

TODAY = timezone.localdate()


@pytest.fixture
def tree(lt_centre):
    root = lt_centre.territory
    jasiunai = TerritoryFactory(jurisdiction="LT", level="eldership", name="Jašiūnų seniūnija", parent=root)
    turgeliai = TerritoryFactory(jurisdiction="LT", level="eldership", name="Turgelių seniūnija", parent=root)
    butrimonys = TerritoryFactory(jurisdiction="LT", level="eldership", name="Butrimonių seniūnija", parent=root)
    village = TerritoryFactory(jurisdiction="LT", level="village", name="Jašiūnai", parent=jasiunai)
    village2 = TerritoryFactory(jurisdiction="LT", level="village", name="Rudaminka", parent=jasiunai)
    other_root = TerritoryFactory(jurisdiction="LT", level="district", name="Vilniaus r. sav.")
    outside = TerritoryFactory(jurisdiction="LT", level="eldership", name="Nemėžio seniūnija", parent=other_root)
    return {
        "root": root, "jasiunai": jasiunai, "turgeliai": turgeliai, "butrimonys": butrimonys, "village": village,
        "village2": village2, "outside": outside,
    }  # fmt: skip


def _user(centre, role, username):
    return UserFactory(username=username, centre=centre, role=role, first_name=username.title(), last_name="Test")


@pytest.fixture
def lt_auditor(lt_centre):
    return _user(lt_centre, Role.AUDITOR, "lt_auditor")


@pytest.fixture
def lt_carer(lt_centre):
    return _user(lt_centre, Role.CARER, "lt_carer")


@pytest.fixture
def planned(lt_centre, lt_worker, tree):
    event = OutreachEvent.objects.create(
        centre=lt_centre, territory=tree["village"], kind="information_meeting", date=TODAY, place="Seniūnijos salė"
    )
    event.staff.set([lt_worker])
    return event


@pytest.fixture
def held(lt_centre, tree):
    return OutreachEvent.objects.create(
        centre=lt_centre, territory=tree["turgeliai"], kind="preventive_session", date=TODAY - dt.timedelta(days=3),
        status="held", headcount=14,
    )  # fmt: skip


@pytest.fixture
def recipient(lt_centre, lt_worker, planned, tree):
    return PotentialRecipient.objects.create(
        centre=lt_centre, event=planned, description="Senyvo amžiaus vyras, gyvena vienas",
        need="Pagalba į namus", territory=tree["village"], found_by=lt_worker, found_on=TODAY,
    )  # fmt: skip


@pytest.fixture
def partner(lt_centre):
    return Partner.objects.create(centre=lt_centre, name="Šalčininkų rajono PSPC", kind="health_service")


def _services(lt_centre):
    return leaflet_services(lt_centre.jurisdiction, "lt")


def held_post(event, **extra) -> dict:
    data = {
        "held_on": TODAY.isoformat(), "headcount": "23", "questions": "Kaip gauti pagalbą į namus?", "notes": "",
        "held-partners-TOTAL_FORMS": "3", "held-partners-INITIAL_FORMS": "0",
        "held-partners-0-role": "elder", "held-partners-0-name": "Seniūnas Petras",
        "attendees-TOTAL_FORMS": "3", "attendees-INITIAL_FORMS": "0",
        "attendees-0-name": "Ona Kazlauskienė", "attendees-0-consent": "written",
        "followups-TOTAL_FORMS": "2", "followups-INITIAL_FORMS": "0",
        "followups-0-text": "Atsiųsti lankstinukus mokyklai",
        "leaflets_0": "12", "leaflets_1": "5",
    }  # fmt: skip
    data.update(extra)
    return data


# --- the list and planning ----------------------------------------------------------------------------------


def test_the_list_shows_the_centres_events_and_narrows_to_a_territory(client, lt_worker, planned, held, tree):
    client.force_login(lt_worker)
    response = client.get(reverse("web:outreach_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("web:outreach_event", args=[planned.pk]) in body
    assert reverse("web:outreach_event", args=[held.pk]) in body
    narrowed = client.get(reverse("web:outreach_list"), {"territory": tree["jasiunai"].pk}).content.decode()
    assert reverse("web:outreach_event", args=[planned.pk]) in narrowed
    assert reverse("web:outreach_event", args=[held.pk]) not in narrowed


def test_a_bad_filter_answers_400_naming_the_field_not_500(client, lt_worker, planned):
    client.force_login(lt_worker)
    response = client.get(reverse("web:outreach_list"), {"date_from": "yesterday", "territory": "x"})
    assert response.status_code == 400
    assert 'href="#filter_date_from"' in response.content.decode()


def test_the_territory_picker_offers_only_the_centres_area_named_by_path(client, lt_worker, tree):
    client.force_login(lt_worker)
    body = client.get(reverse("web:outreach_new")).content.decode()
    assert "Jašiūnų seniūnija › Jašiūnai" in body
    assert "Nemėžio seniūnija" not in body


def test_a_worker_plans_an_event_with_a_partner_and_lands_on_its_page(client, lt_worker, tree):
    client.force_login(lt_worker)
    data = {
        "territory": tree["village"].pk, "kind": "information_meeting", "title": "Informacinis susitikimas",
        "date": (TODAY + dt.timedelta(days=7)).isoformat(), "starts_at": "10:00", "ends_at": "12:00",
        "place": "Jašiūnų kultūros namai", "staff": [lt_worker.pk],
        "partners-TOTAL_FORMS": "3", "partners-INITIAL_FORMS": "0",
        "partners-0-role": "elder", "partners-0-name": "Jonas Jonaitis",
    }  # fmt: skip
    response = client.post(reverse("web:outreach_new"), data)
    event = OutreachEvent.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:outreach_event", args=[event.pk])
    assert (event.territory, event.status, event.place) == (tree["village"], "planned", "Jašiūnų kultūros namai")
    assert list(event.partners.values_list("role", "name")) == [("elder", "Jonas Jonaitis")]
    assert list(event.staff.all()) == [lt_worker]


def test_planning_with_an_end_before_the_start_is_refused_with_the_reason_and_nothing_written(client, lt_worker, tree):
    client.force_login(lt_worker)
    data = {
        "territory": tree["village"].pk, "kind": "information_meeting", "date": TODAY.isoformat(),
        "starts_at": "12:00", "ends_at": "10:00", "partners-TOTAL_FORMS": "3", "partners-INITIAL_FORMS": "0",
        "partners-1-name": "Be vaidmens",
    }  # fmt: skip
    response = client.post(reverse("web:outreach_new"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="error-summary"' in body and 'href="#plan_ends_at"' in body
    assert 'href="#id_partners-1-role"' in body
    assert not OutreachEvent.objects.exists()


def test_a_territory_of_another_area_cannot_be_chosen(client, lt_worker, tree):
    client.force_login(lt_worker)
    data = {"territory": tree["outside"].pk, "kind": "training", "date": TODAY.isoformat(),
            "partners-TOTAL_FORMS": "0", "partners-INITIAL_FORMS": "0"}  # fmt: skip
    assert client.post(reverse("web:outreach_new"), data).status_code == 400
    assert not OutreachEvent.objects.exists()


# --- the event's page ---------------------------------------------------------------------------------------


def test_recording_the_event_as_held_keeps_leaflets_attendees_partners_and_follow_ups(client, lt_worker, planned):
    lt_worker.language = "lt"  # the page in the reader's language: the leaflets named in Lithuanian
    lt_worker.save(update_fields=["language"])
    client.force_login(lt_worker)
    page = client.get(reverse("web:outreach_event", args=[planned.pk])).content.decode()
    services = _services(planned.centre)
    assert services[0][1] in page  # a leaflet field per service of the catalogue, named in the reader's words
    response = client.post(reverse("web:outreach_held", args=[planned.pk]), held_post(planned))
    assert response.status_code == 302
    planned.refresh_from_db()
    assert (planned.status, planned.headcount) == ("held", 23)
    assert sorted(LeafletCount.objects.filter(event=planned).values_list("service_code", "count")) == sorted(
        [(services[0][0], 12), (services[1][0], 5)]
    )
    assert list(EventAttendee.objects.filter(event=planned).values_list("name", "consent")) == [
        ("Ona Kazlauskienė", "written")
    ]
    assert list(planned.partners.values_list("role", "name")) == [("elder", "Seniūnas Petras")]
    assert list(planned.follow_ups.values_list("text", flat=True)) == ["Atsiųsti lankstinukus mokyklai"]
    page = client.get(reverse("web:outreach_event", args=[planned.pk])).content.decode()
    assert "Ona Kazlauskienė" in page and 'id="event-leaflets"' in page


def test_a_named_attendee_without_consent_is_refused_and_nothing_is_written(client, lt_worker, planned):
    client.force_login(lt_worker)
    data = held_post(planned, **{"attendees-0-consent": ""})
    response = client.post(reverse("web:outreach_held", args=[planned.pk]), data)
    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()
    planned.refresh_from_db()
    assert planned.status == "planned" and not EventAttendee.objects.exists() and not LeafletCount.objects.exists()


def test_a_held_event_cannot_be_recorded_again_409_with_the_reason(client, lt_worker, held):
    client.force_login(lt_worker)
    response = client.post(reverse("web:outreach_held", args=[held.pk]), held_post(held))
    assert response.status_code == 409
    assert 'id="error-summary"' in response.content.decode()
    held.refresh_from_db()
    assert held.headcount == 14 and not LeafletCount.objects.exists()


def test_cancel_then_plan_again(client, lt_worker, planned):
    client.force_login(lt_worker)
    refused = client.post(reverse("web:outreach_cancel", args=[planned.pk]), {"reason": ""})
    assert refused.status_code == 400
    planned.refresh_from_db()
    assert planned.status == "planned"
    assert client.post(reverse("web:outreach_cancel", args=[planned.pk]), {"reason": "Pūga"}).status_code == 302
    planned.refresh_from_db()
    assert (planned.status, planned.cancelled_reason) == ("cancelled", "Pūga")
    new_day = TODAY + dt.timedelta(days=14)
    response = client.post(reverse("web:outreach_replan", args=[planned.pk]), {"date": new_day.isoformat()})
    assert response.status_code == 302
    planned.refresh_from_db()
    assert (planned.status, planned.date) == ("planned", new_day)


def test_the_event_page_is_audited_under_the_persons_it_names(client, lt_worker, lt_centre, planned, tree):
    person = PersonFactory(centre=lt_centre, first_name="Janina", last_name="Sakalauskienė")
    PotentialRecipient.objects.create(
        centre=lt_centre, event=planned, name="Janina Sakalauskienė", person=person, need="Malkos žiemai",
        found_by=lt_worker, found_on=TODAY,
    )  # fmt: skip
    client.force_login(lt_worker)
    assert client.get(reverse("web:outreach_event", args=[planned.pk])).status_code == 200
    event = AuditEvent.objects.filter(actor=lt_worker, action="view", object_id=planned.pk).latest("id")
    assert event.person_id == person.pk or person.pk in set(event.persons.values_list("person_id", flat=True))


# --- potential recipients -----------------------------------------------------------------------------------


def test_a_potential_recipient_recorded_at_the_event_takes_its_territory(client, lt_worker, planned, tree):
    client.force_login(lt_worker)
    data = {"name": "Ona Petrauskienė", "need": "Sunku pasiekti parduotuvę", "place": "Mokyklos g. 3"}
    response = client.post(reverse("web:outreach_recipient_new", args=[planned.pk]), data)
    recipient = PotentialRecipient.objects.get()
    assert response.status_code == 302 and f"#recipient-{recipient.pk}" in response["Location"]
    assert (recipient.event, recipient.territory, recipient.status) == (planned, tree["village"], "open")


def test_a_recipient_without_name_or_description_is_refused(client, lt_worker, planned):
    client.force_login(lt_worker)
    response = client.post(reverse("web:outreach_recipient_new", args=[planned.pk]), {"need": "Pagalba"})
    assert response.status_code == 400
    assert 'href="#recipient_name"' in response.content.decode()
    assert not PotentialRecipient.objects.exists()


def test_make_contact_records_one_outreach_contact_and_a_second_try_is_refused(client, lt_worker, recipient):
    client.force_login(lt_worker)
    url = reverse("web:recipient_contact", args=[recipient.pk])
    response = client.post(url, {"notes": "Aplankyta namuose"})
    assert response.status_code == 302
    recipient.refresh_from_db()
    contact = Contact.objects.get()
    assert (recipient.status, recipient.contact, contact.channel) == ("contacted", contact, "outreach")
    page = client.get(reverse("web:outreach_event", args=[recipient.event_id])).content.decode()
    assert reverse("web:contact_detail", args=[contact.pk]) in page
    again = client.post(url, {"notes": "Dar kartą"})
    assert again.status_code == 409
    assert Contact.objects.count() == 1


def test_refer_without_an_open_case_is_refused_with_the_reason(client, lt_worker, recipient, partner):
    client.force_login(lt_worker)
    response = client.post(reverse("web:recipient_refer", args=[recipient.pk]), {"partner": partner.pk})
    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()
    recipient.refresh_from_db()
    assert recipient.status == "open" and not Referral.objects.exists()


def test_dismiss_then_reopen_from_the_list(client, lt_worker, recipient):
    client.force_login(lt_worker)
    back = reverse("web:potential_recipients")
    response = client.post(reverse("web:recipient_dismiss", args=[recipient.pk]), {"reason": "Persikėlė", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    recipient.refresh_from_db()
    assert (recipient.status, recipient.dismissed_reason) == ("dismissed", "Persikėlė")
    assert client.post(reverse("web:recipient_reopen", args=[recipient.pk]), {"next": back}).status_code == 302
    recipient.refresh_from_db()
    assert recipient.status == "open"


def test_the_list_of_recipients_shows_those_to_follow_up_and_records_a_standalone_one(client, lt_worker, recipient):
    client.force_login(lt_worker)
    body = client.get(reverse("web:potential_recipients")).content.decode()
    assert "Senyvo amžiaus vyras" in body and f'id="recipient-{recipient.pk}"' in body
    response = client.post(reverse("web:potential_recipients"), {"name": "Kaimynė Zofija", "need": "Vieniša"})
    assert response.status_code == 302
    assert PotentialRecipient.objects.filter(name="Kaimynė Zofija", event=None).exists()


# --- the territory map and the diagnosis --------------------------------------------------------------------


def test_the_map_names_every_area_and_tells_states_by_symbol_as_well_as_colour(client, lt_worker, planned, held, tree):
    client.force_login(lt_worker)
    response = client.get(reverse("web:territory_view"))
    assert response.status_code == 200
    body = response.content.decode()
    svg = body[body.index('<svg class="territory-map"') : body.index("</svg>", body.index("territory-map"))]
    links = re.findall(r'<a href="[^"]+\?territory=(\d+)" class="map-area" aria-label="([^"]+)"', svg)
    assert {int(pk) for pk, _label in links} == {t.pk for k, t in tree.items() if k not in ("root", "outside")}
    labels = {int(pk): label for pk, label in links}
    assert labels[tree["turgeliai"].pk].startswith("Turgelių seniūnija: ")
    assert "<title>" in svg and 'id="pattern-planned"' in body
    assert "✓" in svg and "◷" in svg  # visited and planned told by a symbol, not by the colour alone
    table = body[body.index('id="territory-table"') :]
    assert "Jašiūnai" in table and "Butrimonių seniūnija" in table and "Nemėžio" not in body


def test_the_diagnosis_counts_the_territory_without_naming_anyone(client, lt_worker, lt_centre, recipient, tree):
    client.force_login(lt_worker)
    response = client.get(reverse("web:community_diagnosis"), {"territory": tree["jasiunai"].pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Jašiūnų seniūnija" in body and 'id="diagnosis-recipients"' in body
    assert client.get(reverse("web:community_diagnosis"), {"territory": tree["outside"].pk}).status_code == 400


# --- who may see and do what --------------------------------------------------------------------------------


def test_an_auditor_reads_the_pages_but_is_offered_no_writes_and_refused_them(client, lt_auditor, planned, recipient):
    client.force_login(lt_auditor)
    page = client.get(reverse("web:outreach_event", args=[planned.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("web:outreach_held", args=[planned.pk]) not in body
    assert reverse("web:recipient_contact", args=[recipient.pk]) not in body
    assert client.post(reverse("web:outreach_held", args=[planned.pk]), held_post(planned)).status_code == 403
    assert client.post(reverse("web:recipient_contact", args=[recipient.pk]), {}).status_code == 403
    assert client.get(reverse("web:outreach_new")).status_code == 403
    planned.refresh_from_db()
    recipient.refresh_from_db()
    assert planned.status == "planned" and recipient.status == "open" and not Contact.objects.exists()


def test_a_carer_sees_no_community_pages(client, lt_carer, planned):
    client.force_login(lt_carer)
    for url in (reverse("web:outreach_list"), reverse("web:territory_view"), reverse("web:potential_recipients")):
        assert client.get(url).status_code == 403
    assert reverse("web:outreach_list") not in client.get(reverse("web:home")).content.decode()


def test_another_centres_event_and_recipient_are_not_found(client, pl_worker, planned, recipient):
    client.force_login(pl_worker)
    assert client.get(reverse("web:outreach_event", args=[planned.pk])).status_code == 404
    assert client.post(reverse("web:recipient_dismiss", args=[recipient.pk]), {"reason": "x"}).status_code == 404
    recipient.refresh_from_db()
    assert recipient.status == "open"


def test_the_header_offers_community_to_those_who_read_cases(client, lt_worker):
    client.force_login(lt_worker)
    assert f'href="{reverse("web:outreach_list")}"' in client.get(reverse("web:home")).content.decode()


# --- bounded reads ------------------------------------------------------------------------------------------


def test_the_list_pages_read_a_bounded_number_of_queries(client, lt_worker, lt_centre, planned, tree, partner,
                                                         django_assert_max_num_queries):  # fmt: skip
    for n in range(20):
        OutreachEvent.objects.create(centre=lt_centre, territory=tree["village2"], kind="training", date=TODAY)
        PotentialRecipient.objects.create(
            centre=lt_centre, event=planned, name=f"Asmuo {n}", need="Pagalba", found_by=lt_worker, found_on=TODAY
        )
    client.force_login(lt_worker)
    client.get(reverse("web:potential_recipients"))  # warm the pack's code lists
    with django_assert_max_num_queries(25):
        assert client.get(reverse("web:outreach_list")).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("web:potential_recipients")).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(reverse("web:outreach_event", args=[planned.pk])).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("web:territory_view")).status_code == 200


def test_a_planned_event_is_changed_and_a_held_one_is_refused(client, lt_worker, planned, held, tree):
    client.force_login(lt_worker)
    page = client.get(reverse("web:outreach_edit", args=[planned.pk])).content.decode()
    assert "Seniūnijos salė" in page
    data = {
        "territory": tree["village2"].pk, "kind": "preventive_session", "date": TODAY.isoformat(),
        "place": "Rudaminkos mokykla", "partners-TOTAL_FORMS": "1", "partners-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = client.post(reverse("web:outreach_edit", args=[planned.pk]), data)
    assert response.status_code == 302
    planned.refresh_from_db()
    assert (planned.territory, planned.kind, planned.place) == (
        tree["village2"],
        "preventive_session",
        "Rudaminkos mokykla",
    )
    refused = client.post(reverse("web:outreach_edit", args=[held.pk]), {**data, "place": "Kitur"})
    assert refused.status_code == 409
    held.refresh_from_db()
    assert held.place == "" and held.territory == tree["turgeliai"]


def test_the_list_shows_each_events_leaflets_and_recipients(client, lt_worker, planned, recipient):
    LeafletCount.objects.create(event=planned, service_code="lt.home_help", count=9)
    client.force_login(lt_worker)
    body = client.get(reverse("web:outreach_list")).content.decode()
    row = body[body.index(reverse("web:outreach_event", args=[planned.pk])) :].split("</tr>")[0]
    assert "<bdi>Jašiūnų seniūnija</bdi> › <bdi>Jašiūnai</bdi>" in row
    assert re.findall(r'class="num">([^<]*)</td>', row) == ["—", "9", "1"]
