"""Bank statements as CSV, read as a stream: a header row, then one line per booking.

Columns (names case-insensitive, in any order; comma or semicolon): `end_to_end_id`, `amount`, `currency`,
`booked_on` (YYYY-MM-DD), `status` (`paid` or `returned`; a column `returned` with yes/true/1 also works),
`reason_code` and `reason_text` (for returns). A decimal comma is accepted in `amount`."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

from socius.payments.bankfiles.camt053 import InvalidStatement, StatementHeader, StatementLine, checked_amount

REQUIRED = ("end_to_end_id", "amount")
TRUE = {"1", "true", "yes", "y", "returned", "tak", "da", "taip"}


def parse(stream, header: StatementHeader | None = None) -> Iterator[StatementLine]:
    if isinstance(stream, bytes | bytearray):
        stream = io.BytesIO(stream)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        first = text.readline()
        delimiter = ";" if first.count(";") > first.count(",") else ","
        names = [n.strip().lower() for n in next(csv.reader([first], delimiter=delimiter), [])]
        missing = [n for n in REQUIRED if n not in names]
        if missing:
            raise InvalidStatement(f"the CSV statement has no column {', '.join(missing)} in its first row")
        for number, values in enumerate(csv.reader(text, delimiter=delimiter), start=1):
            if not any(v.strip() for v in values):
                continue
            row = dict(zip(names, (v.strip() for v in values), strict=False))
            try:
                amount = checked_amount(row.get("amount", "").replace(" ", "").replace(",", "."))
                booked = row.get("booked_on", "")
                booked_on = dt.date.fromisoformat(booked) if booked else None
            except (ArithmeticError, ValueError) as exc:  # InvalidStatement is a ValueError: its message kept
                raise InvalidStatement(f"line {number + 1}: {exc}") from exc
            status = row.get("status", "").lower()
            returned = status == "returned" or row.get("returned", "").lower() in TRUE
            yield StatementLine(
                line=number,
                end_to_end_id=row.get("end_to_end_id", "")[:35],
                amount=amount,
                currency=row.get("currency", "").upper()[:3],
                booked_on=booked_on,
                returned=returned,
                reason_code=row.get("reason_code", "")[:4],
                reason_text=row.get("reason_text", "")[:200],
            )
    except UnicodeDecodeError as exc:
        raise InvalidStatement("the CSV statement is not UTF-8 text") from exc
    finally:
        text.detach()
