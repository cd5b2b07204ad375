"""Pages closing issue 8's gaps: the director's staff authorised to approve; a contract breach flag turned
into its proposal on the case page; a change of income reported on a grant; recalculations for authorised
approvers; benefit rows of the timelines linked to the decision."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from socius.accounts.models import AuditEvent
from socius.benefits import services
from socius.benefits.models import ApproverAuthorisation, Decision, IncomeDeclaration
from socius.benefits.tests import conftest as core
from socius.benefits.tests.test_api_recalculation import run  # noqa: F401 (fixture)
from socius.benefits.tests.test_breach import flag_for
from socius.benefits.tests.test_recalculation import grant, reference_month_formula  # noqa: F401 (fixtures)
from socius.benefits.tests.test_services import state_of_db
from socius.plans.models import Consequence

toy_pack = core.toy_pack
family_team = core.family_team
household = core.household
mother = core.mother
son = core.son
case = core.case
interview = core.interview
recent_interview = core.recent_interview

# --- 1. the director's staff authorised to approve -------------------------------------------------------


def test_the_director_reaches_the_page_from_home_and_the_benefits_tabs(client, pl_director):
    client.force_login(pl_director)
    url = reverse("web:benefit_approvers")

    assert f'href="{url}"' in client.get(reverse("web:home")).content.decode()
    assert f'href="{url}"' in client.get(reverse("web:benefit_queue")).content.decode()


def test_the_director_authorises_and_revokes_a_worker_and_both_stay_listed_audited(
    client, pl_director, pl_worker, pl_teamlead
):
    client.force_login(pl_director)
    url = reverse("web:benefit_approvers")
    page = client.get(url).content.decode()
    assert f'value="{pl_worker.pk}"' in page
    assert f'value="{pl_teamlead.pk}"' not in page  # approves by role already

    response = client.post(reverse("web:benefit_approver_authorise"), {"user": pl_worker.pk})

    assert response.status_code == 302 and response.url == url
    authorisation = ApproverAuthorisation.objects.get()
    assert (authorisation.user, authorisation.granted_by, authorisation.revoked_at) == (pl_worker, pl_director, None)
    page = client.get(url).content.decode()
    assert f'id="authorisation-{authorisation.pk}"' in page and "may now approve benefit decisions" in page
    assert f'value="{pl_worker.pk}"' not in page  # no second authorisation offered

    client.post(reverse("web:benefit_approver_revoke", args=[authorisation.pk]))

    authorisation.refresh_from_db()
    assert (authorisation.revoked_by, authorisation.revoked_at is not None) == (pl_director, True)
    page = client.get(url).content.decode()
    assert "Past authorisations" in page and f'id="authorisation-{authorisation.pk}"' in page
    assert f'value="{pl_worker.pk}"' in page  # may be authorised again
    events = AuditEvent.objects.filter(object_type="approver_authorisation", object_id=authorisation.pk)
    assert sorted(events.values_list("action", flat=True)) == ["create", "update"]


def test_authorising_twice_or_another_centres_user_changes_nothing(client, pl_director, pl_worker, md_worker):
    services.authorise_approver(pl_director, pl_worker.pk)
    client.force_login(pl_director)
    before = list(ApproverAuthorisation.objects.values_list("id", "user_id", "revoked_at"))

    twice = client.post(reverse("web:benefit_approver_authorise"), {"user": pl_worker.pk})
    other = client.post(reverse("web:benefit_approver_authorise"), {"user": md_worker.pk})

    assert (twice.status_code, other.status_code) == (400, 400)  # not among the choices offered
    assert list(ApproverAuthorisation.objects.values_list("id", "user_id", "revoked_at")) == before


def test_revoking_another_centres_or_a_revoked_authorisation_changes_nothing(
    client, pl_director, md_director, md_worker
):
    other = services.authorise_approver(md_director, md_worker.pk)
    client.force_login(pl_director)

    assert client.post(reverse("web:benefit_approver_revoke", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_only_the_director_may_use_the_page(client, pl_teamlead, pl_worker):
    for user in (pl_teamlead, pl_worker):
        client.force_login(user)
        assert client.get(reverse("web:benefit_approvers")).status_code == 403
        assert client.post(reverse("web:benefit_approver_authorise"), {"user": user.pk}).status_code == 403
    assert not ApproverAuthorisation.objects.exists()


def test_an_authorised_worker_sees_the_queue_in_the_menu_and_loses_it_when_revoked(client, pl_director, pl_worker):
    queue = f'href="{reverse("web:benefit_queue")}"'
    services.authorise_approver(pl_director, pl_worker.pk)
    client.force_login(pl_worker)
    assert queue in client.get(reverse("web:home")).content.decode()

    services.revoke_approver(pl_director, pl_worker.pk)
    assert queue not in client.get(reverse("web:home")).content.decode()


# --- 2. a contract breach flag into a proposal (the case page) -------------------------------------------


def test_a_suspend_flag_on_the_case_page_becomes_the_suspension_proposal(
    client,
    grant,  # noqa: F811
    case,
    mother,
    pl_worker,
):
    flag = flag_for(pl_worker, case, mother, Consequence.SUSPEND_CASH_AID)
    client.force_login(pl_worker)
    page = client.get(reverse("web:case_detail", args=[case.pk])).content.decode()
    assert reverse("web:case_flag_propose", args=[flag.pk]) in page

    response = client.post(
        reverse("web:case_flag_propose", args=[flag.pk]), {"decision": grant.pk, "from_month": "2025-05-01"}
    )

    proposal = Decision.objects.get(flag=flag)
    assert response.status_code == 302 and response.url == reverse("web:benefit_decision", args=[proposal.pk])
    assert (proposal.kind, proposal.changes, proposal.status) == ("suspension", grant, "proposed")
    page = client.get(reverse("web:case_detail", args=[case.pk])).content.decode()
    assert reverse("web:benefit_decision", args=[proposal.pk]) in page  # the flag names its proposal
    assert reverse("web:case_flag_propose", args=[flag.pk]) not in page  # and offers no second one


def test_a_reduce_flag_needs_a_lower_amount_and_refused_changes_nothing(
    client,
    grant,  # noqa: F811
    case,
    mother,
    pl_worker,
):
    flag = flag_for(pl_worker, case, mother, Consequence.REDUCE_CASH_AID)
    client.force_login(pl_worker)
    before = state_of_db()

    response = client.post(
        reverse("web:case_flag_propose", args=[flag.pk]),
        {"decision": grant.pk, "from_month": "2025-05-01", "amount": "600.00"},
        follow=True,
    )

    assert "Nothing was proposed." in response.content.decode()
    assert "The reduced amount must be lower than 552.00" in response.content.decode()
    assert state_of_db()[:5] == before[:5]  # only the case page's read was audited

    client.post(
        reverse("web:case_flag_propose", args=[flag.pk]),
        {"decision": grant.pk, "from_month": "2025-05-01", "amount": "300.00"},
    )
    proposal = Decision.objects.get(flag=flag)
    assert (proposal.kind, proposal.amount) == ("amendment", Decimal("300.00"))


def test_who_does_not_propose_decisions_gets_no_button_and_a_403(
    client,
    grant,  # noqa: F811
    case,
    mother,
    pl_worker,
    pl_finance,
):
    flag = flag_for(pl_worker, case, mother, Consequence.SUSPEND_CASH_AID)
    client.force_login(pl_finance)

    response = client.post(
        reverse("web:case_flag_propose", args=[flag.pk]), {"decision": grant.pk, "from_month": "2025-05-01"}
    )

    assert response.status_code == 403
    assert not Decision.objects.filter(flag=flag).exists()


# --- 3. a change of income reported on the grant (the decision page) --------------------------------------


def test_a_change_of_income_reported_on_the_decision_page_lands_on_the_amendment(
    client,
    grant,  # noqa: F811
    recent_interview,
    mother,
    son,
    pl_worker,
):
    client.force_login(pl_worker)
    url = reverse("web:benefit_decision", args=[grant.pk])
    assert reverse("web:benefit_decision_income_change", args=[grant.pk]) in client.get(url).content.decode()

    response = client.post(
        reverse("web:benefit_decision_income_change", args=[grant.pk]),
        {
            "month": "2025-04-01",
            f"kind_{mother.pk}": "employment",
            f"amount_{mother.pk}": "1200.00",
            f"kind_{son.pk}": "other",
            f"amount_{son.pk}": "",
        },
    )

    proposal = Decision.objects.get(kind="amendment")
    assert response.status_code == 302 and response.url == reverse("web:benefit_decision", args=[proposal.pk])
    assert (proposal.changes_id, proposal.period_from, proposal.amount) == (
        grant.pk,
        dt.date(2025, 5, 1),
        Decimal("352.00"),
    )
    assert list(IncomeDeclaration.objects.filter(month=dt.date(2025, 4, 1)).values_list("person_id", "amount")) == [
        (mother.pk, Decimal("1200.00"))
    ]


def test_a_refused_change_of_income_answers_the_page_with_its_reason_and_writes_nothing(
    client,
    grant,  # noqa: F811
    recent_interview,
    mother,
    son,
    pl_worker,
):
    client.force_login(pl_worker)
    before = state_of_db()

    response = client.post(
        reverse("web:benefit_decision_income_change", args=[grant.pk]),
        {"month": "2025-12-01", f"kind_{mother.pk}": "employment", f"amount_{mother.pk}": "1200.00"},
    )

    assert response.status_code == 400
    assert "outside the period of this decision" in response.content.decode()
    assert state_of_db()[:5] == before[:5]  # only the page's read was audited


# --- 4. recalculations for staff the director authorised ---------------------------------------------------


def test_an_authorised_worker_reads_and_approves_a_recalculation(
    client,
    run,  # noqa: F811
    pl_director,
    pl_worker,
):
    client.force_login(pl_worker)
    assert client.get(reverse("web:recalculation_list")).status_code == 403

    services.authorise_approver(pl_director, pl_worker.pk)
    listed = client.get(reverse("web:recalculation_list")).content.decode()
    assert reverse("web:recalculation_detail", args=[run.pk]) in listed
    page = client.get(reverse("web:recalculation_detail", args=[run.pk])).content.decode()
    assert 'name="items"' in page

    client.post(reverse("web:recalculation_approve", args=[run.pk]), {"all": "1"})

    proposal = run.items.get().proposal
    proposal.refresh_from_db()
    assert (proposal.status, proposal.approved_by_id) == ("approved", pl_worker.pk)


# --- 6. timelines link benefit rows to the decision -----------------------------------------------------


def test_benefit_rows_of_the_household_and_case_timelines_link_to_the_decision(
    client,
    grant,  # noqa: F811
    case,
    household,
    pl_worker,
):
    client.force_login(pl_worker)
    link = reverse("web:benefit_decision", args=[grant.pk])

    household_page = client.get(reverse("web:household_timeline", args=[household.pk]))
    case_section = client.get(reverse("web:case_section", args=[case.pk, "timeline"]))

    assert f'href="{link}"' in household_page.content.decode()
    assert f'href="{link}"' in case_section.content.decode()


def test_the_households_benefits_tab_links_an_active_grant_to_its_income_change_form(
    client,
    grant,  # noqa: F811
    household,
    pl_worker,
    pl_finance,
):
    link = reverse("web:benefit_decision", args=[grant.pk]) + "#income-change"
    client.force_login(pl_worker)
    assert link in client.get(reverse("web:household_benefits", args=[household.pk])).content.decode()
    client.force_login(pl_finance)  # reads decisions, proposes none
    assert link not in client.get(reverse("web:household_benefits", args=[household.pk])).content.decode()
