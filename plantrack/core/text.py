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
