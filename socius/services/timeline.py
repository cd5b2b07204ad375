"""What social services offer the read models of `socius.desk` (decision 0016): on the person and household
timelines, the service decisions (drafted, issued, suspended, ended) and, per decision and month, what was
delivered (units) and missed.

Who sees them is who sees the decision (`permissions.can_view_decision`): those who see every service
(VIEW_SERVICES), the decision's drafter, and the readers of its case's content; a carer sees none. Services
keep no event table of their own, so the case timeline has no rows of them (the case page links its
decisions).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from socius.accounts.roles import Role
from socius.common.formatting import month_in_text
from socius.common.timeline import Group, HistoryScope, TimelineItem, TimelineSource, case_link, day_start
from socius.services.models import Delivery, ServiceDecision
from socius.services.permissions import can_view_all_services
from socius.services.statements import service_label
from socius.services.statuses import DecisionStatus, DeliveryOutcome, ServiceUnit

SERVICES = Group("services", gettext_lazy("Social services"), 85, in_case_timeline=False)


def timeline_source() -> TimelineSource:
    return TimelineSource(groups=(SERVICES,), history=history)


def _decision_link(decision: ServiceDecision, scope: HistoryScope) -> str | None:
    try:
        return reverse("web:service_decision", args=[decision.pk])
    except NoReverseMatch:  # the decision pages (svcweb) not there: the case, when the reader reads it
        return case_link(decision.case_id) if decision.case_id in scope.refs else None


def _visible(scope: HistoryScope):
    """The subject's decisions the reader may see, not counting drafts withdrawn."""
    actor = scope.actor
    if actor.role == Role.CARER or not actor.centre_id:
        return None
    who = Q(person_id__in=scope.person_ids)
    if scope.household_id is not None:
        who |= Q(household_id=scope.household_id)
    decisions = ServiceDecision.objects.filter(who, centre_id=actor.centre_id).exclude(status=DecisionStatus.CANCELLED)
    if not can_view_all_services(actor):
        decisions = decisions.filter(Q(case_id__in=scope.readable_ids) | Q(drafted_by_id=actor.pk))
    return decisions


def history(scope: HistoryScope) -> list[TimelineItem]:
    """Newest first, at most `limit` rows (two queries: the decisions, the months of their deliveries)."""
    if SERVICES.code not in scope.wanted:
        return []
    decisions_qs = _visible(scope)
    if decisions_qs is None:
        return []
    decisions = {d.pk: d for d in decisions_qs.order_by("-starts_on", "-id")[: scope.limit * 4]}
    if not decisions:
        return []
    language = get_language()
    units = dict(ServiceUnit.choices)
    items: list[TimelineItem] = []

    def item(decision, at, title, detail, *, all_day=True, sort_id=0):
        case_id = decision.case_id if decision.case_id in scope.refs else None
        items.append(
            TimelineItem(
                at=at,
                kind=SERVICES.code,
                title=title,
                link=_decision_link(decision, scope),
                case_id=case_id,
                case_reference=scope.refs[case_id] if case_id else "",
                detail=detail,
                sort_id=sort_id,
                all_day=all_day,
            )
        )

    for decision in decisions.values():
        service = service_label(decision.service_code.split(".")[0].upper(), decision.service_code, language)
        amount = _("%(quantity)s × %(unit)s %(per)s") % {
            "quantity": formats.number_format(decision.quantity.normalize(), use_l10n=True),
            "unit": units.get(decision.unit, decision.unit),
            "per": decision.get_per_display(),
        }
        period = _("from %(from)s") % {"from": formats.date_format(decision.starts_on, "SHORT_DATE_FORMAT")}
        if decision.ends_on:
            period = _("%(from)s – %(until)s") % {
                "from": formats.date_format(decision.starts_on, "SHORT_DATE_FORMAT"),
                "until": formats.date_format(decision.ends_on, "SHORT_DATE_FORMAT"),
            }
        item(
            decision,
            decision.created_at,
            _("Service decision drafted: %(service)s") % {"service": service},
            f"{amount} · {period}",
            all_day=False,
            sort_id=decision.pk * 10,
        )
        if decision.issued_on:
            item(
                decision,
                day_start(decision.issued_on),
                _("Service decision issued: %(service)s") % {"service": service},
                " · ".join(filter(None, [decision.number, amount, period])),
                sort_id=decision.pk * 10 + 1,
            )
        if decision.status == DecisionStatus.SUSPENDED:
            item(
                decision,
                decision.updated_at,
                _("Service suspended: %(service)s") % {"service": service},
                decision.number,
                all_day=False,
                sort_id=decision.pk * 10 + 2,
            )
        if decision.ended_on:
            item(
                decision,
                day_start(decision.ended_on),
                _("Service ended: %(service)s") % {"service": service},
                " · ".join(filter(None, [decision.number, decision.end_reason[:200]])),
                sort_id=decision.pk * 10 + 3,
            )
    delivered = Q(outcome=DeliveryOutcome.DELIVERED)
    months = (
        Delivery.objects.filter(decision_id__in=list(decisions))
        .annotate(month=TruncMonth("date"))
        .values("decision_id", "month")
        .annotate(
            units=Sum("units", filter=delivered),
            visits=Count("id", filter=delivered),
            missed=Count("id", filter=Q(outcome=DeliveryOutcome.MISSED)),
            last=Max("date"),
        )
        .order_by("-month", "decision_id")[: scope.limit]
    )
    for row in months:
        decision = decisions[row["decision_id"]]
        month = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
        service = service_label(decision.service_code.split(".")[0].upper(), decision.service_code, language)
        detail = _("%(units)s × %(unit)s delivered (%(visits)s), %(missed)s missed") % {
            # normalised: PostgreSQL sums to the column's scale (3.50), SQLite to the value (3.5)
            "units": formats.number_format(Decimal(row["units"] or 0).normalize(), use_l10n=True),
            "unit": units.get(decision.unit, decision.unit),
            "visits": row["visits"],
            "missed": row["missed"],
        }
        item(
            decision,
            day_start(row["last"]),
            _("%(service)s in %(month)s") % {"service": service, "month": month_in_text(month)},
            detail,
            sort_id=decision.pk * 10 + 5,
        )
    items.sort(key=lambda i: (i.at, i.sort_id), reverse=True)
    return items[: scope.limit]
