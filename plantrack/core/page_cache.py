"""A page's body rendered once and served from the cache until something it shows changes.

``cached_body(kind, versions=..., parts=..., render=...)`` returns the HTML ``render()`` makes, as UTF-8 bytes,
read from Django's cache (Redis when configured, local memory otherwise) under a key made of ``versions`` (the
tokens of ``core.versions`` for everything the body shows, read in one query by the caller), ``parts``
(everything else the body depends on: what decides what the user may see, the request's parameters, the day) and
the active language. A version is replaced in the same transaction as any change it covers, so the first request
after a commit misses and renders the new state.

``page_with_body(request, template, context, body)`` renders the page around it: the template shows ``{{ body }}``
where the body goes; the bytes are spliced into the encoded page, so a large body is neither decoded nor encoded
again on each request (a third of a warm dashboard's time otherwise).

What goes in a cached body must be the same for every user with the same ``parts``: never a CSRF token, a
message, the user's name or anything else of one user or one request (the base template renders those around it).
A body that must carry such a value inside (a form's CSRF token) is rendered with ``request_mark(name)`` in its
place, and ``page_with_body(..., fill={mark: value})`` puts the request's value there when it serves the page.
"""

import functools
import hashlib
import secrets
from collections.abc import Callable, Mapping

from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render as render_page
from django.utils.crypto import salted_hmac
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

TIMEOUT = 6 * 3600  # a version change makes an entry unreachable long before; this only frees memory
MAX_PARAMETERS = 300  # longer query strings are rendered without the cache (no cache entry per made-up URL)
# Where the body goes in the rendered page: random per process, so no text a user typed can imitate it.
_MARK = f"<!--body-{secrets.token_hex(16)}-->"


@functools.cache
def request_mark(name: str) -> str:
    """The placeholder of a per-request value ``name`` in a cached body. The same in every process (a body cached
    by one worker is served by the others) and derived from the secret key, so no text a user typed can imitate
    it. Letters and digits only: escaping leaves it as it is."""
    return "pcmark" + salted_hmac("plantrack.core.page_cache.request_mark", name).hexdigest()[:40]


def body_key(kind: str, versions: str, parts: tuple) -> str:
    digest = hashlib.sha256(repr((versions, parts, get_language())).encode()).hexdigest()[:40]
    return f"page:{kind}:{digest}"


def cached_body(
    kind: str, *, versions: str, parts: tuple, render: Callable[[], str], querystring: str = ""
) -> tuple[bytes, bool]:
    """``(html, hit)``: the body for ``(kind, versions, parts, querystring, language)`` as UTF-8, rendered by
    ``render`` on a miss. ``querystring`` is part of the key; a very long one is never cached."""
    if len(querystring) > MAX_PARAMETERS:
        return str(render()).encode(), False
    key = body_key(kind, versions, (*parts, querystring))
    html = cache.get(key)
    if html is not None:
        return html, True
    html = str(render()).encode()
    cache.set(key, html, TIMEOUT)
    return html, False


def page_with_body(
    request, template: str, context: dict, body: bytes, fill: Mapping[str, str] | None = None
) -> HttpResponse:
    """``template`` rendered for ``request`` with ``context``, ``{{ body }}`` replaced by ``body``, in which each
    mark of ``fill`` (``request_mark``) is replaced by its value (the request's own)."""
    for mark, value in (fill or {}).items():
        body = body.replace(mark.encode(), escape(value).encode())
    response = render_page(request, template, {**context, "body": mark_safe(_MARK)})  # noqa: S308 (our marker)
    head, mark, tail = response.content.partition(_MARK.encode())
    if not mark:  # the template does not show the body: nothing to splice
        return response
    response.content = head + body + tail
    return response
