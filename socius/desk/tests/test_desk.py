"""The worker's desk and the household timeline: what is due, who sees what, bounded queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from socius.accounts.models import AuditEvent
from socius.accounts.roles import Role
from socius.assessments.models import Assessment, AssessmentEvent, AssessmentEventKind, AssessmentStatus
from socius.benefits.models import Decision, DecisionEvent, DecisionEventKind
from socius.benefits.statuses import DecisionKind
from socius.casework.models import (
    CaseEvent,
    CaseEventKind,
    Contact,
    HomeVisit,
    Partner,
    Referral,
    SocialWorkActivity,
)
from socius.casework.tests.factories import CaseFactory
from socius.common.errors import NotFound
from socius.desk.selectors import (
    Overdue,
    TimelineKind,
    caseload_for,
    household_timeline,
    person_timeline,
    worker_desk_items,
)
from socius.family.tests.timeline_data import family_rows
from socius.payments.models import Payment, PaymentRun
from socius.plans.models import (
    ContractVariant,
    Goal,
    HelpPlan,
    Obligation,
    PlanAction,
    PlanEvent,
    PlanEventKind,
    Responsible,
    SocialContract,
)
from socius.plans.statuses import ContractStatus, PlanStatus
from socius.plans.tests.conftest import DAY
from socius.services.models import ServiceDecision
from socius.testing.factories import HouseholdFactory, UserFactory


def _aware(day, hour=10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def populate(case, worker, *, n=1):
    """n of everything on `case`, some due, some not."""
    partner, _ = Partner.objects.get_or_create(centre=case.centre, name="Szkoła nr 1", kind="school")
    for i in range(n):
        HomeVisit.objects.create(case=case, planned_on=DAY - dt.timedelta(days=1 + i)).visitors.add(worker)
        HomeVisit.objects.create(case=case, planned_on=DAY + dt.timedelta(days=2)).visitors.add(worker)
        SocialWorkActivity.objects.create(
            case=case, type="information", performed_on=DAY, performed_by=worker, duration_minutes=30
        )
        Assessment.objects.create(
            case=case,
            instrument_code="pl-rws",
            instrument_version="2021",
            kind="initial",
            need_identified_on=DAY,
            due_on=DAY + dt.timedelta(days=3),
        )
        Assessment.objects.create(
            case=case,
            instrument_code="pl-rws",
            instrument_version="2021",
            kind="initial",
            need_identified_on=DAY - dt.timedelta(days=40),
            due_on=DAY - dt.timedelta(days=5),
        )
        plan = HelpPlan.objects.create(case=case, title="Plan", status=PlanStatus.ACTIVE, valid_from=DAY)
        goal = Goal.objects.create(plan=plan, description="Work")
        PlanAction.objects.create(
            goal=goal, kind="social_work", description="Call", responsible=Responsible.values[0], due_on=DAY
        )
        PlanAction.objects.create(
            goal=goal,
            kind="social_work",
            description="Later",
            responsible=Responsible.values[0],
            due_on=DAY + dt.timedelta(days=30),
        )
        contract = SocialContract.objects.create(
            case=case,
            variant=ContractVariant.values[0],
            worker=worker,
            valid_from=DAY - dt.timedelta(days=60),
            valid_until=DAY + dt.timedelta(days=10),
            status=ContractStatus.IN_PROGRESS,
        )
        Obligation.objects.create(contract=contract, party="client", description="Job", due_on=DAY)
        Referral.objects.create(
            centre=case.centre,
            case=case,
            direction="outgoing",
            partner=partner,
            reason="School",
            sent_on=DAY - dt.timedelta(days=20),
            response_due_on=DAY - dt.timedelta(days=1),
        )
        contact = Contact.objects.create(
            centre=case.centre, occurred_at=_aware(DAY), channel="office", handled_by=worker, household=case.household
        )
        contact.persons.set([])
        PlanEvent.objects.create(case=case, kind=PlanEventKind.PLAN_CREATED, at=_aware(DAY, 9))
        PlanEvent.objects.create(case=case, kind=PlanEventKind.CONTRACT_SIGNED, at=_aware(DAY, 11))
        a = Assessment.objects.filter(case=case).first()
        AssessmentEvent.objects.create(assessment=a, case=case, kind=AssessmentEventKind.STARTED, at=_aware(DAY, 8))
        if case.person_id or (case.household_id and case.household.memberships.exists()):
            pay(propose(case, worker, at=_aware(DAY, 7)), worker)
        if case.household_id and case.household.memberships.exists() and not case.family_enrolments.exists():
            child = case.household.memberships.order_by("pk").last().person
            family_rows(case, worker, day=DAY, child_person=child)
        first = case.household.memberships.order_by("pk").first() if case.household_id else None
        client = case.person or (first.person if first else None)
        if client is not None:  # a service decision in force (socius.services.timeline)
            ServiceDecision.objects.create(
                centre=case.centre, case=case, person=client, household=case.household, service_code="pl.home_help",
                unit="hour", quantity=2, starts_on=DAY, status="issued", issued_on=DAY, number=f"USL/{i}",
                drafted_by=worker, issued_by=worker,
            )  # fmt: skip


def pay(decision: Decision, worker) -> Payment:
    """A payment of the decision in a run of DAY's month (what payments.runs writes), paid on DAY."""
    month = DAY.replace(day=1)
    run = PaymentRun.objects.filter(centre=decision.centre, month=month, number=1).first()
    if run is None:
        run = PaymentRun.objects.create(centre=decision.centre, month=month, number=1, prepared_by=worker)
    return Payment.objects.create(
        run=run,
        centre=decision.centre,
        decision=decision,
        person=decision.applicant,
        household=decision.household,
        payee_name=str(decision.applicant),
        benefit=decision.benefit,
        month=month,
        amount=decision.amount,
        currency=decision.currency,
        channel="cashier",
        end_to_end_id=f"DESK-{decision.pk}",
        status="paid",
        paid_on=DAY,
    )


