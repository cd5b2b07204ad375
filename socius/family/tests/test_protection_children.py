"""Children in difficulty: recording a child, risks, forms of care over time, closing, reassigning."""
# ruff: noqa: F811  (the fixtures are imported by name from protection_fixtures: their parameters shadow them)

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from socius.accounts.models import AuditEvent
from socius.casework.statuses import CaseStatus
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.family import protection as svc
from socius.family.errors import InvalidFamilyTransition
from socius.family.models import ChildInDifficulty, FamilyEvent, FamilyEventKind, Placement
from socius.family.selectors_protection import care_history, current_placement
from socius.family.statuses import ChildStatus
from socius.family.tests.protection_fixtures import (  # noqa: F401  (fixtures)
    DAY,
    case,
    child_record,
    daughter,
    english,
    family_team,
    household,
    md_case,
    mother,
    neighbour_child,
    other_case,
    pl_worker3,
    record,
    son,
)
from socius.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _counts():
    return (
        ChildInDifficulty.objects.count(),
        Placement.objects.count(),
        FamilyEvent.objects.count(),
        AuditEvent.objects.count(),
    )


# --- record_child ------------------------------------------------------------------------------------------


def test_recording_a_child_writes_the_record_the_first_form_of_care_the_case_event_and_audit(pl_worker, case, son):
    child = record(pl_worker, case, son, risks=["neglect", "violence", "neglect"], carer="matka")

    assert child.centre_id == case.centre_id and child.case_id == case.pk and child.child_id == son.pk
    assert child.risks == ["neglect", "violence"]
    assert child.status == ChildStatus.OPEN and child.responsible_worker_id == pl_worker.pk
    [placement] = care_history(child)
    assert (placement.form, placement.valid_from, placement.valid_until, placement.carer) == (
        "own_family",
        dt.date(2015, 6, 1),
        None,
        "matka",
    )
    assert placement.legal_basis.startswith("art. 2 ust. 1 ustawy o wspieraniu rodziny")  # the pack's basis
    [event] = FamilyEvent.objects.filter(case=case)
    assert event.kind == FamilyEventKind.CHILD_RECORDED and event.actor_id == pl_worker.pk
    assert event.data == {
        "record": child.pk,
        "child": son.pk,
        "risks": ["neglect", "violence"],
        "form_of_care": "own_family",
        "care_from": "2015-06-01",
        "identified_on": "2025-03-03",
        "responsible_worker": pl_worker.pk,
    }
    audits = AuditEvent.objects.filter(actor=pl_worker).order_by("id")
    assert [(a.action, a.object_type, a.person_id) for a in audits] == [
        ("create", "child_in_difficulty", son.pk),
        ("create", "placement", son.pk),
    ]
    assert audits[0].changes["risks"] == [None, ["neglect", "violence"]]


def test_the_case_person_of_a_single_person_case_can_be_recorded(pl_centre, pl_worker, family_team):
    from socius.casework.tests.factories import CaseFactory

    teen = PersonFactory(centre=pl_centre, birth_date=dt.date(2010, 1, 1))
    single = CaseFactory(centre=pl_centre, household=None, person=teen, assigned_worker=pl_worker, team=family_team)
    child = record(pl_worker, single, teen)
    assert child.child_id == teen.pk


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"risks": []}, "risks", "Choose at least one risk."),
        ({"risks": ["neglect", "witchcraft"]}, "risks", "Unknown code: witchcraft."),
        ({"risks": 7}, "risks", "Choose at least one risk."),
        ({"form_of_care": "orphanage"}, "form_of_care", "Choose the form of care."),
        ({"identified_on": "2025-03-03"}, "identified_on", "Enter a date."),
        ({"care_from": None}, "care_from", "Enter a date."),
        (
            {"responsible_worker": None},
            "responsible_worker",
            "Choose a worker of the centre who does child protection work.",
        ),
        ({"partner": 99999}, "partner", "Choose an active partner institution of the centre."),
        ({"carer": "x" * 301}, "carer", "Keep it to 300 characters."),
        ({"child": "1; drop table"}, "child", "Choose a child of the case's household."),
        ({"child": True}, "child", "Choose a child of the case's household."),
    ],
)
def test_record_child_refuses_bad_input_per_field_and_writes_nothing(pl_worker, case, son, overrides, field, message):
    before = _counts()
    child = overrides.pop("child", son)
    with pytest.raises(ValidationFailed) as caught:
        record(pl_worker, case, child, **overrides)
    assert caught.value.errors[field] == [message]
    assert _counts() == before


