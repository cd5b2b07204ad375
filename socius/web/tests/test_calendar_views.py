"""The calendar and supervision pages: the month with its items and filters, supervision notes only for the
participants (never on the calendar), entries kept by those who manage the calendar, the private feed (a
wrong or rotated token is "not found"), the month on the home page."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.urls import reverse

from socius.community import calendar as services
from socius.community.models import CalendarEntry, CalendarFeedToken, Supervision
from socius.community.tests.calendar_world import DAY, world_fixture  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
MONTH = "?month=2026-03"


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_month_shows_every_source_and_the_agenda(client, world, pl_worker):
    html = page(client, pl_worker, reverse("web:calendar") + MONTH)

    assert 'id="month-grid"' in html and 'id="calendar-agenda"' in html
    for text in ("Sołectwo meeting · Kosów", "Interdisciplinary team", "Group supervision", "Office closed (inventory)",
                 "Training: Blue Card procedure", "Facilitator: dr Anna Zielińska"):  # fmt: skip
        assert text in html, text
    assert reverse("web:supervision", args=[world["session"].pk]) in html
    assert "Burnout" not in html and "rotate the night" not in html


def test_the_month_filtered_per_staff_member_and_per_territory(client, world, pl_worker, pl_worker2):
    by_staff = page(client, pl_worker, reverse("web:calendar") + f"{MONTH}&staff={pl_worker2.pk}")
    assert "Sołectwo meeting" not in by_staff and "Training: Blue Card procedure" in by_staff

    by_place = page(client, pl_worker, reverse("web:calendar") + f"{MONTH}&territory={world['village'].pk}")
    assert "Sołectwo meeting" in by_place and "Preventive session" not in by_place
    assert "Office closed" not in by_place and "Group supervision" not in by_place


def test_a_bad_filter_is_ignored_not_an_error(client, world, pl_worker):
    html = page(client, pl_worker, reverse("web:calendar") + "?month=2026-13&staff=x&territory=99999999999999999999")
    assert 'id="month-grid"' in html


def test_a_non_participant_sees_no_notes_on_the_supervision_page(client, world, pl_worker2):
    html = page(client, pl_worker2, reverse("web:supervision", args=[world["session"].pk]))

    assert 'id="supervision-restricted"' in html
    assert "Burnout" not in html and "rotate the night" not in html
    assert 'id="supervision-participant-count">2<' in html


def test_a_participant_reads_the_notes_and_records_the_session_held(client, world, pl_worker, pl_assistant):
    url = reverse("web:supervision", args=[world["session"].pk])
    html = page(client, pl_worker, url)
    assert "Burnout after the Kowalski case" in html and "Agreed: rotate the night duty" in html

    response = client.post(
        reverse("web:supervision_held", args=[world["session"].pk]),
        {"participants": [pl_worker.pk, pl_assistant.pk], "topics": "T", "notes": "N", "follow_ups": "Rota\n\nPlan"},
    )

    assert response.status_code == 302
    session = Supervision.objects.get(pk=world["session"].pk)
    assert (session.status, session.notes) == ("held", "N")
    assert list(session.follow_ups.values_list("text", flat=True)) == ["Rota", "Plan"]


def test_a_non_participant_cannot_post_the_notes(client, world, pl_worker2):
    client.force_login(pl_worker2)
    response = client.post(
        reverse("web:supervision_held", args=[world["session"].pk]), {"participants": [pl_worker2.pk], "notes": "x"}
    )
    assert response.status_code == 404
    assert Supervision.objects.get(pk=world["session"].pk).notes == "Agreed: rotate the night duty"


def test_the_supervision_list_hides_the_notes(client, world, pl_worker2):
    html = page(client, pl_worker2, reverse("web:supervisions"))
    assert "dr Anna Zielińska" in html and "Restricted" in html and "Burnout" not in html


def test_planning_a_supervision_from_the_form(client, pl_teamlead, pl_worker):
    client.force_login(pl_teamlead)
    response = client.post(
        reverse("web:supervision_new"),
        {
            "date": "2026-04-02",
            "facilitator_kind": "internal",
            "facilitator": pl_teamlead.pk,
            "participants": [pl_worker.pk],
        },
    )
    session = Supervision.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:supervision", args=[session.pk])
    assert (session.facilitator, list(session.participants.all())) == (pl_teamlead, [pl_worker])


def test_a_supervision_form_error_is_summarised_with_links(client, pl_teamlead):
    client.force_login(pl_teamlead)
    response = client.post(reverse("web:supervision_new"), {"date": "2026-04-02", "facilitator_kind": "external"})
    html = response.content.decode()
    assert 'id="error-summary"' in html and 'href="#id_facilitator_name"' in html
    assert not Supervision.objects.exists()


def test_a_team_leader_adds_an_entry_a_worker_may_not(client, pl_teamlead, pl_worker):
    client.force_login(pl_worker)
    assert client.get(reverse("web:calendar_entry_new")).status_code == 403
    client.force_login(pl_teamlead)
    response = client.post(
        reverse("web:calendar_entry_new"),
        {"kind": "office_closure", "title": "Closed: Easter", "starts_on": "2026-04-03", "ends_on": "2026-04-06"},
    )
    assert response.status_code == 302
    assert list(CalendarEntry.objects.values_list("title", "starts_on", "ends_on")) == [
        ("Closed: Easter", dt.date(2026, 4, 3), dt.date(2026, 4, 6))
    ]


# --- the private feed ---------------------------------------------------------------------------------


def test_the_feed_page_makes_an_address_and_the_feed_parses(client, world, pl_worker2):
    from django.utils import timezone

    Supervision.objects.filter(pk=world["session"].pk).update(date=timezone.localdate())  # within the feed's period
    client.force_login(pl_worker2)
    client.post(reverse("web:calendar_feed"), {"action": "rotate"})
    token = CalendarFeedToken.objects.get(user=pl_worker2).token
    assert token in client.get(reverse("web:calendar_feed")).content.decode()
    client.logout()

    response = client.get(reverse("web:calendar_feed_ics", args=[token]))

    assert response.status_code == 200 and response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = icalendar.Calendar.from_ical(response.content)
    summaries = sorted(str(e["summary"]) for e in cal.walk("VEVENT"))
    assert "Supervision: Group supervision" in summaries
    assert b"Burnout" not in response.content and b"rotate the night" not in response.content


def test_a_wrong_token_is_not_found(client, world, pl_worker):
    services.rotate_feed_token(pl_worker, on=DAY)
    for token in ("x" * 43, "nope", "A" * 200):
        assert client.get(reverse("web:calendar_feed_ics", args=[token])).status_code == 404


def test_a_rotated_token_is_not_found_and_the_new_one_works(client, pl_worker):
    old = services.rotate_feed_token(pl_worker, on=DAY).token
    client.force_login(pl_worker)
    client.post(reverse("web:calendar_feed"), {"action": "rotate"})
    client.logout()
    new = CalendarFeedToken.objects.get(user=pl_worker).token

    assert client.get(reverse("web:calendar_feed_ics", args=[old])).status_code == 404
    assert client.get(reverse("web:calendar_feed_ics", args=[new])).status_code == 200


def test_a_revoked_address_is_not_found(client, pl_worker):
    old = services.rotate_feed_token(pl_worker, on=DAY).token
    client.force_login(pl_worker)
    client.post(reverse("web:calendar_feed"), {"action": "revoke"})
    client.logout()
    assert client.get(reverse("web:calendar_feed_ics", args=[old])).status_code == 404
    assert not CalendarFeedToken.objects.exists()


# --- the home page ----------------------------------------------------------------------------------


def test_the_home_page_shows_the_month_with_busy_days(client, pl_worker, pl_centre):
    from django.utils import timezone

    today = timezone.localdate()
    CalendarEntry.objects.create(centre=pl_centre, kind="training", title="T", starts_on=today, ends_on=today)

    html = page(client, pl_worker, reverse("web:home"))

    assert 'id="home-month"' in html
    assert f'{today.day}<span class="visually-hidden">' in html and "Training" in html
