"""Casework pages: front-desk contacts, cases (list, open, page, status moves, share, reassign), caseload.

Codes and labels come from the real PL pack (poverty = "ubóstwo", topic housing = "sprawy mieszkaniowe").
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from socius.accounts.models import AuditEvent
from socius.casework.models import Case, CaseEvent, CaseShare, Contact
from socius.casework.statuses import CaseStatus
from socius.casework.tests.factories import CaseFactory, ContactFactory
from socius.testing.factories import HouseholdFactory, PersonFactory, TeamFactory

OPEN_ALL = {"open": "all"}  # the case page with every section drawn (they load lazily otherwise)


@pytest.fixture
def family_team(pl_centre, pl_worker, pl_worker2, pl_teamlead):
    team = TeamFactory(centre=pl_centre, problem_group="family", name="Family")
    team.members.add(pl_worker, pl_worker2, pl_teamlead)
    return team


@pytest.fixture
def other_team(pl_centre):
    return TeamFactory(centre=pl_centre, problem_group="addictions", name="Addictions")


@pytest.fixture
def person(pl_centre):
    return PersonFactory(centre=pl_centre, first_name="Anna", last_name="Nowak")


@pytest.fixture
def household(pl_centre):
    return HouseholdFactory(centre=pl_centre)


def login(client, user):
    client.force_login(user)
    return client


def make_case(pl_centre, worker, team, **kwargs):
    return CaseFactory(centre=pl_centre, assigned_worker=worker, team=team, **kwargs)


def views_of(case):
    return AuditEvent.objects.filter(action="view", object_type="case", object_id=case.pk).count()


def contact_data(**overrides):
    now = timezone.localtime() - dt.timedelta(minutes=5)
    data = {
        "occurred_at": now.strftime("%Y-%m-%dT%H:%M"),
        "channel": "office",
        "topics": ["housing"],
        "outcomes": ["information_given"],
        "notes": "",
        "handled_by": "",
    }
    data.update(overrides)
    return data


# --- contacts --------------------------------------------------------------------------------------


def test_contact_form_shows_the_packs_topics_in_polish_to_a_polish_worker(client, pl_worker):
    pl_worker.language = "pl"
    pl_worker.save(update_fields=["language"])
    html = login(client, pl_worker).get(reverse("web:contact_create")).content.decode()
    assert "sprawy mieszkaniowe" in html and "work and employment" not in html


def test_contact_form_has_sensible_defaults_and_the_packs_labels(client, pl_worker):
    html = login(client, pl_worker).get(reverse("web:contact_create")).content.decode()
    assert 'placeholder="dd/mm/yyyy hh:mm"' in html
    assert timezone.localtime().strftime('value="%d/%m/%Y ') in html
    # The pack's topics in the reader's language (English here), never the Polish wording beside them.
    assert "work and employment" in html and "sprawy mieszkaniowe" not in html
    assert f'<option value="{pl_worker.pk}" selected>' in html
    assert '<option value="office" selected>' in html
    assert reverse("web:casework_person_search") in html


def test_contact_with_a_person_is_recorded(client, pl_worker, person):
    data = contact_data(persons=[person.pk], handled_by=pl_worker.pk)
    response = login(client, pl_worker).post(reverse("web:contact_create"), data, follow=True)
    contact = Contact.objects.get()
    assert response.redirect_chain == [(reverse("web:contact_create"), 302)]
    assert list(contact.persons.all()) == [person]
    assert (contact.topics, contact.outcomes, contact.handled_by) == (["housing"], ["information_given"], pl_worker)
    assert "Anna Nowak" in response.content.decode()


def test_anonymous_contact_counts_and_handler_defaults_to_me(client, pl_worker):
    response = login(client, pl_worker).post(reverse("web:contact_create"), contact_data())
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.persons.count() == 0 and contact.handled_by == pl_worker


def test_contact_with_an_unknown_topic_is_a_field_error_and_writes_nothing(client, pl_worker):
    response = login(client, pl_worker).post(reverse("web:contact_create"), contact_data(topics=["astrology"]))
    assert response.status_code == 400
    assert "Unknown code: astrology." in response.content.decode()
    assert not Contact.objects.exists()


def test_contact_without_topic_is_refused(client, pl_worker):
    response = login(client, pl_worker).post(reverse("web:contact_create"), contact_data(topics=[]))
    assert response.status_code == 400
    assert "Choose at least one topic." in response.content.decode()
    assert not Contact.objects.exists()


def test_contact_with_another_centres_person_is_a_field_error_and_writes_nothing(client, pl_worker, md_centre):
    stranger = PersonFactory(centre=md_centre)
    response = login(client, pl_worker).post(reverse("web:contact_create"), contact_data(persons=[stranger.pk]))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose persons registered in your centre." in html
    assert 'id="id_persons-errors"' in html
    assert not Contact.objects.exists()


def test_person_search_lists_and_adds_persons_of_the_centre_only(client, pl_worker, person, md_centre):
    stranger = PersonFactory(centre=md_centre, first_name="Anna", last_name="Nowak")
    login(client, pl_worker)
    url = reverse("web:casework_person_search")
    html = client.get(url, {"q": "Nowak"}).content.decode()
    assert f'"add": "{person.pk}"' in html and f'"add": "{stranger.pk}"' not in html
    row = client.get(url, {"add": person.pk}).content.decode()
    assert f'name="persons" value="{person.pk}"' in row
    assert client.get(url, {"add": person.pk, "persons": person.pk}).status_code == 204
    assert client.get(url, {"add": stranger.pk}).status_code == 404


def test_contact_list_filters_by_date_and_person(client, pl_worker, pl_centre, person):
    old = ContactFactory(centre=pl_centre, handled_by=pl_worker, occurred_at=timezone.now() - dt.timedelta(days=10))
    recent = ContactFactory(centre=pl_centre, handled_by=pl_worker)
    recent.persons.add(person)
    login(client, pl_worker)
    url = reverse("web:contact_list")
    html = client.get(url).content.decode()
    assert "2 contacts" in html and "sprawy mieszkaniowe" not in html  # factory topics are "information"
    since = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    assert "1 contact" in client.get(url, {"date_from": since}).content.decode()
    response = client.get(url, {"person": person.pk})
    assert "1 contact" in response.content.decode() and "Anna Nowak" in response.content.decode()
    assert "1 contact" in client.get(url, {"person_name": "Nowak"}).content.decode()
    assert old.pk != recent.pk


def test_contact_list_query_count_does_not_grow_with_rows(client, pl_worker, pl_centre):
    login(client, pl_worker)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("web:contact_list")).status_code == 200
        return len(ctx)

    for _ in range(2):
        ContactFactory(centre=pl_centre, handled_by=pl_worker).persons.add(PersonFactory(centre=pl_centre))
    few = queries()
    for _ in range(8):
        ContactFactory(centre=pl_centre, handled_by=pl_worker).persons.add(PersonFactory(centre=pl_centre))
    assert queries() == few


# --- opening a case --------------------------------------------------------------------------------


def test_finance_officer_cannot_open_a_case_or_record_a_contact(client, pl_finance, household):
    login(client, pl_finance)
    assert client.get(reverse("web:case_create"), {"household": household.pk}).status_code == 403
    assert client.post(reverse("web:case_create"), {"household": household.pk}).status_code == 403
    assert client.get(reverse("web:contact_create")).status_code == 403
    assert client.get(reverse("web:case_list")).status_code == 200  # the summary list is for everyone


def test_open_case_form_lists_the_circumstances_in_force(client, pl_worker, family_team, household):
    response = login(client, pl_worker).get(reverse("web:case_create"), {"household": household.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="poverty"' in html and "ubóstwo" in html
    assert f'<option value="{family_team.pk}" selected>' in html


def test_open_case_without_a_target_offers_the_person_search(client, pl_worker):
    html = login(client, pl_worker).get(reverse("web:case_create")).content.decode()
    assert 'id="case-person-search"' in html


def test_open_case_needs_a_circumstance(client, pl_worker, family_team, household):
    data = {"household": household.pk, "assigned_worker": pl_worker.pk, "team": family_team.pk}
    response = login(client, pl_worker).post(reverse("web:case_create"), data)
    assert response.status_code == 400
    assert "Choose at least one qualifying circumstance." in response.content.decode()
    assert not Case.objects.exists()


def test_open_case_for_a_household(client, pl_worker, family_team, household):
    data = {"household": household.pk, "circumstances": ["poverty", "unemployment"], "team": family_team.pk}
    response = login(client, pl_worker).post(reverse("web:case_create"), data)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:case_detail", args=[case.pk])
    assert (case.household, case.assigned_worker, case.team) == (household, pl_worker, family_team)
    assert case.circumstances == ["poverty", "unemployment"]


def test_open_case_for_another_centres_household_is_404(client, pl_worker, md_centre):
    foreign = HouseholdFactory(centre=md_centre)
    assert login(client, pl_worker).get(reverse("web:case_create"), {"household": foreign.pk}).status_code == 404


# --- the case page ---------------------------------------------------------------------------------


def test_assigned_worker_sees_content_and_each_view_is_audited_once(client, pl_centre, pl_worker, family_team):
    case = make_case(pl_centre, pl_worker, family_team, circumstances=["poverty"], notes="Sensitive note")
    login(client, pl_worker)
    html = client.get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).content.decode()
    assert "ubóstwo" in html and "Sensitive note" in html and "Case opened" in html
    assert views_of(case) == 1
    client.get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL)
    assert views_of(case) == 2


def test_other_worker_sees_the_summary_but_not_the_content(client, pl_centre, pl_worker, pl_worker2, family_team):
    case = make_case(pl_centre, pl_worker, family_team, circumstances=["poverty"], notes="Sensitive note")
    response = login(client, pl_worker2).get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL)
    html = response.content.decode()
    assert response.status_code == 200
    assert case.reference in html and family_team.name in html
    assert "its content is restricted" in html
    assert "ubóstwo" not in html and "Sensitive note" not in html and "Timeline" not in html
    assert views_of(case) == 0


def test_other_centres_case_is_404(client, pl_worker, md_centre):
    case = CaseFactory(centre=md_centre)
    login(client, pl_worker)
    assert client.get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).status_code == 404
    assert client.post(reverse("web:case_activate", args=[case.pk])).status_code == 404


def test_status_buttons_follow_the_map(client, pl_centre, pl_worker, family_team):
    case = make_case(pl_centre, pl_worker, family_team)
    html = login(client, pl_worker).get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).content.decode()
    assert reverse("web:case_activate", args=[case.pk]) in html
    assert reverse("web:case_close", args=[case.pk]) in html
    assert reverse("web:case_suspend", args=[case.pk]) not in html
    assert reverse("web:case_reopen", args=[case.pk]) not in html


def test_activate_moves_the_status_and_writes_the_timeline(client, pl_centre, pl_worker, family_team):
    case = make_case(pl_centre, pl_worker, family_team)
    response = login(client, pl_worker).post(reverse("web:case_activate", args=[case.pk]), follow=True)
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    assert "Opened → Active" in response.content.decode()


def test_an_invalid_transition_is_an_error_and_changes_nothing(client, pl_centre, pl_worker, family_team):
    case = make_case(pl_centre, pl_worker, family_team)
    events = CaseEvent.objects.count()
    response = login(client, pl_worker).post(reverse("web:case_suspend", args=[case.pk]))
    assert response.status_code == 409
    assert "A case cannot move from" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.OPENED and CaseEvent.objects.count() == events


def test_close_without_a_reason_is_an_error(client, pl_centre, pl_worker, family_team):
    case = make_case(pl_centre, pl_worker, family_team, status=CaseStatus.ACTIVE)
    response = login(client, pl_worker).post(reverse("web:case_close", args=[case.pk]), {"reason": "", "note": ""})
    assert response.status_code == 400
    assert "Choose the reason for closing the case." in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE


def test_close_and_reopen(client, pl_centre, pl_worker, family_team):
    case = make_case(pl_centre, pl_worker, family_team, status=CaseStatus.ACTIVE)
    login(client, pl_worker)
    response = client.post(reverse("web:case_close", args=[case.pk]), {"reason": "goals_achieved"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.closure_reason) == (CaseStatus.CLOSED, "goals_achieved")
    response = client.post(reverse("web:case_reopen", args=[case.pk]), {"reason": ""})
    assert response.status_code == 400 and "Say why the case is being reopened." in response.content.decode()
    client.post(reverse("web:case_reopen", args=[case.pk]), {"reason": "Came back"})
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE and case.closure_reason == ""


def test_a_stale_reopen_does_not_activate_an_opened_case(client, pl_centre, pl_worker, family_team):
    case = make_case(pl_centre, pl_worker, family_team)
    response = login(client, pl_worker).post(reverse("web:case_reopen", args=[case.pk]), {"reason": "Came back"})
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.status == CaseStatus.OPENED


def test_a_stale_activate_does_not_reopen_a_closed_case(client, pl_centre, pl_worker, family_team):
    case = make_case(pl_centre, pl_worker, family_team, status=CaseStatus.ACTIVE)
    login(client, pl_worker).post(reverse("web:case_close", args=[case.pk]), {"reason": "goals_achieved"})
    response = client.post(reverse("web:case_activate", args=[case.pk]), {"reason": "Came back"})
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_another_worker_cannot_change_the_status(client, pl_centre, pl_worker, pl_worker2, family_team):
    case = make_case(pl_centre, pl_worker, family_team)
    assert login(client, pl_worker2).post(reverse("web:case_activate", args=[case.pk])).status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.OPENED


def test_status_actions_refuse_get(client, pl_centre, pl_worker, family_team):
    case = make_case(pl_centre, pl_worker, family_team)
    assert login(client, pl_worker).get(reverse("web:case_activate", args=[case.pk])).status_code == 405


def test_sharing_lets_a_colleague_read_the_content(client, pl_centre, pl_worker, pl_worker2, family_team):
    case = make_case(pl_centre, pl_worker, family_team, notes="Sensitive note")
    response = login(client, pl_worker).post(reverse("web:case_share", args=[case.pk]), {"user": pl_worker2.pk})
    assert response.status_code == 302
    assert CaseShare.objects.filter(case=case, user=pl_worker2).exists()
    html = login(client, pl_worker2).get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).content.decode()
    assert "Sensitive note" in html


def test_share_with_nobody_is_a_field_error(client, pl_centre, pl_worker, family_team):
    case = make_case(pl_centre, pl_worker, family_team)
    response = login(client, pl_worker).post(reverse("web:case_share", args=[case.pk]), {"user": ""})
    assert response.status_code == 400 and not CaseShare.objects.exists()


# --- list, reassign, caseload ----------------------------------------------------------------------


def test_case_list_shows_my_cases_by_default_for_workers(client, pl_centre, pl_worker, pl_worker2, family_team):
    mine = make_case(pl_centre, pl_worker, family_team)
    theirs = make_case(pl_centre, pl_worker2, family_team)
    login(client, pl_worker)
    html = client.get(reverse("web:case_list")).content.decode()
    assert mine.reference in html and theirs.reference not in html
    html = client.get(reverse("web:case_list"), {"worker": "", "status": "open"}).content.decode()
    assert mine.reference in html and theirs.reference in html
    assert "summary only" in html


def test_case_list_filters_by_status_and_team(client, pl_centre, pl_teamlead, pl_worker, family_team, other_team):
    active = make_case(pl_centre, pl_worker, family_team, status=CaseStatus.ACTIVE)
    other = make_case(pl_centre, pl_worker, other_team)
    login(client, pl_teamlead)
    html = client.get(reverse("web:case_list")).content.decode()  # team leaders start on everyone's
    assert active.reference in html and other.reference in html
    html = client.get(reverse("web:case_list"), {"status": "active", "worker": ""}).content.decode()
    assert active.reference in html and other.reference not in html
    html = client.get(reverse("web:case_list"), {"team": other_team.pk, "worker": ""}).content.decode()
    assert other.reference in html and active.reference not in html


def test_case_list_query_count_does_not_grow_with_rows(client, pl_centre, pl_teamlead, pl_worker, family_team):
    login(client, pl_teamlead)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("web:case_list"), {"worker": "", "status": ""}).status_code == 200
        return len(ctx)

    for _ in range(2):
        make_case(pl_centre, pl_worker, family_team)
    few = queries()
    for _ in range(10):
        make_case(pl_centre, pl_worker, family_team)
    assert queries() == few


def test_reassign_needs_a_reason(client, pl_centre, pl_teamlead, pl_worker, pl_worker2, family_team):
    case = make_case(pl_centre, pl_worker, family_team)
    data = {"case": [case.pk], "worker": pl_worker2.pk, "reason": ""}
    response = login(client, pl_teamlead).post(reverse("web:case_reassign"), data)
    assert response.status_code == 400 and "Say why the cases are reassigned." in response.content.decode()
    case.refresh_from_db()
    assert case.assigned_worker == pl_worker


def test_reassign_several_cases(client, pl_centre, pl_teamlead, pl_worker, pl_worker2, family_team):
    cases = [make_case(pl_centre, pl_worker, family_team) for _ in range(2)]
    login(client, pl_teamlead)
    page = client.get(reverse("web:case_reassign"), {"case": [c.pk for c in cases]}).content.decode()
    assert all(c.reference in page for c in cases)
    data = {"case": [c.pk for c in cases], "worker": pl_worker2.pk, "reason": "Holiday"}
    assert client.post(reverse("web:case_reassign"), data).status_code == 302
    assert {c.assigned_worker for c in Case.objects.all()} == {pl_worker2}


def test_reassign_is_all_or_nothing(client, pl_centre, pl_teamlead, pl_worker, pl_worker2, family_team, other_team):
    mine = make_case(pl_centre, pl_worker, family_team)
    not_my_team = make_case(pl_centre, pl_worker, other_team)
    data = {"case": [mine.pk, not_my_team.pk], "worker": pl_worker2.pk, "reason": "Holiday"}
    response = login(client, pl_teamlead).post(reverse("web:case_reassign"), data)
    assert response.status_code == 400
    assert "Nothing was changed." in response.content.decode()
    assert set(Case.objects.values_list("assigned_worker", flat=True)) == {pl_worker.pk}


def test_reassign_a_closed_case_is_refused(client, pl_centre, pl_teamlead, pl_worker, pl_worker2, family_team):
    open_case = make_case(pl_centre, pl_worker, family_team)
    closed = make_case(
        pl_centre,
        pl_worker,
        family_team,
        status=CaseStatus.CLOSED,
        closure_reason="other",
        closed_on=dt.date(2025, 2, 1),
    )
    data = {"case": [open_case.pk, closed.pk], "worker": pl_worker2.pk, "reason": "Holiday"}
    response = login(client, pl_teamlead).post(reverse("web:case_reassign"), data)
    assert response.status_code == 400 and "Nothing was changed." in response.content.decode()
    open_case.refresh_from_db()
    assert open_case.assigned_worker == pl_worker


def test_workers_cannot_reassign(client, pl_centre, pl_worker, pl_worker2, family_team):
    case = make_case(pl_centre, pl_worker, family_team)
    data = {"case": [case.pk], "worker": pl_worker2.pk, "reason": "x"}
    assert login(client, pl_worker).post(reverse("web:case_reassign"), data).status_code == 403


def test_caseload_only_for_team_leaders_and_directors(
    client, pl_centre, pl_worker, pl_teamlead, pl_director, pl_finance, family_team
):
    make_case(pl_centre, pl_worker, family_team, status=CaseStatus.ACTIVE)
    make_case(pl_centre, pl_worker, family_team)
    url = reverse("web:caseload")
    for user in (pl_worker, pl_finance):
        assert login(client, user).get(url).status_code == 403
    for user in (pl_teamlead, pl_director):
        response = login(client, user).get(url)
        assert response.status_code == 200
        rows = {r.worker: r.open_cases for r in response.context["rows"]}
        assert rows[pl_worker] == 2


def test_contact_form_from_a_persons_page_starts_with_the_person(client, pl_worker, person):
    html = login(client, pl_worker).get(reverse("web:contact_create"), {"person": person.pk}).content.decode()
    assert f'name="persons" value="{person.pk}"' in html
    detail = client.get(reverse("web:person_detail", args=[person.pk])).content.decode()
    assert f"{reverse('web:contact_create')}?person={person.pk}" in detail


# --- the day of a status change, withdrawing a share --------------------------------------------------


def test_a_status_change_recorded_late_keeps_its_day(client, pl_centre, pl_worker, family_team):
    case = make_case(pl_centre, pl_worker, family_team, status=CaseStatus.ACTIVE, opened_on=dt.date(2025, 1, 6))
    day = dt.date(2025, 2, 3)
    response = login(client, pl_worker).post(
        reverse("web:case_close", args=[case.pk]), {"reason": "goals_achieved", "on": day.isoformat()}, follow=True
    )
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (CaseStatus.CLOSED, day)
    assert CaseEvent.objects.filter(case=case).last().data["on"] == "2025-02-03"
    assert "With effect from 03/02/2025" in response.content.decode()


@pytest.mark.parametrize(
    ("on", "message"),
    [
        ("2999-01-01", "The date cannot be in the future."),
        ("2020-01-01", "The date cannot be before the case was opened."),
        ("3.2.2025x", "Enter a valid date."),
    ],
)
def test_a_bad_day_of_a_status_change_is_a_field_error_and_changes_nothing(
    client, pl_centre, pl_worker, family_team, on, message
):
    case = make_case(pl_centre, pl_worker, family_team, opened_on=dt.date(2025, 1, 6))
    events = CaseEvent.objects.count()

    response = login(client, pl_worker).post(reverse("web:case_activate", args=[case.pk]), {"on": on})

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'id="move_on-errors"' in html
    case.refresh_from_db()
    assert case.status == CaseStatus.OPENED and CaseEvent.objects.count() == events


def test_the_case_page_offers_the_day_with_each_status_move(client, pl_centre, pl_worker, family_team):
    case = make_case(pl_centre, pl_worker, family_team, status=CaseStatus.ACTIVE)
    html = login(client, pl_worker).get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).content.decode()
    for field in ("move_on", "close_on"):
        assert f'id="{field}"' in html and f'for="{field}"' in html
    assert f'formaction="{reverse("web:case_suspend", args=[case.pk])}#status"' in html


def test_withdrawing_a_share_takes_the_content_away(client, pl_centre, pl_worker, pl_worker2, family_team):
    case = make_case(pl_centre, pl_worker, family_team, notes="Sensitive note")
    CaseShare.objects.create(case=case, user=pl_worker2)
    page = login(client, pl_worker).get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).content.decode()
    assert reverse("web:case_unshare", args=[case.pk]) in page

    response = client.post(reverse("web:case_unshare", args=[case.pk]), {"user": pl_worker2.pk}, follow=True)

    assert response.status_code == 200
    assert not CaseShare.objects.filter(case=case).exists()
    assert CaseEvent.objects.filter(case=case, kind="unshared", data={"user": pl_worker2.pk}).exists()
    assert "no longer sees the case" in response.content.decode()
    html = login(client, pl_worker2).get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).content.decode()
    assert "Sensitive note" not in html


def test_withdrawing_a_share_is_refused_to_others_and_to_nonsense(
    client, pl_centre, pl_worker, pl_worker2, family_team
):
    case = make_case(pl_centre, pl_worker, family_team)
    CaseShare.objects.create(case=case, user=pl_worker2)

    assert (
        login(client, pl_worker2).post(reverse("web:case_unshare", args=[case.pk]), {"user": pl_worker2.pk}).status_code
        == 403
    )
    assert login(client, pl_worker).post(reverse("web:case_unshare", args=[case.pk]), {"user": "x"}).status_code == 400
    assert CaseShare.objects.filter(case=case, user=pl_worker2).exists()


# --- a contact's page, a contact's household ----------------------------------------------------------


def test_a_contact_has_its_own_page_and_each_view_is_audited_naming_every_person(client, pl_centre, pl_worker, person):
    other = PersonFactory(centre=pl_centre, first_name="Jan", last_name="Nowak")
    household = HouseholdFactory(centre=pl_centre, street_address="ul. Polna 3")
    contact = ContactFactory(centre=pl_centre, handled_by=pl_worker, household=household, notes="Asked about rent")
    contact.persons.set([person, other])
    login(client, pl_worker)
    listing = client.get(reverse("web:contact_list")).content.decode()
    assert reverse("web:contact_detail", args=[contact.pk]) in listing

    html = client.get(reverse("web:contact_detail", args=[contact.pk])).content.decode()

    assert "Asked about rent" in html and "Anna Nowak" in html and "Jan Nowak" in html
    assert reverse("web:household_detail", args=[household.pk]) in html
    view = AuditEvent.objects.get(action="view", object_type="contact", object_id=contact.pk)
    assert view.person_id is None
    assert sorted(view.further_persons.values_list("person_id", flat=True)) == sorted([person.pk, other.pk])
    listed = AuditEvent.objects.get(action="view", object_type="contact", object_id=None)
    assert sorted(listed.further_persons.values_list("person_id", flat=True)) == sorted([person.pk, other.pk])


def test_another_centres_contact_is_404_and_not_audited(client, pl_worker, md_centre):
    contact = ContactFactory(centre=md_centre)
    assert login(client, pl_worker).get(reverse("web:contact_detail", args=[contact.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="view", object_type="contact").exists()


def test_a_contact_recorded_from_a_household_page_belongs_to_the_household(client, pl_worker, household):
    login(client, pl_worker)
    detail = client.get(reverse("web:household_detail", args=[household.pk])).content.decode()
    assert f"{reverse('web:contact_create')}?household={household.pk}" in detail
    form = client.get(reverse("web:contact_create"), {"household": household.pk}).content.decode()
    assert f'name="household" value="{household.pk}"' in form and f"Household {household.pk}" in form

    client.post(reverse("web:contact_create"), contact_data(household=household.pk))

    assert Contact.objects.get().household == household


def test_a_contact_form_from_a_persons_page_links_their_household(client, pl_worker, person, household):
    from socius.testing.factories import MembershipFactory

    MembershipFactory(household=household, person=person, valid_from=dt.date(2020, 1, 1))
    html = login(client, pl_worker).get(reverse("web:contact_create"), {"person": person.pk}).content.decode()
    assert f'name="household" value="{household.pk}"' in html


def test_another_centres_household_on_a_contact_is_a_field_error_and_writes_nothing(client, pl_worker, md_centre):
    foreign = HouseholdFactory(centre=md_centre)
    response = login(client, pl_worker).post(reverse("web:contact_create"), contact_data(household=foreign.pk))
    assert response.status_code == 400
    assert "Choose a household registered in your centre." in response.content.decode()
    assert not Contact.objects.exists()


# --- staff pickers in a large centre ---------------------------------------------------------------


@pytest.fixture
def large_centre(monkeypatch):
    """The case page's staff lists narrow above STAFF_LIST_LIMIT staff; two is enough to be large here."""
    from socius.web import forms_casework

    monkeypatch.setattr(forms_casework, "STAFF_LIST_LIMIT", 2)


