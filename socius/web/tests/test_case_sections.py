"""The case page as a shell of sections: the shell names the family and lists its members, each section is
served alone (htmx) or drawn in the page (`?open=`), and every action answers through one pattern: the
section again in place (htmx) or a redirect to `#section`; a refusal says why at the top and beside the
field, and writes nothing. Also the plan and contract pages, which are one section each."""

import datetime as dt
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from socius.accounts.models import AuditEvent, AuditEventPerson
from socius.casework.models import Case, CaseEvent, CaseEventKind, HomeVisit, VisitStatus
from socius.casework.statuses import CaseStatus
from socius.casework.tests.factories import CaseFactory
from socius.plans.models import Goal, ObligationParty
from socius.plans.services import add_obligation, create_plan, draft_contract, sign_contract, start_contract
from socius.plans.statuses import ContractStatus
from socius.registry.models import Relationship
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, TeamFactory
from socius.web.views.case_page import CASE_PAGE
from socius.web.views.case_page import PAGE_VIEW_SECONDS as CASE_PAGE_VIEW_SECONDS

HTMX = {"HTTP_HX_REQUEST": "true"}
SECTIONS = (
    "visits",
    "social-work",
    "interviews",
    "help-plans",
    "social-contracts",
    "referrals",
    "documents",
    "family",
    "timeline",
)


@pytest.fixture
def family_team(pl_centre, pl_worker, pl_worker2, pl_teamlead):
    team = TeamFactory(centre=pl_centre, problem_group="family", name="Family")
    team.members.add(pl_worker, pl_worker2, pl_teamlead)
    return team


@pytest.fixture
def mother(pl_centre):
    return PersonFactory(centre=pl_centre, first_name="Liwia", last_name="Janiszewska", birth_date=dt.date(1990, 5, 1))


@pytest.fixture
def son(pl_centre):
    return PersonFactory(centre=pl_centre, first_name="Adam", last_name="Janiszewski", birth_date=dt.date(2015, 2, 1))


@pytest.fixture
def household(pl_centre, mother, son):
    household = HouseholdFactory(centre=pl_centre, street_address="ul. Lipowa 7")
    MembershipFactory(household=household, person=son, relationship=Relationship.CHILD, valid_from=dt.date(2015, 2, 1))
    MembershipFactory(
        household=household, person=mother, relationship=Relationship.HEAD, valid_from=dt.date(2020, 1, 1)
    )
    return household


@pytest.fixture
def case(pl_centre, pl_worker, family_team, household):
    return CaseFactory(
        centre=pl_centre,
        household=household,
        assigned_worker=pl_worker,
        team=family_team,
        opened_on=dt.date(2025, 1, 2),
    )


def login(client, user):
    client.force_login(user)
    return client


def section_url(case, name):
    return reverse("web:case_section", args=[case.pk, name])


def writes():
    return (
        HomeVisit.objects.count(),
        CaseEvent.objects.count(),
        AuditEvent.objects.filter(action__in=["create", "update"]).count(),
    )


# --- the shell ----------------------------------------------------------------------------------------


def test_the_page_names_the_family_and_lists_its_current_members(client, pl_worker, case, mother, son):
    former = PersonFactory(centre=case.centre, first_name="Olga", last_name="Dawna")
    MembershipFactory(
        household=case.household, person=former, valid_from=dt.date(2019, 1, 1), valid_until=dt.date(2021, 1, 1)
    )
    html = login(client, pl_worker).get(reverse("web:case_detail", args=[case.pk])).content.decode()
    heading = html.split("<h1>")[1].split("</h1>")[0]
    assert '<bdi class="case-holder-name">Liwia Janiszewska</bdi>' in heading and case.reference in heading
    assert f"<title>Liwia Janiszewska · Case {case.reference}" in html
    members = html.split('class="table members"')[1].split("</table>")[0]
    rows = members.split('<tr id="member-')[1:]
    assert [r.split('"')[0] for r in rows] == [str(mother.pk), str(son.pk)]  # the head first
    today = timezone.localdate()
    assert f'<a href="/persons/{mother.pk}/"><bdi>Liwia Janiszewska</bdi></a>' in rows[0]
    assert (
        "Head of household" in rows[0]
        and f"<td>{today.year - 1990 - ((today.month, today.day) < (5, 1))}</td>" in rows[0]
    )
    assert "Olga" not in members  # not a member any more


