"""Demo benefits on top of the demo casework: for each demo centre a few applications with declared incomes,
proposals computed by the country's pack, decisions approved by a second person, one proposal waiting for
approval and one grant with a suspension proposed, all written through the real services.

A case whose household the pack's law cannot decide on now (no recent interview in PL, a benefit not in
force) is passed over for the next; the same seed gives the same story.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.utils import timezone
from stdnum import iban as stdnum_iban

from socius.accounts import demo as accounts_demo
from socius.accounts.models import Centre, User
from socius.benefits import services
from socius.benefits.selectors import month_start
from socius.casework.models import Case
from socius.casework.statuses import CaseStatus
from socius.common.errors import Conflict, DomainError
from socius.registry.models import Membership
from socius.rulebook.engine.benefits import months_before


@dataclass(frozen=True)
class Plan:
    benefit: str
    income: str  # the head's monthly income in each of the three months before
    kind: str = "employment"
    then: str = (
        "approve"  # approve | wait (left for the approver's queue) | suspend (approved, then suspension proposed)
    )
    cash: bool = False
    purpose: str = ""
    need: str | None = None
    amounts: dict = field(default_factory=dict)
    head_flags: tuple[str, ...] = ()
    adult_flags: tuple[str, ...] = ()  # the other adults' (e.g. MD: each adult in a category of the law)
    unable_to_work: bool = False


PLANS = {
    "PL": (
        Plan("pl.periodic_allowance", "500.00", then="approve"),
        Plan("pl.permanent_allowance", "600.00", kind="pension", then="wait", unable_to_work=True),
        Plan("pl.purpose_allowance", "700.00", kind="pension", cash=True, purpose="fuel", need="400.00"),
        Plan("pl.periodic_allowance", "300.00", then="suspend"),
    ),
    "MD": (
        Plan("md.social_aid", "300.00", head_flags=("earning",), adult_flags=("earning",), then="approve"),
        Plan(
            "md.local_support_fund_aid",
            "1500.00",
            kind="pension",
            cash=True,
            purpose="medicines",
            need="1500.00",
            amounts={"fund_cap": "2000.00"},
        ),
        Plan("md.social_aid", "600.00", head_flags=("earning",), adult_flags=("earning",), then="wait"),
    ),
    "LT": (
        Plan("lt.social_benefit", "100.00", head_flags=("registered_unemployed",), then="approve"),
        Plan(
            "lt.heating_compensation",
            "400.00",
            kind="pension",
            amounts={"heating_cost": "120.00", "heated_area_m2": "50"},
            head_flags=("receives_pension",),
            then="wait",
        ),
        Plan("lt.social_benefit", "150.00", head_flags=("registered_unemployed",), then="suspend"),
    ),
}

# Bank and branch parts of synthetic account numbers; the check digits are computed.
BANKS = {"PL": "1090101400000712198", "MD": "AG00022510001", "LT": "73000101"}


def demo_iban(country: str, rng: random.Random) -> str:
    bank = BANKS[country]
    length = {"PL": 24, "MD": 20, "LT": 16}[country]
    bban = bank + "".join(rng.choice("0123456789") for _ in range(length - len(bank)))
    return stdnum_iban.validate(country + stdnum_iban.calc_check_digits(country + "00" + bban) + bban)


def _months_after(month: dt.date, count: int) -> dt.date:
    years, index = divmod(month.month - 1 + count, 12)
    return dt.date(month.year + years, index + 1, 1)


def _head_and_members(case: Case, on: dt.date) -> list[Membership]:
    rows = list(
        Membership.objects.filter(household_id=case.household_id, valid_from__lte=on, valid_until__isnull=True)
        .select_related("person")
        .order_by("id")
    )
    rows.sort(key=lambda m: m.relationship != "head")
    return rows


def load_benefits_demo(centre: Centre, *, seed: int, today: dt.date | None = None) -> int:
    """Write one demo centre's benefits; returns the number of decisions proposed."""
    today = today or timezone.localdate()
    rng = random.Random(f"{seed}-{centre.jurisdiction}-benefits")
    prefix = accounts_demo.USERNAME_PREFIXES[centre.jurisdiction]
    users = {u.username: u for u in User.objects.filter(centre=centre)}
    director, teamlead = users[f"{prefix}director"], users[f"{prefix}teamlead"]
    cases = list(
        Case.objects.filter(centre=centre, household__isnull=False)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("assigned_worker", "centre")
        .order_by("id")
    )
    month = month_start(today)
    reference = months_before(month, 3)
    workable = [
        case
        for case in cases
        if case.assigned_worker.can("propose_decisions") and case.opened_on <= today and _head_and_members(case, today)
    ]
    proposed = 0
    for index, plan in enumerate(PLANS.get(centre.jurisdiction, ())):
        # Each plan on the next case that the law lets the centre decide on now (a small demo has one case).
        for case in workable[index % len(workable) :] + workable[: index % len(workable)] if workable else ():
            if _try(case, teamlead, director, plan, today, month, reference, rng):
                proposed += 1
                break
    return proposed


