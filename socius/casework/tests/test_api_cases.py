"""API: /api/v1/cases/ — opening, reading (summary or audited content), status actions, reassigning,
sharing, timeline, caseload. A case's status changes only through the action endpoints."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent
from socius.accounts.roles import Role
from socius.casework.models import Case, CaseEvent, CaseEventKind, CaseShare
from socius.casework.statuses import CaseStatus
from socius.casework.tests.factories import CaseFactory
from socius.testing.factories import PersonFactory, TeamFactory, UserFactory

LIST = "/api/v1/cases/"


def detail(pk, action=""):
    return f"{LIST}{pk}/{action + '/' if action else ''}"


def api(user=None, language=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    if language:
        client.credentials(HTTP_ACCEPT_LANGUAGE=language)
    return client


def state():
    """Everything an action may touch."""
    return (
        sorted(Case.objects.values_list("pk", "status", "closure_reason", "closed_on", "assigned_worker_id")),
        CaseEvent.objects.count(),
        CaseShare.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def case(pl_centre, pl_worker, family_team, pl_household):
    return CaseFactory(
        centre=pl_centre,
        household=pl_household,
        assigned_worker=pl_worker,
        team=family_team,
        circumstances=["poverty", "domestic_violence"],
        notes="Sensitive: see the police report.",
    )


def make_case(case, status, **extra):
    Case.objects.filter(pk=case.pk).update(status=status, **extra)
    case.refresh_from_db()
    return case


# --- opening --------------------------------------------------------------------------------------


def test_worker_opens_a_case_for_a_household(pl_worker, family_team, pl_household):
    response = api(pl_worker).post(
        LIST,
        {"household": pl_household.pk, "circumstances": ["poverty", "unemployment"], "notes": "First visit soon."},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get()
    assert body["id"] == case.pk
    assert body["reference"] == case.reference == f"{timezone.localdate().year}/0001"
    assert body["status"] == "opened"
    assert body["household"] == pl_household.pk and body["person"] is None
    assert body["assigned_worker"] == pl_worker.pk
    assert body["team"] == family_team.pk and body["team_name"] == "Family"
    assert body["content_visible"] is True
    assert body["circumstances"] == ["poverty", "unemployment"]
    assert body["notes"] == "First visit soon."
    assert body["closure_reason"] is None and body["shared_with"] == []
    assert CaseEvent.objects.get(case=case).kind == CaseEventKind.OPENED


def test_a_case_is_opened_as_active_in_one_request(pl_worker, family_team, pl_household):
    response = api(pl_worker).post(
        LIST, {"household": pl_household.pk, "circumstances": ["poverty"], "status": "active"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "active"
    kinds = list(CaseEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == [CaseEventKind.OPENED, CaseEventKind.STATUS_CHANGED]


def test_opening_for_a_single_person(pl_worker, family_team, pl_person):
    response = api(pl_worker).post(LIST, {"person": pl_person.pk, "circumstances": ["poverty"]}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["person"] == pl_person.pk
    assert response.json()["household"] is None


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"circumstances": ["poverty"]}, {"non_field_errors"}),
        ({"household": "HH", "circumstances": ["poverty"]}, {"household"}),
        ({"household": 999999, "circumstances": ["poverty"]}, {"household"}),
        ({"household": "own", "circumstances": []}, {"circumstances"}),
        ({"household": "own", "circumstances": ["astrology"]}, {"circumstances"}),
        ({"household": "own", "circumstances": ["poverty"], "opened_on": "2999-01-01"}, {"opened_on"}),
        ({"household": "own", "circumstances": ["poverty"], "assigned_worker": "pl_worker2"}, {"assigned_worker"}),
        ({"household": "own", "circumstances": ["poverty"], "status": "closed"}, {"status"}),
    ],
)
def test_opening_refuses_bad_input_on_its_fields_and_writes_nothing(
    pl_worker, pl_worker2, family_team, pl_household, body, fields
):
    body = {k: (pl_household.pk if v == "own" else pl_worker2.pk if v == "pl_worker2" else v) for k, v in body.items()}
    before = state()

    response = api(pl_worker).post(LIST, body, format="json")

    assert response.status_code == 400
    assert set(response.json()) == fields, response.json()
    assert state() == before


def test_opening_messages_follow_accept_language(pl_worker, family_team, pl_household):
    body = {"household": pl_household.pk, "circumstances": []}

    english = api(pl_worker).post(LIST, body, format="json").json()["circumstances"]
    polish = api(pl_worker, language="pl").post(LIST, body, format="json").json()["circumstances"]

    assert english == ["Choose at least one qualifying circumstance."]
    assert polish != english


def test_team_leader_opens_a_case_for_a_worker(pl_teamlead, pl_worker2, family_team, pl_household):
    response = api(pl_teamlead).post(
        LIST,
        {"household": pl_household.pk, "circumstances": ["poverty"], "assigned_worker": pl_worker2.pk},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["assigned_worker"] == pl_worker2.pk
    assert response.json()["content_visible"] is True  # leader of the case's team


def test_opening_is_not_audited_as_a_view(pl_worker, family_team, pl_household):
    api(pl_worker).post(LIST, {"household": pl_household.pk, "circumstances": ["poverty"]}, format="json")

    assert not AuditEvent.objects.filter(action="view", object_type="case").exists()


# --- reading --------------------------------------------------------------------------------------


def test_assigned_worker_reads_the_content_and_the_view_is_audited(pl_worker, case):
    response = api(pl_worker).get(detail(case.pk))

    assert response.status_code == 200
    body = response.json()
    assert body["content_visible"] is True
    assert body["circumstances"] == ["poverty", "domestic_violence"]
    assert body["notes"] == "Sensitive: see the police report."
    assert body["shared_with"] == []
    view = AuditEvent.objects.get(action="view", object_type="case")
    assert (view.object_id, view.actor_id) == (case.pk, pl_worker.pk)


def test_another_worker_sees_only_the_summary_and_nothing_is_audited(pl_worker2, case, pl_worker):
    response = api(pl_worker2).get(detail(case.pk))

    assert response.status_code == 200
    body = response.json()
    assert body["content_visible"] is False
    assert body["reference"] == case.reference
    assert body["status"] == "opened"
    assert body["assigned_worker"] == pl_worker.pk
    assert body["assigned_worker_name"]
    assert body["team"] == case.team_id
    assert body["opened_on"] == case.opened_on.isoformat()
    assert body["circumstances"] is None and body["notes"] is None
    assert body["closure_reason"] is None and body["shared_with"] is None
    assert "police" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="view", object_type="case").exists()


def test_list_shows_summaries_with_content_visible_and_never_content(pl_worker, pl_worker2, case):
    other = CaseFactory(centre=case.centre, assigned_worker=pl_worker2, team=case.team)

    for user, visible in (
        (pl_worker, {case.pk: True, other.pk: False}),
        (pl_worker2, {case.pk: False, other.pk: True}),
    ):
        body = api(user).get(LIST).json()
        assert body["count"] == 2
        assert {c["id"]: c["content_visible"] for c in body["results"]} == visible
        assert all("notes" not in c and "circumstances" not in c for c in body["results"])
    assert not AuditEvent.objects.filter(action="view").exists()


def test_list_filters(pl_worker, pl_worker2, case, pl_centre, family_team, other_team):
    person = PersonFactory(centre=pl_centre)
    closed = CaseFactory(
        centre=pl_centre,
        household=None,
        person=person,
        assigned_worker=pl_worker2,
        team=other_team,
        status=CaseStatus.CLOSED,
        closure_reason="moved_away",
        closed_on=dt.date(2025, 3, 1),
    )
    client = api(pl_worker)

    def ids(params):
        response = client.get(LIST, params)
        assert response.status_code == 200, response.content
        return {c["id"] for c in response.json()["results"]}

    assert ids({}) == {case.pk, closed.pk}
    assert ids({"status": "closed"}) == {closed.pk}
    assert ids({"status": ["closed", "opened"]}) == {case.pk, closed.pk}
    assert ids({"open_only": "true"}) == {case.pk}
    assert ids({"worker": pl_worker2.pk}) == {closed.pk}
    assert ids({"team": family_team.pk}) == {case.pk}
    assert ids({"household": case.household_id}) == {case.pk}
    assert ids({"person": person.pk}) == {closed.pk}


def test_a_bad_list_filter_answers_400(pl_worker, case):
    response = api(pl_worker).get(LIST, {"status": "lost", "worker": "x"})

    assert response.status_code == 400
    assert set(response.json()) == {"status", "worker"}


def test_list_query_count_is_bounded(pl_worker, pl_worker2, pl_centre, family_team, django_assert_max_num_queries):
    for i in range(15):
        CaseFactory(centre=pl_centre, assigned_worker=pl_worker if i % 2 else pl_worker2, team=family_team)
    client = api(pl_worker)

    with django_assert_max_num_queries(3):  # count, page (summaries in one join), the actor's teams
        response = client.get(LIST)

    assert response.status_code == 200
    assert len(response.json()["results"]) == 15


def test_another_centres_case_is_404_everywhere(md_worker, md_director, case):
    for user in (md_worker, md_director):
        client = api(user)
        assert client.get(detail(case.pk)).status_code == 404
        assert client.get(detail(case.pk, "timeline")).status_code == 404
        assert client.post(detail(case.pk, "close"), {"reason": "died"}, format="json").status_code == 404
    assert api(md_worker).get(LIST).json()["count"] == 0


def test_missing_case_is_404(pl_worker, case):
    assert api(pl_worker).get(detail(999999)).status_code == 404


# --- status: no PUT, PATCH or DELETE ---------------------------------------------------------------


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_status_cannot_be_written_directly(pl_worker, case, method):
    before = state()

    response = getattr(api(pl_worker), method)(detail(case.pk), {"status": "closed"}, format="json")

    assert response.status_code == 405
    assert state() == before


# --- status actions -------------------------------------------------------------------------------

VALID = [
    # (from, endpoint, body, to)
    (CaseStatus.OPENED, "activate", {}, CaseStatus.ACTIVE),
    (CaseStatus.SUSPENDED, "activate", {"reason": "Back from hospital"}, CaseStatus.ACTIVE),
    (CaseStatus.ACTIVE, "suspend", {"reason": "Hospital stay"}, CaseStatus.SUSPENDED),
    (CaseStatus.OPENED, "close", {"reason": "refused_cooperation"}, CaseStatus.CLOSED),
    (CaseStatus.ACTIVE, "close", {"reason": "goals_achieved"}, CaseStatus.CLOSED),
    (CaseStatus.SUSPENDED, "close", {"reason": "other", "note": "Emigrated"}, CaseStatus.CLOSED),
    (CaseStatus.CLOSED, "reopen", {"reason": "The family came back"}, CaseStatus.ACTIVE),
]

INVALID = [
    # (from, endpoint, body)
    (CaseStatus.OPENED, "suspend", {}),
    (CaseStatus.SUSPENDED, "suspend", {}),
    (CaseStatus.CLOSED, "suspend", {}),
    (CaseStatus.ACTIVE, "activate", {}),
    (CaseStatus.CLOSED, "activate", {"reason": "back"}),
    (CaseStatus.CLOSED, "close", {"reason": "died"}),
    (CaseStatus.OPENED, "reopen", {"reason": "why not"}),
    (CaseStatus.ACTIVE, "reopen", {"reason": "why not"}),
    (CaseStatus.SUSPENDED, "reopen", {"reason": "why not"}),
]


def _put_in(case, status):
    if status == CaseStatus.CLOSED:
        return make_case(case, status, closure_reason="moved_away", closed_on=dt.date(2025, 2, 1))
    return make_case(case, status)


@pytest.mark.parametrize(("from_status", "endpoint", "body", "to_status"), VALID)
def test_valid_transitions(pl_worker, case, from_status, endpoint, body, to_status):
    _put_in(case, from_status)
    events_before = CaseEvent.objects.filter(case=case).count()

    response = api(pl_worker).post(detail(case.pk, endpoint), body, format="json")

    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert case.status == to_status
    assert response.json()["status"] == to_status
    assert response.json()["id"] == case.pk
    if to_status == CaseStatus.CLOSED:
        assert response.json()["closure_reason"] == body["reason"] == case.closure_reason
        assert response.json()["closed_on"] == timezone.localdate().isoformat()
    else:
        assert response.json()["closure_reason"] is None and case.closed_on is None
    event = CaseEvent.objects.filter(case=case).order_by("-id").first()
    assert CaseEvent.objects.filter(case=case).count() == events_before + 1
    assert event.kind == CaseEventKind.STATUS_CHANGED
    assert (event.data["from"], event.data["to"]) == (from_status, to_status)


@pytest.mark.parametrize(("from_status", "endpoint", "body"), INVALID)
def test_invalid_transitions_answer_409_and_change_nothing(pl_worker, case, from_status, endpoint, body):
    _put_in(case, from_status)
    before = state()

    response = api(pl_worker).post(detail(case.pk, endpoint), body, format="json")

    assert response.status_code == 409, response.content
    assert response.json()["code"] == "invalid_transition"
    assert response.json()["detail"]
    assert state() == before


def test_409_reason_names_the_statuses(pl_worker, case):
    response = api(pl_worker).post(detail(case.pk, "suspend"), {}, format="json")

    assert response.json() == {
        "detail": "A case cannot move from “Opened” to “Suspended”.",
        "code": "invalid_transition",
    }


@pytest.mark.parametrize(
    ("from_status", "endpoint", "body", "field"),
    [
        (CaseStatus.ACTIVE, "close", {}, "reason"),
        (CaseStatus.ACTIVE, "close", {"reason": "lost_interest"}, "reason"),
        (CaseStatus.ACTIVE, "close", {"reason": "other"}, "note"),
        (CaseStatus.ACTIVE, "close", {"reason": "died", "on": "2999-01-01"}, "on"),
        (CaseStatus.ACTIVE, "close", {"reason": "died", "on": "2000-01-01"}, "on"),  # before opening
        (CaseStatus.ACTIVE, "close", {"reason": "died", "on": "soon"}, "on"),
        (CaseStatus.CLOSED, "reopen", {}, "reason"),
        (CaseStatus.CLOSED, "reopen", {"reason": "   "}, "reason"),
    ],
)
def test_actions_refuse_bad_input_with_400_and_change_nothing(pl_worker, case, from_status, endpoint, body, field):
    _put_in(case, from_status)
    before = state()

    response = api(pl_worker).post(detail(case.pk, endpoint), body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert state() == before


def test_close_message_follows_accept_language(pl_worker, case):
    _put_in(case, CaseStatus.ACTIVE)

    polish = api(pl_worker, language="pl").post(detail(case.pk, "close"), {}, format="json").json()

    assert polish["reason"] != ["Choose the reason for closing the case."]


@pytest.mark.parametrize("persona", ["pl_teamlead", "pl_director"], indirect=True)
def test_team_leader_and_director_may_change_status(persona, case):
    response = api(persona).post(detail(case.pk, "activate"), {}, format="json")

    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE


@pytest.mark.parametrize(
    "persona", ["pl_worker2", "other_teamlead", "pl_finance", "pl_auditor", "pl_admin", "shared_user"], indirect=True
)
@pytest.mark.parametrize("endpoint", ["activate", "suspend", "close", "reopen"])
def test_others_of_the_centre_get_403_and_nothing_changes(persona, case, endpoint):
    before = state()

    response = api(persona).post(detail(case.pk, endpoint), {"reason": "died"}, format="json")

    assert response.status_code == 403
    assert state() == before


@pytest.fixture
def shared_user(pl_centre, case):
    user = UserFactory(username="pl_psychologist", centre=pl_centre, role=Role.SOCIAL_WORKER)
    CaseShare.objects.create(case=case, user=user)
    return user


# --- timeline -------------------------------------------------------------------------------------


def test_timeline_lists_every_change_newest_first_in_words_and_is_audited(pl_worker, case, pl_worker2):
    client = api(pl_worker)
    client.post(detail(case.pk, "activate"), {}, format="json")
    client.post(detail(case.pk, "share"), {"user": pl_worker2.pk}, format="json")
    client.post(detail(case.pk, "close"), {"reason": "goals_achieved", "note": "Work found"}, format="json")
    views_before = AuditEvent.objects.filter(action="view").count()

    response = client.get(detail(case.pk, "timeline"))

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    kinds = [e["kind"] for e in body["results"]]
    assert kinds == ["status_changed", "shared", "status_changed", "opened"]
    closed = body["results"][0]
    assert closed["actor"] == pl_worker.pk and closed["actor_name"]
    assert closed["source"] == "case" and closed["group"] == "case" and closed["label"] == "Status changed"
    assert closed["data"]["closure_reason"] == "goals_achieved"
    assert closed["lines"] == ["Active → Closed", "Closure reason: Goals achieved", "Note: Work found"]
    assert body["results"][1]["data"] == {"user": pl_worker2.pk}
    assert AuditEvent.objects.filter(action="view").count() == views_before + 1


@pytest.mark.parametrize("persona", ["pl_worker2", "other_teamlead", "pl_auditor", "pl_finance"], indirect=True)
def test_timeline_is_403_without_content_access(persona, case):
    response = api(persona).get(detail(case.pk, "timeline"))

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="view").exists()


def test_timeline_query_count_is_bounded(pl_worker, case, django_assert_max_num_queries):
    for i in range(10):
        CaseEvent.objects.create(case=case, actor=pl_worker, kind=CaseEventKind.NOTE, data={"n": i})
    client = api(pl_worker)

    # +2: the audit event's place in its centre's hash chain (decision 0020)
    with django_assert_max_num_queries(9):  # case, teams, share check, audit write, count, page, users
        response = client.get(detail(case.pk, "timeline"))

    assert response.json()["count"] == 11


# --- reassigning ----------------------------------------------------------------------------------


@pytest.fixture
def second_case(pl_centre, pl_worker, family_team):
    return CaseFactory(centre=pl_centre, assigned_worker=pl_worker, team=family_team)


def test_team_leader_reassigns_many_cases(pl_teamlead, pl_worker2, case, second_case):
    response = api(pl_teamlead).post(
        f"{LIST}reassign/",
        {"cases": [case.pk, second_case.pk], "worker": pl_worker2.pk, "reason": "Holiday cover"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json() == {"reassigned": sorted([case.pk, second_case.pk]), "unchanged": []}
    assert set(Case.objects.values_list("assigned_worker_id", flat=True)) == {pl_worker2.pk}
    assert CaseEvent.objects.filter(kind=CaseEventKind.REASSIGNED).count() == 2


def test_reassigning_to_the_current_worker_is_unchanged(pl_director, pl_worker, case):
    response = api(pl_director).post(
        f"{LIST}reassign/", {"cases": [case.pk], "worker": pl_worker.pk, "reason": "x"}, format="json"
    )

    assert response.json() == {"reassigned": [], "unchanged": [case.pk]}


def test_reassigning_is_all_or_nothing_when_one_case_is_closed(pl_teamlead, pl_worker2, case, second_case):
    _put_in(second_case, CaseStatus.CLOSED)
    before = state()

    response = api(pl_teamlead).post(
        f"{LIST}reassign/",
        {"cases": [case.pk, second_case.pk], "worker": pl_worker2.pk, "reason": "Holiday cover"},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "case_closed"
    assert state() == before


def test_reassigning_is_all_or_nothing_when_one_case_is_of_another_centre(
    pl_teamlead, pl_worker2, case, md_centre, md_worker
):
    foreign = CaseFactory(centre=md_centre, assigned_worker=md_worker)
    before = state()

    response = api(pl_teamlead).post(
        f"{LIST}reassign/", {"cases": [case.pk, foreign.pk], "worker": pl_worker2.pk, "reason": "x"}, format="json"
    )

    assert response.status_code == 404
    assert state() == before


def test_reassigning_a_case_of_another_team_is_403_for_its_non_leader(
    other_teamlead, pl_worker2, case, pl_centre, other_team
):
    mine = CaseFactory(centre=pl_centre, team=other_team)
    before = state()

    response = api(other_teamlead).post(
        f"{LIST}reassign/", {"cases": [mine.pk, case.pk], "worker": pl_worker2.pk, "reason": "x"}, format="json"
    )

    assert response.status_code == 403
    assert state() == before


def test_reassigning_refuses_bad_input_on_its_fields(pl_teamlead, pl_finance, case):
    before = state()

    response = api(pl_teamlead).post(
        f"{LIST}reassign/", {"cases": [], "worker": pl_finance.pk, "reason": ""}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"cases", "worker", "reason"}
    assert state() == before


@pytest.mark.parametrize("persona", ["pl_worker", "pl_finance", "pl_auditor"], indirect=True)
def test_roles_without_assign_cases_cannot_reassign(persona, pl_worker2, case):
    before = state()

    response = api(persona).post(
        f"{LIST}reassign/", {"cases": [case.pk], "worker": pl_worker2.pk, "reason": "x"}, format="json"
    )

    assert response.status_code == 403
    assert state() == before


# --- sharing --------------------------------------------------------------------------------------


def test_share_then_the_user_reads_the_content_then_unshare(pl_worker, pl_worker2, case):
    assert api(pl_worker2).get(detail(case.pk)).json()["content_visible"] is False

    assert api(pl_worker).post(detail(case.pk, "share"), {"user": pl_worker2.pk}, format="json").status_code == 204
    body = api(pl_worker2).get(detail(case.pk)).json()
    assert body["content_visible"] is True and body["notes"] == case.notes
    assert api(pl_worker).get(detail(case.pk)).json()["shared_with"] == [pl_worker2.pk]

    assert api(pl_worker).post(detail(case.pk, "unshare"), {"user": pl_worker2.pk}, format="json").status_code == 204
    assert api(pl_worker2).get(detail(case.pk)).json()["content_visible"] is False


def test_sharing_refuses_another_centres_user_and_the_assigned_worker(pl_worker, md_worker, case):
    before = state()
    client = api(pl_worker)

    for user in (md_worker.pk, pl_worker.pk):
        response = client.post(detail(case.pk, "share"), {"user": user}, format="json")
        assert response.status_code == 400
        assert "user" in response.json()
    assert client.post(detail(case.pk, "share"), {}, format="json").status_code == 400
    assert state() == before


def test_a_shared_user_cannot_share_further(shared_user, pl_worker2, case):
    before = state()

    response = api(shared_user).post(detail(case.pk, "share"), {"user": pl_worker2.pk}, format="json")

    assert response.status_code == 403
    assert state() == before


# --- caseload -------------------------------------------------------------------------------------


def test_team_leader_sees_caseload_per_worker(pl_teamlead, pl_worker, pl_worker2, case, second_case):
    _put_in(second_case, CaseStatus.ACTIVE)

    response = api(pl_teamlead).get("/api/v1/caseload/")

    assert response.status_code == 200, response.content
    rows = {r["worker"]: r for r in response.json()}
    assert rows[pl_worker.pk]["opened"] == 1
    assert rows[pl_worker.pk]["active"] == 1
    assert rows[pl_worker.pk]["open_cases"] == 2
    assert rows[pl_worker2.pk]["open_cases"] == 0
    assert rows[pl_worker.pk]["worker_name"]


def test_director_filters_caseload_by_team(pl_director, case, other_team):
    other_worker = UserFactory(centre=case.centre, role=Role.SOCIAL_WORKER)
    other_worker.teams.add(other_team)

    body = api(pl_director).get("/api/v1/caseload/", {"team": other_team.pk}).json()

    assert [r["worker"] for r in body] == [other_worker.pk]


def test_caseload_of_a_team_one_does_not_lead_is_403_and_of_another_centre_404(pl_teamlead, md_centre, other_team):
    foreign_team = TeamFactory(centre=md_centre)

    assert api(pl_teamlead).get("/api/v1/caseload/", {"team": other_team.pk}).status_code == 403
    assert api(pl_teamlead).get("/api/v1/caseload/", {"team": foreign_team.pk}).status_code == 404


@pytest.mark.parametrize("persona", ["pl_worker", "pl_finance", "pl_auditor", "pl_admin"], indirect=True)
def test_caseload_is_for_team_leaders_and_directors(persona):
    assert api(persona).get("/api/v1/caseload/").status_code == 403


def test_caseload_query_count_is_bounded(pl_director, pl_centre, family_team, django_assert_max_num_queries):
    for _ in range(8):
        worker = UserFactory(centre=pl_centre, role=Role.SOCIAL_WORKER)
        CaseFactory(centre=pl_centre, assigned_worker=worker, team=family_team)

    # Workers, cases by status, visits by visitor, then one aggregate per kind of overdue item.
    with django_assert_max_num_queries(9):  # + the visits still planned this month, by visitor
        response = api(pl_director).get("/api/v1/caseload/")

    assert len(response.json()) >= 8
