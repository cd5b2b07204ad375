"""Starting, completing and signing assessments: deadlines, renewal, the status map, permissions, audit."""

import datetime as dt

import pytest

from socius.accounts.models import AuditEvent
from socius.assessments.models import ASSESSMENT_TRANSITIONS, Assessment, AssessmentEvent, AssessmentStatus
from socius.assessments.services import (
    complete_assessment,
    compute_due_on,
    save_draft,
    sign_assessment,
    start_assessment,
)
from socius.assessments.tests.conftest import PL_INITIAL_ANSWERS, completed_pl, start_pl
from socius.casework.statuses import CaseStatus, ClosureReason
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed

D = dt.date


def _state(case):
    rows = list(Assessment.objects.filter(case=case).values("id", "status", "answers", "completed_on", "signed_on"))
    return rows, AssessmentEvent.objects.count(), AuditEvent.objects.count()


# --- deadlines ------------------------------------------------------------------------------------


def test_pl_due_date_is_14_working_days_over_easter_and_may_holidays(pl_worker, pl_case):
    # 2025-04-21 Easter Monday, 2025-05-01 and 2025-05-03 (a Saturday) are days off.
    assessment = start_pl(pl_worker, pl_case, need_identified_on=D(2025, 4, 14))
    assert assessment.due_on == D(2025, 5, 6)
    assert (assessment.instrument_code, assessment.instrument_version) == ("rws-2021", "2021.2")


def test_pl_urgent_due_date_is_2_working_days_over_a_weekend(pl_worker, pl_case):
    assessment = start_pl(pl_worker, pl_case, need_identified_on=D(2025, 3, 13), urgent=True)
    assert assessment.due_on == D(2025, 3, 17)


def test_no_due_date_where_the_pack_has_no_deadline(md_worker, md_case):
    assessment = start_assessment(
        md_worker, md_case.pk, kind="initial", need_identified_on=D(2025, 3, 13), urgent=True, permanent_help=True
    )
    assert assessment.due_on is None
    assert (assessment.instrument_code, assessment.instrument_version) == ("ancheta-sociala-2008", "2008.1")
    assert compute_due_on("MD", D(2025, 3, 13), False) is None


def test_lt_due_date_uses_its_own_calendar_day_term(lt_worker, lt_case):
    assessment = start_assessment(
        lt_worker, lt_case.pk, kind="initial", need_identified_on=D(2025, 3, 13), urgent=False, permanent_help=False
    )
    assert assessment.instrument_code == "poreikio-vertinimas-a1-94"
    assert assessment.due_on == D(2025, 3, 27)


def test_start_refuses_bad_input_and_a_day_with_no_form_in_force(pl_worker, pl_case):
    with pytest.raises(ValidationFailed) as caught:
        start_assessment(pl_worker, pl_case.pk, kind="later", need_identified_on="2025-04-14")
    assert caught.value.errors == {
        "kind": ["Choose an initial assessment or an update."],
        "need_identified_on": ["Enter a date."],
    }
    with pytest.raises(ValidationFailed) as caught:
        start_pl(pl_worker, pl_case, need_identified_on=D(2021, 11, 10))
    assert caught.value.errors == {"need_identified_on": ["No assessment form is in force on this date."]}
    with pytest.raises(ValidationFailed) as caught:
        start_pl(pl_worker, pl_case, instrument_code="ancheta-sociala-2008")
    assert caught.value.errors == {"need_identified_on": ["No assessment form is in force on this date."]}
    assert not Assessment.objects.exists()
    assert start_pl(pl_worker, pl_case, instrument_code="rws-2021").instrument_code == "rws-2021"


# --- completion -----------------------------------------------------------------------------------


def test_completion_lists_every_missing_mandatory_field_and_changes_nothing(pl_worker, pl_case):
    assessment = start_pl(pl_worker, pl_case)
    save_draft(pl_worker, assessment.pk, {"I_A": {"applicant_name": "Anna Nowak", "household_size": 3}})
    before = _state(pl_case)

    with pytest.raises(ValidationFailed) as caught:
        complete_assessment(pl_worker, assessment.pk, on=D(2025, 4, 16))

    assert caught.value.errors == {
        "answers": [
            # The section titles and field labels in the reader's language (English here), like the message.
            "Part I. A. Details of the person applying for help and their family: “Address of residence or stay” is required.",
            "Part I. A. Details of the person applying for help and their family: “Date of the interview” is required.",
            "Part I. H. Needs and expectations stated during the interview: “Stated needs and expectations” is required.",
            "Part I. I. Diagnosis of the person's or family's situation, including the social worker's conclusions: “Diagnosis of the person's or family's situation” is required.",
            "Part I. I. Diagnosis of the person's or family's situation, including the social worker's conclusions: “Social worker's conclusions” is required.",
            "Part I. J. Help plan: “Help plan” is required.",
        ]
    }
    assert [(m["section"], m["field"]) for m in caught.value.extra["missing"]] == [
        ("I_A", "address"),
        ("I_A", "interview_date"),
        ("I_H", "needs_expectations"),
        ("I_I", "diagnosis"),
        ("I_I", "worker_conclusions"),
        ("I_J", "help_plan"),
    ]
    assert _state(pl_case) == before


