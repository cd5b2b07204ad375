"""Benefit services: filing, incomes, proposals computed with the law of their month, four-eyes approval,
numbering, decisions that change a grant, and every refusal leaving the database as it was."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from socius.accounts.models import AuditEvent
from socius.benefits import services
from socius.benefits.models import (
    Application,
    ApproverAuthorisation,
    Decision,
    DecisionCounter,
    DecisionEvent,
    EditingForbidden,
    IncomeDeclaration,
)
from socius.benefits.selectors import amounts_due, can_approve_decisions, facts_for_application, rendered_trace
from socius.benefits.tests.conftest import APPLIED, FEBRUARY, MARCH, PL_IBAN
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.testing.factories import MembershipFactory, PersonFactory

ON = dt.date(2025, 3, 5)
AUGUST = dt.date(2025, 8, 1)


def state_of_db() -> tuple:
    """Everything a refused service could have touched."""
    return (
        list(Application.objects.order_by("id").values_list("id", "status")),
        list(Decision.objects.order_by("id").values_list("id", "status", "state", "number", "approved_by")),
        DecisionEvent.objects.count(),
        IncomeDeclaration.objects.count(),
        list(DecisionCounter.objects.values_list("centre_id", "year", "last_number")),
        AuditEvent.objects.count(),
    )


def file(worker, case, **data):
    payload = {"benefit": "pl.toy_allowance", "applied_on": APPLIED, "period_from": MARCH, "period_to": AUGUST}
    return services.file_application(worker, case.pk, {**payload, **data})


def incomes(worker, application, person, amount="1000.00", month=FEBRUARY):
    return services.declare_incomes(
        worker, application.pk, [{"person": person.pk, "month": month, "kind": "employment", "amount": amount}]
    )


def propose(worker, application, **data):
    payload = {"payment_method": "bank_transfer", "iban": PL_IBAN}
    return services.propose_decision(worker, application.pk, {**payload, **data}, on=ON)


@pytest.fixture
def proposal(case, interview, mother, pl_worker):
    application = file(pl_worker, case)
    incomes(pl_worker, application, mother)
    return propose(pl_worker, application)


@pytest.fixture
def grant(proposal, pl_teamlead):
    return services.approve_decision(pl_teamlead, proposal.pk, on=dt.date(2025, 3, 6))


# --- facts and the proposal ---------------------------------------------------------------------------


def test_facts_come_from_the_dated_memberships_the_registry_and_the_declared_incomes(
    case, household, mother, son, pl_worker, pl_centre
):
    lodger = PersonFactory(centre=pl_centre, birth_date=dt.date(1990, 1, 1), employment_status="unemployed_registered")
    MembershipFactory(
        household=household, person=lodger, relationship="other_relative", valid_from=dt.date(2025, 3, 10)
    )
    application = file(pl_worker, case)
    incomes(pl_worker, application, son, "120.50")
    services.set_member_facts(
        pl_worker, application.pk, [{"person": mother.pk, "unable_to_work": True, "benefit_months_received": 3}]
    )

    march, march_ids = facts_for_application(application)
    april, april_ids = facts_for_application(application, dt.date(2025, 4, 1))

    assert march_ids == [mother.pk, son.pk]  # counted on the application day, 3 March: the lodger came on the 10th
    assert april_ids == [mother.pk, son.pk, lodger.pk]
    applicant, child = march.members
    assert (applicant.role, applicant.unable_to_work, applicant.benefit_months_received) == ("applicant", True, 3)
    assert (child.role, child.birth_date, [(r.kind, r.amount, r.month) for r in child.incomes]) == (
        "child",
        dt.date(2010, 7, 1),
        [("employment", Decimal("120.50"), FEBRUARY)],
    )
    assert april.members[2].unemployed is True and "registered_unemployed" in april.members[2].flags


def test_a_proposal_stores_the_law_it_was_computed_with(proposal, pl_worker, mother, son):
    assert (proposal.kind, proposal.status, proposal.amount, proposal.minimum, proposal.maximum) == (
        "grant",
        "proposed",
        Decimal("552.00"),  # 2 × 776.00 − 1000.00
        Decimal("20.00"),
        Decimal("552.00"),
    )
    assert (proposal.currency, proposal.rules_version, proposal.formula_version) == (
        "PLN",
        "pl-test-1",
        dt.date(2020, 1, 1),
    )
    assert proposal.parameters == {
        "toy/criterion": {"value": "776.00", "valid_from": "2024-01-01", "source": "Dz.U. 2024 próba"}
    }
    assert proposal.facts["period"] == "2025-03" and len(proposal.facts["household"]) == 2
    assert proposal.member_ids == [mother.pk, son.pk]
    assert [(s["code"], s["value"]) for s in proposal.trace] == [
        ("criterion", "776.00"),
        ("income", "1000.00"),
        ("amount", "552.00"),
    ]
    assert "label" not in proposal.trace[0]  # labels are re-rendered from the pack
    assert rendered_trace(proposal, "en")[1]["label"] == "Family income"
    assert rendered_trace(proposal, "pl")[1]["label"] == "Dochód rodziny"
    assert proposal.justification.startswith("Kryterium: 776,00\xa0zł (art. 8 ust. 1 u.p.s.).")
    assert proposal.application.status == "proposed"
    assert list(proposal.events.values_list("kind", flat=True)) == ["proposed"]
    audit = AuditEvent.objects.get(object_type="benefit_decision", action="create")
    assert audit.person_id == mother.pk


def test_the_centre_may_choose_an_amount_within_the_laws_range_and_not_outside_it(case, interview, mother, pl_worker):
    application = file(pl_worker, case)
    incomes(pl_worker, application, mother)
    before = state_of_db()

    with pytest.raises(ValidationFailed) as refused:
        propose(pl_worker, application, amount="19.99")
    assert refused.value.errors == {"amount": ["Choose an amount from 20.00 to 552.00."]}
    assert state_of_db() == before

    assert propose(pl_worker, application, amount="300.00").amount == Decimal("300.00")


def test_income_at_the_criterion_is_refused_with_its_reason(case, interview, mother, pl_worker):
    application = file(pl_worker, case)
    incomes(pl_worker, application, mother, "1552.00")

    refusal = propose(pl_worker, application)

    assert (refusal.kind, refusal.eligible, refusal.amount, refusal.reasons) == (
        "refusal",
        False,
        Decimal("0.00"),
        [{"code": "income_not_below_criterion", "params": {}}],
    )
    assert (refusal.payment_method, refusal.iban) == ("", "")


def test_a_proposal_is_computed_with_the_law_of_its_month(case, interview, mother, pl_worker):
    application = file(pl_worker, case, applied_on=APPLIED, period_from=dt.date(2025, 6, 1))
    incomes(pl_worker, application, mother, month=dt.date(2025, 5, 1))

    proposal = propose(pl_worker, application)

    assert proposal.amount == Decimal("600.00")  # 2 × 800.00 − 1000.00: the criterion of June 2025
    assert proposal.parameters["toy/criterion"]["valid_from"] == "2025-06-01"


def test_an_iban_is_validated_and_kept_in_compact_form(case, interview, mother, pl_worker):
    application = file(pl_worker, case)
    incomes(pl_worker, application, mother)
    before = state_of_db()

    for wrong in ("PL61109010140000071219812875", "PL611090101400000712198128", "XX00", ""):
        with pytest.raises(ValidationFailed) as refused:
            propose(pl_worker, application, iban=wrong)
        assert list(refused.value.errors) == ["iban"]
    assert state_of_db() == before

    spaced = "pl61 1090 1014 0000 0712 1981 2874"
    assert propose(pl_worker, application, iban=spaced).iban == PL_IBAN


@pytest.mark.parametrize(
    ("iban", "valid"),
    [
        ("MD24AG000225100013104168", True),
        ("MD24AG000225100013104169", False),
        ("LT121000011101001000", True),
        ("LT121000011101001001", False),
    ],
)
def test_moldovan_and_lithuanian_ibans_are_checked_too(iban, valid):
    errors: dict = {}
    assert services.check_iban(iban, errors) == (iban if valid else "")
    assert bool(errors) is not valid


def test_cash_needs_no_iban(case, interview, mother, pl_worker):
    application = file(pl_worker, case)
    incomes(pl_worker, application, mother)
    decision = propose(pl_worker, application, payment_method="cash", iban="")
    assert (decision.payment_method, decision.iban) == ("cash", "")


# --- the environmental interview ------------------------------------------------------------------------


def test_without_an_interview_the_proposal_is_stopped_with_a_clear_message(case, mother, pl_worker):
    application = file(pl_worker, case)
    incomes(pl_worker, application, mother)
    before = state_of_db()

    with pytest.raises(Conflict) as stopped:
        propose(pl_worker, application)

    assert stopped.value.code == "interview_missing"
    assert "environmental interview" in str(stopped.value.message)
    assert state_of_db() == before


def test_an_interview_older_than_the_packs_validity_stops_the_proposal(case, interview, mother, pl_worker):
    application = file(pl_worker, case)
    incomes(pl_worker, application, mother)
    before = state_of_db()

    with pytest.raises(Conflict) as stopped:
        services.propose_decision(
            pl_worker, application.pk, {"payment_method": "cash"}, on=dt.date(2025, 8, 21)
        )  # completed 2025-02-20: six months and a day

    assert stopped.value.code == "interview_outdated"
    assert "2025-02-20" in str(stopped.value.message)
    assert state_of_db() == before
    assert services.propose_decision(pl_worker, application.pk, {"payment_method": "cash"}, on=dt.date(2025, 8, 20))


# --- four eyes and numbering ------------------------------------------------------------------------------


def test_nobody_approves_their_own_proposal_and_nothing_changes(proposal, pl_worker, pl_teamlead, case):
    own = file(pl_teamlead, case)
    own_proposal = services.propose_decision(pl_teamlead, own.pk, {"payment_method": "cash"}, on=ON)
    before = state_of_db()

    with pytest.raises(services.FourEyes):
        services.approve_decision(pl_teamlead, own_proposal.pk, on=ON)
    with pytest.raises(Forbidden):
        services.approve_decision(pl_worker, proposal.pk, on=ON)  # a worker has no right to approve

    assert state_of_db() == before


def test_approval_numbers_per_centre_and_year_and_dates_the_decision(case, interview, mother, pl_worker, pl_director):
    numbers = []
    for day in (dt.date(2025, 12, 30), dt.date(2025, 12, 31), dt.date(2026, 1, 2)):
        application = file(pl_worker, case)
        decision = services.propose_decision(pl_worker, application.pk, {"payment_method": "cash"}, on=ON)
        decision = services.approve_decision(pl_director, decision.pk, on=day)
        numbers.append((decision.reference, decision.decided_on, decision.year))
    assert numbers == [
        ("1/2025", dt.date(2025, 12, 30), 2025),
        ("2/2025", dt.date(2025, 12, 31), 2025),
        ("1/2026", dt.date(2026, 1, 2), 2026),
    ]


def test_approval_makes_the_grant_active_and_decides_the_application(grant, pl_teamlead, mother):
    assert (grant.status, grant.state, grant.approved_by, grant.reference) == (
        "approved",
        "active",
        pl_teamlead,
        "1/2025",
    )
    assert grant.application.status == "decided"
    assert list(grant.events.values_list("kind", flat=True)) == ["proposed", "approved"]


def test_an_approved_decision_is_never_edited(grant):
    grant.amount = Decimal("1.00")
    with pytest.raises(EditingForbidden):
        grant.save()
    with pytest.raises(EditingForbidden):
        grant.delete()
    with pytest.raises(EditingForbidden):
        grant.events.first().save()


def test_an_approved_decision_cannot_be_approved_or_returned_again(grant, pl_director):
    before = state_of_db()
    for call in (
        lambda: services.approve_decision(pl_director, grant.pk, on=ON),
        lambda: services.return_decision(pl_director, grant.pk, "again"),
    ):
        with pytest.raises(Conflict) as refused:
            call()
        assert refused.value.code == "invalid_transition"
    assert state_of_db() == before


def test_a_returned_proposal_goes_back_with_its_comment_and_may_be_proposed_again(proposal, pl_teamlead, pl_worker):
    returned = services.return_decision(pl_teamlead, proposal.pk, "Add the son's income of February.")

    assert (returned.status, returned.returned_by, returned.returned_comment) == (
        "returned",
        pl_teamlead,
        "Add the son's income of February.",
    )
    application = Application.objects.get(pk=proposal.application_id)
    assert application.status == "returned"
    again = propose(pl_worker, application, amount="100.00")
    assert (again.status, again.amount, Application.objects.get(pk=application.pk).status) == (
        "proposed",
        Decimal("100.00"),
        "proposed",
    )


def test_a_return_needs_a_comment(proposal, pl_teamlead):
    before = state_of_db()
    with pytest.raises(ValidationFailed) as refused:
        services.return_decision(pl_teamlead, proposal.pk, "  ")
    assert list(refused.value.errors) == ["comment"]
    assert state_of_db() == before


def test_the_director_authorises_staff_to_approve_and_revokes_it_audited(
    proposal, pl_worker2, pl_director, pl_teamlead
):
    assert not can_approve_decisions(pl_worker2)
    with pytest.raises(Forbidden):
        services.authorise_approver(pl_teamlead, pl_worker2.pk)

    services.authorise_approver(pl_director, pl_worker2.pk)
    pl_worker2 = type(pl_worker2).objects.get(pk=pl_worker2.pk)  # a fresh actor reads it again
    assert can_approve_decisions(pl_worker2)
    assert services.approve_decision(pl_worker2, proposal.pk, on=ON).approved_by == pl_worker2

    services.revoke_approver(pl_director, pl_worker2.pk)
    assert not can_approve_decisions(type(pl_worker2).objects.get(pk=pl_worker2.pk))
    assert ApproverAuthorisation.objects.get().revoked_by == pl_director
    assert list(
        AuditEvent.objects.filter(object_type="approver_authorisation").order_by("id").values_list("action", flat=True)
    ) == ["create", "update"]


def test_another_centre_sees_nothing(proposal, md_director):
    with pytest.raises(NotFound):
        services.approve_decision(md_director, proposal.pk, on=ON)


# --- decisions that change a grant ------------------------------------------------------------------------


def test_suspension_and_resumption_change_the_grant_when_approved(grant, pl_worker, pl_teamlead):
    suspension = services.propose_suspension(
        pl_worker, grant.pk, {"from_month": dt.date(2025, 5, 1), "justification": "Stay abroad."}
    )
    assert (suspension.kind, suspension.changes, suspension.amount) == ("suspension", grant, grant.amount)
    assert Decision.objects.get(pk=grant.pk).state == "active"  # only approval changes it

    services.approve_decision(pl_teamlead, suspension.pk, on=dt.date(2025, 4, 20))
    assert Decision.objects.get(pk=grant.pk).state == "suspended"
    due = {m: [d.amount for d in amounts_due(grant.centre, m)] for m in (dt.date(2025, 4, 1), dt.date(2025, 5, 1))}
    assert due == {dt.date(2025, 4, 1): [Decimal("552.00")], dt.date(2025, 5, 1): []}

    resumption = services.propose_resumption(
        pl_worker, grant.pk, {"from_month": dt.date(2025, 7, 1), "justification": "Back home."}
    )
    services.approve_decision(pl_teamlead, resumption.pk, on=dt.date(2025, 6, 25))
    assert Decision.objects.get(pk=grant.pk).state == "active"
    assert [len(amounts_due(grant.centre, dt.date(2025, m, 1))) for m in (6, 7, 8, 9)] == [0, 1, 1, 0]


def test_an_invalid_move_is_refused_with_a_reason_and_nothing_changes(grant, pl_worker):
    before = state_of_db()
    with pytest.raises(Conflict) as refused:
        services.propose_resumption(pl_worker, grant.pk, {"from_month": dt.date(2025, 5, 1), "justification": "x"})
    assert refused.value.code == "invalid_transition"
    assert "Active" in str(refused.value.message)
    assert state_of_db() == before


def test_one_change_at_a_time(grant, pl_worker):
    services.propose_ending(pl_worker, grant.pk, {"from_month": dt.date(2025, 6, 1), "justification": "Work found."})
    before = state_of_db()
    with pytest.raises(Conflict) as refused:
        services.propose_revocation(pl_worker, grant.pk, {"from_month": dt.date(2025, 6, 1), "justification": "x"})
    assert refused.value.code == "change_pending"
    assert state_of_db() == before


def test_the_month_of_a_change_must_fall_within_the_grant(grant, pl_worker):
    with pytest.raises(ValidationFailed) as refused:
        services.propose_ending(pl_worker, grant.pk, {"from_month": dt.date(2025, 9, 1), "justification": "x"})
    assert list(refused.value.errors) == ["from_month"]


def test_revocation_and_ending_stop_the_payments_from_their_month(grant, pl_worker, pl_director):
    ending = services.propose_ending(pl_worker, grant.pk, {"from_month": dt.date(2025, 6, 1), "justification": "Job."})
    services.approve_decision(pl_director, ending.pk, on=dt.date(2025, 5, 20))
    assert Decision.objects.get(pk=grant.pk).state == "ended"
    assert [len(amounts_due(grant.centre, dt.date(2025, m, 1))) for m in (3, 4, 5, 6)] == [1, 1, 1, 0]
    with pytest.raises(Conflict):
        services.propose_suspension(pl_worker, grant.pk, {"from_month": dt.date(2025, 7, 1), "justification": "x"})


def test_an_amendment_is_recomputed_with_its_months_law_and_supersedes_the_grant(grant, mother, pl_worker, pl_director):
    application = grant.application
    Application.objects.filter(pk=application.pk).update(status="draft")  # the worker records a new income
    incomes(pl_worker, application, mother, "900.00", month=dt.date(2025, 5, 1))
    Application.objects.filter(pk=application.pk).update(status="decided")

    amendment = services.propose_amendment(
        pl_worker, grant.pk, {"from_month": dt.date(2025, 6, 1)}, on=dt.date(2025, 5, 28)
    )

    assert (amendment.kind, amendment.amount, amendment.facts["period"]) == ("amendment", Decimal("700.00"), "2025-06")
    assert amendment.parameters["toy/criterion"]["value"] == "800.00"
    assert Decision.objects.get(pk=grant.pk).parameters["toy/criterion"]["value"] == "776.00"  # never recomputed
    services.approve_decision(pl_director, amendment.pk, on=dt.date(2025, 5, 29))
    assert Decision.objects.get(pk=grant.pk).state == "superseded"
    assert Decision.objects.get(pk=amendment.pk).state == "active"
    assert [(d.decision_id, d.amount) for d in amounts_due(grant.centre, dt.date(2025, 5, 1))] == [
        (grant.pk, Decimal("552.00"))
    ]
    assert [(d.decision_id, d.amount, d.iban) for d in amounts_due(grant.centre, dt.date(2025, 6, 1))] == [
        (amendment.pk, Decimal("700.00"), PL_IBAN)
    ]


def test_one_off_aid_is_due_in_its_month_only(case, interview, pl_worker, pl_teamlead):
    application = file(pl_worker, case, benefit="pl.toy_aid", period_to=None, purpose="fuel", need_amount="350.00")
    decision = services.propose_decision(pl_worker, application.pk, {"payment_method": "cash"}, on=ON)
    services.approve_decision(pl_teamlead, decision.pk, on=ON)

    assert (decision.one_off, decision.amount, decision.period_to) == (True, Decimal("350.00"), None)
    due = [(d.amount, d.payment_method, d.iban) for d in amounts_due(case.centre, MARCH)]
    assert due == [(Decimal("350.00"), "cash", "")]
    assert amounts_due(case.centre, dt.date(2025, 4, 1)) == []


# --- applications ----------------------------------------------------------------------------------------


def test_filing_checks_every_field_and_writes_nothing_when_refused(case, pl_worker, pl_centre):
    stranger = PersonFactory(centre=pl_centre)
    before = state_of_db()
    with pytest.raises(ValidationFailed) as refused:
        services.file_application(
            pl_worker,
            case.pk,
            {
                "benefit": "md.social_aid",
                "applied_on": dt.date(2099, 1, 1),
                "period_from": MARCH,
                "period_to": FEBRUARY,
                "applicant": stranger.pk,
                "documents": {"no_such_document": True},
            },
        )
    assert set(refused.value.errors) == {"benefit", "applied_on", "period_to", "applicant", "documents"}
    assert state_of_db() == before


def test_the_documents_checklist_comes_from_the_pack(case, pl_worker):
    assert [(d.code, d.required, d.label_in("en")) for d in services.documents_for("pl.toy_allowance")] == [
        ("income_statement", True, "Income statement"),
        ("medical_certificate", False, "Medical certificate"),
    ]
    application = file(pl_worker, case, documents={"income_statement": True})
    assert application.documents == {"income_statement": True}


def test_incomes_are_replaced_whole_or_not_at_all(case, mother, son, pl_worker, pl_centre):
    application = file(pl_worker, case)
    incomes(pl_worker, application, mother)
    outsider = PersonFactory(centre=pl_centre)
    before = state_of_db()
    with pytest.raises(ValidationFailed) as refused:
        services.declare_incomes(
            pl_worker,
            application.pk,
            [
                {"person": son.pk, "month": FEBRUARY, "kind": "alimony", "amount": "300.00"},
                {"person": outsider.pk, "month": FEBRUARY, "kind": "salary", "amount": "-1"},
            ],
        )
    assert set(refused.value.errors) == {"incomes[1].person", "incomes[1].kind", "incomes[1].amount"}
    assert state_of_db() == before


def test_a_worker_who_does_not_hold_the_case_cannot_file(case, pl_worker2, pl_finance):
    with pytest.raises(Forbidden):
        file(pl_worker2, case)
    with pytest.raises(Forbidden):
        file(pl_finance, case)
    assert Application.objects.count() == 0


def test_a_decided_application_can_no_longer_be_changed_or_proposed(grant, pl_worker, mother):
    before = state_of_db()
    with pytest.raises(Conflict):
        incomes(pl_worker, grant.application, mother)
    with pytest.raises(Conflict) as refused:
        propose(pl_worker, grant.application)
    assert refused.value.code == "invalid_transition"
    assert state_of_db() == before


def test_the_justification_is_written_wholly_in_the_language_asked_with_money_as_that_language_writes_it():

    from socius.benefits.services import justification_from
    from socius.rulebook.engine.benefits import Facts, Member, evaluate

    outcome = evaluate(
        "pl.periodic_allowance",
        Facts(period=dt.date(2025, 3, 1), members=(Member(role="applicant", income=Decimal("300.00")),)),
    )
    polish = justification_from(outcome, "pl")
    assert "kwota wynosi 710,00\xa0zł." in polish  # 1010 − 300, the maximum as the proposal's amount
    assert "Kryterium dochodowe osoby samotnie gospodarującej: 1\xa0010,00\xa0zł" in polish
    assert "The conditions" not in polish and "PLN" not in polish
    assert "the amount is PLN\xa0710.00." in justification_from(outcome, "en")
