from .models import Notification

# Set by accounts.backends on the user of a request: the unread count, read with the user row.
UNREAD_ATTR = "plantrack_unread_notifications"


def unread_notifications(request):
    """The unread count shown beside the bell in the top bar: read with the user of the request (no query of its
    own), or counted here for a user loaded another way."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count = getattr(user, UNREAD_ATTR, None)
    if count is None:
        count = Notification.objects.for_user(user).unread().count()
    return {"unread_notifications": count}
