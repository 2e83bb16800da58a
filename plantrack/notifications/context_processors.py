from .models import Notification


def unread_notifications(request):
    """The unread count shown beside the bell in the top bar (one COUNT query per page for signed-in users)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.for_user(user).unread().count()}
