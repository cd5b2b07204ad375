"""Benefit decisions in the read models: the case, household and person timelines (described in the reader's
language, the benefit's name from its pack, the reads audited naming the persons) and the desk (proposals
waiting for the reader's approval, grants ending this month), in the pages' read models and the API."""

import datetime as dt

import pytest
from django.db.models import Q
from django.utils import timezone, translation

from socius.accounts.models import AuditEvent
from socius.benefits import services as benefit_services
from socius.benefits.models import Decision, DecisionEventKind
from socius.benefits.selectors import month_end
from socius.benefits.statuses import DecisionKind, GrantState
from socius.benefits.tests.conftest import toy_pack  # noqa: F401 - autouse: the toy benefits in the PL pack
from socius.casework.models import CaseEvent, CaseEventKind
from socius.common.errors import Forbidden
from socius.desk.case_timeline import Group, case_timeline, case_timeline_for
from socius.desk.selectors import household_timeline, person_timeline, worker_desk_items
from socius.desk.tests.test_desk import propose
from socius.plans.models import PlanEvent, PlanEventKind
from socius.plans.tests.conftest import DAY

MONTH = DAY.replace(day=1)
TOY = "pl.toy_allowance"
AMOUNT = "PLN\xa0600.00"  # English writes the currency first (common.formatting)


def _at(hour):
    return timezone.make_aware(dt.datetime.combine(DAY, dt.time(hour)))


def _grant(case, worker, approver, *, at=9, **fields) -> Decision:
    """A grant of the toy allowance proposed by `worker` and approved by `approver` (the real service)."""
    decision = propose(case, worker, at=_at(at), benefit=TOY, **fields)
    return benefit_services.approve_decision(approver, decision.pk, on=DAY)


def _case_view_names(actor, case, person) -> bool:
    """An audited view of the case by `actor` that names `person` (decision 0007)."""
    named = Q(person_id=person.pk) | Q(further_persons__person_id=person.pk)
    return AuditEvent.objects.filter(named, actor=actor, action="view", object_type="case", object_id=case.pk).exists()


# --- the case timeline ---------------------------------------------------------------------------------


def test_case_timeline_tells_a_decision_in_words(pl_worker, pl_teamlead, case):
    grant = _grant(case, pl_worker, pl_teamlead)

    entries = case_timeline_for(pl_worker, case.pk, groups={Group.BENEFIT}).entries

    assert [(e.source, e.kind, e.group) for e in entries] == [
        ("benefit", DecisionEventKind.APPROVED, "benefit"),
        ("benefit", DecisionEventKind.PROPOSED, "benefit"),
    ]
    approved, proposed = entries
    assert approved.label == "Decision approved"
    assert approved.lines == [f"Grant: Toy allowance, {AMOUNT}", f"Decision number: {grant.reference}"]
    assert approved.actor_name == (pl_teamlead.get_full_name() or pl_teamlead.username)
    assert proposed.lines == [f"Grant: Toy allowance, {AMOUNT}"]
    assert grant.reference == "1/2025"


def test_case_timeline_tells_a_return_and_a_change_of_the_grant(pl_worker, pl_teamlead, case):
    grant = _grant(case, pl_worker, pl_teamlead)
    returned = propose(case, pl_worker, benefit=TOY, amount="100.00")
    benefit_services.return_decision(pl_teamlead, returned.pk, "The income of February is missing")
    suspension = propose(case, pl_worker, benefit=TOY, kind=DecisionKind.SUSPENSION, changes=grant, period_from=MONTH)
    benefit_services.approve_decision(pl_teamlead, suspension.pk, on=DAY)

    entries = case_timeline_for(pl_worker, case.pk, groups={Group.BENEFIT}).entries
    by_kind = {(e.kind, e.lines[0]): e.lines for e in entries}

    assert by_kind[(DecisionEventKind.RETURNED, "Grant: Toy allowance, PLN\xa0100.00")] == [
        "Grant: Toy allowance, PLN\xa0100.00",
        "Comment: The income of February is missing",
    ]
    changed = next(e for e in entries if e.kind == DecisionEventKind.STATE_CHANGED)
    assert changed.lines == [
        f"Grant: Toy allowance, {AMOUNT}",
        "Active → Suspended",
        "By decision 2/2025",
        "From March 2025",
    ]
    assert Decision.objects.get(pk=grant.pk).state == GrantState.SUSPENDED