def test_an_update_needs_part_iv_not_part_i(pl_worker, pl_case):
    update = start_pl(pl_worker, pl_case, kind="update")
    with pytest.raises(ValidationFailed) as caught:
        complete_assessment(pl_worker, update.pk, on=D(2025, 4, 16))
    assert [(m["section"], m["field"]) for m in caught.value.extra["missing"]] == [
        ("IV_A", "update_date"),
        ("IV_A", "changes"),
    ]
    save_draft(pl_worker, update.pk, {"IV_A": {"update_date": "2025-04-16", "changes": "Syn podjął pracę."}})
    assert complete_assessment(pl_worker, update.pk, on=D(2025, 4, 16)).status == AssessmentStatus.COMPLETED


def test_complete_then_sign(pl_worker, pl_case):
    assessment = completed_pl(pl_worker, pl_case, on=D(2025, 4, 16))
    assert (assessment.status, assessment.completed_on, assessment.renewal_due_on) == (
        "completed",
        D(2025, 4, 16),
        None,
    )

    signed = sign_assessment(pl_worker, assessment.pk, D(2025, 4, 17))
    signed.refresh_from_db()
    assert (signed.status, signed.signed_on) == (AssessmentStatus.SIGNED, D(2025, 4, 17))


def test_completion_and_signature_dates_are_checked(pl_worker, pl_case):
    assessment = start_pl(pl_worker, pl_case)
    save_draft(pl_worker, assessment.pk, PL_INITIAL_ANSWERS)
    with pytest.raises(ValidationFailed) as caught:
        complete_assessment(pl_worker, assessment.pk, on=D(2025, 4, 13))
    assert caught.value.errors == {"on": ["The date cannot be before 2025-04-14."]}
    complete_assessment(pl_worker, assessment.pk, on=D(2025, 4, 16))
    with pytest.raises(ValidationFailed) as caught:
        sign_assessment(pl_worker, assessment.pk, D(2025, 4, 15))
    assert caught.value.errors == {"signed_on": ["The date cannot be before 2025-04-16."]}
    with pytest.raises(ValidationFailed) as caught:
        sign_assessment(pl_worker, assessment.pk, D(2999, 1, 1))
    assert caught.value.errors == {"signed_on": ["The date cannot be in the future."]}


def test_renewal_is_due_6_months_after_completion_for_permanent_help(pl_worker, pl_case):
    assessment = completed_pl(pl_worker, pl_case, on=D(2025, 8, 31), permanent_help=True)
    assert assessment.renewal_due_on == D(2026, 2, 28)


def test_no_renewal_date_where_the_pack_has_no_renewal_rule(md_worker, md_case):
    assessment = start_assessment(
        md_worker, md_case.pk, kind="initial", need_identified_on=D(2025, 3, 13), permanent_help=True
    )
    save_draft(
        md_worker,
        assessment.pk,
        {
            "family": {
                "beneficiary_name": "Ion Rusu",
                "address": "Dubăsari",
                "evaluation_date": "2025-03-14",
                "household_size": 2,
            },
            "needs": {"needs": "Lemne pentru iarnă."},
            "conclusions": {"conclusions": "Ajutor social.", "recommendation": "social_aid"},
        },
    )
    done = complete_assessment(md_worker, assessment.pk, on=D(2025, 3, 14))
    assert (done.status, done.renewal_due_on) == (AssessmentStatus.COMPLETED, None)


# --- the status map -------------------------------------------------------------------------------


def test_the_status_map():
    expected = {"draft": frozenset({"completed"}), "completed": frozenset({"signed"}), "signed": frozenset()}
    assert dict(ASSESSMENT_TRANSITIONS) == expected