def test_record_child_collects_every_field_error_at_once(pl_worker, case, son):
    with pytest.raises(ValidationFailed) as caught:
        record(pl_worker, case, son, risks=[], form_of_care="", care_from="x", responsible_worker=0)
    assert set(caught.value.errors) == {"risks", "form_of_care", "care_from", "responsible_worker"}


def test_a_child_outside_the_case_household_is_refused(pl_worker, case, neighbour_child):
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        record(pl_worker, case, neighbour_child)
    assert caught.value.errors == {
        "child": ["The child must be the case's client or a member of its household on that day."]
    }
    assert _counts() == before


def test_a_child_who_left_the_household_before_the_day_is_refused(pl_worker, case, son):
    son.memberships.update(valid_until=dt.date(2025, 1, 1))
    with pytest.raises(ValidationFailed) as caught:
        record(pl_worker, case, son)
    assert list(caught.value.errors) == ["child"]
    # ...but on a day when the child still lived there, the record is taken.
    assert record(pl_worker, case, son, identified_on=dt.date(2024, 12, 31)).child_id == son.pk


def test_a_grown_up_is_refused_and_a_minor_the_day_before_the_18th_birthday_is_taken(pl_worker, case, daughter):
    with pytest.raises(ValidationFailed) as caught:
        record(pl_worker, case, daughter, identified_on=DAY)
    assert caught.value.errors == {"child": ["Only a minor (under 18) can be recorded as a child in difficulty."]}
    assert ChildInDifficulty.objects.count() == 0
    assert record(pl_worker, case, daughter, identified_on=DAY - dt.timedelta(days=1)).child_id == daughter.pk


def test_a_child_without_a_birth_date_or_not_yet_born_is_refused(pl_worker, case, son):
    son.birth_date = None
    son.save(update_fields=["birth_date"])
    with pytest.raises(ValidationFailed) as caught:
        record(pl_worker, case, son)
    assert caught.value.errors == {"child": ["The child's birth date is not in the registry: record it first."]}
    son.birth_date = dt.date(2025, 6, 1)
    son.save(update_fields=["birth_date"])
    with pytest.raises(ValidationFailed) as caught:
        record(pl_worker, case, son)
    assert caught.value.errors == {"child": ["The child was not yet born on that day."]}


def test_a_child_already_open_in_the_centre_is_not_recorded_twice(pl_worker, case, son, child_record):
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        record(pl_worker, case, son)
    assert caught.value.errors == {"child": ["This child is already recorded as in difficulty in the centre."]}
    assert _counts() == before


def test_field_errors_are_translated_into_the_active_language(pl_worker, case, son):
    from django.utils import translation

    with translation.override("pl"), pytest.raises(ValidationFailed) as caught:
        record(pl_worker, case, son, risks=["witchcraft"], care_from="jutro")
    assert caught.value.errors == {"risks": ["Nieznany kod: witchcraft."], "care_from": ["Podaj datę."]}
    with translation.override("ru"), pytest.raises(ValidationFailed) as caught:
        record(pl_worker, case, son, care_from=None)
    assert caught.value.errors == {"care_from": ["Укажите дату."]}
    assert ChildInDifficulty.objects.count() == 0


def test_another_centres_worker_gets_not_found_and_nothing_is_written(md_worker, case, son):
    before = _counts()
    with pytest.raises(NotFound):
        record(md_worker, case, son)
    assert _counts() == before


