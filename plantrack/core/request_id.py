"""A request id in every log line: of the request being served, or of the request that queued the task.

The id comes from nginx's ``X-Request-ID`` header when the proxy is trusted (``TRUSTED_PROXY_COUNT`` > 0, and
nginx sets it with ``proxy_set_header X-Request-ID $request_id``) and looks like one; otherwise a new random one.
It is sent back in the response's ``X-Request-ID`` header, so a user's report of an error can be matched with the
log. ``plantrack.core.queue`` hands it to the task, which logs under the same id in the worker.
"""

import contextvars
import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

HEADER = "X-Request-ID"
# What we accept from the proxy: nginx's $request_id is 32 hex digits; a UUID with dashes is fine too. Anything
# else (a client's own header passed through, a line break to forge log lines) is replaced.
_ACCEPTED = re.compile(r"^[A-Za-z0-9-]{8,64}$")
NO_REQUEST = "-"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("plantrack_request_id", default=NO_REQUEST)


def current() -> str:
    """The id of the request (or task) being handled, ``"-"`` outside of both."""
    return _current.get()


def new_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def bound(request_id: str) -> Iterator[None]:
    """Log under ``request_id`` inside the block (a task run for a request)."""
    token = _current.set(request_id if _ACCEPTED.match(request_id or "") else new_id())
    try:
        yield
    finally:
        _current.reset(token)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get(HEADER, "") if settings.TRUSTED_PROXY_COUNT > 0 else ""
        request_id = offered if _ACCEPTED.match(offered) else new_id()
        request.request_id = request_id
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    """Adds ``record.request_id`` (``"-"`` outside a request or task) for the formatters."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _current.get()
        return True
