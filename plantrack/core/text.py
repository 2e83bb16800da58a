"""Text helpers shared by every app: diacritic folding for search and name matching."""

import re
import unicodedata

# NFD splits "ộ" into "o" + combining marks, but "đ"/"Đ" are letters of their own with no decomposition.
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "D"})
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip Vietnamese diacritics and collapse spaces: "Sở Khoa học" -> "so khoa hoc"."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_EXTRA_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().lower()


# --- Vietnamese sort order ------------------------------------------------------------------------------------
# The Vietnamese alphabet: ă and â come after a, đ after d, ê after e, ô and ơ after o, ư after u. Binary order puts
# "Đài…" and "Ủy ban…" after "Văn phòng"; folding puts Đ among D. Tones are a second-level difference, in the
# dictionary order ngang, huyền, hỏi, ngã, sắc, nặng: "ba" < "bà" < "bả" < "bã" < "bá" < "bạ" < "bác".
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"

_WITH_MARK = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền, hỏi, ngã, sắc, nặng
_LETTER_RANK = {letter: 100 + i for i, letter in enumerate(_ALPHABET)}


def vi_sort_key(text: str) -> tuple:
    """Key that sorts text in Vietnamese dictionary order; the one sort order of every list of names.

    Three levels, as a collation has: letters of the Vietnamese alphabet (case and tones ignored), then tones,
    then case (lower before upper). Spaces sort before every letter ("An Giang" < "Anh"), digits before letters;
    other characters after the alphabet, by code point.
    """
    letters: list[int] = []
    tones: list[int] = []
    cases: list[int] = []
    for char in unicodedata.normalize("NFC", text or ""):
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        lower = base.lower()
        tone = 0
        for mark in marks:
            if (lower, mark) in _WITH_MARK:
                lower = _WITH_MARK[(lower, mark)]
            elif mark in _TONES:
                tone = _TONES[mark]
        if char in "đĐ":
            lower = "đ"
        if lower in _LETTER_RANK:
            rank = _LETTER_RANK[lower]
        elif lower.isspace():
            rank = 1
        elif lower.isdigit():
            rank = 10 + int(lower) if lower in "0123456789" else 20
        elif lower in "-–—/.,;:()":
            rank = 2
        else:
            rank = 1000 + ord(lower)
        letters.append(rank)
        tones.append(tone)
        cases.append(1 if base.isupper() else 0)
    return (tuple(letters), tuple(tones), tuple(cases))


def vi_sort_string(text: str) -> str:
    """``vi_sort_key`` as one string of lower-case hex digits whose plain (byte) order is the Vietnamese order, to
    store beside a name and sort in SQL (``Agency.sort_key``): each rank in six digits, the three levels one after
    the other, each ended by "000000" (below every rank, so a shorter prefix sorts first as in the tuple)."""
    levels = vi_sort_key(text)
    return "".join("".join(f"{rank + 1:06x}" for rank in level) + "000000" for level in levels)


def vi_sorted(items, *, key=None) -> list:
    """``sorted(items)`` in Vietnamese order of ``key(item)`` (the item itself when no key is given)."""
    get = key or (lambda item: item)
    return sorted(items, key=lambda item: vi_sort_key(str(get(item) or "")))


def duration_words(milliseconds: int | float | None) -> str:
    """A duration for people: "6,3 giây", "2 phút 5 giây" (decimal comma in Vietnamese, point in English)."""
    from django.utils import formats
    from django.utils.translation import gettext as _

    if milliseconds is None:
        return ""
    seconds = milliseconds / 1000
    if seconds < 60:
        shown = formats.number_format(round(seconds, 1), decimal_pos=1 if seconds < 10 else 0)
        return _("%(s)s giây") % {"s": shown}
    minutes, rest = divmod(round(seconds), 60)
    return _("%(m)s phút %(s)s giây") % {"m": minutes, "s": rest}