def test_a_large_centres_case_page_lists_only_staff_near_the_case(
    client, pl_centre, pl_worker, pl_worker2, family_team, other_team, large_centre
):
    from socius.accounts.roles import Role
    from socius.testing.factories import UserFactory

    stranger = UserFactory(centre=pl_centre, role=Role.SOCIAL_WORKER, username="far_away", last_name="Daleka")
    stranger.teams.add(other_team)
    case = make_case(pl_centre, pl_worker, family_team)

    html = login(client, pl_worker).get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).content.decode()

    visitors = html[html.index('id="visits"') : html.index('id="social-work"')]
    assert f'value="{pl_worker2.pk}"' in visitors and f'value="{stranger.pk}"' not in visitors
    assert 'id="share_username"' in html  # the others are reached by login


def test_sharing_by_login_in_a_large_centre(client, pl_centre, pl_worker, family_team, other_team, large_centre):
    from socius.accounts.roles import Role
    from socius.testing.factories import UserFactory

    stranger = UserFactory(centre=pl_centre, role=Role.SOCIAL_WORKER, username="far_away")
    stranger.teams.add(other_team)
    case = make_case(pl_centre, pl_worker, family_team)
    login(client, pl_worker)

    unknown = client.post(reverse("web:case_share", args=[case.pk]), {"user": "", "username": "nobody"})
    assert unknown.status_code == 400 and "No colleague of your centre who may read cases has this login." in (
        unknown.content.decode()
    )
    assert not CaseShare.objects.exists()
    response = client.post(reverse("web:case_share", args=[case.pk]), {"user": "", "username": "far_away"})
    assert response.status_code == 302
    assert CaseShare.objects.filter(case=case, user=stranger).exists()


