"""The centre's settings at /admin-centre/centre/: name and letterhead, by the centre's administrator only."""

import pytest
from django.urls import reverse

from socius.accounts.models import AuditEvent, Centre
from socius.accounts.services_centre import update_centre_settings
from socius.common.errors import Forbidden, ValidationFailed

URL = reverse("web:centre_settings")
LETTERHEAD = {
    "name": "Gminny Ośrodek Pomocy Społecznej w Moszczenicy",
    "address": "ul. Piotrkowska 21, 97-310 Moszczenica",
    "locality": "Moszczenica",
    "phone": "+48 44 616 10 20",
    "email": "gops@moszczenica.example",
}


def settings_of(centre: Centre) -> dict:
    centre.refresh_from_db()
    return {name: getattr(centre, name) for name in LETTERHEAD}


def test_the_administrator_sets_the_letterhead_and_it_is_audited(client, pl_admin, pl_centre):
    client.force_login(pl_admin)

    response = client.post(URL, LETTERHEAD, follow=True)

    assert response.status_code == 200
    assert settings_of(pl_centre) == LETTERHEAD
    event = AuditEvent.objects.get(object_type="centre", object_id=pl_centre.pk)
    assert (event.action, event.actor, event.centre_id) == ("update", pl_admin, pl_centre.pk)
    assert event.changes["locality"] == ["", "Moszczenica"]
    assert "The centre&#x27;s settings have been saved." in response.content.decode()


def test_the_form_shows_the_current_values_and_is_linked_from_the_administration(client, pl_admin, pl_centre):
    update_centre_settings(pl_admin, LETTERHEAD)
    client.force_login(pl_admin)

    html = client.get(URL).content.decode()

    assert 'value="ul. Piotrkowska 21, 97-310 Moszczenica"' in html and 'value="Moszczenica"' in html
    assert f'href="{URL}"' in client.get(reverse("web:staff_list")).content.decode()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "   "}, "name"),
        ({"phone": "call me"}, "phone"),
        ({"email": "not an address"}, "email"),
        ({"locality": "x" * 101}, "locality"),
    ],
)
def test_bad_values_are_refused_beside_their_field_and_nothing_changes(client, pl_admin, pl_centre, changes, field):
    update_centre_settings(pl_admin, LETTERHEAD)
    before, events = settings_of(pl_centre), AuditEvent.objects.count()
    client.force_login(pl_admin)

    response = client.post(URL, {**LETTERHEAD, **changes})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert settings_of(pl_centre) == before and AuditEvent.objects.count() == events


def test_the_service_refuses_what_the_form_would_let_through(pl_admin, pl_centre):
    with pytest.raises(ValidationFailed) as refused:
        update_centre_settings(pl_admin, {"phone": "12", "name": ""})
    assert set(refused.value.errors) == {"phone", "name"}


@pytest.mark.parametrize("persona", ["pl_worker", "pl_director", "pl_auditor"])
def test_other_roles_may_not_change_the_settings(client, request, persona, pl_centre):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    before = settings_of(pl_centre)

    assert client.post(URL, LETTERHEAD).status_code == 403
    assert settings_of(pl_centre) == before
    with pytest.raises(Forbidden):
        update_centre_settings(user, LETTERHEAD)


def test_an_administrator_changes_only_their_own_centre(client, pl_admin, pl_centre, md_centre):
    md_before = settings_of(md_centre)
    client.force_login(pl_admin)
    client.post(URL, LETTERHEAD)
    assert settings_of(md_centre) == md_before


def test_an_unchanged_save_writes_no_event(pl_admin, pl_centre):
    update_centre_settings(pl_admin, LETTERHEAD)
    events = AuditEvent.objects.count()
    update_centre_settings(pl_admin, LETTERHEAD)
    assert AuditEvent.objects.count() == events


def test_the_audit_log_shows_the_change_in_words(client, pl_admin, pl_auditor, pl_centre):
    update_centre_settings(pl_admin, LETTERHEAD)
    client.force_login(pl_auditor)

    response = client.get(reverse("web:audit"), {"record_type": "centre"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "ul. Piotrkowska 21, 97-310 Moszczenica" in html and "Moszczenica" in html
