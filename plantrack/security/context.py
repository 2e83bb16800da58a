"""The request being served, for plumbing that runs far from the view (model signal receivers)."""

from contextvars import ContextVar

current_request: ContextVar = ContextVar("plantrack_current_request", default=None)
