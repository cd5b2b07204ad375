"""Child protection in the UI (issue 10): the children list and page with the timeline of forms of care, the
commission calendar, a meeting's agenda, members, attendance and quorum, decisions with follow-up tasks, the
minutes PDF, and the worker's tasks; refusals answered 400/404/409 with nothing changed; reads audited."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from socius.accounts.models import AuditEvent, AuditEventPerson
from socius.accounts.roles import Role
from socius.casework.tests.factories import CaseFactory
from socius.casework.tests.factories_referrals import PartnerFactory
from socius.family import protection as services
from socius.family.models import (
    AgendaItem,
    ChildInDifficulty,
    FollowUpTask,
    Meeting,
    MeetingDecision,
    MeetingMember,
    Placement,
)
from socius.family.statuses import FormOfCare, MeetingStatus, TaskStatus
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, TeamFactory, UserFactory

HX = {"HTTP_HX_REQUEST": "true"}
IDENTIFIED = dt.date(2026, 3, 2)


@pytest.fixture
def md_team(md_centre, md_worker):
    team = TeamFactory(centre=md_centre, problem_group="family", name="Familie")
    team.members.add(md_worker)
    return team


@pytest.fixture
def md_worker2(md_centre):
    return UserFactory(
        username="md_worker2", centre=md_centre, role=Role.SOCIAL_WORKER, first_name="Ion", last_name="Rusu"
    )


@pytest.fixture
def family(md_centre):
    household = HouseholdFactory(centre=md_centre)
    mother = PersonFactory(centre=md_centre, first_name="Maria", last_name="Ceban", birth_date=dt.date(1988, 4, 1))
    child = PersonFactory(centre=md_centre, first_name="Andrei", last_name="Ceban", birth_date=dt.date(2015, 6, 9))
    MembershipFactory(household=household, person=mother, relationship="head")
    MembershipFactory(household=household, person=child, relationship="child")
    return household, mother, child


@pytest.fixture
def case(md_centre, md_worker, md_team, family):
    return CaseFactory(
        centre=md_centre, household=family[0], assigned_worker=md_worker, team=md_team, reference="2026/0007",
        status="active",
    )  # fmt: skip


@pytest.fixture
def record(md_worker, case, family):
    return services.record_child(
        md_worker,
        case=case,
        child=family[2],
        responsible_worker=md_worker,
        risks=["neglect", "parents_abroad"],
        identified_on=IDENTIFIED,
        form_of_care=FormOfCare.OWN_FAMILY,
        care_from=IDENTIFIED,
    )


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@pytest.fixture
def meeting(md_worker, md_director, md_centre):
    day = timezone.localdate() + dt.timedelta(days=3)
    return services.schedule_meeting(
        md_worker,
        body="md_commission",
        scheduled_at=at(day),
        place="Primăria Dubăsari, sala 2",
        chair=md_director,
        members=[
            services.MemberInput(user=md_director),
            services.MemberInput(user=md_worker),
            services.MemberInput(name="Elena Popa", role="medic de familie"),
        ],
    )


def all_present(worker, meeting):
    ids = list(MeetingMember.objects.filter(meeting=meeting).values_list("pk", flat=True))
    services.record_attendance(worker, meeting, present_member_ids=ids)


def login(client, user):
    client.force_login(user)
    return client


def views_of(user, object_type):
    return AuditEvent.objects.filter(actor=user, action="view", object_type=object_type)


def persons_named(event) -> set[int]:
    named = set(AuditEventPerson.objects.filter(event=event).values_list("person_id", flat=True))
    return named | ({event.person_id} if event.person_id else set())


# --- the children list --------------------------------------------------------------------------------


def test_children_list_shows_the_child_with_risks_and_form_of_care_and_audits_the_child(client, md_worker, record):
    html = login(client, md_worker).get(reverse("web:children")).content.decode()
    assert "Andrei Ceban" in html
    assert "Neglect" in html and "Parents working abroad" in html
    assert "birth family" in html  # the pack's statutory name of the form of care, in the reader's language
    assert reverse("web:child_detail", args=[record.pk]) in html
    event = views_of(md_worker, "child_in_difficulty").latest("pk")
    assert persons_named(event) == {record.child_id}


def test_children_list_filters_by_risk_and_worker(client, md_worker, md_worker2, record):
    client = login(client, md_worker)
    assert "Andrei Ceban" not in client.get(reverse("web:children"), {"risk": "violence"}).content.decode()
    assert "Andrei Ceban" in client.get(reverse("web:children"), {"risk": "neglect"}).content.decode()
    assert "Andrei Ceban" not in client.get(reverse("web:children"), {"worker": md_worker2.pk}).content.decode()
    assert "Andrei Ceban" in client.get(reverse("web:children"), {"status": "all", "q": "ceban"}).content.decode()


def test_children_list_of_another_centre_shows_nothing_and_junk_filters_do_not_break_it(client, pl_worker, record):
    response = login(client, pl_worker).get(reverse("web:children"), {"risk": "<script>", "worker": "x"})
    assert response.status_code == 200
    assert "Andrei Ceban" not in response.content.decode()


def test_an_auditor_may_not_open_the_children_list(client, md_centre):
    auditor = UserFactory(centre=md_centre, role=Role.AUDITOR)
    assert login(client, auditor).get(reverse("web:children")).status_code == 403


# --- recording a child ----------------------------------------------------------------------------------


def test_the_picker_offers_only_the_minors_of_the_case(client, md_worker, case, family):
    html = login(client, md_worker).get(reverse("web:child_new", args=[case.pk])).content.decode()
    assert "Andrei Ceban" in html
    assert "Maria Ceban" not in html


def test_worker_records_a_child_and_lands_on_its_page(client, md_worker, case, family):
    response = login(client, md_worker).post(
        reverse("web:child_new", args=[case.pk]),
        {
            "child": family[2].pk,
            "responsible_worker": md_worker.pk,
            "risks": ["violence"],
            "identified_on": "2026-03-02",
            "form_of_care": "extended_family",
            "care_from": "2026-03-01",
            "carer": "Bunica, Ana Ceban",
        },
    )
    record = ChildInDifficulty.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:child_detail", args=[record.pk])
    assert (record.child_id, record.case_id, record.risks) == (family[2].pk, case.pk, ["violence"])
    placement = Placement.objects.get(record=record)
    assert (placement.form, placement.valid_from, placement.valid_until) == (
        "extended_family",
        dt.date(2026, 3, 1),
        None,
    )


def test_recording_without_a_risk_says_why_beside_the_field_and_writes_nothing(client, md_worker, case, family):
    response = login(client, md_worker).post(
        reverse("web:child_new", args=[case.pk]),
        {"child": family[2].pk, "responsible_worker": md_worker.pk, "identified_on": "2026-03-02",
         "form_of_care": "own_family", "care_from": "2026-03-02"},
    )  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="child-refusal"' in html and "Choose at least one risk." in html
    assert not ChildInDifficulty.objects.exists() and not Placement.objects.exists()


def test_an_adult_posted_as_the_child_is_refused(client, md_worker, case, family):
    response = login(client, md_worker).post(
        reverse("web:child_new", args=[case.pk]),
        {"child": family[1].pk, "responsible_worker": md_worker.pk, "risks": ["neglect"],
         "identified_on": "2026-03-02", "form_of_care": "own_family", "care_from": "2026-03-02"},
    )  # fmt: skip
    assert response.status_code == 400
    assert not ChildInDifficulty.objects.exists()


def test_a_case_of_another_centre_is_not_found_and_a_colleague_without_the_case_is_refused(
    client, pl_worker, md_worker2, case
):
    assert login(client, pl_worker).get(reverse("web:child_new", args=[case.pk])).status_code == 404
    assert login(client, md_worker2).get(reverse("web:child_new", args=[case.pk])).status_code == 403


# --- the child page ----------------------------------------------------------------------------------


def test_child_page_shows_risks_worker_case_and_the_current_form_highlighted_and_audits(client, md_worker, record):
    html = login(client, md_worker).get(reverse("web:child_detail", args=[record.pk])).content.decode()
    assert "Andrei Ceban" in html and "2026/0007" in html
    assert reverse("web:case_detail", args=[record.case_id]) in html
    current = Placement.objects.get(record=record)
    assert f'class="current" aria-current="true" id="placement-{current.pk}"' in html
    event = views_of(md_worker, "child_in_difficulty").latest("pk")
    assert (event.object_id, event.person_id) == (record.pk, record.child_id)


def test_child_page_is_not_found_for_a_colleague_without_the_case_or_another_centre(
    client, md_worker2, pl_worker, record
):
    assert login(client, md_worker2).get(reverse("web:child_detail", args=[record.pk])).status_code == 404
    assert login(client, pl_worker).get(reverse("web:child_detail", args=[record.pk])).status_code == 404
    assert login(client, pl_worker).get(reverse("web:child_detail", args=[999999])).status_code == 404


def test_changing_the_form_of_care_ends_the_current_one_and_the_timeline_shows_both(client, md_worker, record):
    response = login(client, md_worker).post(
        reverse("web:child_care", args=[record.pk]),
        {"form": "foster_family", "valid_from": "2026-05-04", "carer": "Familia Rotaru"},
        **HX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The new form of care is recorded." in html
    old, new = Placement.objects.filter(record=record).order_by("valid_from")
    assert (old.form, old.valid_until) == ("own_family", dt.date(2026, 5, 4))
    assert (new.form, new.valid_from, new.valid_until) == ("foster_family", dt.date(2026, 5, 4), None)
    assert html.index("professional parental care") < html.index("birth family")  # the newest first
    assert f'class="current" aria-current="true" id="placement-{new.pk}"' in html


def test_changing_the_form_of_care_without_javascript_redirects_to_the_anchor(client, md_worker, record):
    response = login(client, md_worker).post(
        reverse("web:child_care", args=[record.pk]), {"form": "foster_family", "valid_from": "2026-05-04"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#care")


def test_a_form_of_care_without_a_form_is_refused_beside_the_field_and_nothing_changes(client, md_worker, record):
    response = login(client, md_worker).post(
        reverse("web:child_care", args=[record.pk]), {"form": "", "valid_from": "2026-05-04"}, **HX
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The form of care was not changed." in html and "Choose the form of care." in html
    assert Placement.objects.filter(record=record).count() == 1


def test_a_colleague_without_the_case_cannot_change_the_form_of_care(client, md_worker2, record):
    response = login(client, md_worker2).post(
        reverse("web:child_care", args=[record.pk]), {"form": "foster_family", "valid_from": "2026-05-04"}
    )
    assert response.status_code == 404
    assert Placement.objects.filter(record=record).count() == 1


def test_risks_are_changed_and_the_child_closed(client, md_worker, record):
    client = login(client, md_worker)
    response = client.post(
        reverse("web:child_risks", args=[record.pk]), {"risks": ["violence", "begging"], "on": "2026-04-01"}, **HX
    )
    assert response.status_code == 200
    record.refresh_from_db()
    assert sorted(record.risks) == ["begging", "violence"]
    response = client.post(
        reverse("web:child_close", args=[record.pk]), {"closed_on": "2026-06-01", "note": "Mama s-a întors."}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.closed_on) == ("closed", dt.date(2026, 6, 1))


# --- the calendar ------------------------------------------------------------------------------------


def test_calendar_shows_the_meeting_in_its_month_and_in_the_upcoming_list(client, md_worker, meeting):
    local = timezone.localtime(meeting.scheduled_at)
    html = login(client, md_worker).get(reverse("web:meetings"), {"month": f"{local:%Y-%m}"}).content.decode()
    link = reverse("web:meeting_detail", args=[meeting.pk])
    assert html.count(link) == 2  # in the grid and in the upcoming list
    assert f'data-day="{local:%Y-%m-%d}"' in html
    assert 'id="month-grid"' in html


def test_calendar_of_another_month_leaves_the_meeting_out_of_the_grid(client, md_worker, meeting):
    local = timezone.localtime(meeting.scheduled_at)
    other = (local.date().replace(day=1) + dt.timedelta(days=62)).strftime("%Y-%m")
    html = login(client, md_worker).get(reverse("web:meetings"), {"month": other}).content.decode()
    assert html.count(reverse("web:meeting_detail", args=[meeting.pk])) == 1  # the upcoming list only


@pytest.mark.parametrize("junk", ["2026-13", "abcd", "99999-01", "2026-1-1", ""])
def test_a_malformed_month_shows_this_month(client, md_worker, junk):
    response = login(client, md_worker).get(reverse("web:meetings"), {"month": junk})
    assert response.status_code == 200


def test_another_centre_does_not_see_the_meeting(client, pl_worker, meeting):
    client = login(client, pl_worker)
    local = timezone.localtime(meeting.scheduled_at)
    html = client.get(reverse("web:meetings"), {"month": f"{local:%Y-%m}"}).content.decode()
    assert reverse("web:meeting_detail", args=[meeting.pk]) not in html
    assert client.get(reverse("web:meeting_detail", args=[meeting.pk])).status_code == 404


# --- scheduling ----------------------------------------------------------------------------------------


def test_the_body_comes_from_the_centres_pack(client, md_worker):
    html = login(client, md_worker).get(reverse("web:meeting_new")).content.decode()
    assert 'value="md_commission"' in html
    assert 'value="pl_interdisciplinary_team"' not in html


def test_worker_schedules_a_meeting_with_staff_and_external_members(client, md_worker, md_director, md_centre):
    police = PartnerFactory(centre=md_centre, name="Inspectoratul de Poliție Dubăsari")
    response = login(client, md_worker).post(
        reverse("web:meeting_new"),
        {
            "body": "md_commission",
            "on": "2026-12-15",
            "at": "14:30",
            "place": "Primăria",
            "chair": md_director.pk,
            "staff": [md_director.pk, md_worker.pk],
            "external-TOTAL_FORMS": "3",
            "external-INITIAL_FORMS": "0",
            "external-0-name": "Elena Popa",
            "external-0-role": "medic",
            "external-0-is_voting": "on",
            "external-1-partner": police.pk,
            "external-2-name": "",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:meeting_detail", args=[meeting.pk])
    assert (meeting.body, meeting.chair_id, meeting.place) == ("md_commission", md_director.pk, "Primăria")
    # Typed in the Moldovan centre's civil time (Chișinău), whatever the server's default zone.
    chisinau = meeting.scheduled_at.astimezone(zoneinfo.ZoneInfo("Europe/Chisinau"))
    assert chisinau.strftime("%Y-%m-%d %H:%M") == "2026-12-15 14:30"
    members = {(m.user_id, m.name, m.partner_id, m.is_voting) for m in MeetingMember.objects.filter(meeting=meeting)}
    assert members == {
        (md_director.pk, "", None, True),
        (md_worker.pk, "", None, True),
        (None, "Elena Popa", None, True),
        (None, "Inspectoratul de Poliție Dubăsari", police.pk, False),
    }


def test_a_body_the_pack_does_not_have_is_refused_and_nothing_is_written(client, md_worker):
    response = login(client, md_worker).post(
        reverse("web:meeting_new"),
        {"body": "pl_interdisciplinary_team", "on": "2026-12-15", "at": "14:30", "external-TOTAL_FORMS": "0",
         "external-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 400
    assert 'id="meeting-refusal"' in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_meeting_without_a_date_says_why_beside_the_field(client, md_worker):
    response = login(client, md_worker).post(
        reverse("web:meeting_new"),
        {"body": "md_commission", "on": "", "at": "25:99", "external-TOTAL_FORMS": "0", "external-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="meeting_on-errors"' in html and "errorlist" in html
    assert not Meeting.objects.exists()


# --- the meeting page: agenda --------------------------------------------------------------------------


def test_worker_puts_a_childs_case_on_the_agenda(client, md_worker, meeting, record, case):
    response = login(client, md_worker).post(
        reverse("web:meeting_agenda_add", args=[meeting.pk]),
        {"case": case.pk, "child": record.pk, "summary": "Propunem plasament temporar."},
        **HX,
    )
    assert response.status_code == 200
    item = AgendaItem.objects.get()
    assert (item.meeting_id, item.case_id, item.child_id) == (meeting.pk, case.pk, record.pk)
    html = response.content.decode()
    assert "The case is on the agenda." in html and "Propunem plasament temporar." in html


def test_the_case_picker_lists_only_readable_cases_matching_the_search(client, md_worker, md_worker2, meeting, case):
    CaseFactory(centre=case.centre, assigned_worker=md_worker2, reference="2026/0099", status="active")
    client = login(client, md_worker)
    html = client.get(reverse("web:meeting_detail", args=[meeting.pk])).content.decode()
    assert "2026/0007" in html and "2026/0099" not in html
    html = client.get(reverse("web:meeting_agenda_add", args=[meeting.pk]), {"case_q": "zzz"}, **HX).content.decode()
    assert "2026/0007" not in html
    html = client.get(reverse("web:meeting_agenda_add", args=[meeting.pk]), {"case_q": "Ceban"}).content.decode()
    assert "2026/0007" in html


def test_the_case_search_answers_htmx_with_the_section_alone(client, md_worker, meeting, case):
    response = login(client, md_worker).get(
        reverse("web:meeting_agenda_add", args=[meeting.pk]), {"case_q": "2026/0007"}, **HX
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<div class="page-section" id="meeting"')
    assert f'<option value="{case.pk}">2026/0007' in html


def test_a_case_the_worker_does_not_read_cannot_be_put_forward(client, md_worker, md_worker2, meeting):
    other = CaseFactory(centre=meeting.centre, assigned_worker=md_worker2, reference="2026/0099", status="active")
    response = login(client, md_worker).post(
        reverse("web:meeting_agenda_add", args=[meeting.pk]), {"case": other.pk, "summary": "?"}, **HX
    )
    assert response.status_code == 400
    assert "Choose one of the cases you work with." in response.content.decode()
    assert not AgendaItem.objects.exists()


@pytest.mark.parametrize("case_value", ["abc", "-1", "1e9", "' OR 1=1 --"])
def test_hostile_case_values_are_refused(client, md_worker, meeting, case_value):
    response = login(client, md_worker).post(
        reverse("web:meeting_agenda_add", args=[meeting.pk]), {"case": case_value, "summary": "x"}
    )
    assert response.status_code == 400
    assert not AgendaItem.objects.exists()


def test_an_item_the_reader_may_not_read_shows_only_whose_case_it_is(client, md_worker, md_worker2, meeting, case):
    services.put_on_agenda(md_worker, meeting, case=case, summary="Conținut confidențial")
    html = login(client, md_worker2).get(reverse("web:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Conținut confidențial" not in html and "2026/0007" not in html
    assert "A case of" in html
    assert reverse("web:meeting_decision", args=[meeting.agenda.get().pk]) not in html


def test_the_meeting_page_audits_the_persons_of_the_items_shown(client, md_worker, meeting, record, case, family):
    services.put_on_agenda(md_worker, meeting, case=case, child=record, summary="Plasament")
    html = login(client, md_worker).get(reverse("web:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Andrei Ceban" in html
    event = views_of(md_worker, "meeting").latest("pk")
    assert event.object_id == meeting.pk
    assert {family[1].pk, family[2].pk} <= persons_named(event)


# --- members, attendance, quorum, hold, cancel --------------------------------------------------------


def test_attendance_is_recorded_and_the_quorum_line_says_whether_it_is_met(client, md_worker, meeting):
    members = list(MeetingMember.objects.filter(meeting=meeting).order_by("id"))
    response = login(client, md_worker).post(
        reverse("web:meeting_attendance", args=[meeting.pk]), {"present": [members[0].pk]}, **HX
    )
    assert response.status_code == 200
    presence = list(MeetingMember.objects.filter(meeting=meeting).order_by("id").values_list("is_present", flat=True))
    assert presence == [True, False, False]
    html = response.content.decode()
    assert "Voting members present: 1 of 3." in html and "The quorum (2) is not met." in html


def test_the_members_are_replaced_with_staff_and_an_institution(client, md_worker, md_director, meeting, md_centre):
    police = PartnerFactory(centre=md_centre, name="Inspectoratul de Poliție Dubăsari")
    response = login(client, md_worker).post(
        reverse("web:meeting_members", args=[meeting.pk]),
        {
            "staff": [md_worker.pk],
            "external-TOTAL_FORMS": "2",
            "external-INITIAL_FORMS": "0",
            "external-0-partner": police.pk,
            "external-0-is_voting": "on",
            "external-1-name": "",
        },
        **HX,
    )
    assert response.status_code == 200
    assert "The members are saved." in response.content.decode()
    members = {(m.user_id, m.name, m.partner_id) for m in MeetingMember.objects.filter(meeting=meeting)}
    assert members == {(md_worker.pk, "", None), (None, "Inspectoratul de Poliție Dubăsari", police.pk)}


def test_members_of_a_held_meeting_cannot_change(client, md_worker, meeting):
    all_present(md_worker, meeting)
    services.hold_meeting(md_worker, meeting, held_on=timezone.localtime(meeting.scheduled_at).date(), minutes="PV")
    before = list(MeetingMember.objects.filter(meeting=meeting).values_list("pk", "user_id", "name"))
    response = login(client, md_worker).post(
        reverse("web:meeting_members", args=[meeting.pk]),
        {"staff": [md_worker.pk], "external-TOTAL_FORMS": "0", "external-INITIAL_FORMS": "0"},
        **HX,
    )
    assert response.status_code == 409
    assert list(MeetingMember.objects.filter(meeting=meeting).values_list("pk", "user_id", "name")) == before


def test_holding_below_the_quorum_is_refused_with_the_reason_and_nothing_changes(client, md_worker, meeting):
    meeting.refresh_from_db()
    assert meeting.quorum == 2  # more than half of the 3 voting members (the MD pack)
    response = login(client, md_worker).post(
        reverse("web:meeting_hold", args=[meeting.pk]), {"held_on": "2026-12-15", "minutes": "Proces-verbal"}, **HX
    )
    assert response.status_code == 409
    assert "voting members are present" in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes, meeting.held_on) == (MeetingStatus.SCHEDULED, "", None)


def test_a_meeting_is_held_with_its_minutes_and_cancelled_meetings_cannot_be(client, md_worker, meeting):
    client = login(client, md_worker)
    ids = list(MeetingMember.objects.filter(meeting=meeting).values_list("pk", flat=True))
    client.post(reverse("web:meeting_attendance", args=[meeting.pk]), {"present": ids})
    response = client.post(
        reverse("web:meeting_hold", args=[meeting.pk]), {"held_on": "2026-12-15", "minutes": "Proces-verbal nr. 4"}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes) == (MeetingStatus.HELD, "Proces-verbal nr. 4")
    response = client.post(reverse("web:meeting_cancel", args=[meeting.pk]), {"reason": "x"}, **HX)
    assert response.status_code == 409
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.cancellation_reason == ""


def test_cancelling_needs_a_reason(client, md_worker, meeting):
    client = login(client, md_worker)
    assert client.post(reverse("web:meeting_cancel", args=[meeting.pk]), {"reason": ""}, **HX).status_code == 400
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED
    client.post(reverse("web:meeting_cancel", args=[meeting.pk]), {"reason": "Lipsă cvorum"})
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancellation_reason) == (MeetingStatus.CANCELLED, "Lipsă cvorum")


# --- decisions and follow-up tasks ---------------------------------------------------------------------


def decision_post(item, worker, **overrides):
    prefix = f"d{item.pk}"
    data = {
        f"{prefix}-text": "Plasament în familie de asistență parentală profesionistă.",
        f"{prefix}-form_of_care": "foster_family",
        f"{prefix}-care_from": "2026-12-16",
        f"{prefix}-support_measures": "Consiliere psihologică",
        f"{prefix}-responsible": [worker.pk],
        f"{prefix}-review_on": "2027-03-16",
        f"{prefix}-tasks-TOTAL_FORMS": "2",
        f"{prefix}-tasks-INITIAL_FORMS": "0",
        f"{prefix}-tasks-0-assigned_to": worker.pk,
        f"{prefix}-tasks-0-description": "Vizită la familia de asistență",
        f"{prefix}-tasks-0-due_on": "2026-12-30",
    }
    data.update(overrides)
    return data


def test_a_decision_of_form_of_care_writes_the_placement_and_a_follow_up_task(client, md_worker, meeting, record, case):
    item = services.put_on_agenda(md_worker, meeting, case=case, child=record, summary="Plasament")
    all_present(md_worker, meeting)
    client = login(client, md_worker)
    response = client.post(reverse("web:meeting_decision", args=[item.pk]), decision_post(item, md_worker), **HX)
    assert response.status_code == 200, response.content.decode()[:2000]
    decision = MeetingDecision.objects.get(item=item)
    assert (decision.form_of_care, decision.care_from, decision.review_on) == (
        "foster_family",
        dt.date(2026, 12, 16),
        dt.date(2027, 3, 16),
    )
    task = FollowUpTask.objects.get()
    assert (task.case_id, task.assigned_to_id, task.decision_id, task.status) == (
        case.pk,
        md_worker.pk,
        decision.pk,
        TaskStatus.OPEN,
    )
    current = Placement.objects.get(record=record, valid_until__isnull=True)
    assert (current.form, current.decision_id) == ("foster_family", decision.pk)
    assert "Vizită la familia de asistență" in response.content.decode()
    # The child page shows the new form of care as the current one; the tasks page the task.
    html = client.get(reverse("web:child_detail", args=[record.pk])).content.decode()
    assert f'class="current" aria-current="true" id="placement-{current.pk}"' in html
    html = client.get(reverse("web:tasks")).content.decode()
    assert "Vizită la familia de asistență" in html and "2026/0007" in html


def test_a_half_filled_task_row_is_refused_and_nothing_is_decided(client, md_worker, meeting, record, case):
    item = services.put_on_agenda(md_worker, meeting, case=case, child=record, summary="Plasament")
    all_present(md_worker, meeting)
    data = decision_post(item, md_worker, **{f"d{item.pk}-tasks-0-due_on": ""})
    response = login(client, md_worker).post(reverse("web:meeting_decision", args=[item.pk]), data, **HX)
    assert response.status_code == 400
    assert "Give the day it is due." in response.content.decode()
    assert not MeetingDecision.objects.exists() and not FollowUpTask.objects.exists()
    assert Placement.objects.filter(record=record).count() == 1


def test_a_decision_on_an_item_the_reader_may_not_read_is_not_found(client, md_worker, md_worker2, meeting, case):
    item = services.put_on_agenda(md_worker, meeting, case=case, summary="x")
    response = login(client, md_worker2).post(
        reverse("web:meeting_decision", args=[item.pk]), decision_post(item, md_worker2)
    )
    assert response.status_code == 404
    assert not MeetingDecision.objects.exists()


def test_the_assignee_marks_the_task_done(client, md_worker, meeting, record, case):
    task = services.create_task(
        md_worker, case=case, assigned_to=md_worker, description="Sună școala", due_on=dt.date(2026, 12, 20)
    )
    client = login(client, md_worker)
    response = client.post(reverse("web:task_done", args=[task.pk]), {"done_on": "2026-12-18", "outcome": "Făcut"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.done_on) == (TaskStatus.DONE, dt.date(2026, 12, 18))
    html = client.get(reverse("web:tasks")).content.decode()
    assert f'id="task-{task.pk}"' not in html and "You have no open follow-up task." in html


def test_marking_done_returns_to_a_local_next_page_only(client, md_worker, case):
    client = login(client, md_worker)
    back = reverse("web:case_detail", args=[case.pk]) + "?open=family#family"
    for next_url, expected in ((back, back), ("https://evil.example/", reverse("web:tasks"))):
        task = services.create_task(
            md_worker, case=case, assigned_to=md_worker, description="Sună școala", due_on=dt.date(2026, 12, 20)
        )
        response = client.post(reverse("web:task_done", args=[task.pk]), {"done_on": "2026-12-18", "next": next_url})
        assert response.status_code == 302 and response["Location"] == expected


def test_a_task_done_without_a_date_is_refused_beside_the_field(client, md_worker, case):
    task = services.create_task(
        md_worker, case=case, assigned_to=md_worker, description="Sună școala", due_on=dt.date(2026, 12, 20)
    )
    response = login(client, md_worker).post(reverse("web:task_done", args=[task.pk]), {"done_on": "32.13.2026"})
    assert response.status_code == 400
    assert 'id="tasks-refusal"' in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_a_task_of_another_centre_or_worker_is_not_found(client, md_worker, md_worker2, pl_worker, case):
    task = services.create_task(
        md_worker, case=case, assigned_to=md_worker, description="Sună școala", due_on=dt.date(2026, 12, 20)
    )
    for other in (pl_worker, md_worker2):
        response = login(client, other).post(reverse("web:task_done", args=[task.pk]), {"done_on": "2026-12-18"})
        assert response.status_code == 404
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


# --- the minutes PDF ------------------------------------------------------------------------------------


def test_the_minutes_print_in_the_centres_language(client, md_worker, meeting, record, case):
    from socius.web.tests.test_pdf_views import pdf_text

    item = services.put_on_agenda(md_worker, meeting, case=case, child=record, summary="Plasament")
    client = login(client, md_worker)
    ids = list(MeetingMember.objects.filter(meeting=meeting).values_list("pk", flat=True))
    client.post(reverse("web:meeting_attendance", args=[meeting.pk]), {"present": ids})
    assert (
        client.post(reverse("web:meeting_decision", args=[item.pk]), decision_post(item, md_worker)).status_code == 302
    )
    client.post(
        reverse("web:meeting_hold", args=[meeting.pk]), {"held_on": "2026-12-15", "minutes": "Ședința a decis."}
    )
    response = client.get(reverse("web:meeting_minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "Andrei Ceban" in text and "Elena Popa" in text and "Ședința a decis." in text
    assert "Vizită la familia de asistență" in text