def propose(case, worker, *, at=None, amount="600.00", benefit="pl.periodic_allowance", **fields) -> Decision:
    """A benefit decision proposed by `worker` on the case (for its applicant, the case's person or the
    household's head), with its PROPOSED event, as `benefits.services` writes them."""
    applicant = case.person or case.household.memberships.order_by("valid_from", "pk").first().person
    decision = Decision.objects.create(
        centre=case.centre,
        case=case,
        household=case.household,
        applicant=applicant,
        kind=fields.pop("kind", DecisionKind.GRANT),
        benefit=benefit,
        period_from=fields.pop("period_from", DAY.replace(day=1)),
        amount=Decimal(amount),
        currency="PLN",
        proposed_by=worker,
        **fields,
    )
    data = {"kind": decision.kind, "benefit": decision.benefit, "amount": amount, "currency": "PLN"}
    DecisionEvent.objects.create(
        decision=decision,
        case=case,
        household=case.household,
        person=applicant,
        kind=DecisionEventKind.PROPOSED,
        actor=worker,
        data=data,
        **({"at": at} if at else {}),
    )
    return decision


def test_desk_lists_what_is_due_on_own_cases(pl_worker, case):
    populate(case, pl_worker)
    desk = worker_desk_items(pl_worker, DAY)
    assert len(desk["visits"].overdue) == 1 and len(desk["visits"].this_week) == 1
    assert [a.due_on for a in desk["interviews"].due] == [DAY + dt.timedelta(days=3)]
    assert [a.due_on for a in desk["interviews"].overdue] == [DAY - dt.timedelta(days=5)]
    assert [a.description for a in desk["plan_actions"]] == ["Call"]
    assert [o.description for o in desk["contract_deadlines"].obligations] == ["Job"]
    assert len(desk["contract_deadlines"].contracts_ending) == 1
    assert len(desk["referrals"]) == 1 and desk["referrals"][0].is_overdue
    assert len(desk.recent_contacts) == 1
    assert not desk.is_empty


def test_desk_ignores_others_cases_closed_cases_and_finished_things(pl_worker, pl_worker2, case, family_team):
    other = CaseFactory(centre=case.centre, assigned_worker=pl_worker2, team=family_team)
    populate(other, pl_worker2)
    desk = worker_desk_items(pl_worker, DAY)
    assert desk.is_empty
    populate(case, pl_worker)
    case.status, case.closed_on, case.closure_reason = "closed", DAY, "goals_achieved"
    case.save(update_fields=["status", "closed_on", "closure_reason"])
    desk = worker_desk_items(pl_worker, DAY)
    assert (
        not desk["visits"].overdue
        and not desk["plan_actions"]
        and not desk["contract_deadlines"].obligations
        and not desk["referrals"]
    )
    assert len(desk.recent_contacts) == 1  # contacts the worker handled, whatever the case


def test_desk_query_count_is_bounded(pl_worker, case, django_assert_max_num_queries):
    populate(case, pl_worker, n=1)
    worker_desk_items(pl_worker, DAY)
    # The family's four sections (socius.family.timeline) cost one query each.
    with django_assert_max_num_queries(16):
        worker_desk_items(pl_worker, DAY)
    populate(case, pl_worker, n=5)
    with django_assert_max_num_queries(16):
        worker_desk_items(pl_worker, DAY)