def test_invalid_moves_are_conflicts_and_change_nothing(pl_worker, pl_case):
    draft = start_pl(pl_worker, pl_case)
    save_draft(pl_worker, draft.pk, PL_INITIAL_ANSWERS)
    before = _state(pl_case)
    with pytest.raises(Conflict, match="cannot move from “Draft” to “Signed”"):
        sign_assessment(pl_worker, draft.pk, D(2025, 4, 16))
    assert _state(pl_case) == before

    complete_assessment(pl_worker, draft.pk, on=D(2025, 4, 16))
    before = _state(pl_case)
    with pytest.raises(Conflict, match="cannot move from “Completed” to “Completed”"):
        complete_assessment(pl_worker, draft.pk, on=D(2025, 4, 16))
    assert _state(pl_case) == before

    sign_assessment(pl_worker, draft.pk, D(2025, 4, 16))
    before = _state(pl_case)
    with pytest.raises(Conflict, match="cannot move from “Signed” to “Signed”"):
        sign_assessment(pl_worker, draft.pk, D(2025, 4, 17))
    with pytest.raises(Conflict, match="cannot move from “Signed” to “Completed”"):
        complete_assessment(pl_worker, draft.pk, on=D(2025, 4, 17))
    assert _state(pl_case) == before


# --- permissions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("pl_worker", True),  # assigned worker
        ("pl_teamlead", True),  # team leader of the case's team
        ("pl_director", True),
        ("pl_worker2", False),  # same centre, not assigned, not shared
        ("pl_teamlead_other_team", False),
        ("pl_auditor", False),  # reads summaries, does no casework
        ("pl_finance", False),
    ],
)
def test_only_content_readers_who_do_casework_may_start(request, pl_case, persona, allowed):
    actor = request.getfixturevalue(persona)
    if allowed:
        assert start_pl(actor, pl_case).pk
    else:
        with pytest.raises(Forbidden):
            start_pl(actor, pl_case)
        assert not Assessment.objects.exists()


def test_a_share_lets_a_colleague_work_on_the_assessment(pl_worker, pl_worker2, pl_case):
    pl_case.shares.create(user=pl_worker2, shared_by=pl_worker)
    draft = start_pl(pl_worker2, pl_case)
    save_draft(pl_worker2, draft.pk, {"I_H": {"needs_expectations": "Opał"}})


def test_other_centre_sees_nothing(md_worker, pl_worker, pl_case):
    draft = start_pl(pl_worker, pl_case)
    with pytest.raises(NotFound):
        start_pl(md_worker, pl_case)
    with pytest.raises(NotFound):
        save_draft(md_worker, draft.pk, {"I_H": {"needs_expectations": "x"}})
    with pytest.raises(NotFound):
        complete_assessment(md_worker, draft.pk, on=D(2025, 4, 16))
    with pytest.raises(NotFound):
        sign_assessment(md_worker, draft.pk, D(2025, 4, 16))
    with pytest.raises(NotFound):
        save_draft(pl_worker, "abc", {})


def test_a_closed_case_is_a_conflict(pl_worker, pl_case):
    draft = start_pl(pl_worker, pl_case)
    pl_case.status, pl_case.closure_reason, pl_case.closed_on = (
        CaseStatus.CLOSED,
        ClosureReason.choices[0][0],
        D(2025, 5, 1),
    )
    pl_case.save()
    before = _state(pl_case)
    with pytest.raises(Conflict, match="is closed: reopen it first"):
        start_pl(pl_worker, pl_case)
    with pytest.raises(Conflict, match="is closed: reopen it first"):
        save_draft(pl_worker, draft.pk, {"I_H": {"needs_expectations": "x"}})
    assert _state(pl_case) == before


# --- timeline and audit ---------------------------------------------------------------------------


