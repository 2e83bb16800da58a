"""django-axes, with a second limit per address: many user names tried from one address lock that address.

Axes locks a (user name, address) pair after AXES_FAILURE_LIMIT failures. An attacker who tries a few passwords on
each of many accounts never reaches that limit, so failures from one address are also summed over every user
name: at AXES_IP_FAILURE_LIMIT (higher, so that an office behind one address is not locked by a few typos) the
address itself is locked for the cool-off time. Both limits apply to every authentication that goes through
``django.contrib.auth.authenticate(request=...)``: the login page and the API token endpoint.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum


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
