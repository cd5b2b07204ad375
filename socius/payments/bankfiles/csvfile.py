"""A payment run as CSV: one row per payment (bank transfers and cash), UTF-8, comma-separated, a header row.
Read in batches with a server-side cursor, so a run of any size is written in bounded memory."""

from __future__ import annotations

import csv
import io

from socius.payments.statuses import PaymentStatus

CONTENT_TYPE = "text/csv"
COLUMNS = (
    "end_to_end_id",
    "payee_name",
    "channel",
    "iban",
    "amount",
    "currency",
    "month",
    "benefit",
    "purpose",
    "fund",
    "debtor_iban",
    "territory",
    "person_id",
    "status",
)


def file_name(run) -> str:
    return f"payments-{run.centre.code}-{run.month:%Y-%m}-{run.number}.csv"


def write(run, stream) -> int:
    """Write the run's payments (not cancelled) to `stream` (binary or text); returns the number of rows."""
    from socius.payments.models import Payment

    text = stream if isinstance(stream, io.TextIOBase) else io.TextIOWrapper(stream, encoding="utf-8", newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    rows = (
        Payment.objects.filter(run=run)
        .exclude(status=PaymentStatus.CANCELLED)
        .order_by("id")
        .values_list(
            "end_to_end_id",
            "payee_name",
            "channel",
            "iban",
            "amount",
            "currency",
            "month",
            "benefit",
            "purpose",
            "fund__code",
            "fund__debtor_iban",
            "territory__name",
            "person_id",
            "status",
        )
    )
    count = 0
    for row in rows.iterator(chunk_size=10_000):
        values = list(row)
        values[4] = f"{values[4]:.2f}"  # amount
        values[6] = f"{values[6]:%Y-%m}"  # month
        writer.writerow(["" if v is None else v for v in values])
        count += 1
    text.flush()
    if text is not stream:
        text.detach()
    return count
