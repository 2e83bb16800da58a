"""Where a request comes from, the same way for the security log and for django-axes."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address. Behind ``TRUSTED_PROXY_COUNT`` reverse proxies (nginx) the address is taken from
    ``X-Forwarded-For``, counting from the right so a client cannot forge it; otherwise ``REMOTE_ADDR``."""
    if request is None:
        return None
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR") or None