def _try(case, teamlead, director, plan, today, month, reference, rng) -> bool:
    worker, members = case.assigned_worker, _head_and_members(case, today)
    try:
        _one(case, worker, teamlead, director, members, plan, today, month, reference, rng)
    except Conflict as exc:
        if exc.code not in ("interview_missing", "interview_outdated") or not _update_interview(case, worker, today):
            return False
        try:  # the worker updates the interview first, as the law asks (PL art. 106 ust. 4 u.p.s.)
            _one(case, worker, teamlead, director, members, plan, today, month, reference, rng)
        except DomainError:
            return False
    except DomainError:
        return False  # this household cannot be decided on now: try the next
    return True


def _update_interview(case: Case, worker: User, today: dt.date) -> bool:
    """An update of the case's latest interview, its answers carried over, completed today; False when the
    case has none to update or the update cannot be completed."""
    from django.db import transaction

    from socius.assessments import services as assessment_services
    from socius.assessments.selectors import completed_interviews_of

    latest = completed_interviews_of(case.pk).first()
    if latest is None:
        return False
    try:
        with transaction.atomic():
            update = assessment_services.start_assessment(
                worker, case.pk, kind="update", need_identified_on=today, instrument_code=latest.instrument_code
            )
            answers = {**latest.answers, **_UPDATE_ANSWERS.get(case.centre.jurisdiction, lambda day: {})(today)}
            assessment_services.save_draft(
                worker, update.pk, answers, diagnosis=latest.diagnosis, conclusions=latest.conclusions
            )
            assessment_services.complete_assessment(worker, update.pk, on=today)
    except DomainError:
        return False
    return True


def _one(case, worker, approver, director, members, plan: Plan, today, month, reference, rng):
    from django.db import transaction

    with transaction.atomic():  # a plan that fails halfway leaves nothing behind
        head = members[0].person
        application = services.file_application(
            worker,
            case.pk,
            {
                "benefit": plan.benefit,
                "applied_on": max(today, case.opened_on),
                "period_from": month,
                "period_to": None if plan.need else _months_after(month, 5),
                "applicant": head.pk,
                "purpose": plan.purpose,
                "need_amount": plan.need,
                "amounts": dict(plan.amounts),
                "documents": {d.code: True for d in services.documents_for(plan.benefit) if d.required},
            },
        )
        services.declare_incomes(
            worker,
            application.pk,
            [{"person": head.pk, "month": m, "kind": plan.kind, "amount": plan.income} for m in reference],
        )
        adults = [
            m.person
            for m in members[1:]
            if m.person.birth_date and (today - m.person.birth_date).days >= 18 * 366 and plan.adult_flags
        ]
        if plan.head_flags or plan.unable_to_work or adults:
            services.set_member_facts(
                worker,
                application.pk,
                [{"person": head.pk, "unable_to_work": plan.unable_to_work, "flags": list(plan.head_flags)}]
                + [{"person": adult.pk, "flags": list(plan.adult_flags)} for adult in adults],
            )
        payment = (
            {"payment_method": "cash"}
            if plan.cash
            else {"payment_method": "bank_transfer", "iban": demo_iban(case.centre.jurisdiction, rng)}
        )
        proposal = services.propose_decision(worker, application.pk, payment, on=today)
        if plan.then == "wait":
            return None
        decision = services.approve_decision(approver if approver.pk != worker.pk else director, proposal.pk, on=today)
        if plan.then == "suspend" and decision.state == "active":
            services.propose_suspension(
                worker,
                decision.pk,
                {"from_month": month, "justification": _SUSPENSION.get(case.centre.jurisdiction, "")},
            )
        return decision


_SUSPENSION = {
    "PL": "Wnioskodawca wyjechał za granicę na trzy miesiące (informacja z wywiadu).",
    "MD": "Solicitantul a plecat peste hotare pentru trei luni.",
    "LT": "Pareiškėjas trims mėnesiams išvyko į užsienį.",
}

# The update part of an interview (PL: część IV A of the 2021 form), answered for the demo's update.
_UPDATE_ANSWERS = {
    "PL": lambda day: {
        "IV_A": {
            "update_date": day.isoformat(),
            "changes": "Bez istotnych zmian; rodzina ubiega się o świadczenie pieniężne.",
        }
    },
}
