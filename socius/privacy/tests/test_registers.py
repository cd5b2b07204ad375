"""The register of processing activities (seeded from the pack, kept by the DPO) and the breach log (the pack's
authority and deadline): who may read and write, what is checked, what is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from socius.accounts.models import AuditEvent
from socius.accounts.roles import Role
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.privacy.models_registers import DataBreach, ProcessingActivity
from socius.privacy.selectors_registers import get_breach_for, list_processing_activities_for
from socius.privacy.services_registers import (
    add_processing_activity,
    record_breach,
    seed_processing_activities,
    update_breach,
    update_processing_activity,
)
from socius.testing.factories import UserFactory

DISCOVERED = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def pl_dpo(pl_centre):
    return UserFactory(centre=pl_centre, role=Role.DATA_PROTECTION_OFFICER, username="pl_dpo")


def _state():
    return (
        list(ProcessingActivity.objects.values_list("id", "name", "is_active")),
        list(DataBreach.objects.values_list("id", "notified_at")),
        AuditEvent.objects.count(),
    )


def _breach(**extra):
    return {
        "title": "Lost laptop", "discovered_at": DISCOVERED, "nature": "confidentiality",
        "description": "A worker's laptop was stolen from a car.", "data_categories": "Names, addresses",
        "subjects_count": 120, "consequences": "Disclosure of addresses", "measures": "Disk was encrypted",
        "risk": "risk", **extra,
    }  # fmt: skip


@pytest.mark.parametrize(("centre", "name"), [("pl_centre", "Udzielanie pomocy społecznej"),
                                              ("md_centre", "Acordarea asistenței sociale"),
                                              ("lt_centre", "Socialinės paslaugos ir socialinis darbas")])  # fmt: skip
def test_the_register_is_seeded_from_the_countrys_pack_once(request, centre, name):
    centre = request.getfixturevalue(centre)
    dpo = UserFactory(centre=centre, role=Role.DATA_PROTECTION_OFFICER)
    added = seed_processing_activities(dpo)
    assert len(added) == 5 and added[0].name == name and added[0].code == "social_assistance"
    assert added[0].retention_keys == ["case_file", "contact", "registry_entry"]
    assert AuditEvent.objects.filter(object_type="processing_activity", action="create").count() == 5
    before = _state()
    assert seed_processing_activities(dpo) == []
    assert _state() == before


def test_the_dpo_adds_and_changes_an_entry_and_ends_it_without_deleting(pl_dpo):
    data = {"name": "Monitoring", "purpose": "Safety", "legal_basis": "art. 6 ust. 1 lit. f", "data_subjects": "Visitors",
            "data_categories": "Image", "retention": "3 months", "security_measures": "Locked room"}  # fmt: skip
    activity = add_processing_activity(pl_dpo, data)
    assert (activity.code, activity.is_active, activity.recipients) == ("", True, "")
    changed = update_processing_activity(pl_dpo, activity, {"retention": "1 month", "is_active": False})
    assert (changed.retention, changed.is_active) == ("1 month", False)
    event = AuditEvent.objects.get(object_type="processing_activity", action="update")
    assert event.changes == {"retention": ["3 months", "1 month"], "is_active": [True, False]}
    assert ProcessingActivity.objects.count() == 1


def test_an_entry_without_its_required_fields_is_refused_by_field(pl_dpo):
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        add_processing_activity(pl_dpo, {"name": " ", "is_active": "maybe"})
    assert set(refused.value.errors) == {"name", "purpose", "legal_basis", "data_subjects", "data_categories",
                                         "retention", "security_measures", "is_active"}  # fmt: skip
    assert _state() == before


def test_auditors_read_the_registers_and_workers_do_not_and_neither_writes(pl_dpo, pl_auditor, pl_worker):
    seed_processing_activities(pl_dpo)
    assert list_processing_activities_for(pl_auditor).count() == 5
    before = _state()
    for actor in (pl_auditor, pl_worker):
        with pytest.raises(Forbidden):
            seed_processing_activities(actor)
        with pytest.raises(Forbidden):
            record_breach(actor, _breach())
    with pytest.raises(Forbidden):
        list_processing_activities_for(pl_worker)
    assert _state() == before


def test_a_breach_gets_the_authority_and_the_deadline_of_the_pack(pl_dpo, md_director):
    breach = record_breach(pl_dpo, _breach())
    assert breach.authority == "Prezes Urzędu Ochrony Danych Osobowych (UODO)"
    assert breach.notification_due_at == DISCOVERED + dt.timedelta(hours=72)
    assert breach.notified_in_time is None
    event = AuditEvent.objects.get(object_type="data_breach", action="create")
    assert event.person_id is None and event.changes["title"] == [None, "Lost laptop"]
    md_breach = record_breach(md_director, _breach())
    assert md_breach.authority.endswith("(CNPDCP)")


def test_notification_in_time_and_late_with_its_reasons(pl_dpo):
    breach = record_breach(pl_dpo, _breach())
    on_time = update_breach(pl_dpo, breach, {"notified_at": DISCOVERED + dt.timedelta(hours=70)})
    assert on_time.notified_in_time is True
    late = DISCOVERED + dt.timedelta(hours=80)
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        update_breach(pl_dpo, breach, {"notified_at": late})
    assert list(refused.value.errors) == ["delay_reason"]
    assert _state() == before
    updated = update_breach(pl_dpo, breach, {"notified_at": late, "delay_reason": "Weekend, the DPO was away"})
    assert updated.notified_in_time is False


def test_times_are_checked(pl_dpo):
    with pytest.raises(ValidationFailed) as refused:
        record_breach(pl_dpo, _breach(occurred_at=DISCOVERED + dt.timedelta(hours=1),
                                      notified_at=DISCOVERED - dt.timedelta(hours=1)))  # fmt: skip
    assert set(refused.value.errors) == {"occurred_at", "notified_at"}
    with pytest.raises(ValidationFailed) as refused:
        record_breach(pl_dpo, _breach(discovered_at=timezone.now() + dt.timedelta(days=2), subjects_count=-1))
    assert set(refused.value.errors) == {"discovered_at", "subjects_count"}


def test_the_discovery_of_a_notified_breach_is_not_moved(pl_dpo):
    breach = record_breach(pl_dpo, _breach(notified_at=DISCOVERED + dt.timedelta(hours=5)))
    before = _state()
    with pytest.raises(Conflict):
        update_breach(pl_dpo, breach, {"discovered_at": DISCOVERED - dt.timedelta(hours=5)})
    assert _state() == before


def test_another_centres_breach_is_not_found(pl_dpo, md_director):
    breach = record_breach(pl_dpo, _breach())
    with pytest.raises(NotFound):
        get_breach_for(md_director, breach.pk)
    with pytest.raises(NotFound):
        update_breach(md_director, breach, {"title": "Mine"})
