"""Staff read and type times in their centre's civil time: a Moldovan worker's 23:30 is Chișinău's 23:30."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from socius.casework.models import Contact

pytestmark = pytest.mark.django_db


def test_a_moldovan_workers_contact_at_2330_is_2330_in_chisinau_and_belongs_to_that_day(client, md_worker):
    client.force_login(md_worker)
    response = client.post(
        reverse("web:contact_create"),
        {"occurred_at": "2025-10-31 23:30", "channel": "office", "topics": ["housing"]},
    )
    assert response.status_code in (200, 302)
    contact = Contact.objects.filter(centre_id=md_worker.centre_id).order_by("-id").first()
    if contact is None:  # the form wants other fields in this pack: say which, rather than pass silently
        pytest.fail(response.content.decode()[:2000])
    chisinau = contact.occurred_at.astimezone(zoneinfo.ZoneInfo("Europe/Chisinau"))
    assert (chisinau.date(), chisinau.hour, chisinau.minute) == (dt.date(2025, 10, 31), 23, 30)
    assert contact.occurred_at == dt.datetime(2025, 10, 31, 21, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "persona,zone", [("md_worker", "Europe/Chisinau"), ("pl_worker", "Europe/Warsaw"), ("lt_worker", "Europe/Vilnius")]
)
def test_the_request_runs_in_the_centres_zone_and_leaves_it_afterwards(rf, request, persona, zone):
    from socius.web.middleware import CentreTimeZoneMiddleware

    seen = []
    page = rf.get("/")
    page.user = request.getfixturevalue(persona)
    CentreTimeZoneMiddleware(lambda r: seen.append(timezone.get_current_timezone_name()) or "ok")(page)
    assert seen == [zone]
    assert timezone.get_current_timezone_name() == "Europe/Warsaw"  # the settings' default outside a request
