"""Writes to notifications. ``notify`` is called by other apps' services inside their transaction."""

import contextlib
import contextvars
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification

_mail_suppressed = contextvars.ContextVar("plantrack_mail_suppressed", default=False)


@contextlib.contextmanager
def mail_suppressed():
    """Create in-app notifications but send no e-mail (used while loading demo data)."""
    token = _mail_suppressed.set(True)
    try:
        yield
    finally:
        _mail_suppressed.reset(token)


def notify(
    *, recipients: Iterable, subject: str, body: str = "", url: str = "", is_demo: bool = False
) -> int:
    """Create one in-app notification per distinct active recipient and queue the e-mail copies for commit.

    The mail goes out only if the surrounding transaction commits, so a refused transition never mails anyone.
    Returns the number of notifications created.
    """
    people = {u.pk: u for u in recipients if u is not None and u.is_active}
    if not people:
        return 0
    Notification.objects.bulk_create(
        Notification(recipient=u, subject=subject[:255], body=body, url=url, is_demo=is_demo)
        for u in people.values()
    )
    site = settings.PLANTRACK_SITE_URL.rstrip("/")
    text = body + (f"\n\n{site}{url}" if url else "")
    messages = [(subject, text, settings.DEFAULT_FROM_EMAIL, [u.email]) for u in people.values() if u.email]
    if messages and not _mail_suppressed.get():
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    return len(people)


def notification_mark_read(*, actor, notification: Notification) -> None:
    if notification.recipient_id != actor.pk:
        raise PermissionError("not the recipient")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, actor) -> int:
    return Notification.objects.for_user(actor).unread().update(read_at=timezone.now())
