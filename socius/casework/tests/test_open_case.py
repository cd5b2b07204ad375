"""Opening a case: its subject, circumstances, worker and team, its reference number, event and audit."""

import datetime as dt

import pytest
from django.utils import timezone

from socius.accounts.models import AuditEvent
from socius.casework.models import Case, CaseCounter, CaseEvent, CaseEventKind
from socius.casework.services import open_case
from socius.casework.tests.conftest import NEW_CODE_FROM
from socius.common.errors import Forbidden, ValidationFailed
from socius.testing.factories import HouseholdFactory, TeamFactory

DAY = dt.date(2025, 3, 3)


def _state():
    return Case.objects.count(), CaseEvent.objects.count(), CaseCounter.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def data(pl_household, family_team):
    return {"household": pl_household, "circumstances": ["poverty", "unemployment"], "opened_on": DAY}


def test_a_worker_opens_a_case_for_a_household_with_an_event_and_an_audit_record(pl_worker, family_team, data):
    case = open_case(pl_worker, data)

    assert case.reference == "2025/0001"
    assert (case.year, case.number) == (2025, 1)
    assert case.status == "opened"
    assert case.circumstances == ["poverty", "unemployment"]
    assert case.assigned_worker == pl_worker
    assert case.team == family_team  # the worker's only team
    assert case.opened_on == DAY
    event = CaseEvent.objects.get(case=case)
    assert event.kind == CaseEventKind.OPENED
    assert event.actor == pl_worker
    assert event.data["circumstances"] == ["poverty", "unemployment"]
    audit = AuditEvent.objects.get(object_type="case", object_id=case.pk)
    assert audit.action == "create"
    assert audit.changes["reference"] == [None, "2025/0001"]
    assert audit.changes["household"] == [None, data["household"].pk]


def test_a_case_may_be_opened_for_a_single_person(pl_worker, family_team, pl_person):
    case = open_case(pl_worker, {"person": pl_person.pk, "circumstances": ["disability"], "opened_on": DAY})
    assert (case.person, case.household) == (pl_person, None)
    assert AuditEvent.objects.get(object_type="case").person_id == pl_person.pk


def test_repeated_circumstances_are_kept_once(pl_worker, data):
    data["circumstances"] = ["poverty", "poverty", " unemployment "]
    assert open_case(pl_worker, data).circumstances == ["poverty", "unemployment"]


def test_reference_numbers_are_sequential_per_centre_and_year(
    pl_centre, md_centre, pl_worker, md_worker, family_team, data
):
    md_team = TeamFactory(centre=md_centre)
    md_worker.teams.add(md_team)
    pl_refs = [open_case(pl_worker, data).reference for _ in range(3)]
    md_ref = open_case(md_worker, {**data, "household": HouseholdFactory(centre=md_centre)}).reference
    next_year = open_case(pl_worker, {**data, "opened_on": dt.date(2026, 1, 2)}).reference
    back_to_2025 = open_case(pl_worker, data).reference

    assert pl_refs == ["2025/0001", "2025/0002", "2025/0003"]
    assert md_ref == "2025/0001"
    assert next_year == "2026/0001"
    assert back_to_2025 == "2025/0004"
    assert Case.objects.filter(centre=pl_centre).count() == 5


