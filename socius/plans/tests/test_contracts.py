"""Social contracts: drafting (parties, variants), the status map exhaustively, breach and refusal with
their flags, fulfilment, termination, clearing flags, permissions, audit, and the flag selectors."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from socius.accounts.models import AuditEvent
from socius.casework.statuses import CaseStatus, ClosureReason
from socius.casework.tests.factories import CaseFactory
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.plans.models import (
    CaseFlag,
    Consequence,
    ContractVariant,
    FlagKind,
    Obligation,
    PlanEvent,
    PlanEventKind,
    SocialContract,
)
from socius.plans.rules import consequences_for
from socius.plans.selectors import active_flags_for_case, cases_with_benefit_flags
from socius.plans.services import (
    add_obligation,
    clear_flag,
    draft_contract,
    fulfil_contract,
    mark_obligation,
    record_breach,
    record_refusal,
    sign_contract,
    start_contract,
    terminate_contract,
)
from socius.plans.statuses import CONTRACT_TRANSITIONS, ContractStatus
from socius.plans.tests.conftest import DAY
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, TeamFactory

END = dt.date(2025, 9, 3)
LATER = dt.date(2025, 4, 1)


def _data(*clients, **extra):
    return {
        "variant": ContractVariant.PL_IA_IIA,
        "clients": [c.pk for c in clients],
        "causes": "Long-term unemployment",
        "strengths": "Motivated",
        "limitations": "No childcare",
        "goals": "Find a job",
        "valid_from": DAY,
        "valid_until": END,
        **extra,
    }


def _state(case):
    contracts = list(
        SocialContract.objects.filter(case=case).values(
            "id", "status", "signed_on", "ended_on", "end_reasons", "consequence", "evaluation"
        )
    )
    flags = list(CaseFlag.objects.filter(case=case).values("id", "kind", "consequence", "cleared_on"))
    return contracts, flags, Obligation.objects.count(), PlanEvent.objects.count(), AuditEvent.objects.count()


def _contract_in(status, case, worker, client):
    contract = draft_contract(worker, case.pk, _data(client))
    add_obligation(worker, contract.pk, party="client", description="Register at the labour office", due_on=LATER)
    if status == ContractStatus.REFUSED:
        record_refusal(worker, contract.pk, reasons="Will not sign", consequence=Consequence.NONE, on=DAY)
    elif status != ContractStatus.DRAFT:
        sign_contract(worker, contract.pk, DAY)
        if status in (ContractStatus.IN_PROGRESS, ContractStatus.FULFILLED):
            start_contract(worker, contract.pk, on=DAY)
        if status == ContractStatus.FULFILLED:
            fulfil_contract(worker, contract.pk, evaluation="Goals met", on=LATER)
        elif status == ContractStatus.BREACHED:
            record_breach(worker, contract.pk, reasons="Did not attend", consequence=Consequence.NONE, on=LATER)
        elif status == ContractStatus.TERMINATED:
            terminate_contract(worker, contract.pk, reasons="Moved away", on=LATER)
    contract.refresh_from_db()
    assert contract.status == status
    return contract


def _move(actor, contract, to_status):
    if to_status == ContractStatus.SIGNED:
        return sign_contract(actor, contract.pk, LATER)
    if to_status == ContractStatus.IN_PROGRESS:
        return start_contract(actor, contract.pk, on=LATER)
    if to_status == ContractStatus.FULFILLED:
        return fulfil_contract(actor, contract.pk, evaluation="Goals met", on=LATER)
    if to_status == ContractStatus.BREACHED:
        return record_breach(actor, contract.pk, reasons="x", consequence=Consequence.SUSPEND_CASH_AID, on=LATER)
    if to_status == ContractStatus.REFUSED:
        return record_refusal(actor, contract.pk, reasons="x", consequence=Consequence.REFUSE_CASH_AID, on=LATER)
    if to_status == ContractStatus.TERMINATED:
        return terminate_contract(actor, contract.pk, reasons="x", on=LATER)
    raise AssertionError(to_status)


# --- drafting -------------------------------------------------------------------------------------


def test_draft_contract_with_household_members_writes_event_and_exact_audit(case, pl_worker, mother, son):
    contract = draft_contract(pl_worker, case.pk, _data(mother, son))

    assert (contract.status, contract.variant, contract.worker) == (ContractStatus.DRAFT, "IA_IIA", pl_worker)
    assert set(contract.clients.all()) == {mother, son}
    event = PlanEvent.objects.get(case=case)
    assert (event.kind, event.data) == (PlanEventKind.CONTRACT_DRAFTED, {"contract": contract.pk, "variant": "IA_IIA"})
    audit = AuditEvent.objects.get(object_type="social_contract")
    assert (audit.action, audit.object_id, audit.actor) == ("create", contract.pk, pl_worker)
    assert audit.changes == {
        "case": [None, case.pk],
        "variant": [None, "IA_IIA"],
        "worker": [None, pl_worker.pk],
        "causes": [None, "Long-term unemployment"],
        "strengths": [None, "Motivated"],
        "limitations": [None, "No childcare"],
        "goals": [None, "Find a job"],
        "valid_from": [None, "2025-03-03"],
        "valid_until": [None, "2025-09-03"],
        "status": [None, "draft"],
        "clients": [None, sorted([mother.pk, son.pk])],
    }


def test_parties_must_belong_to_the_case_household(case, pl_worker, mother, outsider):
    before = _state(case)
    with pytest.raises(ValidationFailed) as exc:
        draft_contract(pl_worker, case.pk, _data(mother, outsider))
    assert set(exc.value.errors) == {"clients"}
    with pytest.raises(ValidationFailed) as exc:
        draft_contract(pl_worker, case.pk, _data())
    assert set(exc.value.errors) == {"clients"}
    assert _state(case) == before


def test_former_household_member_is_not_a_party(pl_centre, case, pl_worker, household):
    former = PersonFactory(centre=pl_centre)
    MembershipFactory(
        household=household, person=former, relationship="child", valid_from=dt.date(2020, 1, 1),
        valid_until=dt.date(2024, 1, 1),
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        draft_contract(pl_worker, case.pk, _data(former))
    assert set(exc.value.errors) == {"clients"}


def test_person_case_takes_only_its_person(pl_centre, pl_worker, family_team, outsider):
    person = PersonFactory(centre=pl_centre)
    single = CaseFactory(centre=pl_centre, household=None, person=person, assigned_worker=pl_worker, team=family_team)
    assert draft_contract(pl_worker, single.pk, _data(person)).case == single
    with pytest.raises(ValidationFailed):
        draft_contract(pl_worker, single.pk, _data(outsider))


def test_pl_contract_needs_a_pl_variant(case, pl_worker, mother):
    with pytest.raises(ValidationFailed) as exc:
        draft_contract(pl_worker, case.pk, _data(mother, variant=ContractVariant.GENERAL))
    assert set(exc.value.errors) == {"variant"}
    with pytest.raises(ValidationFailed) as exc:
        draft_contract(pl_worker, case.pk, _data(mother, variant=None))
    assert set(exc.value.errors) == {"variant"}
    assert draft_contract(pl_worker, case.pk, _data(mother, variant="IB_IIB")).variant == "IB_IIB"


def test_md_contract_is_general_by_default(md_centre, md_worker):
    team = TeamFactory(centre=md_centre)
    team.members.add(md_worker)
    household = HouseholdFactory(centre=md_centre)
    person = PersonFactory(centre=md_centre)
    MembershipFactory(household=household, person=person, valid_from=dt.date(2020, 1, 1))
    md_case = CaseFactory(centre=md_centre, household=household, assigned_worker=md_worker, team=team)
    contract = draft_contract(md_worker, md_case.pk, _data(person, variant=None))
    assert contract.variant == ContractVariant.GENERAL
    with pytest.raises(ValidationFailed):
        draft_contract(md_worker, md_case.pk, _data(person, variant="IA_IIA"))


def test_contract_must_end_after_it_begins(case, pl_worker, mother):
    with pytest.raises(ValidationFailed) as exc:
        draft_contract(pl_worker, case.pk, _data(mother, valid_until=DAY))
    assert set(exc.value.errors) == {"valid_until"}


def test_obligations_only_on_a_draft_and_within_the_duration(case, pl_worker, mother):
    contract = draft_contract(pl_worker, case.pk, _data(mother))
    obligation = add_obligation(pl_worker, contract.pk, party="centre", description="Pay for the course")
    assert (obligation.party, obligation.is_done) == ("centre", False)
    assert AuditEvent.objects.latest("id").changes == {"obligations": [None, obligation.pk]}
    before = _state(case)
    with pytest.raises(ValidationFailed) as exc:
        add_obligation(pl_worker, contract.pk, party="state", description="", due_on=END)
    assert set(exc.value.errors) == {"party", "description", "due_on"}
    assert _state(case) == before


def test_signing_needs_a_client_obligation(case, pl_worker, mother):
    contract = draft_contract(pl_worker, case.pk, _data(mother))
    add_obligation(pl_worker, contract.pk, party="centre", description="Pay for the course")
    before = _state(case)
    with pytest.raises(ValidationFailed) as exc:
        sign_contract(pl_worker, contract.pk, DAY)
    assert set(exc.value.errors) == {"obligations"}
    assert _state(case) == before


def test_adding_an_obligation_to_a_signed_contract_is_a_conflict(case, pl_worker, mother):
    contract = _contract_in(ContractStatus.SIGNED, case, pl_worker, mother)
    before = _state(case)
    with pytest.raises(Conflict):
        add_obligation(pl_worker, contract.pk, party="client", description="More")
    assert _state(case) == before


# --- the status map, exhaustively -----------------------------------------------------------------

CONTRACT_MOVES = [(f, t) for f in ContractStatus.values for t in ContractStatus.values if t != ContractStatus.DRAFT]


def test_contract_map_matches_the_brief():
    expected = {
        "draft": {"signed", "refused"},
        "signed": {"in_progress", "breached", "terminated"},
        "in_progress": {"fulfilled", "breached", "terminated"},
        "fulfilled": set(),
        "breached": set(),
        "refused": set(),
        "terminated": set(),
    }
    assert {status: set(moves) for status, moves in CONTRACT_TRANSITIONS.items()} == expected


@pytest.mark.parametrize(("from_status", "to_status"), CONTRACT_MOVES)
def test_contract_status_map_allows_exactly_the_declared_moves(case, pl_worker, mother, from_status, to_status):
    contract = _contract_in(from_status, case, pl_worker, mother)
    before = _state(case)
    if to_status in CONTRACT_TRANSITIONS[from_status]:
        _move(pl_worker, contract, to_status)
        contract.refresh_from_db()
        assert contract.status == to_status
        assert PlanEvent.objects.latest("id").data["to"] == to_status
    else:
        with pytest.raises(Conflict) as exc:
            _move(pl_worker, contract, to_status)
        assert exc.value.code == "invalid_transition"
        assert _state(case) == before


# --- breach, refusal and their flags --------------------------------------------------------------


@pytest.mark.parametrize("reasons", ["", "   ", None])
def test_breach_without_reasons_is_refused_and_changes_nothing(case, pl_worker, mother, reasons):
    contract = _contract_in(ContractStatus.IN_PROGRESS, case, pl_worker, mother)
    before = _state(case)
    with pytest.raises(ValidationFailed) as exc:
        record_breach(pl_worker, contract.pk, reasons=reasons, consequence=Consequence.SUSPEND_CASH_AID, on=LATER)
    assert set(exc.value.errors) == {"reasons"}
    assert _state(case) == before


def test_breach_without_a_consequence_decision_is_refused(case, pl_worker, mother):
    contract = _contract_in(ContractStatus.IN_PROGRESS, case, pl_worker, mother)
    before = _state(case)
    with pytest.raises(ValidationFailed) as exc:
        record_breach(pl_worker, contract.pk, reasons="Did not attend", consequence="fine", on=LATER)
    assert set(exc.value.errors) == {"consequence"}
    assert _state(case) == before


def test_breach_raises_exactly_one_active_flag_with_the_consequence(case, pl_worker, mother):
    contract = _contract_in(ContractStatus.IN_PROGRESS, case, pl_worker, mother)
    record_breach(pl_worker, contract.pk, reasons="Did not attend", consequence=Consequence.SUSPEND_CASH_AID, on=LATER)
    contract.refresh_from_db()
    assert (contract.status, contract.end_reasons, contract.consequence, contract.ended_on) == (
        ContractStatus.BREACHED,
        "Did not attend",
        "suspend_cash_aid",
        LATER,
    )
    flag = CaseFlag.objects.get()
    assert (flag.case, flag.kind, flag.consequence, flag.contract, flag.raised_on, flag.raised_by, flag.is_active) == (
        case,
        FlagKind.CONTRACT_BREACHED,
        Consequence.SUSPEND_CASH_AID,
        contract,
        LATER,
        pl_worker,
        True,
    )
    assert active_flags_for_case(case) == [flag]
    event = PlanEvent.objects.latest("id")
    assert (event.kind, event.data) == (
        PlanEventKind.CONTRACT_BREACHED,
        {
            "contract": contract.pk,
            "from": "in_progress",
            "to": "breached",
            "consequence": "suspend_cash_aid",
            "legal_basis": "art. 11 ust. 2 u.p.s.",
        },
    )
    audits = list(AuditEvent.objects.order_by("-id")[:2].values("object_type", "object_id", "action", "changes"))
    assert audits == [
        {
            "object_type": "case_flag",
            "object_id": flag.pk,
            "action": "create",
            "changes": {
                "case": [None, case.pk],
                "kind": [None, "contract_breached"],
                "consequence": [None, "suspend_cash_aid"],
                "contract": [None, contract.pk],
                "raised_on": [None, "2025-04-01"],
            },
        },
        {
            "object_type": "social_contract",
            "object_id": contract.pk,
            "action": "update",
            "changes": {
                "status": ["in_progress", "breached"],
                "ended_on": [None, "2025-04-01"],
                "end_reasons": ["", "Did not attend"],
                "consequence": ["", "suspend_cash_aid"],
            },
        },
    ]


def test_refusal_raises_exactly_one_active_flag(case, pl_worker, mother):
    contract = draft_contract(pl_worker, case.pk, _data(mother))
    record_refusal(pl_worker, contract.pk, reasons="Will not sign", consequence=Consequence.REFUSE_CASH_AID, on=DAY)
    contract.refresh_from_db()
    assert (contract.status, contract.end_reasons, contract.consequence) == (
        ContractStatus.REFUSED,
        "Will not sign",
        "refuse_cash_aid",
    )
    flag = CaseFlag.objects.get()
    assert (flag.kind, flag.consequence, flag.contract_id) == (
        FlagKind.CONTRACT_REFUSED,
        "refuse_cash_aid",
        contract.pk,
    )
    assert PlanEvent.objects.latest("id").kind == PlanEventKind.CONTRACT_REFUSED


def test_refusal_without_reasons_is_refused(case, pl_worker, mother):
    contract = draft_contract(pl_worker, case.pk, _data(mother))
    before = _state(case)
    with pytest.raises(ValidationFailed) as exc:
        record_refusal(pl_worker, contract.pk, reasons="", consequence=Consequence.NONE, on=DAY)
    assert set(exc.value.errors) == {"reasons"}
    assert _state(case) == before


def test_clearing_a_flag_keeps_it_with_reason_and_takes_it_off_the_lists(case, pl_worker, mother):
    contract = _contract_in(ContractStatus.IN_PROGRESS, case, pl_worker, mother)
    record_breach(pl_worker, contract.pk, reasons="x", consequence=Consequence.REDUCE_CASH_AID, on=LATER)
    flag = CaseFlag.objects.get()
    assert list(cases_with_benefit_flags(pl_worker)) == [case]

    clear_flag(pl_worker, flag.pk, "Cooperation resumed", on=LATER)

    flag.refresh_from_db()
    assert (flag.cleared_on, flag.cleared_by, flag.cleared_reason, flag.is_active) == (
        LATER,
        pl_worker,
        "Cooperation resumed",
        False,
    )
    assert active_flags_for_case(case) == []
    assert list(cases_with_benefit_flags(pl_worker)) == []
    assert PlanEvent.objects.latest("id").data == {
        "flag": flag.pk,
        "contract": contract.pk,
        "reason": "Cooperation resumed",
    }
    assert AuditEvent.objects.latest("id").changes == {
        "cleared_on": [None, "2025-04-01"],
        "cleared_reason": [None, "Cooperation resumed"],
    }
    before = _state(case)
    with pytest.raises(Conflict):
        clear_flag(pl_worker, flag.pk, "again", on=LATER)
    with pytest.raises(Conflict):
        clear_flag(pl_worker, flag.pk, "")  # the state is checked before the input
    assert _state(case) == before


def test_clearing_needs_a_reason(case, pl_worker, mother):
    contract = _contract_in(ContractStatus.IN_PROGRESS, case, pl_worker, mother)
    record_breach(pl_worker, contract.pk, reasons="x", consequence=Consequence.REDUCE_CASH_AID, on=LATER)
    flag = CaseFlag.objects.get()
    before = _state(case)
    with pytest.raises(ValidationFailed) as exc:
        clear_flag(pl_worker, flag.pk, " ", on=LATER)
    assert set(exc.value.errors) == {"reason"}
    assert _state(case) == before


# --- fulfilment and termination -------------------------------------------------------------------


def test_fulfilled_contract_needs_an_evaluation(case, pl_worker, mother):
    contract = _contract_in(ContractStatus.IN_PROGRESS, case, pl_worker, mother)
    before = _state(case)
    with pytest.raises(ValidationFailed) as exc:
        fulfil_contract(pl_worker, contract.pk, evaluation=" ", on=LATER)
    assert set(exc.value.errors) == {"evaluation"}
    assert _state(case) == before
    fulfil_contract(pl_worker, contract.pk, evaluation="Goals met", on=LATER)
    contract.refresh_from_db()
    assert (contract.status, contract.evaluation, contract.ended_on) == ("fulfilled", "Goals met", LATER)
    assert not CaseFlag.objects.exists()


def test_termination_needs_reasons_and_raises_no_flag(case, pl_worker, mother):
    contract = _contract_in(ContractStatus.SIGNED, case, pl_worker, mother)
    with pytest.raises(ValidationFailed):
        terminate_contract(pl_worker, contract.pk, reasons="", on=LATER)
    terminate_contract(pl_worker, contract.pk, reasons="Moved away", on=LATER)
    contract.refresh_from_db()
    assert (contract.status, contract.end_reasons) == ("terminated", "Moved away")
    assert not CaseFlag.objects.exists()


def test_sign_records_the_date_and_audits_it(case, pl_worker, mother):
    contract = _contract_in(ContractStatus.DRAFT, case, pl_worker, mother)
    sign_contract(pl_worker, contract.pk, DAY)
    contract.refresh_from_db()
    assert (contract.status, contract.signed_on) == ("signed", DAY)
    assert AuditEvent.objects.latest("id").changes == {
        "status": ["draft", "signed"],
        "signed_on": [None, "2025-03-03"],
    }
    assert PlanEvent.objects.latest("id").kind == PlanEventKind.CONTRACT_SIGNED


def test_future_signing_date_is_refused(case, pl_worker, mother):
    contract = _contract_in(ContractStatus.DRAFT, case, pl_worker, mother)
    with pytest.raises(ValidationFailed) as exc:
        sign_contract(pl_worker, contract.pk, dt.date(2999, 1, 1))
    assert set(exc.value.errors) == {"signed_on"}


# --- permissions ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["pl_worker", "pl_teamlead", "pl_director"], indirect=True)
def test_assigned_worker_team_leader_and_director_may_record_a_breach(case, pl_worker, mother, persona):
    contract = _contract_in(ContractStatus.IN_PROGRESS, case, pl_worker, mother)
    record_breach(persona, contract.pk, reasons="x", consequence=Consequence.NONE, on=LATER)
    assert CaseFlag.objects.get().raised_by == persona


def test_other_worker_of_the_centre_is_forbidden(case, pl_worker, pl_worker2, mother):
    contract = _contract_in(ContractStatus.IN_PROGRESS, case, pl_worker, mother)
    before = _state(case)
    with pytest.raises(Forbidden):
        draft_contract(pl_worker2, case.pk, _data(mother))
    with pytest.raises(Forbidden):
        record_breach(pl_worker2, contract.pk, reasons="x", consequence=Consequence.NONE, on=LATER)
    assert _state(case) == before


def test_other_centre_sees_not_found(case, pl_worker, md_worker, md_director, mother):
    contract = _contract_in(ContractStatus.IN_PROGRESS, case, pl_worker, mother)
    record_breach(pl_worker, contract.pk, reasons="x", consequence=Consequence.NONE, on=LATER)
    with pytest.raises(NotFound):
        draft_contract(md_worker, case.pk, _data(mother))
    with pytest.raises(NotFound):
        terminate_contract(md_director, contract.pk, reasons="x", on=LATER)
    with pytest.raises(NotFound):
        clear_flag(md_director, CaseFlag.objects.get().pk, "x")
    assert list(cases_with_benefit_flags(md_director)) == []


def test_closed_case_is_a_conflict_and_changes_nothing(pl_centre, pl_worker, family_team, mother, case):
    contract = _contract_in(ContractStatus.IN_PROGRESS, case, pl_worker, mother)
    case.status, case.closure_reason, case.closed_on = CaseStatus.CLOSED, ClosureReason.OTHER, dt.date(2025, 5, 1)
    case.save()
    before = _state(case)
    with pytest.raises(Conflict) as exc:
        record_breach(pl_worker, contract.pk, reasons="x", consequence=Consequence.NONE, on=LATER)
    assert exc.value.code == "case_closed"
    with pytest.raises(Conflict):
        draft_contract(pl_worker, case.pk, _data(mother))
    assert _state(case) == before


# --- selectors ------------------------------------------------------------------------------------


def _breached_case(centre, worker, team, consequence):
    household = HouseholdFactory(centre=centre)
    person = PersonFactory(centre=centre)
    MembershipFactory(household=household, person=person, valid_from=dt.date(2020, 1, 1))
    case = CaseFactory(centre=centre, household=household, assigned_worker=worker, team=team)
    contract = _contract_in(ContractStatus.SIGNED, case, worker, person)
    record_breach(worker, contract.pk, reasons="x", consequence=consequence, on=LATER)
    return case


def test_flag_selector_query_count_does_not_grow_with_cases(pl_centre, pl_worker, pl_director, family_team):
    cases = [_breached_case(pl_centre, pl_worker, family_team, Consequence.SUSPEND_CASH_AID) for _ in range(2)]
    _breached_case(pl_centre, pl_worker, family_team, Consequence.NONE)  # no cash consequence: not listed

    def read():
        return [
            (c.pk, [(f.kind, f.consequence, f.contract.status) for f in c.active_flags])
            for c in cases_with_benefit_flags(pl_director)
        ]

    with CaptureQueriesContext(connection) as few:
        result = read()
    assert result == [(c.pk, [("contract_breached", "suspend_cash_aid", "breached")]) for c in cases]
    cases += [_breached_case(pl_centre, pl_worker, family_team, Consequence.REFUSE_CASH_AID) for _ in range(3)]
    with CaptureQueriesContext(connection) as many:
        assert len(read()) == 5
    assert len(many) == len(few) <= 2


def test_active_flags_for_case_is_one_query(case, pl_worker, mother):
    contract = _contract_in(ContractStatus.SIGNED, case, pl_worker, mother)
    record_breach(pl_worker, contract.pk, reasons="x", consequence=Consequence.NONE, on=LATER)
    with CaptureQueriesContext(connection) as queries:
        flags = active_flags_for_case(case)
        assert [f.contract.status for f in flags] == ["breached"]
    assert len(queries) == 1


# --- the pack's list of consequences --------------------------------------------------------------


def test_pl_pack_lists_every_consequence_with_its_legal_basis():
    pl = consequences_for("PL")
    assert list(pl) == Consequence.values
    assert all(basis.startswith("art. 11 ust. 2 u.p.s.") for basis in pl.values())


def test_pack_without_a_list_offers_every_consequence():
    assert consequences_for("MD") == dict.fromkeys(Consequence.values, "")


def test_obligations_of_a_running_contract_are_ticked_off(case, pl_worker, mother):
    contract = _contract_in(ContractStatus.DRAFT, case, pl_worker, mother)
    obligation = contract.obligations.get()
    with pytest.raises(Conflict):
        mark_obligation(pl_worker, obligation.pk)
    sign_contract(pl_worker, contract.pk, DAY)
    assert mark_obligation(pl_worker, obligation.pk).is_done is True
    assert AuditEvent.objects.latest("id").changes == {f"obligation:{obligation.pk}:is_done": [False, True]}
    count = AuditEvent.objects.count()
    mark_obligation(pl_worker, obligation.pk)  # already done: nothing written
    assert AuditEvent.objects.count() == count
