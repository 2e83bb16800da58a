"""Reads over accounts used by the administrators' pages."""

from django.db.models import Q, QuerySet

from plantrack.core.search import filter_words

from .models import User


def users_search(queryset: QuerySet[User], query: str) -> QuerySet[User]:
    """Accounts whose user name, full name or e-mail matches ``query``, ignoring case and diacritics ("nguyen
    van" finds "Nguyễn Văn …"); a part of a user name or address matches too ("stc" finds "chuyenvien.stc")."""
    query = query.strip()
    if not query:
        return queryset
    by_words = filter_words(User.objects.all(), query).values("pk")
    return queryset.filter(Q(pk__in=by_words) | Q(username__icontains=query) | Q(email__icontains=query))