# --- who reads a contact's notes and sensitive topics (decision 0007) -----------------------------------

CONTACT_READERS = [
    ("pl_worker", True),
    ("pl_assistant", True),
    ("pl_teamlead", True),
    ("pl_director", True),
    ("pl_finance", False),
    ("pl_auditor", False),
    ("pl_admin", False),
]


@pytest.mark.parametrize(("persona", "reads_content"), CONTACT_READERS)
def test_a_contacts_notes_and_sensitive_topics_are_for_those_who_do_casework(
    request, client, pl_centre, pl_worker, person, persona, reads_content
):
    contact = ContactFactory(
        centre=pl_centre, handled_by=pl_worker, topics=["health", "housing"], notes="Spoke of violence at home."
    )
    contact.persons.set([person])
    login(client, request.getfixturevalue(persona))

    detail = client.get(reverse("web:contact_detail", args=[contact.pk])).content.decode()
    listing = client.get(reverse("web:contact_list")).content.decode()

    withheld = "Only staff who do casework read a contact"
    assert ("Spoke of violence at home." in detail) is reads_content
    assert (withheld in detail) is not reads_content
    for html in (detail, listing):
        # Labels in the reader's language (English here).
        assert "housing" in html  # a topic that is not sensitive: for everyone
        assert ("health" in html) is reads_content  # "health" is sensitive in the PL pack
    assert "Anna Nowak" in detail  # who was heard: the summary, for every role of the centre
