"""Signal plumbing: authentication events go to the security log; a user's sessions end when the password
changes or the account is deactivated, whatever code path made the change (admin, services, shell)."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from .context import current_request
from .models import SecurityAction
from .services import security_event_record
from .sessions import SESSION_SEEN_KEY, SESSION_STARTED_KEY, session_track, session_untrack, user_sessions_end


@receiver(user_logged_in, dispatch_uid="plantrack_security_logged_in")
def on_logged_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    now = int(timezone.now().timestamp())
    request.session[SESSION_STARTED_KEY] = now
    request.session[SESSION_SEEN_KEY] = now
    session_track(request=request, user=user)
    security_event_record(actor=user, action=SecurityAction.LOGIN, request=request)


@receiver(user_logged_out, dispatch_uid="plantrack_security_logged_out")
def on_logged_out(sender, request, user, **kwargs):
    if request is None:
        return
    session = getattr(request, "session", None)
    if session is not None:
        session_untrack(session_key=session.session_key)
    if user is not None and not getattr(request, "plantrack_session_expired", None):
        security_event_record(actor=user, action=SecurityAction.LOGOUT, request=request)


@receiver(user_login_failed, dispatch_uid="plantrack_security_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    # ``credentials`` has the password already masked by Django; only the user name is kept.
    username = str(credentials.get("username", ""))[:150]
    detail = {"username": username}
    if request is not None and getattr(request, "axes_locked_out", False):
        detail["locked"] = True
    security_event_record(action=SecurityAction.LOGIN_FAILED, request=request, detail=detail)


@receiver(user_locked_out, dispatch_uid="plantrack_security_locked_out")
def on_locked_out(sender, request, username, ip_address, **kwargs):
    security_event_record(
        action=SecurityAction.LOCKOUT,
        request=request,
        target=username or "",
        detail={"username": username or "", "ip_address": ip_address or ""},
    )


@receiver(pre_save, dispatch_uid="plantrack_security_user_pre_save")
def on_user_pre_save(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or sender is not get_user_model() or instance.pk is None:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    instance._plantrack_was_active = (
        sender.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
    )


@receiver(post_save, dispatch_uid="plantrack_security_user_post_save")
def on_user_post_save(sender, instance, created, raw=False, **kwargs):
    if raw or created or sender is not get_user_model():
        return
    password_changed = getattr(instance, "_password", None) is not None
    deactivated = getattr(instance, "_plantrack_was_active", None) is True and not instance.is_active
    instance._plantrack_was_active = None
    if not (password_changed or deactivated):
        return
    keep = None
    request = current_request.get()
    # The person changing their own password stays signed in on this browser; every other session ends.
    if (
        password_changed
        and not deactivated
        and request is not None
        and getattr(request, "user", None) is not None
        and request.user.pk == instance.pk
    ):
        keep = request.session.session_key
    # Done at once rather than on commit: ending a session too many is harmless, one too few is not.
    user_sessions_end(user=instance, keep_session_key=keep)