def test_timeline_merges_newest_first_and_audits(pl_worker, case, household):
    populate(case, pl_worker)
    items = household_timeline(pl_worker, household.pk)
    kinds = {i.kind for i in items}
    assert kinds == TimelineKind.ALL
    assert [i.at for i in items] == sorted((i.at for i in items), reverse=True)
    assert all(not i.restricted for i in items)
    assert all(i.case_reference == case.reference for i in items if i.kind != TimelineKind.CONTACT)
    assert AuditEvent.objects.filter(actor=pl_worker, object_type="case", object_id=case.pk).exists()


def test_timeline_filter_and_limit(pl_worker, case, household):
    populate(case, pl_worker, n=3)
    items = household_timeline(pl_worker, household.pk, kinds={"visit", "contract"})
    assert {i.kind for i in items} == {"visit", "contract"}
    assert len(household_timeline(pl_worker, household.pk, limit=4)) == 4
    assert {i.kind for i in household_timeline(pl_worker, household.pk, kinds={"bogus"})} == TimelineKind.ALL


def test_summary_only_reader_sees_lifecycle_events_without_content(pl_worker, pl_worker2, case, household):
    populate(case, pl_worker)
    CaseEvent.objects.create(case=case, kind=CaseEventKind.NOTE, data={"text": "secret"})
    items = household_timeline(pl_worker2, household.pk)
    case_items = [i for i in items if i.kind != TimelineKind.CONTACT]
    assert case_items and all(i.kind == TimelineKind.CASE and i.restricted for i in case_items)
    assert {i.title for i in case_items} == {"Case opened"}
    assert not AuditEvent.objects.filter(actor=pl_worker2, object_type="case").exists()


@pytest.mark.parametrize("reader", ["pl_teamlead", "pl_director"])
def test_team_leader_and_director_see_content(request, reader, pl_worker, case, household):
    populate(case, pl_worker)
    items = household_timeline(request.getfixturevalue(reader), household.pk)
    assert TimelineKind.VISIT in {i.kind for i in items}


def test_timeline_other_centre_is_not_found(md_centre, pl_worker, case):
    other = HouseholdFactory(centre=md_centre)
    with pytest.raises(NotFound):
        household_timeline(pl_worker, other.pk)


def test_timeline_query_count_is_bounded(pl_worker, case, household, django_assert_max_num_queries):
    populate(case, pl_worker, n=1)
    # The audit adds five: the household's members, the timeline's event and its persons, the cases'
    # events and their persons (decision 0007), however many cases are shown.
    # The family's rows add two (socius.family.timeline: its events, the users they name); the services' two
    # (socius.services.timeline: the decisions, the months of their deliveries).
    # +4: two audit events' places in their centre's hash chain (decision 0020)
    with django_assert_max_num_queries(29):
        household_timeline(pl_worker, household.pk)
    populate(case, pl_worker, n=6)
    CaseFactory(centre=case.centre, household=household, assigned_worker=pl_worker, team=case.team)
    # +4: two audit events' places in their centre's hash chain (decision 0020)
    with django_assert_max_num_queries(30):
        household_timeline(pl_worker, household.pk)


def test_draft_statuses_used(case):
    assert AssessmentStatus.DRAFT == "draft"


def test_timeline_includes_members_contacts_without_household_once(pl_worker, case, household, mother, outsider):
    both = Contact.objects.create(centre=case.centre, occurred_at=_aware(DAY), channel="phone", handled_by=pl_worker)
    both.persons.set([mother])
    Contact.objects.create(
        centre=case.centre, occurred_at=_aware(DAY), channel="office", handled_by=pl_worker, household=household
    ).persons.set([mother])
    Contact.objects.create(
        centre=case.centre, occurred_at=_aware(DAY), channel="email", handled_by=pl_worker
    ).persons.set([outsider])
    contacts = [i for i in household_timeline(pl_worker, household.pk) if i.kind == TimelineKind.CONTACT]
    assert len(contacts) == 2


def test_timeline_of_contacts_only_audits_no_case(pl_worker, case, household):
    populate(case, pl_worker)
    household_timeline(pl_worker, household.pk, kinds={"contact"})
    assert not AuditEvent.objects.filter(actor=pl_worker, object_type="case").exists()


# --- a person's timeline ---------------------------------------------------------------------------


