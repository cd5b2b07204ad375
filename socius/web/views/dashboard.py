"""UI view of the director's and team leaders' dashboard (issue 12), also drawn on their home page: caseload and
overdue items, contacts and visits per month, aid paid against the budget, reasons for assistance and results by
territory (a choropleth of the territorial tree and ranked tables). Filters: period, territory, team, measure.

Counts only (socius.reporting.dashboard): nothing here names a person, so nothing is audited; each figure links to
the list or report that shows (and audits) the records behind it.
"""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socius.accounts.roles import VIEW_DASHBOARD
from socius.common.errors import ValidationFailed
from socius.reporting import charts
from socius.reporting.dashboard import (
    MEASURES,
    Dashboard,
    class_of,
    classes_of,
    dashboard_filters,
    dashboard_for,
    teams_for,
)
from socius.reporting.permissions import can_view_dashboard
from socius.web.access import requires
from socius.web.forms_community import territory_field
from socius.web.views._helpers import add_domain_errors, domain_404

TARGET = "dashboard-body"  # the element the filters' htmx request replaces


class DashboardFilterForm(forms.Form):
    """The dashboard's filters (GET); `reporting.dashboard.dashboard_filters` checks them."""

    period = forms.CharField(
        label=gettext_lazy("Period"),
        required=False,
        max_length=10,
        help_text=gettext_lazy("A month (2026-10), a quarter (2026-Q3), a half year (2026-H1) or a year (2026)."),
    )
    territory = forms.Field(required=False)  # replaced in __init__ by the centre's tree
    team = forms.TypedChoiceField(label=gettext_lazy("Team"), required=False, coerce=int, empty_value=None)
    measure = forms.ChoiceField(label=gettext_lazy("Results by territory"), required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"] = territory_field(
            actor, label=gettext_lazy("Territory"), required=False, empty_label=gettext_lazy("Whole centre")
        )
        teams = list(teams_for(actor))
        everyone = _("Whole centre") if actor.role == "director" else _("All my teams")
        self.fields["team"].choices = [("", everyone), *[(t.pk, t.label) for t in teams]]
        self.fields["measure"].choices = [(k, v) for k, v in MEASURES.items()]


def _reverse(name: str, *args) -> str | None:
    """A route of another part that may not be merged yet (the report pages): None until it exists."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def report_url(period_key: str, territory_id: int | None) -> str | None:
    """The monthly activity report of a month (and territory): the report's page and its drill-down lists."""
    base = _reverse("web:report_monthly")
    if base is None or len(period_key) != 7:
        return None
    return f"{base}?month={period_key}" + (f"&territory={territory_id}" if territory_id else "")


def _fmt(value) -> str:
    from decimal import Decimal

    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    return number_format(value, use_l10n=True, force_grouping=True)


def build_context(actor, params) -> tuple[dict, int]:
    """The dashboard's context from the GET parameters (the defaults when none), and the status (400 when a
    filter is refused: the dashboard then shows the defaults with the errors beside the filters)."""
    form = DashboardFilterForm(params or None, actor=actor, auto_id="dash_%s")
    status = 200
    raw = {}
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            raw = {
                "period": data.get("period"),
                "territory": data.get("territory"),
                "team": data.get("team"),
                "measure": data.get("measure"),
            }
        else:
            status = 400
    try:
        filters = dashboard_filters(actor, **raw)
    except ValidationFailed as exc:
        add_domain_errors(form, exc)
        status = 400
        filters = dashboard_filters(actor)
    if not form.is_bound:
        form = DashboardFilterForm(
            initial={"period": filters.period.key, "measure": filters.measure}, actor=actor, auto_id="dash_%s"
        )
    dashboard = dashboard_for(actor, filters)
    return {"dash_form": form, "dash": dashboard, **_charts(dashboard)}, status


