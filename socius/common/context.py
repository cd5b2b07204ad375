"""Where the current request comes from, for the audit ("from where"), without passing request down."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    ip: str | None = None
    channel: str = "system"  # web, api, import, command, system


_NO_REQUEST = RequestOrigin()
_origin: ContextVar[RequestOrigin] = ContextVar("socius_request_origin", default=_NO_REQUEST)


def current_origin() -> RequestOrigin:
    return _origin.get()


def set_origin(origin: RequestOrigin):
    return _origin.set(origin)


def reset_origin(token) -> None:
    _origin.reset(token)


# What every log line of the current request or task carries (socius.ops.logs): the request's id, the task's
# name and id. Never personal data: these are identifiers of the work, not of the people it concerns.
_log_context: ContextVar[dict[str, str]] = ContextVar("socius_log_context", default={})  # noqa: B039


def current_log_context() -> dict[str, str]:
    return _log_context.get()


def bind_log_context(**fields: str):
    """Add fields to the log context until reset_log_context(token)."""
    return _log_context.set({**_log_context.get(), **fields})


def reset_log_context(token) -> None:
    _log_context.reset(token)
