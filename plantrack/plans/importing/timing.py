"""Deadlines and recurrence of a task: "trước ngày 30/6/2025", "Quý II/2025", "hằng năm", "thường xuyên"."""

from __future__ import annotations

import calendar
import datetime
import re

from .resolver import fold_aligned

CONTINUOUS = "continuous"
YEARLY = "yearly"
ONCE = "once"

_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_DATE = r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})"
# In running text a date is a deadline only after a deadline word; "ngày 23/7/2024" of a cited decision is not.
_TEXT_DEADLINE = re.compile(
    r"(?:truoc|cham nhat(?: la)?|han chot|han|hoan thanh truoc|xong truoc)\s+(?:ngay\s+)?" + _DATE
)
# "Quý IV/2025", "Quí IV-2025", "quý III năm 2026", "Quý I, II/2026" (the last quarter named is the deadline).
_QUARTER_NUMBER = r"(?:iv|iii|ii|i|[1-4])"
_QUARTER = re.compile(
    r"\bqu[yi]\s+((?:" + _QUARTER_NUMBER + r"\s*(?:,|va|-|–)\s*)*" + _QUARTER_NUMBER + r")"
    r"\s*(?:/|-|–|,?\s*nam\s+)\s*(\d{4})\b"
)
# "6 tháng đầu năm 2026" ends on 30 June, "6 tháng cuối năm 2026" on 31 December.
_HALF_YEAR = re.compile(r"\b6\s+thang\s+(dau|cuoi)\s+nam\s*(?:/\s*)?(\d{4})\b")
_MONTH = re.compile(
    r"\b(truoc|trong|hoan thanh trong|hoan thanh truoc)\s+thang\s+(\d{1,2})\s*(?:/|nam\s+)\s*(\d{4})\b"
)
_YEAR_DONE = re.compile(r"\bhoan thanh\s+(?:trong\s+|truoc\s+)?(?:nam\s+)(\d{4})\b")
_YEARLY_TEXT = re.compile(r"(?:dinh ky\s+hang\s+nam|^hang\s+nam\b|\bhang\s+nam\s*[.;]?$)")
# A table's "Thời gian" cell is about timing only, so it is read more freely.
_CELL_DATE = re.compile(r"^(?:truoc\s+|trong\s+)?(?:ngay\s+)?" + _DATE)
_CELL_YEAR = re.compile(r"^(?:nam\s+|trong nam\s+|hoan thanh(?: trong)? nam\s+)?(\d{4})$")
_CELL_PERIOD = re.compile(r"^(?:giai doan\s+)?(\d{4})\s*[-–]\s*(\d{4})$")


def _date(day: int, month: int, year: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _end_of_month(month: int, year: int) -> datetime.date | None:
    if not (1 <= month <= 12 and 1900 < year < 2200):
        return None
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _end_of_quarter(quarter: int, year: int) -> datetime.date | None:
    return _end_of_month(quarter * 3, year)


def _last_quarter(written: str) -> int:
    """The last quarter of "iv", "i, ii" or "3 va 4"."""
    return _QUARTERS[re.split(r"\s*(?:,|va|-|–)\s*", written.strip())[-1]]


def timing_from_text(text: str) -> tuple[str, datetime.date | None]:
    """(recurrence, deadline) of a task as its text states them; continuous by default."""
    folded = fold_aligned(text)
    m = _TEXT_DEADLINE.search(folded)
    if m:
        day = _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if day:
            return ONCE, day
    m = _QUARTER.search(folded)
    if m:
        day = _end_of_quarter(_last_quarter(m.group(1)), int(m.group(2)))
        if day:
            return ONCE, day
    m = _HALF_YEAR.search(folded)
    if m:
        day = _end_of_month(6 if m.group(1) == "dau" else 12, int(m.group(2)))
        if day:
            return ONCE, day
    m = _MONTH.search(folded)
    if m:
        return _month_deadline(m.group(1), int(m.group(2)), int(m.group(3)))
    m = _YEAR_DONE.search(folded)
    if m:
        day = _date(31, 12, int(m.group(1)))
        if day:
            return ONCE, day
    if _YEARLY_TEXT.search(folded.strip()):
        return YEARLY, None
    return CONTINUOUS, None


def _month_deadline(word: str, month: int, year: int) -> tuple[str, datetime.date | None]:
    if word.startswith("truoc") or word.endswith("truoc"):
        # "trước tháng 6/2025": by the end of May.
        month, year = (12, year - 1) if month == 1 else (month - 1, year)
    day = _end_of_month(month, year)
    return (ONCE, day) if day else (CONTINUOUS, None)


def timing_from_cell(cell: str) -> tuple[str, datetime.date | None] | None:
    """Timing from a table's "Thời gian" cell, or None when the cell says nothing usable."""
    folded = " ".join(fold_aligned(cell).replace("\n", " ").split()).strip(" .;")
    if not folded:
        return None
    if "thuong xuyen" in folded:
        return CONTINUOUS, None
    if re.search(r"\bhang\s+nam\b", folded):
        return YEARLY, None
    m = _CELL_DATE.match(folded)
    if m:
        day = _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if day:
            return ONCE, day
    m = _CELL_PERIOD.match(folded)
    if m:
        return CONTINUOUS, None
    m = _CELL_YEAR.match(folded)
    if m:
        day = _date(31, 12, int(m.group(1)))
        return (ONCE, day) if day else None
    m = re.match(r"^(truoc|trong)?\s*thang\s+(\d{1,2})\s*(?:/|nam\s+)\s*(\d{4})$", folded)
    if m:
        return _month_deadline(m.group(1) or "trong", int(m.group(2)), int(m.group(3)))
    recurrence, deadline = timing_from_text(cell)
    if deadline or recurrence != CONTINUOUS:
        return recurrence, deadline
    m = _QUARTER.search(folded)
    return None if not m else (ONCE, _end_of_quarter(_last_quarter(m.group(1)), int(m.group(2))))
