"""django-axes, with a second limit per address: many user names tried from one address lock that address.

Axes locks a (user name, address) pair after AXES_FAILURE_LIMIT failures. An attacker who tries a few passwords on
each of many accounts never reaches that limit, so failures from one address are also summed over every user
name: at AXES_IP_FAILURE_LIMIT (higher, so that an office behind one address is not locked by a few typos) the
address itself is locked for the cool-off time. Both limits apply to every authentication that goes through
``django.contrib.auth.authenticate(request=...)``: the login page and the API token endpoint.
"""

import datetime

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone


class LockoutHandler(AxesDatabaseHandler):
    def address_failures(self, request) -> int:
        """Failures from the request's address within the cool-off time, whatever the user name."""
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0

    def address_locked(self, request) -> bool:
        return (
            settings.AXES_LOCK_OUT_AT_FAILURE
            and self.address_failures(request) >= settings.AXES_IP_FAILURE_LIMIT
        )

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or self.address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if self.is_whitelisted(request, credentials):
            return
        if self.address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=credentials.get(settings.AXES_USERNAME_FORM_FIELD) if credentials else None,
                ip_address=request.axes_ip_address,
            )


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