def _charts(d: Dashboard) -> dict:
    """The charts of the dashboard, each drawn from the same figures as the table beside it."""
    months = [m.period.start for m in d.months]
    from django.utils import formats

    month_labels = [formats.date_format(m, "M y") for m in months]
    trend = charts.trend_svg(
        [(_("Contacts"), [m.contacts for m in d.months]), (_("Home visits"), [m.visits for m in d.months])],
        month_labels,
        title=_("Contacts and home visits per month"),
        description=_("Two lines over the last 12 months; the table below gives every figure."),
        chart_id="chart-activity",
    )
    caseload = charts.bar_chart_svg(
        [(line.team.label, line.open_cases) for line in d.teams],
        title=_("Open cases per team"),
        description=_("One bar per team; the table below gives every figure."),
        chart_id="chart-teams",
    )
    aid = charts.bar_chart_svg(
        [(line.label, line.amount) for line in d.aid_by_benefit],
        title=_("Aid paid per benefit"),
        description=_("One bar per benefit, the amount paid in the period; the table below gives every figure."),
        chart_id="chart-aid",
    )
    reasons = charts.bar_chart_svg(
        [(line.label, line.cases) for line in d.reasons],
        title=_("Reasons for assistance"),
        description=_("Cases worked in the period per qualifying circumstance; the table below gives every figure."),
        chart_id="chart-reasons",
        label_width=260,
    )
    # The choropleth: localities shaded by class of their figure; groups shaded by their own figure's class
    # among the groups.
    result = d.territories
    cell_bounds = classes_of([n.value for n in result.localities])
    group_bounds = classes_of([n.value for n in result.groups])
    measure_label = str(MEASURES[result.measure])
    period_key = d.period.key

    def link(node) -> str | None:
        return report_url(period_key, node.pk) or f"{reverse('web:community_diagnosis')}?territory={node.pk}"

    areas = []
    if result.root is not None:
        by_pk = {n.pk: n for n in result.localities}
        for group in sorted(result.groups, key=lambda n: n.name):
            below = [by_pk[pk] for pk in _subtree_pks(group) if pk in by_pk]
            areas.append(
                charts.MapArea(
                    name=group.name,
                    value_text=_fmt(group.value),
                    shade=class_of(group.value, group_bounds),
                    href=link(group),
                    children=tuple(
                        charts.MapArea(n.name, _fmt(n.value), class_of(n.value, cell_bounds), link(n))
                        for n in sorted(below, key=lambda n: n.name)
                    ),
                )
            )
    choropleth = charts.choropleth_svg(
        areas,
        title=_("%(measure)s by territory, %(period)s") % {"measure": measure_label, "period": d.period.label()},
        chart_id="chart-map",
    )
    legend = [
        {"swatch": charts.shade_legend_svg(0, chart_id="chart-map"), "label": _("None")},
        *[
            {
                "swatch": charts.shade_legend_svg(index, chart_id="chart-map"),
                "label": _("up to %(value)s") % {"value": _fmt(high if result.is_money else int(high))},
            }
            for index, (_low, high) in enumerate(cell_bounds or group_bounds, start=1)
        ],
    ]
    total_groups = result.total or 0
    return {
        "chart_activity": trend,
        "chart_teams": caseload,
        "chart_aid": aid,
        "chart_reasons": reasons,
        "chart_map": choropleth,
        "map_legend": legend,
        "measure_label": measure_label,
        "group_rows": [
            {"rank": i, "node": n, "share": _share(n.value, total_groups), "href": link(n)}
            for i, n in enumerate(result.groups, start=1)
        ],
        "locality_rows": [
            {"rank": i, "node": n, "share": _share(n.value, total_groups), "href": link(n)}
            for i, n in enumerate(result.localities, start=1)
        ],
        "report_url": report_url(period_key, d.filters.territory.pk if d.filters.territory else None),
        "month_rows": [
            {
                "activity": m,
                "contacts_href": f"{reverse('web:contact_list')}?date_from={m.period.start:%Y-%m-%d}"
                f"&date_to={m.period.last_day:%Y-%m-%d}",
                "report_href": report_url(m.period.key, d.filters.territory.pk if d.filters.territory else None),
            }
            for m in d.months
        ],
    }


def _subtree_pks(node) -> list[int]:
    found, stack = [], list(node.children)
    while stack:
        current = stack.pop()
        found.append(current.pk)
        stack.extend(current.children)
    return found


def _share(value, total):
    from decimal import Decimal

    if not total:
        return None
    return (Decimal(value) * 100 / Decimal(total)).quantize(Decimal("0.1"))


def home_dashboard(actor) -> dict | None:
    """The dashboard with its defaults, for the home page of those who may see it (None for the others)."""
    if not can_view_dashboard(actor):
        return None
    context, _status = build_context(actor, None)
    return context


@requires(VIEW_DASHBOARD)
@domain_404
def dashboard(request):
    actor = request.user
    context, status = build_context(actor, request.GET)
    partial = bool(request.htmx) and request.htmx.target == TARGET
    template = "web/dashboard/_body.html" if partial else "web/dashboard/page.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response
