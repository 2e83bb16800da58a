"""The reporting regimes a plan's text states: "định kỳ 6 tháng (trước ngày 15/6) và hằng năm (trước ngày 15/12)"
is two regimes, not one yearly due date. Reads folded text (``core.text.fold``: no diacritics, lower case)."""

import re

# The words that name a period, folded; "hàng năm" and "hằng năm" fold alike.
PERIOD_WORDS = [
    (r"6 thang|sau thang", "half_yearly"),
    (r"hang quy|moi quy", "quarterly"),
    (r"hang thang|moi thang", "monthly"),
    (r"hang nam|bao cao nam|dinh ky nam", "yearly"),
]
PERIOD_RE = re.compile("|".join(f"(?P<{period}>{words})" for words, period in PERIOD_WORDS))
# A day and month not followed by a year ("15/6", "05/12"); "15/6/2026" is a date, not a yearly due day.
DUE_RE = re.compile(r"(?<![\d/])(\d{1,2})\s*/\s*(\d{1,2})(?!\s*/\s*\d)(?!\d)")


def regimes_in_text(folded: str) -> list[dict]:
    """``[{period, due_day, due_month}]`` in the order the text names them. Each due date goes to the earliest
    period named before it that has none yet ("6 tháng, hằng năm trước ngày 15/6 và 15/12": 15/6 is the 6-month
    one, 15/12 the yearly one); a further date of a period already dated is its next period's ("15/6 và 15/12" of
    a 6-month regime). A period named without any date is not a regime ("hằng năm" as "every year")."""
    tokens = sorted(
        [(m.start(), "period", m.lastgroup) for m in PERIOD_RE.finditer(folded)]
        + [(m.start(), "due", (int(m.group(1)), int(m.group(2)))) for m in DUE_RE.finditer(folded)]
    )
    slots: list[dict] = []
    for _at, kind, value in tokens:
        if kind == "period":
            if all(s["period"] != value for s in slots):
                slots.append({"period": value, "due": None})
            continue
        day, month = value
        if not (1 <= day <= 31 and 1 <= month <= 12):
            continue
        empty = next((s for s in slots if s["due"] is None), None)
        if empty is not None:
            empty["due"] = (day, month)
    return [
        {"period": s["period"], "due_day": s["due"][0], "due_month": s["due"][1]} for s in slots if s["due"]
    ]
