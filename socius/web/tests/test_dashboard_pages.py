# ruff: noqa: F811
"""The dashboard page and the director's and team leaders' home (issue 12): who may see it, the filters and their
refusals, the htmx partial, charts each with a table of the same figures, links to the lists, and no audit (counts
name no one)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from socius.accounts.models import AuditEvent
from socius.reporting.tests.test_dashboard import area, data, staff  # noqa: F401 (fixtures)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def get(client, user, **params):
    client.force_login(user)
    return client.get(reverse("web:dashboard"), params)


def test_the_director_reads_the_dashboard_with_a_table_beside_each_chart(client, md_director, data, area):
    before = AuditEvent.objects.count()
    response = get(client, md_director, period="2026-10")
    assert response.status_code == 200
    html = response.content.decode()
    for heading in ("h-dash-caseload", "h-dash-activity", "h-dash-aid", "h-dash-reasons", "h-dash-map"):
        assert f'id="{heading}"' in html
    for chart, table in (
        ("chart-teams", "dash-teams-table"),
        ("chart-activity", "dash-activity-table"),
        ("chart-aid", "dash-aid-table"),
        ("chart-reasons", "dash-reasons-table"),
        ("chart-map", "dash-groups-table"),
    ):
        assert f'id="{chart}"' in html and f'id="{table}"' in html
    assert 'id="dash-budget-table"' in html and 'id="dash-localities-table"' in html
    # The ranked table: Coșnița first with its three contacts, linked to its diagnosis.
    groups = html[html.index('id="dash-groups-table"') :]
    assert re.search(
        r"<td class=\"num\">1</td>\s*<th scope=\"row\"><a href=\"[^\"]+territory=" + str(area["cosnita"].pk) + '">',
        groups,
    )
    assert f"{reverse('web:contact_list')}?date_from=2026-10-01&amp;date_to=2026-10-31" in html
    assert AuditEvent.objects.count() == before  # counts only: nothing audited


def test_the_directors_home_is_the_dashboard_above_the_centres_figures(client, md_director, data):
    client.force_login(md_director)
    html = client.get(reverse("web:home")).content.decode()
    assert 'id="h-dashboard"' in html and 'id="dashboard-body"' in html
    assert "The centre at a glance" in html  # the figures they had stay, below
    assert html.index('id="h-dashboard"') < html.index('id="h-figures"')
    assert "socius/dashboard.css" in html


def test_a_team_leaders_home_offers_their_teams_only(client, data, staff):
    client.force_login(staff["lead"])
    html = client.get(reverse("web:home")).content.decode()
    assert 'id="h-dashboard"' in html
    select = html[html.index('id="dash_team"') : html.index("</select>", html.index('id="dash_team"'))]
    assert "Team one" in select and "Team two" not in select and "All my teams" in select


def test_a_team_leader_asking_for_another_team_gets_a_400_naming_the_field(client, data, staff):
    response = get(client, staff["lead"], period="2026-10", team=staff["t2"].pk)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and "Team:" in html
    assert "Team two" not in html[html.index('id="dashboard-body"') :]


def test_a_bad_period_is_refused_on_its_field(client, md_director, data):
    response = get(client, md_director, period="2026-13")
    assert response.status_code == 400
    assert "Period: Enter a period such as" in response.content.decode()


@pytest.mark.parametrize("persona", ["md_worker"], indirect=True)
def test_staff_without_the_dashboard_are_refused_and_their_home_has_none(client, persona):
    client.force_login(persona)
    assert client.get(reverse("web:dashboard")).status_code == 403
    home = client.get(reverse("web:home"))
    assert home.context["dashboard"] is False and 'id="h-dashboard"' not in home.content.decode()


def test_finance_reads_reports_but_has_no_dashboard(client, pl_finance):
    client.force_login(pl_finance)
    assert client.get(reverse("web:dashboard")).status_code == 403


def test_the_filters_answer_htmx_with_the_body_only(client, md_director, data, area):
    client.force_login(md_director)
    response = client.get(
        reverse("web:dashboard"),
        {"period": "2026-10", "territory": area["cosnita"].pk, "measure": "home_visits"},
        headers={"HX-Request": "true", "HX-Target": "dashboard-body"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'id="h-dash-map"' in html
    assert "Home visits made by territory" in html and "Pohrebea" in html and "Oxentea" not in html
    assert "HX-Target" in response["Vary"]


def test_the_dashboard_renders_in_romanian(client, md_director, data):
    client.force_login(md_director)
    with translation.override("ro"):
        response = client.get(reverse("web:dashboard"), {"period": "2026-Q4"}, HTTP_ACCEPT_LANGUAGE="ro")
    assert response.status_code == 200
