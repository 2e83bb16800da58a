from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .gates import OTP_ENROLLED_SESSION_KEY


@receiver(user_logged_in, dispatch_uid="plantrack_accounts_logged_in")
def forget_cached_gate_state(sender, request, user, **kwargs):
    # Login keeps session data when the same user signs in again; the enrolment flag must be read afresh.
    if request is not None and hasattr(request, "session"):
        request.session.pop(OTP_ENROLLED_SESSION_KEY, None)
