"""A case's assessments and the overdue ones on a fixed day: drafts past due, renewals not done."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from socius.accounts.models import AuditEvent
from socius.assessments.selectors import assessments_for_case, get_assessment_for, overdue_assessments_for
from socius.assessments.tests.conftest import completed_pl, start_pl
from socius.casework.statuses import CaseStatus, ClosureReason
from socius.casework.tests.factories import CaseFactory
from socius.common.errors import Forbidden, NotFound

D = dt.date


def test_assessments_for_case_newest_first_and_only_for_content_readers(pl_worker, pl_worker2, md_worker, pl_case):
    first = start_pl(pl_worker, pl_case, need_identified_on=D(2025, 3, 3))
    second = start_pl(pl_worker, pl_case, need_identified_on=D(2025, 4, 14))
    assert assessments_for_case(pl_worker, pl_case.pk) == [second, first]
    view = AuditEvent.objects.latest("id")
    assert (view.action, view.object_type, view.object_id, view.person_id) == (
        "view",
        "case",
        pl_case.pk,
        pl_case.person_id,
    )
    with pytest.raises(Forbidden):
        assessments_for_case(pl_worker2, pl_case.pk)
    with pytest.raises(NotFound):
        assessments_for_case(md_worker, pl_case.pk)


def test_overdue_drafts_and_renewals_on_a_fixed_day(
    pl_worker, pl_worker2, pl_teamlead, pl_director, pl_case, family_team
):
    late_draft = start_pl(pl_worker, pl_case, need_identified_on=D(2025, 4, 14))  # due 2025-05-06
    renewal_missed = completed_pl(pl_worker, pl_case, on=D(2025, 4, 16), permanent_help=True)  # renewal 2025-10-16
    assert late_draft.due_on == D(2025, 5, 6) and renewal_missed.renewal_due_on == D(2025, 10, 16)

    # Another case of the worker: its renewal was done by a newer completed assessment.
    other = CaseFactory(centre=pl_case.centre, assigned_worker=pl_worker, team=family_team)
    completed_pl(pl_worker, other, on=D(2025, 3, 3), need_identified_on=D(2025, 3, 3), permanent_help=True)
    completed_pl(pl_worker, other, on=D(2025, 9, 1), need_identified_on=D(2025, 9, 1), permanent_help=True)

    assert list(overdue_assessments_for(pl_worker, D(2025, 5, 6))) == []  # due today is not overdue yet
    assert list(overdue_assessments_for(pl_worker, D(2025, 5, 7))) == [late_draft]
    assert list(overdue_assessments_for(pl_worker, D(2025, 10, 17))) == [late_draft, renewal_missed]
    assert list(overdue_assessments_for(pl_teamlead, D(2025, 10, 17))) == [late_draft, renewal_missed]
    assert list(overdue_assessments_for(pl_director, D(2025, 10, 17))) == [late_draft, renewal_missed]
    assert list(overdue_assessments_for(pl_worker2, D(2025, 10, 17))) == []  # not their case

    # The newer one on `other` is itself due for renewal on 2026-03-01.
    assert [a.case_id for a in overdue_assessments_for(pl_worker, D(2026, 3, 2))] == [pl_case.pk, pl_case.pk, other.pk]

    # Closed cases drop out.
    pl_case.status, pl_case.closure_reason, pl_case.closed_on = (
        CaseStatus.CLOSED,
        ClosureReason.choices[0][0],
        D(2025, 11, 1),
    )
    pl_case.save()
    assert list(overdue_assessments_for(pl_worker, D(2025, 10, 17))) == []


def test_overdue_selector_is_one_query(pl_worker, pl_case):
    for day in (D(2025, 3, 3), D(2025, 3, 10), D(2025, 3, 17)):
        start_pl(pl_worker, pl_case, need_identified_on=day)
    with CaptureQueriesContext(connection) as queries:
        rows = list(overdue_assessments_for(pl_worker, D(2025, 12, 1)))
        _ = [(row.case.reference, row.case.assigned_worker.username) for row in rows]
    assert len(rows) == 3 and len(queries) == 1


def test_opening_an_assessment_is_audited_and_scoped(pl_worker, pl_worker2, md_worker, pl_case):
    draft = start_pl(pl_worker, pl_case)
    opened = get_assessment_for(pl_worker, draft.pk)
    assert opened == draft and opened.case == pl_case
    view = AuditEvent.objects.latest("id")
    assert (view.action, view.object_type, view.object_id, view.person_id, view.actor_id) == (
        "view",
        "assessment",
        draft.pk,
        pl_case.person_id,
        pl_worker.pk,
    )
    count = AuditEvent.objects.count()
    with pytest.raises(Forbidden):
        get_assessment_for(pl_worker2, draft.pk)
    with pytest.raises(NotFound):
        get_assessment_for(md_worker, draft.pk)
    with pytest.raises(NotFound):
        get_assessment_for(pl_worker, "x")
    assert AuditEvent.objects.count() == count
