"""Potential recipients: each becomes a contact ("citizen heard") or a referral in one step, once; the report
counts it once; refusals write nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from socius.accounts.models import AuditEvent
from socius.casework.models import Contact
from socius.casework.models_referrals import Referral
from socius.casework.tests.factories import CaseFactory
from socius.common.errors import Forbidden, NotFound, ValidationFailed
from socius.community.errors import AlreadyFollowedUp, InvalidCommunityTransition, TerritoryOutsideCentre
from socius.community.models import PotentialRecipient
from socius.community.recipients import dismiss, make_contact, record_potential_recipient, refer, reopen
from socius.community.selectors_outreach import outreach_counts
from socius.community.tests import outreach_fixtures as fx
from socius.registry.models import Person

tree = fx.tree
resident = fx.resident
planned_event = fx.planned_event
recipient = fx.recipient
partner = fx.partner
lt_auditor = fx.lt_auditor
lt_worker2 = fx.lt_worker2

ON = fx.ON


def test_a_potential_recipient_found_at_an_event_takes_its_territory_and_day(lt_worker, planned_event, tree):
    found = record_potential_recipient(
        lt_worker, {"event": planned_event.pk, "description": "Moteris su vaikais", "need": "Maistas"}, on=ON
    )
    assert (found.status, found.territory, found.found_on, found.found_by) == ("open", tree["jasiunai"], ON, lt_worker)
    assert AuditEvent.objects.filter(object_type="potential_recipient", object_id=found.pk, action="create").exists()


def test_a_potential_recipient_needs_a_name_or_description_and_a_need(lt_worker, tree):
    with pytest.raises(ValidationFailed) as failed:
        record_potential_recipient(lt_worker, {"territory": tree["village"].pk}, on=ON)
    assert set(failed.value.errors) == {"name", "need"}
    assert not PotentialRecipient.objects.exists()


def test_a_potential_recipient_outside_the_centres_area_is_refused(lt_worker, tree):
    with pytest.raises(TerritoryOutsideCentre):
        record_potential_recipient(
            lt_worker, {"name": "Jonas", "need": "Malkos", "territory": tree["outside"].pk}, on=ON
        )
    assert not PotentialRecipient.objects.exists()


def test_becoming_a_contact_records_an_outreach_contact_and_links_it(lt_worker, recipient, resident):
    make_contact(lt_worker, recipient.pk, {"person": resident.pk, "topics": ["elderly_care"]}, on=ON)

    recipient.refresh_from_db()
    contact = Contact.objects.get()
    assert (recipient.status, recipient.contact, recipient.person) == ("contacted", contact, resident)
    assert (recipient.converted_on, recipient.converted_by) == (ON, lt_worker)
    assert (contact.channel, contact.topics, contact.notes) == ("outreach", ["elderly_care"], "Pagalba į namus")
    assert list(contact.persons.all()) == [resident]
    audit = AuditEvent.objects.get(object_type="potential_recipient", object_id=recipient.pk)
    assert audit.person_id == resident.pk
    assert audit.changes["status"] == ["open", "contacted"]


def test_a_potential_recipient_becoming_a_contact_is_counted_once(lt_worker, lt_worker2, recipient, lt_centre):
    make_contact(lt_worker, recipient, {}, on=ON)

    with pytest.raises(AlreadyFollowedUp) as refused:
        make_contact(lt_worker2, recipient, {}, on=ON)
    with pytest.raises(AlreadyFollowedUp):
        refer(lt_worker2, recipient, {"partner": 1}, on=ON)

    assert refused.value.code == "already_followed_up"
    assert Contact.objects.count() == 1
    assert not Referral.objects.exists()
    counts = outreach_counts(lt_centre, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert (counts.recipients_found, counts.recipients_contacted, counts.recipients_referred) == (1, 1, 0)


def test_a_person_is_registered_on_the_way_to_the_contact(lt_worker, recipient, tree):
    make_contact(lt_worker, recipient, {"new_person": {"first_name": "Stanislav", "last_name": "Jankovski"}}, on=ON)

    recipient.refresh_from_db()
    person = Person.objects.get(last_name="Jankovski")
    assert (recipient.person, person.territory) == (person, tree["village"])
    assert list(recipient.contact.persons.all()) == [person]


def test_a_bad_new_person_is_refused_on_its_field_and_nothing_is_written(lt_worker, recipient):
    with pytest.raises(ValidationFailed) as failed:
        make_contact(lt_worker, recipient, {"new_person": {"first_name": "Stanislav"}}, on=ON)
    assert list(failed.value.errors) == ["new_person.last_name"]
    recipient.refresh_from_db()
    assert recipient.status == "open"
    assert not Contact.objects.exists()
    assert not Person.objects.exists()


def test_unknown_contact_topics_are_refused_and_the_recipient_stays_open(lt_worker, recipient):
    with pytest.raises(ValidationFailed) as failed:
        make_contact(lt_worker, recipient, {"topics": ["astrology"]}, on=ON)
    assert list(failed.value.errors) == ["topics"]
    recipient.refresh_from_db()
    assert (recipient.status, recipient.contact) == ("open", None)


def test_a_referral_is_made_on_the_persons_open_case(lt_worker, recipient, resident, partner, lt_centre):
    case = CaseFactory(centre=lt_centre, household=None, person=resident, assigned_worker=lt_worker)
    recipient.person = resident
    recipient.save()

    refer(lt_worker, recipient, {"partner": partner.pk}, on=ON)

    recipient.refresh_from_db()
    referral = Referral.objects.get()
    assert (recipient.status, recipient.referral, referral.case, referral.partner) == (
        "referred",
        referral,
        case,
        partner,
    )
    assert (referral.direction, referral.reason, referral.sent_on) == ("outgoing", "Pagalba į namus", ON)


def test_a_referral_without_a_case_is_refused_with_a_clear_message(lt_worker, recipient, partner):
    with pytest.raises(ValidationFailed) as failed:
        refer(lt_worker, recipient, {"partner": partner.pk}, on=ON)
    assert list(failed.value.errors) == ["case"]
    assert "Make a contact first" in str(failed.value.errors["case"][0])
    recipient.refresh_from_db()
    assert recipient.status == "open"
    assert not Referral.objects.exists()


def test_a_referral_on_a_case_the_worker_does_not_work_on_is_refused(
    lt_worker, recipient, resident, partner, lt_centre
):
    CaseFactory(centre=lt_centre, household=None, person=resident)  # another worker's case
    recipient.person = resident
    recipient.save()
    with pytest.raises(ValidationFailed) as failed:
        refer(lt_worker, recipient, {"partner": partner.pk}, on=ON)
    assert list(failed.value.errors) == ["case"]
    assert not Referral.objects.exists()


def test_dismissed_then_reopened_then_contacted(lt_worker, recipient):
    with pytest.raises(ValidationFailed):
        dismiss(lt_worker, recipient, reason="", on=ON)
    dismiss(lt_worker, recipient, reason="Išvyko", on=ON)
    recipient.refresh_from_db()
    assert (recipient.status, recipient.dismissed_reason) == ("dismissed", "Išvyko")

    with pytest.raises(InvalidCommunityTransition):
        make_contact(lt_worker, recipient, {}, on=ON)
    assert not Contact.objects.exists()

    reopen(lt_worker, recipient, on=ON)
    make_contact(lt_worker, recipient, {}, on=ON)
    recipient.refresh_from_db()
    assert recipient.status == "contacted"


def test_an_open_recipient_cannot_be_reopened(lt_worker, recipient):
    with pytest.raises(InvalidCommunityTransition):
        reopen(lt_worker, recipient, on=ON)


def test_the_auditor_may_not_follow_up_and_another_centre_does_not_find_it(lt_auditor, md_worker, recipient):
    with pytest.raises(Forbidden):
        make_contact(lt_auditor, recipient, {}, on=ON)
    with pytest.raises(NotFound):
        make_contact(md_worker, recipient, {}, on=ON)
    recipient.refresh_from_db()
    assert recipient.status == "open"
    assert not Contact.objects.exists()
