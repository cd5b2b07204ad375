"""Every UI view declares who may use it (web.access), and the declaration is what the server enforces."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from socius.accounts.roles import CAPABILITIES, Role
from socius.testing.factories import UserFactory
from socius.web.access import AUTHENTICATED, PUBLIC

# Admin and API have their own rules (Django admin's staff check, DRF permission classes).
OWN_RULES = ("admin/", "api/")
KNOWN = {PUBLIC, AUTHENTICATED} | {cap for caps in CAPABILITIES.values() for cap in caps}


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, route, ns)
        elif isinstance(entry, URLPattern):
            yield route, (f"{namespace}{entry.name}" if entry.name else None), entry.callback


def ui_views():
    return [
        (route, name, view)
        for route, name, view in walk(get_resolver().url_patterns)
        if not route.startswith(OWN_RULES)
    ]


def url_for(name, route):
    kwargs = {"pk": 1} if "<int:pk>" in route else {}
    if "<slug:name>" in route:
        kwargs["name"] = "visits"  # a case page's section
    if "<slug:action>" in route:
        kwargs["action"] = "suspend"  # a proposed change of a benefit decision
    if "<slug:slug>" in route and name.startswith("web:statistics"):
        kwargs["slug"] = "mrpips-03"  # a statutory report (issue 12)
    return reverse(name, kwargs=kwargs or None)


UI_VIEWS = ui_views()
PROTECTED = [(route, name, view) for route, name, view in UI_VIEWS if view.socius_permission != PUBLIC]


def test_the_walk_sees_the_ui():
    names = {name for _route, name, _view in UI_VIEWS}
    assert {"web:home", "web:search", "web:person_detail", "web:household_list", "login", "logout"} <= names
    benefits = {"web:benefit_calculator", "web:benefit_queue", "web:household_benefits", "web:benefit_application_new"}
    benefits |= {"web:benefit_application", "web:benefit_proposal", "web:benefit_decision", "web:benefit_decision_pdf"}
    benefits |= {"web:benefit_decision_approve", "web:benefit_decision_return", "web:benefit_decision_change"}
    assert benefits <= names
    community = {
        "web:outreach_list",
        "web:outreach_new",
        "web:outreach_event",
        "web:outreach_held",
        "web:outreach_edit",
    }
    community |= {"web:outreach_cancel", "web:outreach_replan", "web:outreach_recipient_new", "web:territory_view"}
    community |= {"web:outreach_follow_up_done", "web:potential_recipients", "web:recipient_contact"}
    community |= {"web:recipient_refer", "web:recipient_dismiss", "web:recipient_reopen", "web:community_diagnosis"}
    assert community <= names
    services = {"web:services_catalogue", "web:service_decisions", "web:service_decision", "web:service_decision_new"}
    services |= {"web:service_decision_pdf", "web:service_waiting_list", "web:service_waiting_new"}
    services |= {"web:service_decision_issue", "web:service_decision_copayment", "web:service_offer_edit"}
    services |= {"web:service_decision_edit", "web:service_provider_new", "web:service_worker_new"}
    assert services <= names
    calendar = {"web:calendar", "web:calendar_entry_new", "web:calendar_entry", "web:calendar_feed"}
    calendar |= {"web:calendar_feed_ics", "web:supervisions", "web:supervision_new", "web:supervision"}
    assert calendar <= names
    assert {"web:statistics", "web:statistics_report", "web:statistics_export"} <= names


def test_the_private_calendar_feed_is_the_calendars_only_public_view():
    public = {name for _route, name, view in UI_VIEWS if view.socius_permission == PUBLIC}
    assert "web:calendar_feed_ics" in public
    assert not {"web:calendar", "web:calendar_feed", "web:supervisions", "web:supervision"} & public


@pytest.mark.parametrize(("route", "name", "view"), UI_VIEWS, ids=[r for r, _n, _v in UI_VIEWS])
def test_every_ui_view_declares_a_known_permission(route, name, view):
    assert getattr(view, "socius_permission", None) in KNOWN, f"{route} ({name}) declares no permission"


@pytest.mark.parametrize(("route", "name", "view"), PROTECTED, ids=[r for r, _n, _v in PROTECTED])
def test_anonymous_visitors_are_sent_to_login(client, db, route, name, view):
    url = url_for(name, route)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("role", list(Role))
def test_each_role_is_refused_exactly_the_views_it_lacks_the_capability_for(client, pl_centre, role):
    user = UserFactory(centre=pl_centre, role=role)
    client.force_login(user)
    for route, name, view in PROTECTED:
        status = client.get(url_for(name, route)).status_code
        cap = view.socius_permission
        # A page of two rights (services: who orders them or reads them all) names the second beside.
        also = getattr(view, "socius_or_capability", None)
        if cap == AUTHENTICATED or user.can(cap) or (also and user.can(also)):
            assert status not in (302, 403), f"{role} refused {route}"
        else:
            assert status == 403, f"{role} allowed {route}"


def test_staff_without_a_centre_are_refused(client, db):
    user = UserFactory(centre=None)
    client.force_login(user)
    for route, name, _view in PROTECTED:
        assert client.get(url_for(name, route)).status_code == 403, route


def test_the_walk_sees_the_dashboard():
    names = {name: view for _route, name, view in UI_VIEWS}
    assert names["web:dashboard"].socius_permission == "view_dashboard"
