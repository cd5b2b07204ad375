"""socius.ops.logs.JsonFormatter: a fixed list of fields, the request's context, scrubbed database errors."""

import json
import logging
import sqlite3

from django.db import IntegrityError

from socius.common.context import bind_log_context, reset_log_context
from socius.ops.logs import JsonFormatter


def _record(msg="%s rows", args=(3,), exc_info=None, **extra) -> logging.LogRecord:
    record = logging.LogRecord("socius.test", logging.WARNING, __file__, 10, msg, args, exc_info)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def _format(record) -> dict:
    line = JsonFormatter().format(record)
    assert "\n" not in line
    return json.loads(line)


def test_a_line_holds_time_level_logger_message_and_the_listed_extras_only():
    record = _record(view="web:search", status=200, person_name="Kowalska", request=object(), args=(3,))
    record.created = 1796688000.25  # 2026-12-08 00:00:00.250 UTC

    assert _format(record) == {
        "time": "2026-12-08T00:00:00.250+00:00",
        "level": "WARNING",
        "logger": "socius.test",
        "message": "3 rows",
        "view": "web:search",
        "status": 200,
    }


def test_a_line_carries_the_request_id_of_its_context():
    token = bind_log_context(request_id="abc12345")
    try:
        line = _format(_record())
    finally:
        reset_log_context(token)

    assert line["request_id"] == "abc12345"
    assert "request_id" not in _format(_record())


def test_a_database_error_keeps_its_first_line_and_drops_the_rows_values():
    try:
        try:
            raise sqlite3.IntegrityError(
                "UNIQUE constraint failed\nDETAIL:  Key (national_id)=(44051401359) already exists."
            )
        except sqlite3.IntegrityError as inner:
            raise IntegrityError(*inner.args) from inner
    except IntegrityError:
        import sys

        line = _format(_record(exc_info=sys.exc_info()))

    assert line["error"] == "django.db.utils.IntegrityError: UNIQUE constraint failed"
    assert "44051401359" not in json.dumps(line)
    assert any("test_a_database_error_keeps_its_first_line" in frame for frame in line["traceback"])
    assert "exc_info" not in line


def test_another_error_keeps_its_text_and_never_its_local_variables():
    national_id = "44051401359"  # a local variable the traceback must not show
    try:
        raise ValueError(f"bad length {len(national_id)}")
    except ValueError:
        import sys

        line = _format(_record(exc_info=sys.exc_info()))

    assert line["error"] == "builtins.ValueError: bad length 11"
    assert national_id not in json.dumps(line.get("traceback", [])[:-1])
