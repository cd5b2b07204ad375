"""The cash payment list of a run as PDF (PL lista wypłat, MD listă de plată, LT išmokų žiniaraštis): the
run's cash payments (at the cashier, by post), one table per channel with a column for each recipient's
date and signature, and the totals; drawn in one language with the centre's letterhead (WeasyPrint, as
socius.web.pdf does for the other documents)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from socius.common.formatting import format_money, month_in_text
from socius.payments.statuses import CASH_CHANNELS, PaymentChannel, PaymentStatus

CONTENT_TYPE = "application/pdf"
TEMPLATE = "payments/cashlist.html"
PRINT_CSS = 'html, body { font-family: "DejaVu Sans" !important; } body { margin: 0 !important; }'


def file_name(run) -> str:
    return f"cash-{run.centre.code}-{run.month:%Y-%m}-{run.number}.pdf"


def cash_payments(run):
    from socius.payments.models import Payment

    return Payment.objects.filter(run=run, channel__in=list(CASH_CHANNELS)).exclude(status=PaymentStatus.CANCELLED)


def context(run, language: str) -> dict:
    rows = (
        cash_payments(run)
        .order_by("channel", "territory__name", "payee_name", "id")
        .values_list("channel", "payee_name", "person__national_id", "territory__name", "purpose", "amount", "currency")
    )
    groups: dict[str, dict] = defaultdict(lambda: {"rows": [], "total": Decimal(0), "count": 0, "currency": ""})
    grand, currency = Decimal(0), ""
    with translation.override(language):
        for channel, payee, national_id, territory, purpose, amount, currency in rows.iterator(chunk_size=2_000):
            group = groups[channel]
            group["rows"].append(
                {
                    "payee_name": payee,
                    "national_id": national_id or "",
                    "territory": territory or "",
                    "purpose": purpose,
                    "amount": format_money(amount, currency, language),
                }
            )
            group["total"] += amount
            group["count"] += 1
            group["currency"] = currency
            grand += amount
        out = []
        for channel in (PaymentChannel.CASHIER, PaymentChannel.POST):
            if channel in groups:
                group = groups[channel]
                out.append(
                    {
                        **group,
                        "label": str(PaymentChannel(channel).label),
                        "total": format_money(group["total"], group["currency"], language),
                    }
                )
        month_label = month_in_text(run.month)  # "Payments for grudzień 2026, run no. 1"
    return {
        "run": run,
        "centre": run.centre,
        "issued_on": timezone.localdate(),
        "groups": out,
        "grand_total": format_money(grand, currency, language) if currency else "",
        "month_label": month_label,
        "run_label": f"{run.month:%Y-%m}/{run.number}",
    }


def pdf(run, language: str) -> bytes:
    """The run's cash payment list as PDF bytes, in `language`."""
    from weasyprint import CSS, HTML  # heavy: imported only when a list is drawn

    with translation.override(language):
        html = render_to_string(TEMPLATE, {**context(run, language), "document_language": language})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=[CSS(string=PRINT_CSS)])
