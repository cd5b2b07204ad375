"""What the statutory reports count, defined once (docs/reports/statutory.md):

- a benefit is *received* in a period when a payment of its decision is for a month of the period (`Payment.month`),
  sits in an approved, exported or reconciled run, and was not returned, reissued (its reissue counts instead) or
  cancelled; it counts where it was paid (`Payment.territory`, the locality on the payment);
- the task type (PL zadania zlecone / zadania własne) is the kind of the fund the payment was made from;
- a *family* is the household of a case, or the single person of a case (one case, one family); its members are the
  persons counted in its latest received decision (`Decision.member_ids`, the family as of the decision), else the
  household's members during the period, else the case's person;
- a *child* is a member under 18 on the period's last day; an *adult* any other member (birth date unknown: adult).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from socius.casework.models import Case
from socius.payments.models import Payment
from socius.payments.statuses import LOCKED_RUN_STATUSES, PaymentStatus
from socius.registry.models import Membership, Person
from socius.reporting.indicators import Figure, Part, Scope

NOT_RECEIVED = (PaymentStatus.RETURNED, PaymentStatus.REISSUED, PaymentStatus.CANCELLED)


def received_payments(scope: Scope) -> QuerySet[Payment]:
    """The payments of decisions received in the scope's period (see the module's rules), any locality."""
    return Payment.objects.filter(
        centre_id=scope.centre.pk,
        decision__isnull=False,
        month__gte=scope.start,
        month__lt=scope.end,
        run__status__in=sorted(LOCKED_RUN_STATUSES),
    ).exclude(status__in=NOT_RECEIVED)


# --- territory groups in Python --------------------------------------------------------------------------------


def group_map(scope: Scope) -> Callable[[int | None], int | None]:
    """territory id -> the scope's group id, None outside the scope (`Scope.group_lookup`)."""
    return scope.group_lookup()


def distinct_figure(entries: Iterable[tuple[int, object]]) -> tuple[int, dict[int, int]]:
    """(group, key) pairs -> distinct keys in total and per group."""
    per_group: dict[int, set] = {}
    every: set = set()
    for group, key in entries:
        per_group.setdefault(group, set()).add(key)
        every.add(key)
    return len(every), {g: len(keys) for g, keys in per_group.items()}


CENT = Decimal("0.01")


def money_figure(entries: Iterable[tuple[int, Decimal]]) -> tuple[Decimal, dict[int, Decimal]]:
    per_group: dict[int, Decimal] = {}
    for group, amount in entries:
        per_group[group] = per_group.get(group, Decimal("0")) + amount
    return as_money((sum(per_group.values(), Decimal("0")), per_group))


def as_money(total_and_groups) -> tuple[Decimal, dict[int, Decimal]]:
    """Two decimal places, whatever the database's SUM returned (SQLite drops the scale)."""
    total, by_group = total_and_groups
    return Decimal(total).quantize(CENT), {g: Decimal(v).quantize(CENT) for g, v in by_group.items()}


# --- families ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Family:
    case_id: int
    territory_id: int | None
    member_ids: frozenset[int]
    children: int
    adults: int
    pensioners_only: bool
    circumstances: tuple[str, ...]

    @property
    def persons(self) -> int:
        return len(self.member_ids)

    def matches(self, rule: dict) -> bool:
        """A family-type row's rule (layout YAML): persons, persons_min, children, children_min, single_parent,
        pensioners."""
        checks = {
            "persons": lambda v: self.persons == int(v),
            "persons_min": lambda v: self.persons >= int(v),
            "children": lambda v: self.children == int(v),
            "children_min": lambda v: self.children >= int(v),
            "single_parent": lambda v: (self.children >= 1 and self.adults == 1) == bool(v),
            "pensioners": lambda v: self.pensioners_only == bool(v),
        }
        return all(checks[key](value) for key, value in (rule or {}).items())


def families_of(scope: Scope, case_ids: Iterable[int], payments: QuerySet[Payment] | None = None) -> dict[int, Family]:
    """The families of the cases (see the module's rules), with their members' composition on the period's last day.
    `payments`: the received payments whose latest decision per case gives the members."""
    case_ids = set(case_ids)
    if not case_ids:
        return {}
    cases = {
        row["pk"]: row
        for row in Case.objects.filter(pk__in=sorted(case_ids)).values(
            "pk", "territory_id", "household_id", "person_id", "circumstances"
        )
    }
    members: dict[int, set[int]] = {}
    if payments is not None:
        rows = (
            payments.filter(decision__case_id__in=sorted(case_ids))
            .order_by("decision__decided_on", "decision_id")
            .values_list("decision__case_id", "decision__member_ids", "decision__applicant_id")
            .distinct()
        )
        for case_id, member_ids, applicant_id in rows:
            members[case_id] = {int(m) for m in (member_ids or [])} or {applicant_id}
    missing = [c for c in case_ids if c not in members]
    households = {cases[c]["household_id"]: c for c in missing if cases[c]["household_id"]}
    if households:
        during = Q(valid_from__lt=scope.end) & (Q(valid_until__isnull=True) | Q(valid_until__gt=scope.start))
        for household_id, person_id in Membership.objects.filter(
            during, household_id__in=sorted(households)
        ).values_list("household_id", "person_id"):
            members.setdefault(households[household_id], set()).add(person_id)
    for c in missing:
        if c not in members and cases[c]["person_id"]:
            members[c] = {cases[c]["person_id"]}
    everyone = set().union(*members.values()) if members else set()
    last_day = scope.end - dt.timedelta(days=1)
    adult_born_by = _years_before(last_day, 18)
    facts = {
        pk: (birth_date, status)
        for pk, birth_date, status in Person.objects.filter(pk__in=sorted(everyone)).values_list(
            "pk", "birth_date", "employment_status"
        )
    }
    out: dict[int, Family] = {}
    for case_id in case_ids:
        ids = frozenset(members.get(case_id, ()))
        children = sum(1 for p in ids if facts.get(p, (None, ""))[0] and facts[p][0] > adult_born_by)
        adults = [p for p in ids if not (facts.get(p, (None, ""))[0] and facts[p][0] > adult_born_by)]
        out[case_id] = Family(
            case_id=case_id,
            territory_id=cases[case_id]["territory_id"],
            member_ids=ids,
            children=children,
            adults=len(adults),
            pensioners_only=bool(adults) and all(facts.get(p, (None, ""))[1] == "pensioner" for p in adults),
            circumstances=tuple(cases[case_id]["circumstances"] or ()),
        )
    return out


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def families_figure(families: Iterable[Family], group_of, *, persons: bool = False) -> tuple[int, dict[int, int]]:
    """Families (or the distinct persons in them) in total and per group of the family's case locality."""
    entries = []
    for family in families:
        group = group_of(family.territory_id)
        if group is None:
            continue
        if persons:
            entries.extend((group, p) for p in family.member_ids)
        else:
            entries.append((group, family.case_id))
    return distinct_figure(entries)


def figure_with_parts(total_and_groups, parts: list[tuple[str, str, tuple]]) -> Figure:
    total, by_group = total_and_groups
    return Figure(
        total=total,
        by_group=by_group,
        parts=tuple(Part(code, label, p_total, p_groups) for code, label, (p_total, p_groups) in parts),
    )
