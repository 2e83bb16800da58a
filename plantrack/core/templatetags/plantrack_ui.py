"""Presentation helpers shared by the pages: Vietnamese dates and numbers, agency aliases, search highlighting."""

import datetime
import unicodedata
from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from plantrack.core.search import WHOLE_WORD_MAX, query_terms
from plantrack.core.text import duration_words, fold

register = template.Library()


# --- numbers and dates ------------------------------------------------------------------------------------------


@register.filter
def num(value) -> str:
    """A decimal without trailing zeros, in the active locale: Decimal("62.8000") -> "62,8" in Vietnamese."""
    if value is None or value == "":
        return ""
    value = Decimal(value).normalize()
    places = max(0, -value.as_tuple().exponent)
    return formats.number_format(value, decimal_pos=places, use_l10n=True)


@register.simple_tag
def place_date(place: str, day: datetime.date | None) -> str:
    """The place-and-date line of an official document: "Đồng Nai, ngày 16 tháng 11 năm 2024".

    Decree 30/2020/NĐ-CP writes days below 10 and months below 3 with a leading zero ("ngày 05 tháng 01").
    """
    if day is None:
        return place
    return _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {
        "place": place,
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}" if day.month < 3 else str(day.month),
        "year": day.year,
    }


# --- agencies ---------------------------------------------------------------------------------------------------


@register.filter
def extra_aliases(agency) -> list[str]:
    """The aliases worth showing: those that are not already the official or short name or an abbreviation."""
    shown = {agency.name, agency.short_name, *agency.abbreviation_list()}
    return [a.name for a in agency.aliases.all() if a.name not in shown]


# --- search highlighting ----------------------------------------------------------------------------------------


def _fold_map(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` char by char, with the index in ``text`` each folded char comes from.

    Runs of white space fold to one space, as ``fold`` does, so a folded needle finds its place here too.
    """
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            if out and out[-1] == " ":
                continue
            piece = " "
        else:
            piece = ch.replace("đ", "d").replace("Đ", "D")
            piece = "".join(
                c for c in unicodedata.normalize("NFD", piece) if not unicodedata.combining(c)
            ).lower()
        for c in piece:
            out.append(c)
            where.append(i)
    return "".join(out), where


def _spans(text: str, query: str) -> list[tuple[int, int]]:
    """Where to mark ``text``: each occurrence of the whole query as one span if there is one, else each word of
    the query where it starts a word (as the search matched it)."""
    folded, where = _fold_map(text)
    marks = [False] * len(text)

    def mark(needle: str) -> bool:
        found = False
        whole = len(needle) <= WHOLE_WORD_MAX
        start = folded.find(needle)
        while start != -1:
            end = start + len(needle)
            if (start == 0 or not folded[start - 1].isalnum()) and not (
                whole and end < len(folded) and folded[end].isalnum()
            ):
                for k in range(start, start + len(needle)):
                    marks[where[k]] = True
                found = True
            start = folded.find(needle, start + 1)
        return found

    phrase = fold(query)
    if not phrase:
        return []
    if " " not in phrase or not mark(phrase):
        for term in query_terms(query):
            mark(term)
    spans, i = [], 0
    while i < len(text):
        if marks[i]:
            j = i
            while j < len(text) and (marks[j] or unicodedata.combining(text[j])):
                j += 1
            spans.append((i, j))
            i = j
        else:
            i += 1
    return spans


def highlight_text(text: str, query: str) -> SafeString:
    """``text`` escaped, with the query (or each of its words) wrapped in <mark>, ignoring case and diacritics."""
    text = str(text or "")
    parts, last = [], 0
    for start, end in _spans(text, query):
        parts.append(conditional_escape(text[last:start]))
        parts.append(format_html("<mark>{}</mark>", text[start:end]))
        last = end
    parts.append(conditional_escape(text[last:]))
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every piece was escaped above


@register.filter
def highlight(text, query) -> SafeString:
    return highlight_text(text, query or "")


@register.filter
def excerpt(text, query, width: int = 240) -> SafeString:
    """A window of about ``width`` characters around the first match, highlighted; the start when none matches."""
    text = str(text or "")
    width = int(width)
    if len(text) <= width:
        return highlight_text(text, query or "")
    spans = _spans(text, query or "")
    first = spans[0][0] if spans else 0
    start = max(0, first - width // 3)
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space != -1 and start - space < 30 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.find(" ", end)
        end = space if space != -1 and space - end < 30 else end
    body = highlight_text(text[start:end], query or "")
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(f"{prefix}{body}{suffix}")  # noqa: S308 - body is escaped by highlight_text


@register.filter
def duration(milliseconds):
    """``{{ run.duration_ms|duration }}`` -> "6,3 giây" (see core.text.duration_words)."""
    return duration_words(milliseconds)
