"""The audit page: who may open it, searching by person, user, action and dates, CSV export."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction, AuditEvent
from socius.registry.services import MemberSpec, create_household, open_person_record, update_person
from socius.testing.factories import PersonFactory

AUDIT_URL = reverse("web:audit")


def _at(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _event(actor, action, *, person=None, object_type="person", object_id=None, on=None, changes=None):
    event = record_event(
        actor,
        action,
        object_type=object_type,
        object_id=object_id if object_id is not None else (person.pk if person else None),
        centre_id=actor.centre_id,
        person_id=person.pk if person else None,
        changes=changes,
    )
    if on is not None:
        AuditEvent.objects.filter(pk=event.pk).update(at=_at(on))
    return event


def _shown(response) -> list[int]:
    return [e.pk for e in response.context["page"].object_list]


@pytest.fixture
def anna(pl_centre):
    return PersonFactory(centre=pl_centre, first_name="Anna", last_name="Nowak", birth_date=dt.date(1980, 1, 5))


@pytest.fixture
def piotr(pl_centre):
    return PersonFactory(centre=pl_centre, first_name="Piotr", last_name="Wiśniewski", birth_date=dt.date(1975, 4, 9))


# --- who may open it -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["pl_worker", "pl_finance", "pl_teamlead", "pl_admin"], indirect=True)
def test_roles_without_audit_right_get_403(client, persona):
    client.force_login(persona)
    assert client.get(AUDIT_URL).status_code == 403
    assert client.get(AUDIT_URL, {"export": "csv"}).status_code == 403
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("persona", ["pl_auditor", "pl_director"], indirect=True)
def test_auditors_and_directors_open_it(client, persona):
    client.force_login(persona)
    assert client.get(AUDIT_URL).status_code == 200


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(AUDIT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- what it shows ---------------------------------------------------------------------------------


def test_shows_only_the_centres_events_newest_first(client, pl_auditor, pl_worker, md_worker, anna):
    older = _event(pl_worker, AuditAction.VIEW, person=anna, on=dt.date(2026, 1, 10))
    newer = _event(pl_worker, AuditAction.UPDATE, person=anna, on=dt.date(2026, 2, 10))
    foreign_person = PersonFactory(centre=md_worker.centre)
    _event(md_worker, AuditAction.VIEW, person=foreign_person)
    client.force_login(pl_auditor)
    response = client.get(AUDIT_URL)
    assert _shown(response) == [newer.pk, older.pk]


def test_rows_name_the_person_user_action_record_and_changes(client, pl_auditor, pl_worker, anna):
    update_person(pl_worker, anna.pk, {"last_name": "Nowak-Zielińska", "sex": "M"})
    client.force_login(pl_auditor)
    response = client.get(AUDIT_URL)
    (event,) = response.context["page"].object_list
    assert event.person == anna
    assert event.record_url == reverse("web:person_detail", args=[anna.pk])
    assert sorted(event.change_rows) == [("family name", "Nowak", "Nowak-Zielińska"), ("sex", "Female", "Male")]
    html = response.content.decode()
    assert "Anna Nowak" in html
    assert "pl_worker" in html
    assert "Updated" in html
    assert "Nowak-Zielińska" in html


def test_filter_by_person_gives_exactly_their_events(client, pl_auditor, pl_worker, anna, piotr):
    expected = [
        _event(pl_worker, AuditAction.VIEW, person=anna, on=dt.date(2026, 3, 1)),
        _event(pl_worker, AuditAction.UPDATE, person=anna, on=dt.date(2026, 3, 2)),
    ]
    _event(pl_worker, AuditAction.VIEW, person=piotr, on=dt.date(2026, 3, 3))
    _event(pl_worker, AuditAction.VIEW, object_type="household", object_id=5, on=dt.date(2026, 3, 4))
    client.force_login(pl_auditor)
    response = client.get(AUDIT_URL, {"person": anna.pk})
    assert _shown(response) == [e.pk for e in reversed(expected)]
    assert response.context["person"] == anna


def test_person_filter_includes_membership_events_of_that_person(client, pl_auditor, pl_worker, anna, piotr):
    household = create_household(pl_worker, {"street_address": "ul. Krótka 2"}, [MemberSpec(anna.pk, "head")])
    client.force_login(pl_auditor)
    response = client.get(AUDIT_URL, {"person": anna.pk})
    events = list(response.context["page"].object_list)
    assert [(e.action, e.object_type) for e in events] == [("create", "membership")]
    assert events[0].record_url == reverse("web:household_detail", args=[household.pk])


def test_filter_by_user_gives_exactly_their_events(client, pl_auditor, pl_worker, pl_worker2, anna):
    mine = _event(pl_worker2, AuditAction.VIEW, person=anna)
    _event(pl_worker, AuditAction.VIEW, person=anna)
    client.force_login(pl_auditor)
    response = client.get(AUDIT_URL, {"user": pl_worker2.pk})
    assert _shown(response) == [mine.pk]


def test_user_select_lists_the_centres_staff_only(client, pl_auditor, pl_worker, md_worker):
    client.force_login(pl_auditor)
    response = client.get(AUDIT_URL)
    staff = set(response.context["form"].fields["user"].queryset)
    assert pl_worker in staff and pl_auditor in staff
    assert md_worker not in staff
    assert client.get(AUDIT_URL, {"user": md_worker.pk}).context["form"].errors.keys() == {"user"}


def test_filter_by_date_range_is_inclusive(client, pl_auditor, pl_worker, anna):
    _event(pl_worker, AuditAction.VIEW, person=anna, on=dt.date(2026, 4, 30))
    first = _event(pl_worker, AuditAction.VIEW, person=anna, on=dt.date(2026, 5, 1))
    last = _event(pl_worker, AuditAction.VIEW, person=anna, on=dt.date(2026, 5, 31))
    _event(pl_worker, AuditAction.VIEW, person=anna, on=dt.date(2026, 6, 1))
    client.force_login(pl_auditor)
    response = client.get(AUDIT_URL, {"date_from": "2026-05-01", "date_to": "2026-05-31"})
    assert _shown(response) == [last.pk, first.pk]


def test_filter_by_person_user_action_and_dates_together(client, pl_auditor, pl_worker, pl_worker2, anna, piotr):
    wanted = _event(pl_worker, AuditAction.UPDATE, person=anna, on=dt.date(2026, 5, 10))
    _event(pl_worker, AuditAction.VIEW, person=anna, on=dt.date(2026, 5, 10))
    _event(pl_worker2, AuditAction.UPDATE, person=anna, on=dt.date(2026, 5, 10))
    _event(pl_worker, AuditAction.UPDATE, person=piotr, on=dt.date(2026, 5, 10))
    _event(pl_worker, AuditAction.UPDATE, person=anna, on=dt.date(2026, 7, 1))
    client.force_login(pl_auditor)
    response = client.get(
        AUDIT_URL,
        {
            "person": anna.pk,
            "user": pl_worker.pk,
            "action": "update",
            "date_from": "2026-05-01",
            "date_to": "2026-05-31",
        },
    )
    assert _shown(response) == [wanted.pk]


def test_filter_by_record_type(client, pl_auditor, pl_worker, anna):
    household_event = _event(pl_worker, AuditAction.VIEW, object_type="household", object_id=3)
    _event(pl_worker, AuditAction.VIEW, person=anna)
    client.force_login(pl_auditor)
    assert _shown(client.get(AUDIT_URL, {"record_type": "household"})) == [household_event.pk]


def test_another_centres_person_is_an_error_not_a_result(client, pl_auditor, md_worker):
    foreign = PersonFactory(centre=md_worker.centre)
    _event(md_worker, AuditAction.VIEW, person=foreign)
    client.force_login(pl_auditor)
    response = client.get(AUDIT_URL, {"person": foreign.pk})
    assert response.status_code == 200
    assert response.context["page"] is None
    assert response.context["form"].errors == {"person": ["No such person."]}


def test_reversed_date_range_is_an_error(client, pl_auditor, pl_worker, anna):
    _event(pl_worker, AuditAction.VIEW, person=anna)
    client.force_login(pl_auditor)
    response = client.get(AUDIT_URL, {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert response.context["page"] is None
    assert response.context["form"].errors == {"date_to": ["The end date is before the start date."]}


def test_person_lookup_lists_candidates_to_choose(client, pl_auditor, anna, piotr):
    client.force_login(pl_auditor)
    response = client.get(AUDIT_URL, {"lookup": "1", "person_q": "nowak"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert [p.pk for p in response.context["lookup_results"]] == [anna.pk]
    assert f'name="person" value="{anna.pk}"' in response.content.decode()
    # Without JavaScript the same candidates come with the full page.
    page = client.get(AUDIT_URL, {"person_q": "nowak"})
    assert [p.pk for p in page.context["lookup_results"]] == [anna.pk]


def test_page_is_paginated(client, pl_auditor, pl_worker, anna):
    for _ in range(55):
        _event(pl_worker, AuditAction.VIEW, person=anna)
    client.force_login(pl_auditor)
    assert len(client.get(AUDIT_URL).context["page"].object_list) == 50
    assert len(client.get(AUDIT_URL, {"page": 2}).context["page"].object_list) == 5


def test_query_count_is_bounded_whatever_the_page_holds(
    client, pl_auditor, pl_worker, pl_worker2, django_assert_max_num_queries
):
    for i in range(25):
        person = PersonFactory(centre=pl_worker.centre)
        open_person_record(pl_worker if i % 2 else pl_worker2, person.pk)
        household = create_household(pl_worker, {"street_address": f"ul. Długa {i}"}, [MemberSpec(person.pk, "head")])
        _event(pl_worker, AuditAction.UPDATE, object_type="household", object_id=household.pk)
    assert AuditEvent.objects.count() == 100
    client.force_login(pl_auditor)
    # 13: the menu asks once whether the reader is authorised to approve decisions (ApproverAuthorisation).
    with django_assert_max_num_queries(13):
        response = client.get(AUDIT_URL)
    assert len(response.context["page"].object_list) == 50


# --- CSV export ------------------------------------------------------------------------------------


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_csv_export_of_the_filtered_log_and_its_own_audit_event(client, pl_auditor, pl_worker, anna, piotr):
    viewed = _event(pl_worker, AuditAction.VIEW, person=anna, on=dt.date(2026, 5, 3))
    updated = _event(
        pl_worker, AuditAction.UPDATE, person=anna, on=dt.date(2026, 5, 4), changes={"phone": ["", "600100200"]}
    )
    _event(pl_worker, AuditAction.VIEW, person=piotr, on=dt.date(2026, 5, 4))
    client.force_login(pl_auditor)

    response = client.get(AUDIT_URL, {"person": anna.pk, "date_from": "2026-05-01", "export": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    rows = _csv_rows(response)
    assert rows[0] == [
        "When",
        "User",
        "Action",
        "Record type",
        "Record",
        "Person ID",
        "Person",
        "Channel",
        "IP address",
        "Changes",
        "Other persons (IDs)",
    ]
    assert [r[1:] for r in rows[1:]] == [
        [
            "pl_worker",
            "Updated",
            "Person",
            str(anna.pk),
            str(anna.pk),
            "Anna Nowak",
            "system",
            "",
            '{"phone": ["", "600100200"]}',
            "",
        ],
        ["pl_worker", "Viewed", "Person", str(anna.pk), str(anna.pk), "Anna Nowak", "system", "", "", ""],
    ]
    assert rows[1][0] == timezone.localtime(AuditEvent.objects.get(pk=updated.pk).at).isoformat(timespec="seconds")
    assert rows[2][0].startswith("2026-05-03T12:00:00")
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert export.actor == pl_auditor
    assert (export.object_type, export.object_id, export.person_id) == ("audit_log", None, anna.pk)
    assert export.changes == {
        "filters": [None, {"person_id": anna.pk, "date_from": "2026-05-01"}],
        "rows": [None, 2],
    }
    assert (export.channel, export.ip) == ("web", "127.0.0.1")
    assert viewed.pk in AuditEvent.objects.filter(person_id=anna.pk).values_list("pk", flat=True)


def test_csv_export_neutralises_spreadsheet_formulas(client, pl_auditor, pl_worker):
    trap = PersonFactory(centre=pl_worker.centre, first_name="=HYPERLINK(1)", last_name="X")
    _event(pl_worker, AuditAction.VIEW, person=trap)
    client.force_login(pl_auditor)
    rows = _csv_rows(client.get(AUDIT_URL, {"export": "csv"}))
    assert rows[1][6] == "'=HYPERLINK(1) X"


def test_csv_export_with_invalid_filters_exports_nothing(client, pl_auditor, pl_worker, anna):
    _event(pl_worker, AuditAction.VIEW, person=anna)
    client.force_login(pl_auditor)
    response = client.get(AUDIT_URL, {"date_from": "not a date", "export": "csv"})
    assert response["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_casework_records_can_be_filtered_and_link_to_their_pages(client, pl_auditor, pl_worker, pl_centre):
    from socius.casework.tests.factories import CaseFactory

    case = CaseFactory(centre=pl_centre, assigned_worker=pl_worker)
    record_event(pl_worker, "update", object_type="case", object_id=case.pk, centre_id=pl_centre.pk, person_id=None)
    client.force_login(pl_auditor)

    form = client.get(reverse("web:audit")).content.decode()
    for code in ("case", "contact", "home_visit", "assessment", "help_plan", "social_contract", "referral"):
        assert f'<option value="{code}"' in form
    html = client.get(reverse("web:audit"), {"record_type": "case"}).content.decode()
    assert reverse("web:case_detail", args=[case.pk]) in html


def test_an_event_naming_several_persons_is_found_by_each_and_lists_them(client, pl_auditor, pl_worker, anna, piotr):
    from socius.accounts.audit import record_list_view

    event = record_list_view(pl_worker, object_type="person", person_ids=[anna.pk, piotr.pk], query="nowak")
    client.force_login(pl_auditor)

    for person in (anna, piotr):
        page = client.get(AUDIT_URL, {"person": person.pk})
        assert [e.pk for e in page.context["page"].object_list] == [event.pk]
    html = client.get(AUDIT_URL).content.decode()
    assert "Anna Nowak" in html and "Piotr" in html and "nowak" in html
    rows = _csv_rows(client.get(AUDIT_URL, {"person": piotr.pk, "export": "csv"}))
    assert rows[1][5] == "" and sorted(rows[1][10].split()) == sorted([str(anna.pk), str(piotr.pk)])