def test_a_colleague_without_content_sees_the_name_and_members_but_no_section(client, pl_worker2, case):
    html = login(client, pl_worker2).get(reverse("web:case_detail", args=[case.pk])).content.decode()
    assert "Liwia Janiszewska" in html and 'id="content-restricted"' in html
    for name in SECTIONS:
        assert f'id="{name}"' not in html
    assert login(client, pl_worker2).get(section_url(case, "visits"), **HTMX).status_code == 403


def test_sections_are_placeholders_loaded_when_revealed_and_no_form_is_drawn(client, pl_worker, case):
    html = login(client, pl_worker).get(reverse("web:case_detail", args=[case.pk])).content.decode()
    for name in SECTIONS:
        assert f'hx-get="{section_url(case, name)}?pv=' in html  # the page view the load is a part of
        assert f'href="/cases/{case.pk}/?open={name}#{name}"' in html  # without JavaScript
    assert reverse("web:case_visit_plan", args=[case.pk]) not in html
    assert "<textarea" not in html.split('id="sharing"')[1]


def test_a_section_alone_is_audited_and_checks_its_access(client, pl_worker, md_worker, case):
    login(client, pl_worker)
    views = AuditEvent.objects.filter(action="view", object_type="case", object_id=case.pk).count()
    response = client.get(section_url(case, "visits"), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card page-section" id="visits"') and "<html" not in html
    assert reverse("web:case_visit_record", args=[case.pk]) in html
    assert AuditEvent.objects.filter(action="view", object_type="case", object_id=case.pk).count() == views + 1
    assert client.get(section_url(case, "nonsense"), **HTMX).status_code == 404
    assert login(client, md_worker).get(section_url(case, "visits"), **HTMX).status_code == 404


def test_a_section_followed_without_javascript_draws_the_page_with_it_open(client, pl_worker, case):
    response = login(client, pl_worker).get(section_url(case, "timeline"), {"group": "visit"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html and "Liwia Janiszewska" in html
    timeline = html.split('id="timeline"')[1]
    assert 'value="visit" checked' in timeline and "Nothing recorded yet." in timeline
    assert f'hx-get="{section_url(case, "visits")}' in html  # the others stay lazy


# --- one audit event per page view -----------------------------------------------------------------------


def _case_views(case) -> int:
    return AuditEvent.objects.filter(action="view", object_type="case", object_id=case.pk).count()


def _lazy_urls(response) -> dict[str, str]:
    return {s["name"]: s["url"] for s in response.context["sections"]}


def test_a_page_view_with_all_its_sections_loaded_writes_one_view_event_naming_the_family(
    client, pl_worker, case, mother, son
):
    login(client, pl_worker)
    before = AuditEvent.objects.count()

    page = client.get(reverse("web:case_detail", args=[case.pk]))
    for url in _lazy_urls(page).values():  # what htmx loads as each section is revealed
        assert client.get(url, **HTMX).status_code == 200

    events = list(AuditEvent.objects.order_by("id")[before:])
    assert len(events) == 1
    (event,) = events
    assert (event.action, event.object_type, event.object_id) == ("view", "case", case.pk)
    named = {event.person_id, *AuditEventPerson.objects.filter(event=event).values_list("person_id", flat=True)} - {
        None
    }
    assert named == {mother.pk, son.pk}


def test_each_page_view_is_its_own_event(client, pl_worker, case):
    login(client, pl_worker)
    views = _case_views(case)

    for _visit in range(2):
        page = client.get(reverse("web:case_detail", args=[case.pk]))
        client.get(_lazy_urls(page)["visits"], **HTMX)

    assert _case_views(case) == views + 2


def test_a_section_loaded_alone_or_without_javascript_is_still_audited(client, pl_worker, case):
    login(client, pl_worker)
    views = _case_views(case)

    client.get(section_url(case, "visits"), **HTMX)  # alone: no page view
    client.get(section_url(case, "timeline"))  # without JavaScript: the page with the section open

    assert _case_views(case) == views + 2


def test_a_page_view_token_of_another_user_or_case_or_forged_or_expired_does_not_spare_the_audit(
    client, pl_worker, pl_director, case, family_team, household, monkeypatch
):
    other_case = CaseFactory(centre=case.centre, household=household, assigned_worker=pl_worker, team=family_team)
    login(client, pl_worker)
    token = _lazy_urls(client.get(reverse("web:case_detail", args=[case.pk])))["visits"].split("pv=")[1]
    views = _case_views(case)

    login(client, pl_director).get(section_url(case, "visits"), {"pv": token}, **HTMX)  # another user
    assert _case_views(case) == views + 1
    login(client, pl_worker).get(section_url(other_case, "visits"), {"pv": token}, **HTMX)  # another case
    assert _case_views(other_case) == 1
    client.get(section_url(case, "visits"), {"pv": token[:-2] + "xx"}, **HTMX)  # altered
    assert _case_views(case) == views + 2
    later = time.time() + CASE_PAGE_VIEW_SECONDS + 1
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    client.get(section_url(case, "visits"), {"pv": token}, **HTMX)  # expired
    assert _case_views(case) == views + 3


def test_a_section_redrawn_after_an_action_is_audited(client, pl_worker, case):
    login(client, pl_worker)
    page = client.get(reverse("web:case_detail", args=[case.pk]))
    token = _lazy_urls(page)["visits"].split("pv=")[1]
    views = _case_views(case)

    response = client.post(
        reverse("web:case_visit_plan", args=[case.pk]) + f"?pv={token}",
        {"planned_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat()},
        **HTMX,
    )

    assert response.status_code in (200, 400)
    assert _case_views(case) == views + 1  # a POST is never spared


# --- one pattern for every action ------------------------------------------------------------------------


def test_a_visit_made_today_is_recorded_in_one_step_and_the_section_is_swapped_in(client, pl_worker, case):
    now = timezone.localtime() - dt.timedelta(minutes=30)
    response = login(client, pl_worker).post(
        reverse("web:case_visit_record", args=[case.pk]),
        {"done_on": now.date().isoformat(), "done_time": now.strftime("%H:%M"), "outcome": "Cold flat"},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card page-section" id="visits"')
    assert 'id="visits-notice"' in html and "The visit is recorded as done." in html
    visit = HomeVisit.objects.get(case=case)
    assert (visit.status, visit.done_on, visit.done_time, visit.outcome) == (
        VisitStatus.DONE,
        now.date(),
        now.time().replace(second=0, microsecond=0),
        "Cold flat",
    )
    assert visit.place == "ul. Lipowa 7" and list(visit.visitors.all()) == [pl_worker]
    assert f'id="visit-{visit.pk}"' in html
    events = list(CaseEvent.objects.filter(case=case).values_list("kind", "data"))
    assert events[-1] == (
        CaseEventKind.VISIT_DONE,
        {"visit": visit.pk, "done_on": now.date().isoformat(), "done_time": now.strftime("%H:%M")},
    )
    assert CaseEventKind.VISIT_PLANNED not in [k for k, _d in events]
    # Messages of a swapped section are not left for the next page.
    assert (
        "The visit is recorded as done." not in client.get(reverse("web:case_detail", args=[case.pk])).content.decode()
    )


def test_a_refused_visit_says_why_at_the_top_and_beside_the_field_and_writes_nothing(client, pl_worker, case):
    before = writes()
    response = login(client, pl_worker).post(
        reverse("web:case_visit_record", args=[case.pk]),
        {"done_on": timezone.localdate().isoformat(), "outcome": ""},
        **HTMX,
    )
    assert response.status_code == 400
    html = response.content.decode()
    top = html.split('id="visits-refusal"')[1].split("</div>")[0]
    assert "The visit was not recorded." in top and "Outcome: This field is required." in top
    assert 'id="record_outcome-errors"' in html and '<details class="status-form" id="record-visit" open>' in html
    assert writes() == before


def test_a_future_time_is_refused_by_the_service(client, pl_worker, case):
    later = timezone.localtime() + dt.timedelta(hours=2)
    if later.date() != timezone.localdate():
        pytest.skip("too close to midnight to be in the future today")
    before = writes()
    response = login(client, pl_worker).post(
        reverse("web:case_visit_record", args=[case.pk]),
        {"done_on": later.date().isoformat(), "done_time": later.strftime("%H:%M"), "outcome": "Seen"},
        **HTMX,
    )
    assert response.status_code == 400
    assert "Time: The time cannot be in the future." in response.content.decode()
    assert writes() == before


def test_without_javascript_an_action_redirects_to_its_section_and_a_refusal_draws_the_page(client, pl_worker, case):
    login(client, pl_worker)
    response = client.post(
        reverse("web:case_visit_plan", args=[case.pk]),
        {"planned_on": "2025-03-03", "planned_time": "10:30", "purpose": "First look"},
    )
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/?open=visits#visits"
    visit = HomeVisit.objects.get(case=case)
    assert (visit.planned_on, visit.planned_time) == (dt.date(2025, 3, 3), dt.time(10, 30))
    page = client.get(response["Location"]).content.decode()
    assert "The visit is planned." in page and f'id="visit-{visit.pk}"' in page  # drawn open, not lazy

    before = writes()
    response = client.post(reverse("web:case_visit_plan", args=[case.pk]), {"planned_on": "2024-12-31"})
    assert response.status_code == 400
    html = response.content.decode()
    messages = html.split('<ul class="messages"')[1].split("</ul>")[0]
    assert "The visit was not planned. Planned for: The date cannot be before the case was opened." in messages
    assert 'id="visits-refusal"' in html and 'id="visit_planned_on-errors"' in html
    assert writes() == before


def test_a_conflict_gives_its_reason_in_the_section(client, pl_worker, case):
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED, closure_reason="other", closed_on=dt.date(2025, 2, 1)
    )
    before = writes()
    response = login(client, pl_worker).post(
        reverse("web:case_activity_record", args=[case.pk]),
        {"type": "information", "performed_on": "2025-03-03", "duration_minutes": "30"},
        **HTMX,
    )
    assert response.status_code == 409
    top = response.content.decode().split('id="social-work-refusal"')[1].split("</div>")[0]
    assert "The social work was not recorded." in top and "closed" in top
    assert writes() == before


def test_a_new_case_may_be_opened_as_active(client, pl_worker, family_team, household):
    response = login(client, pl_worker).post(
        f"{reverse('web:case_create')}?household={household.pk}",
        {"household": household.pk, "circumstances": ["poverty"], "team": family_team.pk, "status": "active"},
    )
    assert response.status_code == 302
    case = Case.objects.get(household=household)
    assert case.status == CaseStatus.ACTIVE
    events = list(CaseEvent.objects.filter(case=case).order_by("id").values_list("kind", "data"))
    assert [k for k, _d in events] == [CaseEventKind.OPENED, CaseEventKind.STATUS_CHANGED]
    assert (events[1][1]["from"], events[1][1]["to"]) == ("opened", "active")


def test_the_new_case_form_offers_the_start_status(client, pl_worker, household):
    html = login(client, pl_worker).get(f"{reverse('web:case_create')}?household={household.pk}").content.decode()
    assert 'name="status" value="opened"' in html and 'name="status" value="active"' in html


# --- the contract and plan pages: one section each ----------------------------------------------------------


@pytest.fixture
def contract(case, pl_worker, mother):
    return draft_contract(
        pl_worker,
        case.pk,
        {
            "variant": "IA_IIA",
            "clients": [mother.pk],
            "valid_from": dt.date(2025, 3, 3),
            "valid_until": dt.date(2025, 9, 3),
        },
    )


def test_a_contract_without_obligations_says_so_at_the_top_when_signing(client, pl_worker, contract):
    login(client, pl_worker)
    url = reverse("web:contract_sign", args=[contract.pk])
    response = client.post(url, {"signed_on": "2025-03-04"}, **HTMX)
    assert response.status_code == 400
    top = response.content.decode().split('id="contract-refusal"')[1].split("</div>")[0]
    assert "The contract&#x27;s status was not changed." in top
    assert "The contract has no obligations of the client: add at least one before signing." in top
    response = client.post(url, {"signed_on": "2025-03-04"})  # without JavaScript: the page's messages too
    messages = response.content.decode().split('<ul class="messages"')[1].split("</ul>")[0]
    assert "The contract has no obligations of the client" in messages
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT


def test_an_empty_breach_needs_reasons_at_the_top_and_beside_the_field(client, pl_worker, contract):
    add_obligation(pl_worker, contract.pk, party=ObligationParty.CLIENT, description="Register at the job centre")
    sign_contract(pl_worker, contract.pk, dt.date(2025, 3, 4))
    start_contract(pl_worker, contract.pk, on=dt.date(2025, 3, 5))
    response = login(client, pl_worker).post(
        reverse("web:contract_breach", args=[contract.pk]),
        {"on": "2025-03-10", "reasons": "", "consequence": ""},
        **HTMX,
    )
    assert response.status_code == 400
    html = response.content.decode()
    top = html.split('id="contract-refusal"')[1].split("</div>")[0]
    assert "Reasons: A breach needs its reasons: say what was not kept." in top
    beside = html.split('id="breach_reasons-errors"')[1].split("</div>")[0]
    assert "A breach needs its reasons" in beside
    contract.refresh_from_db()
    assert contract.status == ContractStatus.IN_PROGRESS


def test_a_plan_action_swaps_the_plan_in_place_and_without_javascript_lands_at_its_anchor(client, pl_worker, case):
    plan = create_plan(pl_worker, case.pk, {"title": "Back to work", "valid_from": dt.date(2025, 3, 3)})
    login(client, pl_worker)
    response = client.post(reverse("web:plan_goal_add", args=[plan.pk]), {"description": "A job"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith("{") is False
    assert '<div class="page-section" id="plan"' in html and "The goal is added." in html and "A job" in html
    response = client.post(reverse("web:plan_goal_add", args=[plan.pk]), {"description": "A flat"})
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/#goals"
    assert Goal.objects.filter(plan=plan).count() == 2


def test_creating_a_plan_from_its_section_sends_htmx_to_the_new_page(client, pl_worker, case):
    response = login(client, pl_worker).post(
        reverse("web:case_plan_create", args=[case.pk]), {"title": "Plan", "valid_from": "2025-03-03"}, **HTMX
    )
    plan = case.help_plans.get()
    assert response.status_code == 200 and response["HX-Redirect"] == f"/plans/{plan.pk}/"


def test_the_case_page_is_cheap_and_each_section_costs_a_few_queries(
    client, pl_worker, case, django_assert_max_num_queries
):
    login(client, pl_worker)
    client.get(reverse("web:case_detail", args=[case.pk]))  # warm the session and caches
    with django_assert_max_num_queries(20):
        client.get(reverse("web:case_detail", args=[case.pk]))
    for name in CASE_PAGE.sections:
        # + the audit of the persons the section shows: their ids and one bulk insert (decision 0007)
        # +2: the audit event's place in its centre's hash chain (decision 0020)
        with django_assert_max_num_queries(18):
            assert client.get(section_url(case, name), **HTMX).status_code == 200
