"""Word search over the folded ``search_text`` columns: every word of the query must start a word of the text,
ignoring case and Vietnamese diacritics ("so khoa hoc" finds "Sở Khoa học và Công nghệ", not "soát")."""

from django.db.models import Q, QuerySet

from plantrack.core.text import fold

# Characters after which a word starts inside search_text (names are joined by " | ").
_WORD_STARTS = (" ", "(", "/", "-", "“", '"')


def query_terms(query: str) -> list[str]:
    """The folded words of a search query, longest first, without duplicates."""
    return sorted(dict.fromkeys(w for w in fold(query).split(" ") if w), key=len, reverse=True)


def filter_words(queryset: QuerySet, query: str, field: str = "search_text") -> QuerySet:
    """Rows of ``queryset`` whose ``field`` has a word starting with each word of ``query``; none for no words."""
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    for term in terms:
        condition = Q(**{f"{field}__startswith": term})
        for start in _WORD_STARTS:
            condition |= Q(**{f"{field}__contains": start + term})
        queryset = queryset.filter(condition)
    return queryset