def test_events_and_audit_rows_are_exact(pl_worker, pl_case):
    assessment = start_pl(pl_worker, pl_case)
    save_draft(pl_worker, assessment.pk, {"I_H": {"needs_expectations": "Opał"}}, diagnosis="Ubóstwo")
    save_draft(pl_worker, assessment.pk, PL_INITIAL_ANSWERS)
    complete_assessment(pl_worker, assessment.pk, on=D(2025, 4, 16))
    sign_assessment(pl_worker, assessment.pk, D(2025, 4, 17))

    events = list(AssessmentEvent.objects.filter(case=pl_case).values_list("kind", "actor_id", "data"))
    assert events == [
        (
            "started",
            pl_worker.pk,
            {
                "instrument": "rws-2021",
                "version": "2021.2",
                "kind": "initial",
                "due_on": "2025-05-06",
                # Started from the registry: the person of the case, alone.
                "prefilled": ["I_A.applicant_name", "I_A.family_members", "I_A.household_size"],
                "previous": None,
            },
        ),
        ("draft_saved", pl_worker.pk, {"changed": ["I_H.needs_expectations"], "diagnosis": True}),
        (
            "draft_saved",
            pl_worker.pk,
            {
                "changed": [
                    "I_A.address",
                    "I_A.interview_date",
                    "I_A.household_size",
                    "I_A.family_members",
                    "I_H.needs_expectations",
                    "I_I.diagnosis",
                    "I_I.worker_conclusions",
                    "I_J.help_plan",
                ],
                # The texts a plan shows follow the form's diagnosis and conclusions fields.
                "diagnosis": True,
                "conclusions": True,
            },
        ),
        ("completed", pl_worker.pk, {"on": "2025-04-16", "renewal_due_on": None}),
        ("signed", pl_worker.pk, {"on": "2025-04-17"}),
    ]
    audit = list(
        AuditEvent.objects.filter(object_type="assessment")
        .order_by("id")
        .values_list("action", "object_id", "centre_id", "person_id", "actor_id", "changes")
    )
    common = (assessment.pk, pl_case.centre_id, pl_case.person_id, pl_worker.pk)
    assert audit == [
        (
            "create",
            *common,
            {
                "instrument": "rws-2021",
                "version": "2021.2",
                "kind": "initial",
                "due_on": "2025-05-06",
                "prefilled": ["I_A.applicant_name", "I_A.family_members", "I_A.household_size"],
                "previous": None,
                "case": pl_case.pk,
                "need_identified_on": "2025-04-14",
                "urgent": False,
                "permanent_help": False,
            },
        ),
        ("update", *common, events[1][2]),
        ("update", *common, events[2][2]),
        (
            "update",
            *common,
            {"status": ["draft", "completed"], "completed_on": [None, "2025-04-16"], "renewal_due_on": [None, None]},
        ),
        ("update", *common, {"status": ["completed", "signed"], "signed_on": [None, "2025-04-17"]}),
    ]
    assert pl_case.person_id is not None


def test_a_new_instrument_version_leaves_old_assessments_on_theirs(pl_worker, pl_case, tmp_path, monkeypatch):
    import dataclasses
    import shutil

    from socius.assessments import answers
    from socius.rulebook import get_jurisdiction

    pl = get_jurisdiction("PL")
    old = start_pl(pl_worker, pl_case, need_identified_on=D(2025, 4, 14))
    # A 2026 version adds a required field to segment H.
    (tmp_path / "instruments").mkdir()
    source = (pl.data_dir / "instruments" / "rws-2021-v2.yaml").read_text(encoding="utf-8")
    shutil.copy(pl.data_dir / "instruments" / "rws-2021-v2.yaml", tmp_path / "instruments" / "rws-2021-v2.yaml")
    newer = source.replace('version: "2021.2"', 'version: "2026.1"').replace(
        "valid_from: 2021-11-11", "valid_from: 2026-01-01"
    )
    newer = newer.replace(
        "      - {code: needs_expectations,",
        '      - {code: child_safety, label: "Bezpieczeństwo dziecka", type: long_text, required: true}\n'
        "      - {code: needs_expectations,",
    )
    (tmp_path / "instruments" / "rws-2026.yaml").write_text(newer, encoding="utf-8")
    monkeypatch.setattr(answers, "get_jurisdiction", lambda code: dataclasses.replace(pl, data_dir=tmp_path))

    new = start_pl(pl_worker, pl_case, need_identified_on=D(2026, 1, 5))
    assert (new.instrument_version, old.instrument_version) == ("2026.1", "2021.2")

    # The old one is still judged by 2021.2: no child_safety asked.
    save_draft(pl_worker, old.pk, PL_INITIAL_ANSWERS)
    assert complete_assessment(pl_worker, old.pk, on=D(2025, 4, 16)).status == AssessmentStatus.COMPLETED
    save_draft(pl_worker, new.pk, PL_INITIAL_ANSWERS)
    with pytest.raises(ValidationFailed) as caught:
        complete_assessment(pl_worker, new.pk, on=D(2026, 1, 6))
    assert [(m["section"], m["field"]) for m in caught.value.extra["missing"]] == [("I_H", "child_safety")]
