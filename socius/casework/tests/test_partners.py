"""Partner institutions: created and changed by those who do casework, names unique per centre (any case),
deactivated instead of deleted, audited; another centre's partners are not found."""

import pytest

from socius.accounts.models import AuditEvent
from socius.casework.models import Partner, PartnerKind
from socius.casework.selectors_referrals import get_partner_for, list_partners_for
from socius.casework.services.referrals import create_partner, deactivate_partner, update_partner
from socius.casework.tests.factories_referrals import PartnerFactory
from socius.common.errors import Forbidden, NotFound, ValidationFailed


def _data(**overrides):
    data = {
        "name": "Sąd Rejonowy w Piotrkowie",
        "kind": PartnerKind.COURT,
        "address": "ul. Słowackiego 5",
        "phone": "44 123 45 67",
        "email": "sekretariat@example.org",
        "contact_person": "Jan Kowalski",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_create_partner_is_audited_with_its_values(pl_worker):
    partner = create_partner(pl_worker, _data())

    assert (partner.centre_id, partner.is_active, partner.created_by) == (pl_worker.centre_id, True, pl_worker)
    event = AuditEvent.objects.get(object_type="partner")
    assert (event.action, event.object_id, event.actor, event.centre_id) == (
        "create",
        partner.pk,
        pl_worker,
        pl_worker.centre_id,
    )
    assert event.changes == {
        "name": [None, "Sąd Rejonowy w Piotrkowie"],
        "kind": [None, "court"],
        "address": [None, "ul. Słowackiego 5"],
        "phone": [None, "44 123 45 67"],
        "email": [None, "sekretariat@example.org"],
        "contact_person": [None, "Jan Kowalski"],
        "is_active": [None, True],
    }


def test_partner_name_is_unique_in_the_centre_whatever_the_case(pl_worker):
    create_partner(pl_worker, _data())
    with pytest.raises(ValidationFailed) as exc:
        create_partner(pl_worker, _data(name="  SĄD REJONOWY W PIOTRKOWIE "))
    assert exc.value.errors == {"name": ["Your centre already has a partner institution with this name."]}
    assert Partner.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="partner").count() == 1


def test_same_name_is_allowed_in_another_centre(pl_worker, md_worker):
    create_partner(pl_worker, _data())
    partner = create_partner(md_worker, _data())
    assert partner.centre_id == md_worker.centre_id


def test_partner_needs_name_kind_and_a_valid_email(pl_worker):
    with pytest.raises(ValidationFailed) as exc:
        create_partner(pl_worker, _data(name=" ", kind="church", email="not-an-address"))
    assert exc.value.errors == {
        "name": ["Enter the institution's name."],
        "kind": ["Choose the kind of institution."],
        "email": ["Enter a valid e-mail address."],
    }
    assert not Partner.objects.exists()


@pytest.mark.parametrize("persona", ["pl_finance", "pl_auditor", "pl_admin"], indirect=True)
def test_only_those_who_do_casework_may_create_partners(persona):
    with pytest.raises(Forbidden):
        create_partner(persona, _data())
    assert not Partner.objects.exists()


@pytest.mark.parametrize("persona", ["pl_finance", "pl_auditor", "pl_worker"], indirect=True)
def test_everyone_who_sees_cases_may_read_the_directory(persona, pl_centre):
    partner = PartnerFactory(centre=pl_centre)
    assert list(list_partners_for(persona)) == [partner]


def test_update_partner_audits_only_what_changed(pl_worker):
    partner = create_partner(pl_worker, _data())
    updated = update_partner(pl_worker, partner.pk, {"phone": "44 000 00 00", "contact_person": "Jan Kowalski"})

    assert updated.phone == "44 000 00 00"
    event = AuditEvent.objects.filter(object_type="partner", action="update").get()
    assert event.changes == {"phone": ["44 123 45 67", "44 000 00 00"]}


def test_update_without_changes_writes_nothing(pl_worker):
    partner = create_partner(pl_worker, _data())
    update_partner(pl_worker, partner.pk, {"name": "Sąd Rejonowy w Piotrkowie"})
    assert not AuditEvent.objects.filter(object_type="partner", action="update").exists()


def test_renaming_to_another_partners_name_is_refused_and_changes_nothing(pl_worker, pl_centre):
    PartnerFactory(centre=pl_centre, name="Komenda Powiatowa Policji")
    partner = create_partner(pl_worker, _data())
    with pytest.raises(ValidationFailed) as exc:
        update_partner(pl_worker, partner.pk, {"name": "komenda powiatowa policji"})
    assert list(exc.value.errors) == ["name"]
    partner.refresh_from_db()
    assert partner.name == "Sąd Rejonowy w Piotrkowie"


def test_deactivated_partner_leaves_the_directory_but_stays(pl_worker, pl_centre):
    partner = create_partner(pl_worker, _data())
    deactivate_partner(pl_worker, partner.pk)

    partner.refresh_from_db()
    assert partner.is_active is False
    assert list(list_partners_for(pl_worker)) == []
    assert list(list_partners_for(pl_worker, active=None)) == [partner]
    assert list(list_partners_for(pl_worker, active=False)) == [partner]
    event = AuditEvent.objects.filter(object_type="partner", action="update").get()
    assert event.changes == {"is_active": [True, False]}


def test_directory_filters_by_kind_and_sorts_by_name(pl_centre, pl_worker):
    police = PartnerFactory(centre=pl_centre, name="Policja", kind=PartnerKind.POLICE)
    school_b = PartnerFactory(centre=pl_centre, name="B school", kind=PartnerKind.SCHOOL)
    school_a = PartnerFactory(centre=pl_centre, name="A school", kind=PartnerKind.SCHOOL)
    assert list(list_partners_for(pl_worker)) == [school_a, school_b, police]
    assert list(list_partners_for(pl_worker, kind=PartnerKind.SCHOOL)) == [school_a, school_b]


def test_another_centres_partner_is_not_found(pl_worker, md_centre):
    stranger = PartnerFactory(centre=md_centre)
    with pytest.raises(NotFound):
        get_partner_for(pl_worker, stranger.pk)
    with pytest.raises(NotFound):
        update_partner(pl_worker, stranger.pk, {"name": "Mine now"})
    assert list(list_partners_for(pl_worker)) == []
    stranger.refresh_from_db()
    assert stranger.name != "Mine now"
