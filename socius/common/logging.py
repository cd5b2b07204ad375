"""Logging filter that keeps personal data out of logs.

Django's request logger attaches the request object and, for server errors, may format it; we keep
the method and where the request went only. Query strings (which can carry a searched name or ID) are cut;
a path is written as the URL conf's route (`/persons/<int:pk>/`), never with the id of the person in it.
"""

import logging
import re


class NoPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is not None:
            record.request = None
            record.msg = "%s %s"
            record.args = (getattr(request, "method", "?"), route_of(request))
        if isinstance(record.args, tuple):
            record.args = tuple(_strip_query(a) for a in record.args)
        return True


_SEGMENT_WITH_DIGITS = re.compile(r"[^/]*\d[^/]*")


def route_of(request) -> str:
    """The URL conf's route the request matched (`/persons/<int:pk>/`); for a path no route matched, the path
    with every segment that holds a digit masked (an id, a national ID number, a date of birth)."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.route:
        return "/" + match.route.replace("^", "").replace("$", "")  # DRF's routers write regular expressions
    path = getattr(request, "path", "?")
    return _SEGMENT_WITH_DIGITS.sub("…", path)


def _strip_query(value):
    if isinstance(value, str) and "?" in value:
        return value.split("?", 1)[0] + "?…"
    return value
