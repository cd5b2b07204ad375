"""UI views: the home page and person search (full page, or an htmx partial for the live boxes)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from socius.accounts.audit import record_list_view
from socius.accounts.roles import ASSIGN_CASES, VIEW_REGISTRY, WORK_CASES, Role
from socius.desk.overview import centre_figures
from socius.desk.selectors import worker_desk_items
from socius.plans.selectors import flags_for_benefits
from socius.registry.selectors import attach_household_heads, list_persons_for, search_persons_for
from socius.web.access import AUTHENTICATED, requires
from socius.web.views.community_calendar import home_month
from socius.web.views.dashboard import home_dashboard
from socius.web.views.family_support_home import family_home
from socius.web.views.payments_home import payments_home
from socius.web.views.services_rosters import carer_day

# Ids of the elements the live search boxes fill (base.html header, home.html).
HEADER_TARGET = "header-search-results"
HOME_TARGET = "home-search-results"
HEADER_LIMIT = 8
LIVE_LIMIT = 20
PAGE_LIMIT = 50
MAX_QUERY_LENGTH = 100
RECENT_LIMIT = 8
HOME_FLAGS = 50  # the rest on the flags page


@requires(AUTHENTICATED)
def home(request, *args, **kwargs):
    """Each role's home: a worker's desk (what is due on their cases); for a team leader their teams'
    figures above their own desk, for the director the centre's figures (and their own desk only when
    something is due on it); for finance the cases flagged for benefits (socius.plans.selectors.flags_for_benefits)."""
    user = request.user
    if user.role == Role.CARER:
        return carer_day(request)  # a carer's home is their day of visits (issue 11)
    if user.role == Role.DATA_PROTECTION_OFFICER:
        from socius.web.views.privacy_registers import privacy_home

        return privacy_home(request)  # the DPO's home is the privacy registers (issue 13, decision 0024)
    recent = []
    if user.can(VIEW_REGISTRY):
        recent = list(list_persons_for(user).filter(created_by=user).order_by("-created_at", "-id")[:RECENT_LIMIT])
        record_list_view(user, object_type="person", person_ids=[p.pk for p in recent])
    # The worker's desk: what is due on their own cases (a fixed number of queries, socius.desk.selectors).
    desk = worker_desk_items(user) if user.can(WORK_CASES) else None
    figures = centre_figures(user) if user.can(ASSIGN_CASES) else None
    if figures is not None and user.role == Role.DIRECTOR and desk is not None and desk.is_empty:
        desk = None
    flags = flags_for_benefits(user, limit=HOME_FLAGS) if user.role == Role.FINANCE_OFFICER else None
    # Finance's home is its work (issue 9): this month's run, returns, balances, decisions starting or ending.
    pay = payments_home(user)
    # The family assistant's desk (issue 10): their families, actions and assessments due, hours, load vs cap.
    family = family_home(user)
    # The director's and team leaders' dashboard (issue 12), above their figures and desk.
    dashboard = home_dashboard(user)
    return render(
        request,
        "web/home.html",
        {
            **(dashboard or {}),
            "dashboard": dashboard is not None,
            "recent_persons": recent,
            "desk": desk,
            "figures": figures,
            "flags": flags,
            "flags_limit": HOME_FLAGS,
            "pay": pay,
            "family": family,
            # The centre's calendar (issue 11): this month, the days with something on (one query).
            "calendar_month": home_month(user),
        },
    )


@requires(VIEW_REGISTRY)
def search(request, *args, **kwargs):
    """Ranked persons for `q`: a compact list for the header box, a table for the home box, else a page."""
    query = (request.GET.get("q") or "").strip()[:MAX_QUERY_LENGTH]
    target = request.htmx.target if request.htmx else None
    if target in (HEADER_TARGET, HOME_TARGET):
        if not query:
            response = HttpResponse("")  # an empty popup hides itself (CSS :empty)
        else:
            is_header = target == HEADER_TARGET
            template = "web/search_popup.html" if is_header else "web/search_results.html"
            limit = HEADER_LIMIT if is_header else LIVE_LIMIT
            results = search_persons_for(request.user, query, limit=limit)
            record_list_view(request.user, object_type="person", person_ids=_shown(results), query=query)
            response = render(request, template, {"query": query, "results": results, "limit": limit})
    else:
        results = search_persons_for(request.user, query, limit=PAGE_LIMIT) if query else []
        record_list_view(request.user, object_type="person", person_ids=_shown(results), query=query)
        response = render(request, "web/search_page.html", {"query": query, "results": results, "limit": PAGE_LIMIT})
    # The same URL answers a partial or a page: caches and the back button must keep them apart.
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def _shown(results) -> list[int]:
    """Name each result's household by its head, as the desk does ("Anna Kowalska (household)", not
    "Household 12"), with one query; and return every person the results show, heads included, for the
    list's audit event (decision 0007)."""
    households = [m.household for p in results if (m := getattr(p, "current_membership", None)) is not None]
    attach_household_heads(households)
    heads = [h.head_member.pk for h in households if h.head_member is not None]
    return [p.pk for p in results] + heads
