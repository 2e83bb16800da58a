"""Reads over django-axes' login-failure records: who is locked out, how many tries remain, until when."""

import datetime

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone


def usernames_locked_out() -> set[str]:
    """User names locked out of the login (from at least one address) right now, in one query.

    django-axes counts failures per user name and address (AXES_LOCKOUT_PARAMETERS) and keeps one row per browser
    too, so the rows of a pair are added up, as axes does."""
    cool_off = get_cool_off()
    attempts = AccessAttempt.objects.all()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    pairs = (
        attempts.values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )
    return {row["username"] for row in pairs}


def login_failures_left(*, request, username: str) -> int:
    """How many more wrong passwords ``username`` may type from this address before the lockout."""
    failures = AxesProxyHandler.get_failures(request, {"username": username})
    return max(settings.AXES_FAILURE_LIMIT - failures, 0)


def login_locked_until(*, request, username: str) -> datetime.datetime | None:
    """When the lockout of ``username`` from this address ends (the cool-off counts from the last failure)."""
    cool_off = get_cool_off(request)
    if cool_off is None or not username:
        return None
    AxesProxyHandler.update_request(request)
    last = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).aggregate(
        last=Max("attempt_time")
    )["last"]
    return last + cool_off if last else None
