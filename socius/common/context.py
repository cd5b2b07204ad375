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
