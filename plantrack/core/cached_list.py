"""A paged API list kept in the cache until something it shows changes.

``CachedListMixin`` goes before DRF's list mixin. A page's rows and count are kept under a key made of the version
tokens of what the list shows (``list_versions``, from ``core.versions``: bumped in the transaction of any change),
what decides which rows the user may read (``list_visibility``) and the query parameters the list reads
(``list_params``); the envelope (count, links) is DRF's own, made for each request, so the links carry the
request's host. A list whose rows change with time alone says until when a page holds by setting
``self.list_valid_until`` while it builds one (``list_page``; ``self.now`` is the request's time). Errors (a bad
filter, a page out of range) are never cached.
"""

import datetime

from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils import timezone

from . import page_cache


class CachedListMixin:
    list_cache_kind = ""  # the key's prefix: one per list
    list_params: tuple[str, ...] = ("page",)  # the query parameters the list reads

    def list_versions(self) -> str:
        """The tokens of everything the list's rows show (``core.versions.tokens``, one query)."""
        raise NotImplementedError

    def list_visibility(self):
        """A value that is the same for two users exactly when they may read the same rows."""
        raise NotImplementedError

    def list(self, request, *args, **kwargs):
        self.now = timezone.now()
        key = self._list_key(request)
        found = cache.get(key) if key else None
        if found is not None and self.now < found[0]:
            _valid_until, count, number, results = found
            # The paginator's state as its paginate_queryset leaves it, for DRF's own links and envelope.
            self.paginator.request = request
            self.paginator.page = Paginator(range(count), self.paginator.get_page_size(request)).page(number)
            return self.get_paginated_response(results)
        self.list_valid_until = self.now + datetime.timedelta(seconds=page_cache.TIMEOUT)
        response = self.list_page(request, *args, **kwargs)
        page = getattr(self.paginator, "page", None)
        if key and page is not None and response.status_code == 200:
            entry = (self.list_valid_until, page.paginator.count, page.number, response.data["results"])
            cache.set(key, entry, page_cache.TIMEOUT)
        return response

    def list_page(self, request, *args, **kwargs):
        """The page built from the database: DRF's own ``list`` unless the view writes its rows itself."""
        return super().list(request, *args, **kwargs)

    def _list_key(self, request) -> str:
        """``""`` (not cached) for unusually long parameters: no cache entry per made-up URL."""
        params = tuple(request.query_params.get(p, "") for p in self.list_params)
        if sum(map(len, params)) > page_cache.MAX_PARAMETERS:
            return ""
        return page_cache.body_key(
            f"api-{self.list_cache_kind}", self.list_versions(), (self.list_visibility(), params)
        )