@pytest.mark.parametrize("who", ["pl_worker2", "pl_worker3", "pl_finance", "pl_auditor"])
def test_staff_who_do_not_work_the_case_are_refused_and_nothing_is_written(request, case, son, who):
    actor = request.getfixturevalue(who)
    before = _counts()
    with pytest.raises(Forbidden):
        record(actor, case, son, responsible_worker=case.assigned_worker)
    assert _counts() == before


def test_the_team_leader_and_the_director_may_record_on_the_case(
    pl_teamlead, pl_director, pl_worker, case, son, mother
):
    assert record(pl_teamlead, case, son, responsible_worker=pl_worker).created_by_id == pl_teamlead.pk


def test_a_closed_case_takes_no_new_child(pl_worker, case, son):
    case.status = CaseStatus.CLOSED
    case.closed_on = DAY
    case.closure_reason = "goals_achieved"
    case.save()
    with pytest.raises(Conflict):
        record(pl_worker, case, son)
    assert ChildInDifficulty.objects.count() == 0


def test_an_md_child_gets_the_md_statutory_basis_for_the_form_of_care(md_worker, md_case):
    child = record(md_worker, md_case, md_case.test_child, form_of_care="foster_family", carer="APP Rusu")
    assert current_placement(child).legal_basis == "HG nr. 760/2014"


# --- forms of care -----------------------------------------------------------------------------------------


def test_changing_the_form_of_care_ends_the_current_one_and_keeps_one_current(pl_worker, child_record):
    svc.change_form_of_care(pl_worker, child_record, form="foster_family", valid_from=dt.date(2025, 4, 1), carer="X")
    svc.change_form_of_care(pl_worker, child_record.pk, form="own_family", valid_from=dt.date(2025, 9, 1))

    history = care_history(child_record)
    assert [(p.form, p.valid_from, p.valid_until) for p in history] == [
        ("own_family", dt.date(2015, 6, 1), dt.date(2025, 4, 1)),
        ("foster_family", dt.date(2025, 4, 1), dt.date(2025, 9, 1)),
        ("own_family", dt.date(2025, 9, 1), None),
    ]
    assert Placement.objects.filter(record=child_record, valid_until__isnull=True).count() == 1
    assert history[1].legal_basis.startswith("art. 41 ust. 1 pkt 2 i 3")
    changes = FamilyEvent.objects.filter(case=child_record.case, kind=FamilyEventKind.CARE_CHANGED).order_by("id")
    assert [(e.data["from"], e.data["to"], e.data["valid_from"]) for e in changes] == [
        ("own_family", "foster_family", "2025-04-01"),
        ("foster_family", "own_family", "2025-09-01"),
    ]
    assert AuditEvent.objects.filter(object_type="placement", action="update").count() == 2


def test_another_carer_in_the_same_form_is_a_change_but_the_same_one_is_not(pl_worker, child_record):
    svc.change_form_of_care(pl_worker, child_record, form="foster_family", valid_from=dt.date(2025, 4, 1), carer="A")
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        svc.change_form_of_care(
            pl_worker, child_record, form="foster_family", valid_from=dt.date(2025, 5, 1), carer="A"
        )
    assert caught.value.errors == {"form": ["The child is already in this form of care."]}
    assert _counts() == before
    svc.change_form_of_care(pl_worker, child_record, form="foster_family", valid_from=dt.date(2025, 5, 1), carer="B")
    assert [p.carer for p in care_history(child_record)] == ["", "A", "B"]


def test_a_new_form_of_care_cannot_start_before_or_with_the_current_one(pl_worker, child_record):
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        svc.change_form_of_care(pl_worker, child_record, form="foster_family", valid_from=dt.date(2015, 6, 1))
    assert caught.value.errors == {
        "valid_from": ["The new form of care must start after the current one (from 2015-06-01)."]
    }
    assert _counts() == before


