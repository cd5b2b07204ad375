"""The centre's figures (director: the centre; team leader: their teams) and the flags finance acts on
(`plans.selectors.flags_for_benefits`, tested here beside the figures they share the data with)."""

import datetime as dt

import pytest
from django.utils import timezone

from socius.accounts.models import AuditEvent
from socius.casework.models import Contact, HomeVisit, VisitStatus
from socius.casework.statuses import CaseStatus
from socius.casework.tests.factories import CaseFactory
from socius.common.errors import Forbidden
from socius.desk.overview import centre_figures, month_bounds
from socius.desk.selectors import Overdue, overdue_by_worker
from socius.desk.tests.test_desk import populate
from socius.plans.models import CaseFlag, Consequence, FlagKind, SocialContract
from socius.plans.selectors import flags_for_benefits
from socius.plans.tests.conftest import DAY
from socius.testing.factories import TeamFactory, UserFactory


@pytest.fixture
def other_team(pl_centre):
    return TeamFactory(centre=pl_centre, name="Addictions")


@pytest.fixture
def case(pl_centre, pl_worker, family_team, household, mother):
    return CaseFactory(
        centre=pl_centre, household=household, assigned_worker=pl_worker, team=family_team, status=CaseStatus.ACTIVE
    )


@pytest.fixture
def other_case(pl_centre, other_team):
    worker = UserFactory(centre=pl_centre)
    other_team.members.add(worker)
    return CaseFactory(centre=pl_centre, assigned_worker=worker, team=other_team, opened_on=DAY)


def _flag(case, consequence=Consequence.SUSPEND_CASH_AID, **kwargs):
    contract = SocialContract.objects.filter(case=case).first()
    return CaseFlag.objects.create(
        case=case,
        kind=FlagKind.CONTRACT_BREACHED,
        consequence=consequence,
        contract=contract,
        raised_on=DAY,
        **kwargs,
    )


def test_month_bounds():
    assert month_bounds(dt.date(2024, 2, 10)) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert month_bounds(dt.date(2025, 12, 31)) == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))


def test_director_sees_the_whole_centres_figures(pl_director, pl_worker, case, other_case, md_centre):
    populate(case, pl_worker)
    populate(other_case, other_case.assigned_worker)
    _flag(case)
    HomeVisit.objects.create(case=case, planned_on=DAY - dt.timedelta(days=2), status=VisitStatus.DONE, done_on=DAY)
    CaseFactory(centre=md_centre, opened_on=DAY)  # another centre: never counted

    figures = centre_figures(pl_director, on=DAY)

    assert figures.team_ids is None
    assert figures.open_by_status == {CaseStatus.ACTIVE: 1, CaseStatus.OPENED: 1}
    assert figures.open_cases == 2
    assert [row[2] for row in figures.status_rows] == [1, 1, 0]  # opened, active, suspended
    assert (figures.opened_this_month, figures.closed_this_month) == (1, 0)
    # The same rules as the caseload's overdue column, summed over the centre.
    by_worker = overdue_by_worker(pl_director.centre_id, [pl_worker.pk, other_case.assigned_worker_id], DAY)
    assert figures.overdue == Overdue(
        **{k: sum(getattr(o, k) for o in by_worker.values()) for k in Overdue.__dataclass_fields__}
    )
    assert figures.overdue.visits == 2 and figures.overdue.referrals == 2
    assert figures.flagged_cases == 1
    assert figures.contacts_this_month == 2
    # Done this month (to DAY) and still planned from the 1st to the month's end (populate: DAY-1, DAY+2).
    assert (figures.visits_done_this_month, figures.visits_planned_this_month) == (1, 4)


def test_a_team_leader_sees_their_teams_only(pl_teamlead, pl_worker, case, other_case):
    populate(case, pl_worker)
    populate(other_case, other_case.assigned_worker)
    _flag(other_case)

    figures = centre_figures(pl_teamlead, on=DAY)

    assert figures.team_ids == (case.team_id,)
    assert figures.open_by_status == {CaseStatus.ACTIVE: 1}
    assert figures.opened_this_month == 0 and figures.flagged_cases == 0
    assert figures.overdue == overdue_by_worker(pl_teamlead.centre_id, [pl_worker.pk], DAY)[pl_worker.pk]
    assert figures.contacts_this_month == 1  # handled by a member of the team
    assert figures.visits_planned_this_month == 2


def test_figures_are_refused_to_those_who_do_not_run_cases(pl_worker, pl_finance):
    for user in (pl_worker, pl_finance):
        with pytest.raises(Forbidden):
            centre_figures(user)


def test_figures_take_a_fixed_number_of_queries(pl_director, pl_worker, case, django_assert_max_num_queries):
    populate(case, pl_worker, n=3)
    with django_assert_max_num_queries(12):
        centre_figures(pl_director, on=DAY)


def test_contacts_this_month_start_on_the_first(pl_director, pl_centre, pl_worker):
    today = timezone.localdate()
    first = timezone.make_aware(dt.datetime.combine(today.replace(day=1), dt.time(0, 30)))
    Contact.objects.create(centre=pl_centre, occurred_at=first, channel="office", handled_by=pl_worker)
    Contact.objects.create(
        centre=pl_centre, occurred_at=first - dt.timedelta(hours=1), channel="office", handled_by=pl_worker
    )
    assert centre_figures(pl_director).contacts_this_month == 1


# --- the flags finance acts on ----------------------------------------------------------------------------


def test_finance_sees_active_cash_aid_flags_named_and_audited(pl_finance, pl_worker, case, other_case, mother):
    populate(case, pl_worker)
    populate(other_case, other_case.assigned_worker)
    flag = _flag(case)
    _flag(other_case, consequence=Consequence.NONE)  # nothing for finance to do
    cleared = SocialContract.objects.create(
        case=case, variant="IA_IIA", worker=pl_worker, valid_from=DAY, valid_until=DAY + dt.timedelta(days=30)
    )
    CaseFlag.objects.create(
        case=case,
        kind=FlagKind.CONTRACT_REFUSED,
        consequence=Consequence.REFUSE_CASH_AID,
        contract=cleared,
        raised_on=DAY,
        cleared_on=DAY,
    )

    flags = flags_for_benefits(pl_finance)

    assert flags == [flag]
    assert flags[0].case.client_name == "Anna Nowak (household)"
    views = AuditEvent.objects.filter(action="view", object_type="case_flag")
    assert list(views.values_list("object_id", "person_id", "actor_id")) == [(flag.pk, mother.pk, pl_finance.pk)]


def test_flags_of_another_centre_are_never_listed(md_director, pl_worker, case):
    populate(case, pl_worker)
    _flag(case)
    assert flags_for_benefits(md_director) == []
