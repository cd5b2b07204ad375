"""Logging filter that keeps personal data out of logs.

Django's request logger attaches the request object and, for server errors, may format it; we keep
the method, path and status only. Query strings (which can carry a searched name or ID) are cut.
"""

import logging


class NoPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is not None:
            record.request = None
            record.msg = "%s %s"
            record.args = (getattr(request, "method", "?"), getattr(request, "path", "?"))
        if isinstance(record.args, tuple):
            record.args = tuple(_strip_query(a) for a in record.args)
        return True


def _strip_query(value):
    if isinstance(value, str) and "?" in value:
        return value.split("?", 1)[0] + "?…"
    return value