def test_a_worker_who_does_not_read_the_case_cannot_change_the_care(pl_worker2, md_worker, child_record):
    before = _counts()
    with pytest.raises(Forbidden):
        svc.change_form_of_care(pl_worker2, child_record, form="foster_family", valid_from=dt.date(2025, 4, 1))
    with pytest.raises(NotFound):
        svc.change_form_of_care(md_worker, child_record, form="foster_family", valid_from=dt.date(2025, 4, 1))
    assert _counts() == before


def test_the_responsible_worker_works_the_child_without_reading_the_case(pl_worker, pl_worker2, case, son):
    child = record(pl_worker, case, son, responsible_worker=pl_worker2)
    svc.change_form_of_care(pl_worker2, child, form="extended_family", valid_from=dt.date(2025, 4, 1))
    assert current_placement(child).form == "extended_family"


# --- risks, closing, reassigning ---------------------------------------------------------------------------


def test_updating_risks_writes_the_change_and_nothing_when_unchanged(pl_worker, child_record):
    svc.update_risks(pl_worker, child_record, risks=["violence", "begging"], on=dt.date(2025, 4, 1), note="po wizycie")
    child_record.refresh_from_db()
    assert child_record.risks == ["violence", "begging"]
    [event] = FamilyEvent.objects.filter(kind=FamilyEventKind.RISKS_CHANGED)
    assert event.data == {
        "record": child_record.pk,
        "child": child_record.child_id,
        "risks": ["violence", "begging"],
        "from": ["neglect"],
        "on": "2025-04-01",
    }
    audit = AuditEvent.objects.get(object_type="child_in_difficulty", action="update")
    assert audit.changes["risks"] == [["neglect"], ["violence", "begging"]] and audit.changes["note"] == [
        None,
        "po wizycie",
    ]
    before = _counts()
    svc.update_risks(pl_worker, child_record, risks=["violence", "begging"], on=dt.date(2025, 4, 2))
    assert _counts() == before


def test_closing_a_child_and_closing_again_is_an_invalid_transition(pl_worker, child_record):
    svc.close_child(pl_worker, child_record, closed_on=dt.date(2025, 6, 1), note="Sytuacja ustabilizowana")
    child_record.refresh_from_db()
    assert (child_record.status, child_record.closed_on) == (ChildStatus.CLOSED, dt.date(2025, 6, 1))
    assert FamilyEvent.objects.filter(kind=FamilyEventKind.CHILD_CLOSED).count() == 1
    before = _counts()
    with pytest.raises(InvalidFamilyTransition):
        svc.close_child(pl_worker, child_record, closed_on=dt.date(2025, 7, 1), note="again")
    with pytest.raises(Conflict):
        svc.update_risks(pl_worker, child_record, risks=["violence"], on=dt.date(2025, 7, 1))
    assert _counts() == before


def test_closing_needs_a_note_and_a_date_after_identification(pl_worker, child_record):
    with pytest.raises(ValidationFailed) as caught:
        svc.close_child(pl_worker, child_record, closed_on=dt.date(2020, 1, 1), note=" ")
    assert caught.value.errors == {
        "closed_on": ["The date cannot be before the child was identified."],
        "note": ["Say why the child is no longer in difficulty."],
    }
    child_record.refresh_from_db()
    assert child_record.status == ChildStatus.OPEN


def test_reassigning_the_child_to_another_worker(pl_worker, pl_worker2, pl_finance, child_record):
    svc.reassign_child(pl_worker, child_record, worker=pl_worker2)
    child_record.refresh_from_db()
    assert child_record.responsible_worker_id == pl_worker2.pk
    audit = AuditEvent.objects.get(object_type="child_in_difficulty", action="update")
    assert audit.changes == {"responsible_worker": [pl_worker.pk, pl_worker2.pk]}
    with pytest.raises(ValidationFailed) as caught:
        svc.reassign_child(pl_worker, child_record, worker=pl_finance)
    assert list(caught.value.errors) == ["worker"]


def test_record_child_runs_a_bounded_number_of_queries(pl_worker, case, son):
    with CaptureQueriesContext(connection) as queries:
        record(pl_worker, case, son)
    assert len(queries) <= 25
