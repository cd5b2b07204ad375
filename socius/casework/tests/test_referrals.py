"""Referrals: creating (defaults and checks for dates and partners), the map of status moves, who may
write them, closed cases, timeline and audit rows, and the overdue flag for a given day."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from socius.accounts.models import AuditEvent
from socius.casework.models import CaseEvent, CaseEventKind, CaseShare, Referral, ReferralDirection
from socius.casework.selectors_referrals import referrals_awaiting_answer_for, referrals_for_case
from socius.casework.services.referrals import change_referral_status, create_referral
from socius.casework.statuses import REFERRAL_TRANSITIONS, CaseStatus, ReferralStatus
from socius.casework.tests.factories import CaseFactory
from socius.casework.tests.factories_referrals import PartnerFactory, ReferralFactory
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed

SENT = dt.date(2025, 2, 3)


@pytest.fixture
def case(pl_centre, pl_worker, family_team):
    return CaseFactory(centre=pl_centre, assigned_worker=pl_worker, team=family_team)


@pytest.fixture
def school(pl_centre):
    return PartnerFactory(centre=pl_centre, name="Szkoła Podstawowa nr 1")


def _data(partner, /, **overrides):
    data = {
        "direction": ReferralDirection.OUTGOING,
        "partner": partner.pk,
        "reason": "Frequent absences from school",
        "documents": "Letter of the centre\nCopy of the interview",
        "sent_on": SENT,
    }
    data.update(overrides)
    return data


def _state(case):
    referrals = list(Referral.objects.filter(case=case).values("id", "status", "outcome", "answered_on", "closed_on"))
    events = list(CaseEvent.objects.filter(case=case).values_list("id", "kind"))
    return referrals, events, AuditEvent.objects.count()


# --- creating -------------------------------------------------------------------------------------


def test_outgoing_referral_is_due_in_14_days_and_writes_event_and_audit(case, school, pl_worker):
    referral = create_referral(pl_worker, case.pk, _data(school))

    assert (referral.status, referral.sent_on, referral.response_due_on) == (
        ReferralStatus.SENT,
        SENT,
        dt.date(2025, 2, 17),
    )
    assert referral.documents == ["Letter of the centre", "Copy of the interview"]
    assert referral.centre_id == case.centre_id
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.kind, event.actor, event.data) == (
        CaseEventKind.REFERRAL_SENT,
        pl_worker,
        {
            "referral": referral.pk,
            "partner": school.pk,
            "partner_name": "Szkoła Podstawowa nr 1",
            "sent_on": "2025-02-03",
            "response_due_on": "2025-02-17",
        },
    )
    audit = AuditEvent.objects.get(object_type="referral")
    assert (audit.action, audit.object_id, audit.actor, audit.centre_id) == (
        "create",
        referral.pk,
        pl_worker,
        case.centre_id,
    )
    assert audit.changes == {
        "case": [None, case.pk],
        "direction": [None, "outgoing"],
        "partner": [None, school.pk],
        "reason": [None, "Frequent absences from school"],
        "documents": [None, ["Letter of the centre", "Copy of the interview"]],
        "sent_on": [None, "2025-02-03"],
        "response_due_on": [None, "2025-02-17"],
        "status": [None, "sent"],
    }


def test_incoming_referral_is_received_on_the_timeline_with_the_due_date_given(case, school, pl_worker):
    referral = create_referral(
        pl_worker,
        case.pk,
        _data(school, direction=ReferralDirection.INCOMING, response_due_on=dt.date(2025, 3, 3), documents=[]),
    )
    assert (referral.direction, referral.response_due_on, referral.documents) == ("incoming", dt.date(2025, 3, 3), [])
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert event.kind == CaseEventKind.REFERRAL_RECEIVED


def test_due_date_may_be_the_day_sent_but_not_before(case, school, pl_worker):
    assert create_referral(pl_worker, case.pk, _data(school, response_due_on=SENT)).response_due_on == SENT
    before = _state(case)
    with pytest.raises(ValidationFailed) as exc:
        create_referral(pl_worker, case.pk, _data(school, response_due_on=SENT - dt.timedelta(days=1)))
    assert exc.value.errors == {"response_due_on": ["The response cannot be due before the referral was sent."]}
    assert _state(case) == before


def test_referral_needs_direction_reason_partner_and_a_past_sent_date(case, school, pl_worker):
    before = _state(case)
    with pytest.raises(ValidationFailed) as exc:
        create_referral(
            pl_worker,
            case.pk,
            _data(
                school, direction="sideways", reason="  ", partner=None, sent_on=timezone.localdate() + dt.timedelta(1)
            ),
        )
    assert exc.value.errors == {
        "direction": ["Choose whether the referral is outgoing or incoming."],
        "reason": ["Say why the referral is made."],
        "sent_on": ["The date cannot be in the future."],
        "partner": ["Choose an active partner institution of your centre."],
    }
    assert _state(case) == before


@pytest.mark.parametrize("which", ["inactive", "other_centre"])
def test_inactive_or_other_centres_partner_is_refused(case, pl_worker, pl_centre, md_centre, which):
    partner = (
        PartnerFactory(centre=pl_centre, is_active=False) if which == "inactive" else PartnerFactory(centre=md_centre)
    )
    before = _state(case)
    with pytest.raises(ValidationFailed) as exc:
        create_referral(pl_worker, case.pk, _data(partner))
    assert exc.value.errors == {"partner": ["Choose an active partner institution of your centre."]}
    assert _state(case) == before


def test_closed_case_takes_no_new_referral(pl_centre, pl_worker, family_team, school):
    case = CaseFactory(
        centre=pl_centre,
        assigned_worker=pl_worker,
        team=family_team,
        status=CaseStatus.CLOSED,
        closure_reason="goals_achieved",
        closed_on=dt.date(2025, 2, 1),
    )
    before = _state(case)
    with pytest.raises(Conflict) as exc:
        create_referral(pl_worker, case.pk, _data(school))
    assert exc.value.code == "case_closed"
    assert _state(case) == before


def test_closed_case_referral_cannot_change_status(pl_centre, pl_worker, family_team, school):
    case = CaseFactory(
        centre=pl_centre,
        assigned_worker=pl_worker,
        team=family_team,
        status=CaseStatus.CLOSED,
        closure_reason="goals_achieved",
        closed_on=dt.date(2025, 2, 1),
    )
    referral = ReferralFactory(case=case, partner=school)
    with pytest.raises(Conflict) as exc:
        change_referral_status(pl_worker, referral.pk, ReferralStatus.ACKNOWLEDGED, on=SENT)
    assert exc.value.code == "case_closed"
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


# --- permissions ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["pl_worker", "pl_teamlead", "pl_director"], indirect=True)
def test_those_who_answer_for_the_case_may_refer(persona, case, school):
    referral = create_referral(persona, case.pk, _data(school))
    change_referral_status(persona, referral.pk, ReferralStatus.ACKNOWLEDGED, on=SENT)
    assert Referral.objects.get().status == ReferralStatus.ACKNOWLEDGED


def test_a_colleague_the_case_is_shared_with_may_refer(case, school, pl_worker2, pl_worker):
    CaseShare.objects.create(case=case, user=pl_worker2, shared_by=pl_worker)
    assert create_referral(pl_worker2, case.pk, _data(school)).created_by == pl_worker2


@pytest.mark.parametrize("persona", ["pl_worker2", "pl_finance", "pl_auditor", "pl_admin"], indirect=True)
def test_others_of_the_centre_may_not_refer_nor_move_a_referral(persona, case, school):
    referral = ReferralFactory(case=case, partner=school)
    before = _state(case)
    with pytest.raises(Forbidden):
        create_referral(persona, case.pk, _data(school))
    with pytest.raises(Forbidden):
        change_referral_status(persona, referral.pk, ReferralStatus.ACKNOWLEDGED, on=SENT)
    assert _state(case) == before


def test_auditor_who_sees_content_by_share_still_may_not_refer(case, school, pl_auditor, pl_worker):
    CaseShare.objects.create(case=case, user=pl_auditor, shared_by=pl_worker)
    with pytest.raises(Forbidden):
        create_referral(pl_auditor, case.pk, _data(school))


def test_another_centre_sees_neither_the_case_nor_the_referral(case, school, md_worker):
    referral = ReferralFactory(case=case, partner=school)
    before = _state(case)
    with pytest.raises(NotFound):
        create_referral(md_worker, case.pk, _data(school))
    with pytest.raises(NotFound):
        change_referral_status(md_worker, referral.pk, ReferralStatus.ACKNOWLEDGED, on=SENT)
    with pytest.raises(NotFound):
        change_referral_status(md_worker, "junk", ReferralStatus.ACKNOWLEDGED, on=SENT)
    assert _state(case) == before


# --- status moves ---------------------------------------------------------------------------------


def _referral_in(status, case, partner):
    extra = {}
    if status in (ReferralStatus.ANSWERED, ReferralStatus.CLOSED):
        extra["outcome"] = "Answered by letter"
    if status == ReferralStatus.ANSWERED:
        extra["answered_on"] = dt.date(2025, 2, 10)
    if status == ReferralStatus.CLOSED:
        extra["closed_on"] = dt.date(2025, 2, 12)
    return ReferralFactory(case=case, partner=partner, status=status, **extra)


VALID_MOVES = [(f, t) for f, targets in REFERRAL_TRANSITIONS.items() for t in sorted(targets)]
INVALID_MOVES = [
    (f, t) for f, t in itertools.product(ReferralStatus.values, repeat=2) if t not in REFERRAL_TRANSITIONS[f]
]


def test_the_map_is_the_one_declared():
    assert sorted(VALID_MOVES) == sorted(
        [
            ("sent", "acknowledged"),
            ("sent", "answered"),
            ("sent", "closed"),
            ("acknowledged", "answered"),
            ("acknowledged", "closed"),
            ("answered", "closed"),
        ]
    )


@pytest.mark.parametrize(("from_status", "to_status"), VALID_MOVES)
def test_each_valid_move_is_made_with_its_event_and_audit(case, school, pl_worker, from_status, to_status):
    referral = _referral_in(from_status, case, school)
    day = dt.date(2025, 2, 14)
    outcome = "" if to_status == ReferralStatus.ACKNOWLEDGED else "The school will watch attendance"

    moved = change_referral_status(pl_worker, referral.pk, to_status, outcome=outcome, on=day)

    moved.refresh_from_db()
    assert moved.status == to_status
    expected_event = {"referral": referral.pk, "from": from_status, "to": to_status, "on": "2025-02-14"}
    if outcome:
        expected_event["outcome"] = outcome
        assert moved.outcome == outcome
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.kind, event.actor, event.data) == (CaseEventKind.REFERRAL_STATUS_CHANGED, pl_worker, expected_event)
    audit = AuditEvent.objects.get(object_type="referral", action="update")
    expected_changes = {"status": [from_status, to_status]}
    if outcome and outcome != referral.outcome:
        expected_changes["outcome"] = [referral.outcome, outcome]
    if to_status == ReferralStatus.ANSWERED:
        expected_changes["answered_on"] = [None, "2025-02-14"]
        assert moved.answered_on == day
    if to_status == ReferralStatus.CLOSED:
        expected_changes["closed_on"] = [None, "2025-02-14"]
        assert moved.closed_on == day
    assert audit.changes == expected_changes


@pytest.mark.parametrize(("from_status", "to_status"), INVALID_MOVES)
def test_each_invalid_move_is_refused_and_changes_nothing(case, school, pl_worker, from_status, to_status):
    _referral_in(from_status, case, school)
    referral = Referral.objects.get()
    before = _state(case)
    with pytest.raises(Conflict) as exc:
        change_referral_status(pl_worker, referral.pk, to_status, outcome="Anything", on=dt.date(2025, 2, 14))
    assert exc.value.code == "invalid_transition"
    assert _state(case) == before


@pytest.mark.parametrize("to_status", [ReferralStatus.ANSWERED, ReferralStatus.CLOSED])
def test_answering_or_closing_an_open_referral_needs_an_outcome(case, school, pl_worker, to_status):
    referral = _referral_in(ReferralStatus.SENT, case, school)
    before = _state(case)
    with pytest.raises(ValidationFailed) as exc:
        change_referral_status(pl_worker, referral.pk, to_status, outcome="  ", on=dt.date(2025, 2, 14))
    assert exc.value.errors == {"outcome": ["Describe the outcome."]}
    assert _state(case) == before


def test_closing_an_answered_referral_keeps_its_outcome(case, school, pl_worker):
    referral = _referral_in(ReferralStatus.ANSWERED, case, school)
    moved = change_referral_status(pl_worker, referral.pk, ReferralStatus.CLOSED, on=dt.date(2025, 2, 14))
    assert (moved.outcome, moved.answered_on, moved.closed_on) == (
        "Answered by letter",
        dt.date(2025, 2, 10),
        dt.date(2025, 2, 14),
    )


def test_unknown_status_and_a_day_before_sending_are_refused(case, school, pl_worker):
    referral = _referral_in(ReferralStatus.SENT, case, school)
    before = _state(case)
    with pytest.raises(ValidationFailed):
        change_referral_status(pl_worker, referral.pk, "lost", on=SENT)
    with pytest.raises(ValidationFailed) as exc:
        change_referral_status(pl_worker, referral.pk, ReferralStatus.ACKNOWLEDGED, on=SENT - dt.timedelta(1))
    assert exc.value.errors == {"on": ["The date cannot be before the referral was sent."]}
    assert _state(case) == before


# --- overdue and lists ----------------------------------------------------------------------------


def test_overdue_means_awaiting_an_answer_past_the_due_date(case, school):
    due = dt.date(2025, 2, 17)
    sent = ReferralFactory(case=case, partner=school, response_due_on=due)
    acknowledged = ReferralFactory(case=case, partner=school, response_due_on=due, status=ReferralStatus.ACKNOWLEDGED)
    answered = _referral_in(ReferralStatus.ANSWERED, case, school)
    closed = _referral_in(ReferralStatus.CLOSED, case, school)

    def flags(on):
        return {r.pk: r.is_overdue for r in referrals_for_case(case, on=on)}

    assert flags(due) == {sent.pk: False, acknowledged.pk: False, answered.pk: False, closed.pk: False}
    assert flags(due + dt.timedelta(days=1)) == {
        sent.pk: True,
        acknowledged.pk: True,
        answered.pk: False,
        closed.pk: False,
    }


def test_awaiting_answer_lists_my_open_cases_overdue_first_in_one_query(
    case, school, pl_centre, pl_worker, pl_worker2, family_team
):
    on = dt.date(2025, 3, 1)
    later = ReferralFactory(case=case, partner=school, response_due_on=dt.date(2025, 3, 20))
    soon = ReferralFactory(case=case, partner=school, response_due_on=dt.date(2025, 3, 5))
    overdue = ReferralFactory(case=case, partner=school, response_due_on=dt.date(2025, 2, 20))
    _referral_in(ReferralStatus.ANSWERED, case, school)
    others_case = CaseFactory(centre=pl_centre, assigned_worker=pl_worker2, team=family_team)
    ReferralFactory(case=others_case, partner=school)
    closed_case = CaseFactory(
        centre=pl_centre,
        assigned_worker=pl_worker,
        team=family_team,
        status=CaseStatus.CLOSED,
        closure_reason="goals_achieved",
        closed_on=dt.date(2025, 2, 1),
    )
    ReferralFactory(case=closed_case, partner=school, response_due_on=dt.date(2025, 2, 10))

    with CaptureQueriesContext(connection) as queries:
        rows = [
            (r.pk, r.is_overdue, r.case.reference, r.partner.name) for r in referrals_awaiting_answer_for(pl_worker, on)
        ]
    assert len(queries) == 1
    assert rows == [
        (overdue.pk, True, case.reference, school.name),
        (soon.pk, False, case.reference, school.name),
        (later.pk, False, case.reference, school.name),
    ]


def test_referrals_for_case_is_one_query_with_partners(case, school):
    for _i in range(3):
        ReferralFactory(case=case, partner=school)
    with CaptureQueriesContext(connection) as queries:
        names = [r.partner.name for r in referrals_for_case(case, on=SENT)]
    assert names == [school.name] * 3 and len(queries) == 1