def test_a_refused_opening_does_not_use_up_a_number(pl_worker, data):
    open_case(pl_worker, data)
    with pytest.raises(ValidationFailed):
        open_case(pl_worker, {**data, "circumstances": ["unknown"]})
    assert open_case(pl_worker, data).reference == "2025/0002"


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"household": None}, {"non_field_errors": ["Open the case for either a household or a single person."]}),
        ({"person": "PERSON"}, {"non_field_errors": ["Open the case for either a household or a single person."]}),
        ({"circumstances": []}, {"circumstances": ["Choose at least one qualifying circumstance."]}),
        ({"circumstances": ["poverty", "gambling"]}, {"circumstances": ["Unknown code: gambling."]}),
        # A code the pack lists only from NEW_CODE_FROM is refused for a case opened before it.
        ({"circumstances": ["new_circumstance"]}, {"circumstances": ["Unknown code: new_circumstance."]}),
        (
            {"opened_on": timezone.localdate() + dt.timedelta(days=1)},
            {"opened_on": ["The date cannot be in the future."]},
        ),
        ({"household": "MD_HOUSEHOLD"}, {"household": ["Choose a household registered in your centre."]}),
        ({"household": 999999}, {"household": ["Choose a household registered in your centre."]}),
        ({"assigned_worker": "pl_finance"}, {"assigned_worker": ["Choose a worker of your centre who does casework."]}),
        ({"assigned_worker": "md_worker"}, {"assigned_worker": ["Choose a worker of your centre who does casework."]}),
        (
            {"assigned_worker": "pl_worker2"},
            {"assigned_worker": ["Only a team leader or the director may assign a case to someone else."]},
        ),
        ({"team": "OTHER_CENTRE_TEAM"}, {"team": ["Choose an active team of your centre."]}),
    ],
)
def test_invalid_openings_are_refused_and_nothing_is_written(
    request, md_centre, pl_worker, pl_person, data, change, errors
):
    named = {
        "PERSON": pl_person,
        "MD_HOUSEHOLD": lambda: HouseholdFactory(centre=md_centre),
        "OTHER_CENTRE_TEAM": lambda: TeamFactory(centre=md_centre),
    }
    for key, value in change.items():
        if isinstance(value, str) and value in named:
            value = named[value]() if callable(named[value]) else named[value]
        elif isinstance(value, str) and value.startswith(("pl_", "md_")):
            value = request.getfixturevalue(value)
        data[key] = value
    before = _state()

    with pytest.raises(ValidationFailed) as refused:
        open_case(pl_worker, data)

    assert refused.value.errors == errors
    assert _state() == before


def test_circumstances_come_into_force_on_their_date(pl_worker, data):
    case = open_case(pl_worker, {**data, "circumstances": ["new_circumstance"], "opened_on": NEW_CODE_FROM})
    assert case.circumstances == ["new_circumstance"]


def test_a_worker_in_several_teams_chooses_the_team(pl_worker, data, other_team):
    pl_worker.teams.add(other_team)
    with pytest.raises(ValidationFailed) as refused:
        open_case(pl_worker, data)
    assert refused.value.errors == {"team": ["Choose the team."]}
    assert open_case(pl_worker, {**data, "team": other_team}).team == other_team


def test_a_team_leader_opens_a_case_for_a_worker_of_the_team(pl_teamlead, pl_worker2, family_team, data):
    case = open_case(pl_teamlead, {**data, "assigned_worker": pl_worker2.pk, "team": family_team.pk})
    assert case.assigned_worker == pl_worker2
    assert case.created_by == pl_teamlead


@pytest.mark.parametrize("persona", ["pl_finance", "pl_auditor", "pl_admin"], indirect=True)
def test_roles_without_casework_cannot_open_cases(persona, data):
    before = _state()
    with pytest.raises(Forbidden):
        open_case(persona, data)
    assert _state() == before


def test_a_case_opened_as_active_moves_through_the_status_map_with_both_events(pl_worker, data):
    case = open_case(pl_worker, {**data, "status": "active"})
    assert case.status == "active"
    events = list(CaseEvent.objects.filter(case=case).order_by("id").values_list("kind", "data"))
    assert [k for k, _d in events] == [CaseEventKind.OPENED, CaseEventKind.STATUS_CHANGED]
    assert events[1][1] == {"from": "opened", "to": "active", "on": DAY.isoformat()}
    assert list(
        AuditEvent.objects.filter(object_type="case", object_id=case.pk).order_by("id").values_list("action", flat=True)
    ) == ["create", "update"]


@pytest.mark.parametrize("status", ["closed", "suspended", "nonsense"])
def test_a_case_is_opened_only_as_opened_or_active(pl_worker, data, status):
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        open_case(pl_worker, {**data, "status": status})
    assert list(refused.value.errors) == ["status"]
    assert _state() == before
