"""Who may do what: the role table, the predicates, and the audit log's access matrix."""

import pytest
from django.contrib.auth.models import AnonymousUser

from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction
from socius.accounts.permissions import (
    can_edit_registry,
    can_import_registry,
    can_manage_staff,
    can_view_audit,
    can_view_registry,
    can_view_staff,
    require,
)
from socius.accounts.roles import Role
from socius.accounts.selectors import list_audit_events_for
from socius.accounts.tests.helpers import make_centre, make_user
from socius.common.errors import Forbidden

PREDICATES = (
    can_view_registry,
    can_edit_registry,
    can_import_registry,
    can_view_audit,
    can_view_staff,
    can_manage_staff,
)

# role: (view registry, edit registry, import registry, view audit, view staff, manage staff)
EXPECTED = {
    Role.SOCIAL_WORKER: (True, True, False, False, False, False),
    Role.FAMILY_ASSISTANT: (True, True, False, False, False, False),
    Role.TEAM_LEADER: (True, True, True, False, False, False),
    Role.FINANCE_OFFICER: (True, False, False, False, False, False),
    Role.DIRECTOR: (True, True, True, True, True, False),
    Role.AUDITOR: (True, False, False, True, False, False),
    Role.ADMINISTRATOR: (True, True, True, False, True, True),
    Role.CARER: (False, False, False, False, False, False),  # sees only the day's visits (services)
    Role.DATA_PROTECTION_OFFICER: (True, False, False, True, False, False),  # reads the registry and the audit
}


def test_every_role_has_an_expected_row():
    assert set(EXPECTED) == set(Role)


@pytest.mark.parametrize("role", list(Role))
def test_active_member_of_a_centre_has_exactly_the_capabilities_of_the_role(db, pl_centre, role):
    user = make_user(f"u-{role}", pl_centre, role)

    assert tuple(p(user) for p in PREDICATES) == EXPECTED[role]


@pytest.mark.parametrize("role", list(Role))
def test_inactive_user_has_no_capability(db, pl_centre, role):
    user = make_user(f"u-{role}", pl_centre, role, is_active=False)

    assert tuple(p(user) for p in PREDICATES) == (False,) * len(PREDICATES)


@pytest.mark.parametrize("role", list(Role))
def test_user_without_centre_has_no_capability(db, role):
    user = make_user(f"u-{role}", None, role)

    assert tuple(p(user) for p in PREDICATES) == (False,) * len(PREDICATES)


@pytest.mark.parametrize("predicate", PREDICATES)
def test_require_refuses_anonymous_and_missing_actors(predicate):
    with pytest.raises(Forbidden):
        require(AnonymousUser(), predicate)
    with pytest.raises(Forbidden):
        require(None, predicate)


def test_require_lets_a_capable_user_through(pl_director):
    assert require(pl_director, can_view_audit) is None


def test_require_refuses_an_incapable_user(pl_worker):
    with pytest.raises(Forbidden):
        require(pl_worker, can_view_audit)


# The audit log: auditors and directors of the centre only; each sees only their centre's events.


@pytest.fixture
def audit_log(pl_centre, md_centre):
    pl = record_event(None, AuditAction.VIEW, object_type="person", object_id=1, centre_id=pl_centre.pk, person_id=1)
    md = record_event(None, AuditAction.VIEW, object_type="person", object_id=2, centre_id=md_centre.pk, person_id=2)
    return pl, md


@pytest.mark.parametrize("role", list(Role))
def test_audit_log_is_listed_for_auditors_and_directors_of_own_centre_only(audit_log, pl_centre, role):
    user = make_user(f"u-{role}", pl_centre, role)
    pl_event, _md_event = audit_log

    if role in (Role.AUDITOR, Role.DIRECTOR, Role.DATA_PROTECTION_OFFICER):
        assert list(list_audit_events_for(user)) == [pl_event]
    else:
        with pytest.raises(Forbidden):
            list_audit_events_for(user)


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.DIRECTOR, Role.DATA_PROTECTION_OFFICER])
def test_audit_log_of_another_centre_is_never_listed(audit_log, md_centre, role):
    user = make_user(f"md-{role}", md_centre, role)
    _pl_event, md_event = audit_log

    assert list(list_audit_events_for(user)) == [md_event]
    assert list(list_audit_events_for(user, person_id=1)) == []


@pytest.mark.parametrize("role", list(Role))
def test_audit_log_is_refused_to_inactive_users_and_users_without_centre(audit_log, pl_centre, role):
    inactive = make_user(f"inactive-{role}", pl_centre, role, is_active=False)
    homeless = make_user(f"homeless-{role}", None, role)

    for user in (inactive, homeless):
        with pytest.raises(Forbidden):
            list_audit_events_for(user)


def test_audit_log_is_refused_to_anonymous(audit_log):
    with pytest.raises(Forbidden):
        list_audit_events_for(AnonymousUser())


def test_a_second_centre_of_the_same_country_is_another_centre(audit_log, pl_centre):
    other_pl = make_centre("pl-other", "PL")
    director = make_user("other-director", other_pl, Role.DIRECTOR)

    assert list(list_audit_events_for(director)) == []
