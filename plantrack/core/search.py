"""Word search over the folded ``search_text`` columns, ignoring case and Vietnamese diacritics: every word of the
query must start a word of the text ("so khoa hoc" finds "Sở Khoa học và Công nghệ"), and a word of one or two
letters must be a whole word ("so" finds "Sở", "số", not "soát")."""

import re

from django.db.models import Q, QuerySet

from plantrack.core.text import fold

# Characters after which a word starts inside search_text (names are joined by " | ").
_WORD_STARTS = (" ", "(", "/", "-", "“", '"')
# Words this short match whole words only; longer ones match the start of a word (typing "cong ngh" works).
WHOLE_WORD_MAX = 2


def whole_word_pattern(term: str) -> str:
    """A regular expression, valid for SQLite (Python re) and PostgreSQL, matching ``term`` as a whole word."""
    return rf"(^|[^a-z0-9]){re.escape(term)}([^a-z0-9]|$)"


# Control characters (NUL above all: PostgreSQL refuses it in a text parameter) separate words like spaces do.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def query_terms(query: str) -> list[str]:
    """The folded words of a search query, longest first, without duplicates or control characters."""
    words = fold(_CONTROL.sub(" ", query or "")).split(" ")
    return sorted(dict.fromkeys(w for w in words if w), key=len, reverse=True)


def filter_words(queryset: QuerySet, query: str, field: str = "search_text") -> QuerySet:
    """Rows of ``queryset`` whose ``field`` has a word starting with each word of ``query``; none for no words."""
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    for term in terms:
        if len(term) <= WHOLE_WORD_MAX:
            queryset = queryset.filter(**{f"{field}__regex": whole_word_pattern(term)})
            continue
        condition = Q(**{f"{field}__startswith": term})
        for start in _WORD_STARTS:
            condition |= Q(**{f"{field}__contains": start + term})
        queryset = queryset.filter(condition)
    return queryset
