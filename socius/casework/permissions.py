"""Who may do what with a case: small predicates composed with | and & (as django-rules does).

Everyone of the centre with VIEW_CASES sees that a case exists and who holds it (the summary). The
content (circumstances, notes, timeline) is for the assigned worker, the team leader of the case's
team, the director and staff the case was explicitly shared with.
"""

from __future__ import annotations

from collections.abc import Callable

from socius.accounts.models import User
from socius.accounts.roles import ASSIGN_CASES, RECORD_CONTACTS, VIEW_CASES, WORK_CASES, Role


class Predicate:
    """A yes/no question about (actor, case) that composes: `a | b`, `a & b`, `~a`."""

    def __init__(self, fn: Callable[[User, object], bool], name: str | None = None):
        self.fn = fn
        self.name = name or fn.__name__

    def __call__(self, actor: User, case) -> bool:
        return bool(self.fn(actor, case))

    def __or__(self, other: Predicate) -> Predicate:
        return Predicate(lambda a, c: self(a, c) or other(a, c), f"({self.name} | {other.name})")

    def __and__(self, other: Predicate) -> Predicate:
        return Predicate(lambda a, c: self(a, c) and other(a, c), f"({self.name} & {other.name})")

    def __invert__(self) -> Predicate:
        return Predicate(lambda a, c: not self(a, c), f"~{self.name}")

    def __repr__(self) -> str:
        return f"<Predicate {self.name}>"


def predicate(fn: Callable[[User, object], bool]) -> Predicate:
    return Predicate(fn)


def has_capability(capability: str) -> Predicate:
    return Predicate(lambda actor, case: actor.can(capability), f"has_capability({capability!r})")


def team_ids_of(actor: User) -> frozenset[int]:
    """The actor's team ids, read once per actor object (predicates run per row in lists)."""
    cached = getattr(actor, "_casework_team_ids", None)
    if cached is None:
        cached = frozenset(actor.teams.values_list("id", flat=True)) if actor.pk else frozenset()
        actor._casework_team_ids = cached
    return cached


@predicate
def is_in_case_centre(actor: User, case) -> bool:
    return bool(actor.centre_id) and actor.centre_id == case.centre_id


@predicate
def is_assigned_worker(actor: User, case) -> bool:
    return case.assigned_worker_id == actor.pk


@predicate
def is_team_leader_of_case_team(actor: User, case) -> bool:
    return actor.role == Role.TEAM_LEADER and case.team_id in team_ids_of(actor)


@predicate
def is_director(actor: User, case) -> bool:
    return actor.role == Role.DIRECTOR


@predicate
def is_shared_with(actor: User, case) -> bool:
    # Lists annotate `shared_with_actor` in the same query; a single case asks the database.
    annotated = getattr(case, "shared_with_actor", None)
    if annotated is not None:
        return annotated
    return case.shares.filter(user_id=actor.pk).exists()


can_view_case_summary = has_capability(VIEW_CASES) & is_in_case_centre
can_view_case_content = can_view_case_summary & (
    is_assigned_worker | is_team_leader_of_case_team | is_director | is_shared_with
)
# Changing status and sharing: those who answer for the case (a share grants reading, not steering).
can_manage_case = (
    has_capability(WORK_CASES) & is_in_case_centre & (is_assigned_worker | is_team_leader_of_case_team | is_director)
)
can_share_case = can_manage_case
can_reassign_case = has_capability(ASSIGN_CASES) & is_in_case_centre & (is_team_leader_of_case_team | is_director)


# Actor-only predicates, for `socius.accounts.permissions.require`.
def can_view_cases(actor: User) -> bool:
    return actor.can(VIEW_CASES)


def can_view_contact_content(actor: User) -> bool:
    """A contact's notes and its sensitive topics (health, violence, disability...) are for those who do
    casework in the centre (RECORD_CONTACTS): the intake register has no assignee yet, and whoever
    takes up the family must read what was said (decision 0007). Finance, auditors and administrators
    see the summary: when, how, who, who handled it, the other topics and what was done."""
    return actor.can(RECORD_CONTACTS)


def can_record_contacts(actor: User) -> bool:
    return actor.can(RECORD_CONTACTS)


def can_open_cases(actor: User) -> bool:
    return actor.can(WORK_CASES)


def can_assign_cases(actor: User) -> bool:
    return actor.can(ASSIGN_CASES)


def can_hold_cases(user: User) -> bool:
    """A case may be assigned only to staff who do casework (and are active)."""
    return user.can(WORK_CASES)


# Referrals and partners: writing a referral is casework on the case's content.
can_work_case_referrals = has_capability(WORK_CASES) & can_view_case_content


def can_view_partners(actor: User) -> bool:
    return actor.can(VIEW_CASES)


def can_manage_partners(actor: User) -> bool:
    return actor.can(WORK_CASES)