def test_case_timeline_names_the_benefit_in_the_readers_language(pl_worker, pl_teamlead, case):
    _grant(case, pl_worker, pl_teamlead)

    with translation.override("ro"):
        entries = case_timeline_for(pl_worker, case.pk, groups={Group.BENEFIT}).entries
    with translation.override("pl"):
        polish = case_timeline_for(pl_worker, case.pk, groups={Group.BENEFIT}).entries

    assert "Alocație de probă" in entries[0].lines[0] and "Toy allowance" not in entries[0].lines[0]
    assert "Zasiłek próbny" in polish[0].lines[0]
    assert polish[0].lines[0].endswith("600,00\xa0zł")  # the reader's number and currency format


def test_decisions_are_merged_with_the_other_tables_in_one_union(pl_worker, pl_teamlead, case):
    CaseEvent.objects.create(case=case, kind=CaseEventKind.NOTE, at=_at(8), actor=pl_worker, data={"note": "Call"})
    _grant(case, pl_worker, pl_teamlead, at=9)
    PlanEvent.objects.create(case=case, kind=PlanEventKind.PLAN_CREATED, at=_at(10), data={"title": "Work"})

    entries = case_timeline_for(pl_worker, case.pk).entries

    sources = [(e.source, e.kind) for e in entries if e.at.date() == DAY or e.source == "plan"]
    assert ("plan", PlanEventKind.PLAN_CREATED) in sources
    assert sources.index(("benefit", DecisionEventKind.PROPOSED)) > sources.index(("plan", PlanEventKind.PLAN_CREATED))
    assert sources.index(("case", CaseEventKind.NOTE)) > sources.index(("benefit", DecisionEventKind.PROPOSED))
    assert "benefit" in Group.ALL and ("benefit", "Benefits") in [(c, str(label)) for c, label in Group.CHOICES]


def test_a_page_with_decisions_still_costs_three_queries(pl_worker, pl_teamlead, case, django_assert_num_queries):
    for _ in range(3):
        _grant(case, pl_worker, pl_teamlead)
    PlanEvent.objects.create(case=case, kind=PlanEventKind.GOAL_ADDED, actor=pl_worker, data={})

    with django_assert_num_queries(3):  # count, page (one UNION ALL of the four tables), users named
        page = case_timeline(case, per_page=50)

    assert page.total == 1 + 6 + 1  # opened, three grants proposed and approved, the goal


def test_case_timeline_of_decisions_is_refused_without_the_cases_content(pl_worker, pl_worker2, pl_teamlead, case):
    _grant(case, pl_worker, pl_teamlead)
    with pytest.raises(Forbidden):
        case_timeline_for(pl_worker2, case.pk)


# --- the household and person timelines ----------------------------------------------------------------


def test_household_timeline_shows_decisions_to_content_readers_audited(pl_worker, pl_teamlead, case, household, mother):
    grant = _grant(case, pl_worker, pl_teamlead)

    items = [i for i in household_timeline(pl_worker, household.pk) if i.kind == "benefit"]

    assert [(i.title, i.detail, i.case_reference) for i in items] == [
        ("Decision approved: Toy allowance", AMOUNT, case.reference),
        ("Decision proposed: Toy allowance", AMOUNT, case.reference),
    ]
    assert all(i.link == f"/benefits/decisions/{grant.pk}/" for i in items)  # the decision's page
    assert _case_view_names(pl_worker, case, mother)


def test_household_timeline_hides_decisions_from_summary_readers(pl_worker, pl_worker2, pl_teamlead, case, household):
    _grant(case, pl_worker, pl_teamlead)

    items = household_timeline(pl_worker2, household.pk)

    assert not [i for i in items if i.kind == "benefit"]
    assert household_timeline(pl_worker2, household.pk, kinds={"benefit"}) == []


def test_person_timeline_shows_the_decisions_of_the_persons_cases(pl_worker, pl_teamlead, case, mother, outsider):
    _grant(case, pl_worker, pl_teamlead)

    mine = [i.title for i in person_timeline(pl_worker, mother.pk, kinds={"benefit"})]

    assert mine == ["Decision approved: Toy allowance", "Decision proposed: Toy allowance"]
    assert person_timeline(pl_worker, outsider.pk, kinds={"benefit"}) == []
    assert _case_view_names(pl_worker, case, mother)


