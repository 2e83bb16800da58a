"""``/healthz``: is this app node fit to serve? For the load balancer and the monitoring, no login needed.

The answer names each check with ``ok`` or ``fail`` and nothing else (no versions, host names or counts: the
page is public); 200 when every check passes, 503 otherwise. Why a check failed goes to the log.
"""

import datetime
import logging
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

log = logging.getLogger(__name__)


def database_ok() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def cache_ok() -> bool:
    """The cache answers and keeps what it is given (with Redis: this node reaches the shared cache)."""
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    try:
        return cache.get(key) == value
    finally:
        cache.delete(key)


def queue_ok() -> bool:
    """The queue is readable and no task has waited for a worker longer than HEALTHZ_QUEUE_MAX_WAIT_SECONDS: a
    task waiting that long means no worker is running (or a dead worker's lease ran out and nobody took over)."""
    from django_q.models import OrmQ

    waited_since = timezone.now() - datetime.timedelta(seconds=settings.HEALTHZ_QUEUE_MAX_WAIT_SECONDS)
    return not OrmQ.objects.filter(lock__lte=waited_since).exists()


CHECKS = {"database": database_ok, "cache": cache_ok, "queue": queue_ok}


@login_not_required
@require_GET
@never_cache
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = bool(check())
        except Exception:
            log.exception("Health check %s failed", name)
            results[name] = False
        if not results[name]:
            log.warning("Health check %s: fail", name)
    healthy = all(results.values())
    return JsonResponse(
        {name: "ok" if passed else "fail" for name, passed in results.items()}, status=200 if healthy else 503
    )
