"""Which gate (if any) stands between a signed-in person and the rest of the site, in this order:

1. the second factor, for a user who has enrolled a TOTP device and has not entered a code in this session;
2. a password change, for an account created or reset by an administrator (PASSWORD_FORCE_CHANGE) or whose
   password is older than PASSWORD_MAX_AGE_DAYS (when that is set); demo accounts are never forced;
3. enrolment of a second factor, for coordinators and administrators when OTP_REQUIRED_FOR_PRIVILEGED is on.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Role
from .permissions import is_coordinator

OTP_ENROLLED_SESSION_KEY = "plantrack_otp_enrolled"


def otp_enrolled(*, request, user) -> bool:
    """Whether ``user`` has a confirmed TOTP device; remembered in the session so it costs one query per login."""
    cached = request.session.get(OTP_ENROLLED_SESSION_KEY)
    if cached is None:
        cached = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        request.session[OTP_ENROLLED_SESSION_KEY] = cached
    return cached


def otp_required(user) -> bool:
    # Any coordinator role counts, an extra one (accounts.Membership) included.
    return settings.OTP_REQUIRED_FOR_PRIVILEGED and (
        user.role in (Role.COORDINATOR, Role.ADMIN) or user.is_superuser or is_coordinator(user)
    )


def password_change_due(user) -> bool:
    if user.is_demo:
        return False
    if settings.PASSWORD_FORCE_CHANGE and user.must_change_password:
        return True
    max_age = settings.PASSWORD_MAX_AGE_DAYS
    if max_age > 0:
        changed = user.password_changed_at or user.date_joined
        return changed is None or timezone.now() - changed > timedelta(days=max_age)
    return False


def pending_gate(*, request, user) -> str | None:
    """The URL name of the page the person must go through first, or ``None``."""
    verified = getattr(user, "is_verified", None)
    is_verified = bool(verified and verified())
    if not is_verified and otp_enrolled(request=request, user=user):
        return "accounts:otp_verify"
    if password_change_due(user):
        return "accounts:password_change"
    if not is_verified and otp_required(user):
        return "accounts:otp_setup"
    return None
