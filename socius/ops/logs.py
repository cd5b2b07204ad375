"""Structured logs: one JSON object a line, carrying the request's or task's id and nothing about persons.

The fields are a fixed list (FIELDS): whatever else a library attaches to a record (Django's request object,
a task's arguments) is left out, so a name or an id of a person cannot slip in as an "extra". The message is
the logger's own text; socius.common.logging.NoPersonalDataFilter has already cut query strings and person ids
out of request paths. A database error's text is cut to its first line: PostgreSQL's DETAIL line quotes the
values of the row (a national ID in a unique-key violation).
"""

from __future__ import annotations

import logging
import traceback
from datetime import UTC, datetime

from pythonjsonlogger.json import JsonFormatter as _LibraryJsonFormatter

from socius.common.context import current_log_context

# Fields a log call may pass in `extra` (the request log's, the task log's); anything else is dropped.
FIELDS = ("view", "route", "method", "status", "duration_ms", "user_id", "centre_id", "outcome", "task", "task_id")


class JsonFormatter(_LibraryJsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)

    def add_fields(self, log_data: dict, record: logging.LogRecord, message_dict: dict) -> None:
        log_data["time"] = datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")
        log_data["level"] = record.levelname
        log_data["logger"] = record.name
        log_data["message"] = record.getMessage()
        log_data.update(current_log_context())
        for field in FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                log_data[field] = value
        if record.exc_info and record.exc_info[1] is not None:
            log_data["error"] = _error_of(record.exc_info[1])
            log_data["traceback"] = _frames_of(record.exc_info[2])
        if record.stack_info:
            log_data["stack"] = record.stack_info

    def formatException(self, ei) -> str:
        # The library adds the formatted exception as "exc_info"; add_fields writes our own, scrubbed one.
        return ""

    def process_log_record(self, log_data: dict) -> dict:
        log_data.pop("exc_info", None)
        return log_data


def _error_of(exception: BaseException) -> str:
    text = str(exception)
    if _is_database_error(exception):
        text = text.split("\n", 1)[0]
    return f"{type(exception).__module__}.{type(exception).__qualname__}: {text}"


def _is_database_error(exception: BaseException) -> bool:
    from django.db import Error as DatabaseError

    seen = exception
    while seen is not None:
        if isinstance(seen, DatabaseError) or type(seen).__module__.startswith(("psycopg", "sqlite3")):
            return True
        seen = seen.__cause__
    return False


def _frames_of(tb) -> list[str]:
    """Where it failed (file, line, function, source line): no local variables, no exception text."""
    return [
        f"{frame.filename}:{frame.lineno} in {frame.name}: {frame.line or ''}".rstrip()
        for frame in traceback.extract_tb(tb)
    ]
