"""What payments offer the read models of `socius.desk`: payment rows on the household and person timelines
(paid, returned, cancelled, or sent to the bank, with the benefit's name and the amount in the reader's
language). Payments are not case events, so the case timeline has none. Readers of every payment
(finance, the director, auditors) see all of the subject's payments; others only those of decisions on
the cases whose content they read."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socius.common.formatting import format_money, month_in_text
from socius.common.timeline import Group, HistoryScope, TimelineItem, TimelineSource, case_link, day_start
from socius.payments.models import Payment
from socius.payments.permissions import reads_every_payment
from socius.payments.statuses import PaymentStatus
from socius.rulebook.engine.benefits import UnknownBenefit
from socius.rulebook.engine.jurisdiction import benefit_definition

PAYMENT = Group("payment", gettext_lazy("Payments"), 80, in_case_timeline=False)


def timeline_source() -> TimelineSource:
    return TimelineSource(groups=(PAYMENT,), history=history)


def _benefit(payment: Payment) -> str:
    if not payment.benefit:
        return payment.purpose or payment.payee_name
    try:
        from django.utils.translation import get_language

        return benefit_definition(payment.benefit).label_in(get_language())
    except UnknownBenefit:
        return payment.benefit


def _when(payment: Payment) -> dt.datetime:
    """A payment sits on the day the bank paid or returned it; before that, when its run was prepared."""
    day = payment.paid_on or payment.returned_on
    return day_start(day) if day else payment.created_at


def _title(payment: Payment) -> str:
    month = month_in_text(payment.month)
    return _("Payment for %(month)s: %(benefit)s") % {"month": month, "benefit": _benefit(payment)}


def _detail(payment: Payment) -> str:
    parts = [format_money(payment.amount, payment.currency), str(payment.get_status_display())]
    if payment.status == PaymentStatus.RETURNED and payment.return_code:
        parts.append(_("returned by the bank (%(code)s)") % {"code": payment.return_code})
    return " · ".join(parts)


def history(scope: HistoryScope) -> list[TimelineItem]:
    """The subject's payments, newest first (one query): on a household's timeline its own payments and
    its members'; on a person's, theirs."""
    if PAYMENT.code not in scope.wanted:
        return []
    who = Q(person_id__in=scope.person_ids)
    if scope.household_id is not None:
        who |= Q(household_id=scope.household_id)
    payments = Payment.objects.filter(who, centre_id=scope.actor.centre_id)
    every = reads_every_payment(scope.actor)
    if not every:
        if not scope.readable_ids:
            return []
        payments = payments.filter(decision__case_id__in=scope.readable_ids)
    payments = payments.annotate(case_id=F("decision__case_id")).order_by("-month", "-id")[: scope.limit]
    items = []
    for p in payments:
        # A decision's payment names its case (as the case's other rows do); the run's page is for those
        # who read every payment, the others follow the case.
        case_id = p.case_id if p.case_id in scope.refs else None
        if every:
            link = reverse("web:payment_run", args=[p.run_id]) + f"#payment-{p.pk}"
        else:
            link = case_link(case_id) if case_id else None
        items.append(
            TimelineItem(
                at=_when(p),
                kind=PAYMENT.code,
                title=_title(p),
                link=link,
                case_id=case_id,
                case_reference=scope.refs[case_id] if case_id else "",
                detail=_detail(p),
                sort_id=p.pk,
                all_day=bool(p.paid_on or p.returned_on),
            )
        )
    return items
