"""Who sees a case's content, who sees only that it exists, and who sees nothing; content views audited."""

import pytest

from socius.accounts.models import AuditEvent
from socius.accounts.roles import Role
from socius.casework.models import CaseShare
from socius.casework.permissions import (
    can_view_case_content,
    is_assigned_worker,
    is_director,
    is_team_leader_of_case_team,
)
from socius.casework.selectors import CaseSummary, get_case_content_for, get_case_for
from socius.casework.tests.factories import CaseFactory
from socius.common.errors import Forbidden, NotFound
from socius.testing.factories import PersonFactory, UserFactory

CONTENT, SUMMARY, NOT_FOUND = "content", "summary", "not found"

MATRIX = [
    ("pl_worker", CONTENT),  # the assigned worker
    ("pl_worker2", SUMMARY),  # another worker of the same centre (and team)
    ("pl_teamlead", CONTENT),  # team leader of the case's team
    ("other_teamlead", SUMMARY),  # team leader of another team
    ("pl_director", CONTENT),
    ("pl_auditor", SUMMARY),
    ("pl_finance", SUMMARY),
    ("pl_admin", SUMMARY),
    ("pl_assistant", SUMMARY),
    ("shared_user", CONTENT),
    ("md_worker", NOT_FOUND),  # another centre
    ("md_director", NOT_FOUND),
]


@pytest.fixture
def case(pl_centre, pl_worker, family_team):
    person = PersonFactory(centre=pl_centre)
    return CaseFactory(
        centre=pl_centre,
        household=None,
        person=person,
        assigned_worker=pl_worker,
        team=family_team,
        circumstances=["domestic_violence"],
        notes="Sensitive: see the police report.",
    )


@pytest.fixture
def shared_user(pl_centre, case):
    user = UserFactory(username="pl_psychologist", centre=pl_centre, role=Role.SOCIAL_WORKER)
    CaseShare.objects.create(case=case, user=user)
    return user


@pytest.mark.parametrize(("persona", "expected"), MATRIX, indirect=["persona"])
def test_case_content_permission_matrix(persona, expected, case):
    views_before = AuditEvent.objects.filter(action="view").count()

    if expected == NOT_FOUND:
        with pytest.raises(NotFound):
            get_case_for(persona, case.pk)
        with pytest.raises(NotFound):
            get_case_content_for(persona, case.pk)
        assert AuditEvent.objects.filter(action="view").count() == views_before
        return

    summary = get_case_for(persona, case.pk)
    assert isinstance(summary, CaseSummary)
    assert (summary.id, summary.reference, summary.status) == (case.pk, case.reference, "opened")
    assert summary.assigned_worker == case.assigned_worker  # who holds it: visible to the whole centre
    assert not hasattr(summary, "notes") and not hasattr(summary, "circumstances")
    assert summary.can_view_content is (expected == CONTENT)
    assert can_view_case_content(persona, case) is (expected == CONTENT)

    if expected == CONTENT:
        content = get_case_content_for(persona, case.pk)
        assert content.notes == "Sensitive: see the police report."
        view = AuditEvent.objects.filter(action="view").latest("id")
        assert (view.actor, view.object_type, view.object_id, view.person_id) == (
            persona,
            "case",
            case.pk,
            case.person_id,
        )
    else:
        with pytest.raises(Forbidden):
            get_case_content_for(persona, case.pk)
        assert AuditEvent.objects.filter(action="view").count() == views_before


def test_every_opening_of_the_content_is_audited(pl_worker, case):
    for _ in range(3):
        get_case_content_for(pl_worker, case.pk)
    assert AuditEvent.objects.filter(action="view", object_type="case", object_id=case.pk).count() == 3


def test_an_inactive_assigned_worker_loses_access(pl_worker, case):
    pl_worker.is_active = False
    pl_worker.save()
    with pytest.raises(Forbidden):
        get_case_for(pl_worker, case.pk)


def test_a_team_leader_who_is_also_in_another_team_sees_only_their_teams_cases(pl_teamlead, other_teamlead, case):
    assert is_team_leader_of_case_team(pl_teamlead, case)
    assert not is_team_leader_of_case_team(other_teamlead, case)


def test_predicates_compose(pl_worker, pl_director, pl_worker2, case):
    either = is_assigned_worker | is_director
    both = is_assigned_worker & is_director
    assert either(pl_worker, case) and either(pl_director, case) and not either(pl_worker2, case)
    assert not both(pl_worker, case)
    assert (~is_director)(pl_worker, case)


def test_bad_ids_are_not_found(pl_worker, case):
    for bad in (None, "abc", 999999):
        with pytest.raises(NotFound):
            get_case_for(pl_worker, bad)
