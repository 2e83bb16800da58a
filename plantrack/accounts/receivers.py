from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from .gates import OTP_ENROLLED_SESSION_KEY


@receiver(user_logged_in, dispatch_uid="plantrack_accounts_logged_in")
def remember_gate_state(sender, request, user, **kwargs):
    # Read once per login (login keeps session data when the same user signs in again, so it is always re-read),
    # so that ordinary page requests cost no query for the second-factor gate.
    if request is not None and hasattr(request, "session"):
        request.session[OTP_ENROLLED_SESSION_KEY] = TOTPDevice.objects.filter(
            user=user, confirmed=True
        ).exists()