def test_api_timelines_carry_decisions(client, pl_worker, pl_teamlead, case, household, mother):
    _grant(case, pl_worker, pl_teamlead)
    client.force_login(pl_worker)

    entries = client.get(f"/api/v1/cases/{case.pk}/timeline/?group=benefit").json()["results"]
    household_items = client.get(f"/api/v1/households/{household.pk}/timeline/?kind=benefit").json()
    person_items = client.get(f"/api/v1/persons/{mother.pk}/timeline/?kind=benefit").json()

    assert [(e["source"], e["group"], e["kind"], e["label"]) for e in entries] == [
        ("benefit", "benefit", "approved", "Decision approved"),
        ("benefit", "benefit", "proposed", "Decision proposed"),
    ]
    assert entries[0]["lines"] == [f"Grant: Toy allowance, {AMOUNT}", "Decision number: 1/2025"]
    assert [i["title"] for i in household_items] == [i["title"] for i in person_items]
    assert [i["kind"] for i in household_items] == ["benefit", "benefit"]
    assert _case_view_names(pl_worker, case, mother)


def test_api_case_timeline_refuses_an_unknown_group(client, pl_worker, case):
    client.force_login(pl_worker)
    response = client.get(f"/api/v1/cases/{case.pk}/timeline/?group=decisions")
    assert response.status_code == 400 and "group" in response.json()


# --- the desk --------------------------------------------------------------------------------------------


def test_an_approver_sees_the_proposals_waiting_for_them_but_not_their_own(pl_worker, pl_teamlead, case):
    waiting = propose(case, pl_worker, benefit=TOY)
    propose(case, pl_teamlead, benefit=TOY)  # their own: another must approve it
    _grant(case, pl_worker, pl_teamlead)  # approved: no longer waiting

    assert worker_desk_items(pl_teamlead, DAY)["proposals_to_approve"] == [waiting]
    assert worker_desk_items(pl_worker, DAY)["proposals_to_approve"] is None  # no right, no section


def test_the_desk_lists_own_grants_ending_this_month(pl_worker, pl_worker2, pl_teamlead, case):
    ending = _grant(case, pl_worker, pl_teamlead, period_to=MONTH)
    _grant(case, pl_worker, pl_teamlead, period_to=MONTH.replace(month=4))  # next month
    _grant(case, pl_worker, pl_teamlead)  # open-ended

    assert worker_desk_items(pl_worker, DAY)["decisions_ending"] == [ending]
    assert worker_desk_items(pl_worker2, DAY)["decisions_ending"] == []  # not their case
    assert not worker_desk_items(pl_worker, DAY).is_empty


def test_api_desk_carries_proposals_and_decisions_ending(client, pl_worker, pl_teamlead, case, mother):
    proposal = propose(case, pl_worker, benefit=TOY)
    this_month = timezone.localdate().replace(day=1)  # the API's desk is today's
    ending = _grant(case, pl_worker, pl_teamlead, period_to=this_month)

    client.force_login(pl_teamlead)
    lead = client.get("/api/v1/desk/").json()
    client.force_login(pl_worker)
    worker = client.get("/api/v1/desk/").json()

    assert lead["proposals_to_approve"] == [
        {
            "case_id": case.pk,
            "case_reference": case.reference,
            "client_name": "Anna Nowak (household)",
            "due_on": timezone.localdate(proposal.proposed_at).isoformat(),
            "overdue": False,
            "title": f"Grant: Toy allowance ({AMOUNT})",
        }
    ]
    assert worker["proposals_to_approve"] == []
    assert worker["decisions_ending"] == [
        {
            "case_id": case.pk,
            "case_reference": case.reference,
            "client_name": "Anna Nowak (household)",
            "due_on": month_end(this_month).isoformat(),
            "overdue": False,
            "title": f"{ending.reference} Grant: Toy allowance",
        }
    ]
    assert lead["decisions_ending"] == []  # not the team leader's own case


def test_home_page_shows_the_approvers_queue_only_to_approvers(client, pl_worker, pl_teamlead, case):
    propose(case, pl_worker, benefit=TOY)

    client.force_login(pl_teamlead)
    lead = client.get("/").content.decode()
    client.force_login(pl_worker)
    worker = client.get("/").content.decode()

    assert "Proposals to approve" in lead and "Toy allowance" in lead and "600.00" in lead
    assert "Proposals to approve" not in worker
    assert "Benefit decisions ending this month" in worker
