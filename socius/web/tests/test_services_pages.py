"""UI: the services pages (issue 11) — the catalogue with the centre's offer and a manager's new price, the
decisions list (filters, audited), a new decision from a case with the usual week and the co-payment shown
before saving, the decision's page (audited) with its status moves (four eyes refused, nothing written), the
decision PDF, the waiting list (add, priority, withdraw, restore, place); who may see what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from socius.accounts.models import AuditEvent
from socius.accounts.roles import Role
from socius.casework.tests.factories import CaseFactory
from socius.services.models import ServiceDecision, ServiceOffer, WaitingListEntry
from socius.services.statuses import DecisionStatus, WaitingStatus
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, TeamFactory, UserFactory

TODAY = timezone.localdate()
HOME_HELP = "pl.home_help"
QUERIES_OF_THE_LIST = 14  # session, user, centre, filters, count, page, audit (2 inserts), nav; not per row


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def team(pl_centre, pl_worker, pl_teamlead):
    team = TeamFactory(centre=pl_centre, problem_group="elderly", name="Elderly")
    team.members.add(pl_worker, pl_teamlead)
    return team


@pytest.fixture
def client_person(pl_centre):
    person = PersonFactory(centre=pl_centre, first_name="Halina", last_name="Kowalczyk", birth_date=dt.date(1938, 4, 2))
    household = HouseholdFactory(centre=pl_centre)
    MembershipFactory(household=household, person=person, relationship="head", valid_from=dt.date(2000, 1, 1))
    return person


@pytest.fixture
def case(pl_centre, client_person, pl_worker, team):
    return CaseFactory(centre=pl_centre, household=None, person=client_person, assigned_worker=pl_worker, team=team)


@pytest.fixture
def offer(pl_centre):
    return ServiceOffer.objects.create(
        centre=pl_centre, service_code=HOME_HELP, valid_from=dt.date(2020, 1, 1), unit_cost=Decimal("32.50"),
        capacity_per_week=Decimal("30"), cost_source="Uchwała Rady Gminy",
    )  # fmt: skip


def new_decision_data(case, person, **extra) -> dict:
    data = {
        "case": case.pk, "person": person.pk, "service_code": HOME_HELP, "quantity": "4", "per": "week",
        "starts_on": TODAY.isoformat(), "ends_on": "", "provider": "", "legal_basis": "", "notes": "",
        "day0_start": "09:00", "day0_units": "2", "day3_start": "09:00", "day3_units": "2",
        "income": "1200", "household_size": "1", "lives_alone": "on",
    }  # fmt: skip
    data.update(extra)
    return data


@pytest.fixture
def draft(client, case, client_person, pl_worker, offer):
    client.force_login(pl_worker)
    response = client.post(reverse("web:service_decision_new"), new_decision_data(case, client_person))
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return ServiceDecision.objects.get()


def views_of(person, object_type="service_decision"):
    return AuditEvent.objects.filter(
        Q(person_id=person.pk) | Q(further_persons__person_id=person.pk), action="view", object_type=object_type
    ).distinct()


# --- the catalogue ------------------------------------------------------------------------------------------


def test_the_catalogue_shows_the_packs_services_with_the_centres_price(client, pl_worker, offer):
    client.force_login(pl_worker)
    response = client.get(reverse("web:services_catalogue"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "32,50" in text or "32.50" in text
    assert "Uchwała Rady Gminy" in text
    assert reverse("web:service_offer_edit") not in text  # a worker does not set prices


def test_a_team_leader_sets_a_new_price_from_a_date(client, pl_teamlead, offer):
    client.force_login(pl_teamlead)
    data = {"service_code": HOME_HELP, "valid_from": "2030-01-01", "unit_cost": "35.00", "capacity_per_week": "",
            "cost_source": "Uchwała nr 1/2030"}  # fmt: skip
    response = client.post(reverse("web:service_offer_edit"), data)
    assert response.status_code == 302
    assert ServiceOffer.objects.filter(service_code=HOME_HELP).count() == 2
    assert ServiceOffer.objects.get(valid_from=dt.date(2030, 1, 1)).unit_cost == Decimal("35.00")


def test_a_negative_price_is_refused_beside_its_field_and_nothing_is_written(client, pl_teamlead, offer):
    client.force_login(pl_teamlead)
    data = {"service_code": HOME_HELP, "valid_from": "2030-01-01", "unit_cost": "-1", "cost_source": ""}
    response = client.post(reverse("web:service_offer_edit"), data)
    assert response.status_code == 400
    assert ServiceOffer.objects.count() == 1


def test_a_social_worker_may_not_set_prices(client, pl_worker, offer):
    client.force_login(pl_worker)
    assert client.get(reverse("web:service_offer_edit")).status_code == 403


# --- a new decision -------------------------------------------------------------------------------------------


def test_the_co_payment_is_shown_with_its_calculation_before_anything_is_saved(
    client, case, client_person, pl_worker, offer
):
    client.force_login(pl_worker)
    data = new_decision_data(case, client_person, preview="1")
    response = client.post(reverse("web:service_decision_new"), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "How it was calculated" in text
    assert "copayment-result" in text
    assert not ServiceDecision.objects.exists()


def test_a_worker_drafts_a_decision_from_the_case_with_the_usual_week(draft, case, client_person):
    assert draft.status == DecisionStatus.DRAFT
    assert draft.case == case and draft.person == client_person
    assert draft.quantity == Decimal("4")
    assert [(r["weekday"], r["start"]) for r in draft.weekly_pattern] == [(0, "09:00"), (3, "09:00")]


def test_a_day_with_a_start_but_no_units_is_refused_and_nothing_is_written(
    client, case, client_person, pl_worker, offer
):
    client.force_login(pl_worker)
    data = new_decision_data(case, client_person, day0_units="")
    response = client.post(reverse("web:service_decision_new"), data)
    assert response.status_code == 400
    assert "Give the units for this day." in response.content.decode()
    assert not ServiceDecision.objects.exists()


def test_a_worker_who_does_not_read_the_case_may_not_order_on_it(client, case, client_person, pl_centre, offer):
    stranger = UserFactory(centre=pl_centre, role=Role.SOCIAL_WORKER)
    client.force_login(stranger)
    assert client.get(reverse("web:service_decision_new") + f"?case={case.pk}").status_code in (403, 404)
    response = client.post(reverse("web:service_decision_new"), new_decision_data(case, client_person))
    assert response.status_code in (403, 404)
    assert not ServiceDecision.objects.exists()


def test_finance_may_not_order_a_service(client, pl_finance, case):
    client.force_login(pl_finance)
    assert client.get(reverse("web:service_decision_new") + f"?case={case.pk}").status_code == 403


# --- the decision's page, its moves, its PDF ---------------------------------------------------------------


def test_the_decision_page_is_audited_as_a_view_of_the_client(client, draft, pl_worker, client_person):
    client.force_login(pl_worker)
    before = views_of(client_person).count()
    response = client.get(reverse("web:service_decision", args=[draft.pk]))
    assert response.status_code == 200
    assert "Kowalczyk" in response.content.decode()
    assert views_of(client_person).count() == before + 1


def test_the_decisions_list_filters_and_audits_whom_it_showed(client, draft, pl_teamlead, client_person):
    client.force_login(pl_teamlead)
    response = client.get(reverse("web:service_decisions"), {"q": "Kowalczyk", "status": "draft"})
    assert response.status_code == 200
    assert reverse("web:service_decision", args=[draft.pk]) in response.content.decode()
    assert views_of(client_person).exists()
    empty = client.get(reverse("web:service_decisions"), {"status": "ended"})
    assert reverse("web:service_decision", args=[draft.pk]) not in empty.content.decode()


def test_a_bad_filter_answers_400_not_500(client, pl_teamlead):
    client.force_login(pl_teamlead)
    assert client.get(reverse("web:service_decisions"), {"status": "bogus", "provider": "x"}).status_code == 400


def test_the_drafter_may_not_issue_their_own_decision_and_nothing_changes(
    client, draft, pl_teamlead, case, client_person, offer
):
    # The team leader drafts, then tries to issue: four eyes.
    client.force_login(pl_teamlead)
    client.post(reverse("web:service_decision_new"), new_decision_data(case, client_person, starts_on="2031-01-01"))
    own = ServiceDecision.objects.exclude(pk=draft.pk).get()
    response = client.post(reverse("web:service_decision_issue", args=[own.pk]), {"on": TODAY.isoformat()})
    assert response.status_code == 409
    assert "another person must issue it" in response.content.decode()
    own.refresh_from_db()
    assert own.status == DecisionStatus.DRAFT and own.number == ""


def test_the_team_leader_issues_the_workers_draft_and_it_gets_a_number(client, draft, pl_teamlead):
    client.force_login(pl_teamlead)
    response = client.post(reverse("web:service_decision_issue", args=[draft.pk]), {"on": TODAY.isoformat()})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == DecisionStatus.ISSUED and draft.number


def test_suspending_needs_a_reason_and_nothing_changes_without_one(client, draft, pl_teamlead):
    client.force_login(pl_teamlead)
    client.post(reverse("web:service_decision_issue", args=[draft.pk]), {"on": TODAY.isoformat()})
    response = client.post(
        reverse("web:service_decision_suspend", args=[draft.pk]), {"on": TODAY.isoformat(), "reason": ""}
    )
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.status == DecisionStatus.ISSUED


def test_a_social_worker_may_not_issue(client, draft, pl_worker2):
    client.force_login(pl_worker2)
    response = client.post(reverse("web:service_decision_issue", args=[draft.pk]), {"on": TODAY.isoformat()})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == DecisionStatus.DRAFT


def test_another_centre_sees_no_decision(client, draft, pl_teamlead, md_director):
    client.force_login(md_director)
    assert client.get(reverse("web:service_decision", args=[draft.pk])).status_code == 404


def test_a_carer_may_not_read_decisions(client, draft, pl_centre):
    carer = UserFactory(centre=pl_centre, role=Role.CARER)
    client.force_login(carer)
    assert client.get(reverse("web:service_decision", args=[draft.pk])).status_code == 403
    assert client.get(reverse("web:service_decisions")).status_code == 403
    assert client.get(reverse("web:service_waiting_list")).status_code == 403


def test_the_decision_pdf_is_audited_as_a_printed_document(client, draft, pl_worker, client_person):
    client.force_login(pl_worker)
    response = client.get(reverse("web:service_decision_pdf", args=[draft.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert views_of(client_person).filter(changes__document="decision_pdf").exists()


# --- waiting lists -----------------------------------------------------------------------------------------


def test_a_worker_puts_a_client_on_the_waiting_list_and_a_manager_changes_the_priority(
    client, case, client_person, pl_worker, pl_teamlead, offer
):
    client.force_login(pl_worker)
    data = {"case": case.pk, "person": client_person.pk, "service_code": HOME_HELP, "priority": "3",
            "reason": "Lives alone after a fall", "requested_on": TODAY.isoformat()}  # fmt: skip
    assert client.post(reverse("web:service_waiting_new"), data).status_code == 302
    entry = WaitingListEntry.objects.get()
    client.force_login(pl_teamlead)
    response = client.get(reverse("web:service_waiting_list"))
    assert response.status_code == 200 and "Lives alone after a fall" in response.content.decode()
    assert views_of(client_person, "service_waiting_entry").exists()
    assert reverse("web:service_decision_new") + f"?waiting={entry.pk}" in response.content.decode()
    response = client.post(
        reverse("web:service_waiting_priority", args=[entry.pk]), {"priority": "1", "reason": "Hospital discharge"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.priority == 1 and entry.reason == "Hospital discharge"


def test_withdrawing_needs_a_reason_and_a_withdrawn_entry_can_be_restored(
    client, case, client_person, pl_worker, offer
):
    entry = WaitingListEntry.objects.create(
        centre=case.centre, service_code=HOME_HELP, person=client_person, case=case, reason="r", requested_on=TODAY,
        created_by=pl_worker,
    )  # fmt: skip
    client.force_login(pl_worker)
    assert client.post(reverse("web:service_waiting_withdraw", args=[entry.pk]), {"reason": ""}).status_code == 400
    entry.refresh_from_db()
    assert entry.status == WaitingStatus.WAITING
    assert (
        client.post(reverse("web:service_waiting_withdraw", args=[entry.pk]), {"reason": "Moved away"}).status_code
        == 302
    )
    entry.refresh_from_db()
    assert entry.status == WaitingStatus.WITHDRAWN
    assert client.post(reverse("web:service_waiting_restore", args=[entry.pk])).status_code == 302
    entry.refresh_from_db()
    assert entry.status == WaitingStatus.WAITING


def test_placing_from_the_waiting_list_prefills_the_new_decision(client, case, client_person, pl_worker, offer):
    entry = WaitingListEntry.objects.create(
        centre=case.centre, service_code=HOME_HELP, person=client_person, case=case, reason="r", requested_on=TODAY,
        created_by=pl_worker,
    )  # fmt: skip
    client.force_login(pl_worker)
    response = client.get(reverse("web:service_decision_new"), {"waiting": entry.pk})
    assert response.status_code == 200
    text = response.content.decode()
    assert f'name="waiting" value="{entry.pk}"' in text
    assert f'<option value="{HOME_HELP}" selected' in text


def test_finance_reads_the_waiting_list_but_has_no_actions(client, pl_finance):
    client.force_login(pl_finance)
    response = client.get(reverse("web:service_waiting_list"))
    assert response.status_code == 200


# --- providers and carers ------------------------------------------------------------------------------------


def test_a_team_leader_adds_a_provider_with_its_weekly_capacity(client, pl_teamlead):
    from socius.services.models import Provider

    client.force_login(pl_teamlead)
    form = client.get(reverse("web:service_provider_new")).context["form"]
    capacity_field = next(name for name, code in form.capacity_codes.items() if code == HOME_HELP)
    data = {"name": "Caritas", "contract_reference": "U/1/2026", "contract_from": "", "contract_until": "",
            "is_active": "on", capacity_field: "12"}  # fmt: skip
    assert client.post(reverse("web:service_provider_new"), data).status_code == 302
    provider = Provider.objects.get()
    assert provider.name == "Caritas"
    assert [(c.service_code, c.units_per_week) for c in provider.capacities.all()] == [(HOME_HELP, Decimal("12"))]


def test_a_provider_whose_contract_ends_before_it_starts_is_refused_and_nothing_is_written(client, pl_teamlead):
    from socius.services.models import Provider

    client.force_login(pl_teamlead)
    data = {"name": "Caritas", "contract_from": "2026-02-01", "contract_until": "2026-01-01", "is_active": "on"}
    response = client.post(reverse("web:service_provider_new"), data)
    assert response.status_code == 400
    assert "The contract cannot end before it starts." in response.content.decode()
    assert not Provider.objects.exists()


def test_a_team_leader_adds_a_carer_linked_to_a_staff_account(client, pl_teamlead, pl_centre):
    from socius.services.models import ServiceWorker

    carer = UserFactory(centre=pl_centre, role=Role.CARER)
    client.force_login(pl_teamlead)
    data = {"name": "Zofia Nowak", "kind": "carer", "weekly_hours": "30", "service_codes": [HOME_HELP],
            "provider": "", "user": carer.pk, "is_active": "on"}  # fmt: skip
    assert client.post(reverse("web:service_worker_new"), data).status_code == 302
    worker = ServiceWorker.objects.get()
    assert (worker.user, worker.weekly_hours, worker.service_codes) == (carer, Decimal("30"), [HOME_HELP])
    page = client.get(reverse("web:services_catalogue")).content.decode()
    assert reverse("web:service_worker_edit", args=[worker.pk]) in page


def test_a_social_worker_may_not_add_providers_or_carers(client, pl_worker):
    client.force_login(pl_worker)
    assert client.get(reverse("web:service_provider_new")).status_code == 403
    assert client.post(reverse("web:service_worker_new"), {"name": "X"}).status_code == 403


# --- the co-payment on the decision's page ---------------------------------------------------------------


def test_issuing_computes_the_co_payment_and_the_page_shows_its_calculation_in_the_readers_language(
    client, draft, pl_teamlead
):
    client.force_login(pl_teamlead)
    client.post(reverse("web:service_decision_issue", args=[draft.pk]), {"on": TODAY.isoformat()})
    assert draft.copayments.count() == 1
    response = client.get(reverse("web:service_decision", args=[draft.pk]))
    text = response.content.decode()
    assert "How it was calculated" in text
    assert "Income as % of the income criterion" in text  # the step in English, read back from the pack
    with translation.override("pl"):
        polish = client.get(reverse("web:service_decision", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE="pl")
    assert polish.status_code == 200


def test_the_co_payment_is_computed_again_from_new_facts_and_kept_in_the_history(client, draft, pl_teamlead):
    client.force_login(pl_teamlead)
    client.post(reverse("web:service_decision_issue", args=[draft.pk]), {"on": TODAY.isoformat()})
    later = TODAY + dt.timedelta(days=30)
    data = {"valid_from": later.isoformat(), "income": "3000", "household_size": "1", "lives_alone": "on"}
    response = client.post(reverse("web:service_decision_copayment", args=[draft.pk]), data)
    assert response.status_code == 302
    assert list(draft.copayments.order_by("valid_from").values_list("income", flat=True)) == [
        Decimal("1200.00"),
        Decimal("3000.00"),
    ]


def test_a_co_payment_without_the_income_is_refused_and_nothing_is_written(client, draft, pl_teamlead):
    client.force_login(pl_teamlead)
    data = {"valid_from": TODAY.isoformat(), "income": "", "household_size": "1"}
    response = client.post(reverse("web:service_decision_copayment", args=[draft.pk]), data)
    assert response.status_code == 400
    assert draft.copayments.count() == 0


def test_the_decisions_list_reads_a_bounded_number_of_queries_whatever_its_length(
    client, pl_teamlead, pl_worker, case, client_person, django_assert_max_num_queries
):
    for n in range(20):
        ServiceDecision.objects.create(
            centre=case.centre, case=case, person=client_person, service_code=HOME_HELP, unit="hour",
            quantity=Decimal(n + 1), starts_on=TODAY, drafted_by=pl_worker,
        )  # fmt: skip
    client.force_login(pl_teamlead)
    with django_assert_max_num_queries(QUERIES_OF_THE_LIST):
        response = client.get(reverse("web:service_decisions"))
    assert response.status_code == 200
    assert len(response.context["decisions"]) == 20


def test_hostile_or_stale_addresses_answer_400_or_404_never_500(client, pl_worker, case, pl_teamlead):
    client.force_login(pl_worker)
    new = reverse("web:service_decision_new")
    assert client.get(new, {"case": "999999"}).status_code == 404
    assert client.get(new, {"waiting": "999999"}).status_code == 404
    assert client.get(new, {"case": "x'; drop table"}).status_code == 200  # not a number: the start page
    assert client.get(reverse("web:service_decisions"), {"case": "abc", "page": "zz"}).status_code == 200
    assert client.post(reverse("web:service_waiting_priority", args=[999999]), {"priority": "1"}).status_code == 404
    client.force_login(pl_teamlead)
    assert client.get(reverse("web:service_provider_edit", args=[999999])).status_code == 404
    assert client.post(reverse("web:service_decision_issue", args=[999999]), {"on": "2026-01-01"}).status_code == 404


def test_the_drafter_changes_the_draft_and_its_usual_week(client, draft, pl_worker, case, client_person):
    client.force_login(pl_worker)
    form = client.get(reverse("web:service_decision_edit", args=[draft.pk])).context["form"]
    assert Decimal(form.initial["day3_units"]) == Decimal("2") and form.initial["quantity"] == Decimal("4")
    data = new_decision_data(case, client_person, quantity="2", day3_start="", day3_units="")
    assert client.post(reverse("web:service_decision_edit", args=[draft.pk]), data).status_code == 302
    draft.refresh_from_db()
    assert draft.quantity == Decimal("2")
    assert [r["weekday"] for r in draft.weekly_pattern] == [0]


def test_an_issued_decision_is_not_edited(client, draft, pl_teamlead, pl_worker, case, client_person):
    client.force_login(pl_teamlead)
    client.post(reverse("web:service_decision_issue", args=[draft.pk]), {"on": TODAY.isoformat()})
    client.force_login(pl_worker)
    data = new_decision_data(case, client_person, quantity="9")
    assert client.post(reverse("web:service_decision_edit", args=[draft.pk]), data).status_code == 403
    draft.refresh_from_db()
    assert draft.quantity == Decimal("4")
