"""Small builders for the statutory statistics' tests: a case of a household or a person, a decision, its payments
in a run of a given state, a social work activity and a social contract (rows as the services write them)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from socius.accounts.roles import Role
from socius.benefits.models import Decision
from socius.casework.models import Case
from socius.casework.models_visits import SocialWorkActivity
from socius.payments.models import Fund, Payment, PaymentRun
from socius.plans.models import SocialContract
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, TeamFactory, UserFactory

_seq = itertools.count(1)
CURRENCY = {"PL": "PLN", "LT": "EUR", "MD": "MDL"}


class World:
    def __init__(self, centre):
        self.centre = centre
        self.worker = UserFactory(centre=centre, role=Role.SOCIAL_WORKER)
        self.finance = UserFactory(centre=centre, role=Role.FINANCE_OFFICER)
        self.team = TeamFactory(centre=centre)
        self.funds: dict[str, Fund] = {}

    def fund(self, kind: str) -> Fund:
        if kind not in self.funds:
            self.funds[kind] = Fund.objects.create(
                centre=self.centre, code=f"{kind}-{next(_seq)}", name=kind, kind=kind,
                currency=CURRENCY[self.centre.jurisdiction],
            )  # fmt: skip
        return self.funds[kind]

    def household(self, *, adults=1, children=0, on=dt.date(2026, 6, 30), pensioners=False):
        household = HouseholdFactory(centre=self.centre)
        people = []
        for i in range(adults):
            person = PersonFactory(
                centre=self.centre, birth_date=on.replace(year=on.year - 40 - i),
                employment_status="pensioner" if pensioners else "unemployed_registered",
            )  # fmt: skip
            MembershipFactory(household=household, person=person, relationship="head" if i == 0 else "spouse")
            people.append(person)
        for i in range(children):
            person = PersonFactory(centre=self.centre, birth_date=on.replace(year=on.year - 5 - i))
            MembershipFactory(household=household, person=person, relationship="child")
            people.append(person)
        return household, people

    def case(self, *, household=None, person=None, territory=..., circumstances=(), opened_on=dt.date(2025, 1, 10)):
        n = next(_seq)
        return Case.objects.create(
            centre=self.centre, year=opened_on.year, number=n, reference=f"T/{n}", household=household, person=person,
            circumstances=list(circumstances), assigned_worker=self.worker, team=self.team, opened_on=opened_on,
            territory=self.centre.territory if territory is ... else territory,
        )  # fmt: skip

    def decision(self, case, benefit, *, members=(), amount="500.00", start=dt.date(2026, 1, 1), end=None, **kw):
        applicant = case.person or case.household.memberships.order_by("pk").first().person
        return Decision.objects.create(
            centre=self.centre, case=case, household=case.household, applicant=applicant,
            kind=kw.pop("kind", "grant"), benefit=benefit, period_from=start, period_to=end, amount=Decimal(amount),
            currency=CURRENCY[self.centre.jurisdiction], member_ids=[p.pk for p in members] or [applicant.pk],
            proposed_by=self.worker, **kw,
        )  # fmt: skip

    def run(self, month: dt.date, status="approved") -> PaymentRun:
        run = PaymentRun.objects.filter(centre=self.centre, month=month, status=status).first()
        if run is None:
            number = PaymentRun.objects.filter(centre=self.centre, month=month).count() + 1
            run = PaymentRun.objects.create(
                centre=self.centre, month=month, number=number, kind="regular" if number == 1 else "extra",
                status=status, prepared_by=self.finance,
            )  # fmt: skip
        return run

    def pay(self, decision, month: dt.date, *, fund_kind="own_tasks", territory=..., status="paid",
            run_status="approved", amount=None) -> Payment:  # fmt: skip
        n = next(_seq)
        return Payment.objects.create(
            run=self.run(month, run_status), centre=self.centre, fund=self.fund(fund_kind), decision=decision,
            person=decision.applicant, household=decision.household, payee_name=str(decision.applicant),
            benefit=decision.benefit, month=month, amount=Decimal(amount or decision.amount),
            currency=decision.currency, channel="cashier", end_to_end_id=f"T-{n}", status=status,
            territory=decision.case.territory if territory is ... else territory,
        )  # fmt: skip

    def social_work(self, case, on: dt.date) -> SocialWorkActivity:
        return SocialWorkActivity.objects.create(
            case=case, type="counselling", performed_on=on, duration_minutes=30, performed_by=self.worker
        )

    def contract(self, case, *, signed_on, valid_from, valid_until, status="signed") -> SocialContract:
        return SocialContract.objects.create(
            case=case, variant="general", worker=self.worker, valid_from=valid_from, valid_until=valid_until,
            status=status, signed_on=signed_on,
        )  # fmt: skip