def test_person_timeline_has_their_contacts_and_the_cases_of_their_household(
    pl_worker, pl_centre, case, household, mother, outsider
):
    populate(case, pl_worker)
    named = Contact.objects.create(centre=pl_centre, occurred_at=_aware(DAY, 15), channel="phone", handled_by=pl_worker)
    named.persons.set([mother])
    other = Contact.objects.create(centre=pl_centre, occurred_at=_aware(DAY, 16), channel="email", handled_by=pl_worker)
    other.persons.set([outsider])
    own_case = CaseFactory(centre=pl_centre, person=mother, household=None, assigned_worker=pl_worker, team=case.team)

    items = person_timeline(pl_worker, mother.pk)

    contact_links = {i.link for i in items if i.kind == TimelineKind.CONTACT}
    assert contact_links == {f"/contacts/{named.pk}/"}  # not the household's anonymous one, not the outsider's
    assert {i.case_id for i in items if i.case_id} == {case.pk, own_case.pk}
    assert any(i.kind == TimelineKind.PLAN for i in items)
    assert AuditEvent.objects.filter(actor=pl_worker, object_type="case", object_id=case.pk).exists()


def test_person_timeline_of_an_outsider_has_no_household_cases(pl_worker, case, outsider):
    populate(case, pl_worker)

    assert [i for i in person_timeline(pl_worker, outsider.pk) if i.case_id] == []


def test_person_timeline_other_centre_is_not_found(md_centre, pl_worker):
    from socius.testing.factories import PersonFactory

    with pytest.raises(NotFound):
        person_timeline(pl_worker, PersonFactory(centre=md_centre).pk)


# --- the caseload with overdue items ---------------------------------------------------------------


def test_caseload_counts_each_workers_overdue_items_by_kind(pl_teamlead, pl_worker, pl_worker2, case):
    populate(case, pl_worker)

    on_day = {line.worker: line for line in caseload_for(pl_teamlead, on=DAY)}
    next_day = {line.worker: line for line in caseload_for(pl_teamlead, on=DAY + dt.timedelta(days=1))}

    # On DAY: the visit planned the day before, the draft due 5 days before, the referral due the day before.
    assert on_day[pl_worker].overdue == Overdue(visits=1, interviews=1, plan_actions=0, obligations=0, referrals=1)
    # The day after, the action and the obligation due on DAY are late too.
    assert next_day[pl_worker].overdue == Overdue(visits=1, interviews=1, plan_actions=1, obligations=1, referrals=1)
    assert next_day[pl_worker].overdue.total == 5
    assert next_day[pl_worker].open_cases == 1 and next_day[pl_worker2].overdue.total == 0


def test_a_closed_cases_items_are_not_overdue(pl_teamlead, pl_worker, case):
    populate(case, pl_worker)
    case.status, case.closure_reason, case.closed_on = "closed", "goals_achieved", DAY
    case.save(update_fields=["status", "closure_reason", "closed_on"])

    lines = {line.worker: line for line in caseload_for(pl_teamlead, on=DAY + dt.timedelta(days=1))}

    assert lines[pl_worker].overdue.total == 0


def test_caseload_costs_nine_queries_however_many_workers_and_items(
    pl_director, pl_centre, family_team, django_assert_num_queries
):
    for _ in range(6):
        worker = UserFactory(centre=pl_centre, role=Role.SOCIAL_WORKER)
        family_team.members.add(worker)
        populate(CaseFactory(centre=pl_centre, assigned_worker=worker, team=family_team), worker)

    with django_assert_num_queries(9):  # workers, cases by status, visits done and planned, five overdue kinds
        lines = caseload_for(pl_director, on=DAY + dt.timedelta(days=1))

    assert sum(line.overdue.total for line in lines) == 6 * 5


def test_the_household_timeline_shows_a_visit_at_its_time_and_a_day_without_one_as_a_day(pl_worker, case, household):
    from socius.casework import services as casework_services

    timed = casework_services.record_done_visit(
        pl_worker, case.pk, {"done_on": DAY, "done_time": dt.time(10, 15), "outcome": "Seen"}
    )
    untimed = casework_services.plan_visit(pl_worker, case.pk, {"planned_on": DAY + dt.timedelta(days=7)})
    items = {i.sort_id: i for i in household_timeline(pl_worker, household.pk, kinds={"visit"})}
    assert timezone.localtime(items[timed.pk].at).time() == dt.time(10, 15) and not items[timed.pk].all_day
    assert timezone.localtime(items[untimed.pk].at).time() == dt.time(0, 0) and items[untimed.pk].all_day
