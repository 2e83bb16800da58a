"""A page's body rendered once and served from the cache until something it shows changes.

``cached_body(kind, versions=..., parts=..., render=...)`` returns the HTML ``render()`` makes, read from Django's
cache (Redis when configured, local memory otherwise) under a key made of ``versions`` (the tokens of
``core.versions`` for everything the body shows, read in one query by the caller), ``parts`` (everything else the
body depends on: what decides what the user may see, the request's parameters, the day) and the active language.
A version is replaced in the same transaction as any change it covers, so the first request after a commit misses
and renders the new state.

What goes in a cached body must be the same for every user with the same ``parts``: never a CSRF token, a
message, the user's name or anything else of one user or one request (the base template renders those around it).
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

TIMEOUT = 6 * 3600  # a version change makes an entry unreachable long before; this only frees memory
MAX_PARAMETERS = 300  # longer query strings are rendered without the cache (no cache entry per made-up URL)


def body_key(kind: str, versions: str, parts: tuple) -> str:
    digest = hashlib.sha256(repr((versions, parts, get_language())).encode()).hexdigest()[:40]
    return f"page:{kind}:{digest}"


def cached_body(
    kind: str, *, versions: str, parts: tuple, render: Callable[[], str], querystring: str = ""
) -> tuple[SafeString, bool]:
    """``(html, hit)``: the body for ``(kind, versions, parts, querystring, language)``, rendered by ``render``
    on a miss. ``querystring`` is part of the key; a very long one is never cached."""
    if len(querystring) > MAX_PARAMETERS:
        return mark_safe(render()), False  # noqa: S308 (HTML rendered by our templates)
    key = body_key(kind, versions, (*parts, querystring))
    html = cache.get(key)
    if html is not None:
        return mark_safe(html), True  # noqa: S308 (HTML rendered by our templates)
    html = str(render())
    cache.set(key, html, TIMEOUT)
    return mark_safe(html), False  # noqa: S308 (HTML rendered by our templates)
