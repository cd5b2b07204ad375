"""Celery tasks of funds: thin wrappers around socius.payments.funds (inline when no broker is configured)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="socius.payments.renew_commitments")
def renew_commitments_task(year: int | None = None, centre_id: int | None = None) -> dict:
    """At the year's change (beat, early January): commit `year` (default: the current year) for the open-ended
    grants of one centre, or of every centre; a centre whose fund has too little is reported, the others are
    committed."""
    from django.utils import timezone

    from socius.accounts.models import Centre
    from socius.payments.errors import BudgetExceeded
    from socius.payments.funds import renew_commitments

    year = year or timezone.localdate().year
    centre_ids = [centre_id] if centre_id else list(Centre.objects.order_by("pk").values_list("pk", flat=True))
    result: dict = {"committed": {}, "refused": {}}
    for pk in centre_ids:
        try:
            result["committed"][pk] = renew_commitments(pk, year)
        except BudgetExceeded as exc:
            result["refused"][pk] = str(exc.message)
    return result
