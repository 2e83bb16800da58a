"""Targets (chỉ tiêu): comparator, values, unit and years from one line of the objectives.

Shapes (PRODUCT.md §3): "khoảng 62,8%", "tối thiểu 45%", "10% - 15%", "12 người/vạn dân", "tăng tối thiểu
20%/năm", "10 - 15 giải thưởng", compound lines ("…; …; …") and milestones ("đến năm 2025 đạt 30%, đến năm 2030
đạt 50%"), which become a compound target whose parts carry their own target years.
"""

from __future__ import annotations

import re

from .resolver import fold_aligned

_NUM = r"\d+(?:[.,]\d+)*"
_PERIOD = re.compile(r"giai đoạn\s+(\d{4})\s*[-–]\s*(\d{4})", re.IGNORECASE)
_BY_YEAR = re.compile(r"(?:đến|tới|trước|trong|vào)\s+năm\s+(\d{4})", re.IGNORECASE)
_YEAR_WORD = re.compile(r"năm\s+(\d{4})", re.IGNORECASE)
_YEAR_RANGE = re.compile(r"\b(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}\b")
_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")
_DOCNO = re.compile(r"\b\d+(?:/\d{4})?[/-][A-ZĐ][\w&]*(?:[-/][A-ZĐ][\w&]*)*")
_RANGE = re.compile(rf"(?<![\d.,])({_NUM})\s*(%)?\s*(?:-|–|đến)\s*({_NUM})(?![\d])")
_SINGLE = re.compile(rf"(?<![\d.,/])({_NUM})(?![\d])")
_PER_POP = re.compile(r"^\s*([^\s\d,;.]+/(?:vạn|nghìn|ngàn|triệu|\d[\d.]*)\s+dân(?:\s+số)?)", re.IGNORECASE)
COUNT_UNITS = sorted(
    [
        "giải thưởng",
        "doanh nghiệp",
        "sản phẩm",
        "nhiệm vụ",
        "sáng chế",
        "văn bằng",
        "đơn",
        "tổ chức",
        "người",
        "cơ sở",
        "mô hình",
        "dự án",
        "đề tài",
        "trung tâm",
        "phòng thí nghiệm",
        "sàn",
        "xã",
        "hộ",
        "ha",
        "tỷ đồng",
        "triệu đồng",
        "lượt",
        "bài báo",
        "công bố",
        "chương trình",
        "hợp đồng",
        "tài sản trí tuệ",
        "nhãn hiệu",
        "tiêu chuẩn",
        "quy chuẩn",
        "giống",
        "công nghệ",
        "sáng kiến",
        "hội thảo",
        "lớp",
        "cán bộ",
        "tiến sĩ",
        "thạc sĩ",
        "chuyên gia",
        "nhóm nghiên cứu",
        "vườn ươm",
        "quỹ",
        "dịch vụ",
        "thủ tục",
        "hồ sơ",
    ],
    key=len,
    reverse=True,
)
_APPROX = re.compile(r"\b(?:khoang|xap xi|gan|chung)\s*$")
_AT_LEAST = re.compile(
    r"\b(?:toi thieu|it nhat|khong duoi|khong thap hon|tren|hon|vuot|tu toi thieu)(?:\s+(?:la|muc))?\s*$"
)
_AT_MOST = re.compile(
    r"\b(?:toi da|khong qua|khong vuot qua|duoi|khong cao hon|khong vuot)(?:\s+(?:la|muc))?\s*$"
)
_GROWTH = re.compile(r"\btang\b")


def parse_number(raw: str) -> int | float | None:
    """Vietnamese numbers: "62,8" -> 62.8, "1.000" -> 1000, "1.000,5" -> 1000.5."""
    raw = raw.strip()
    if not raw:
        return None
    if "," in raw and "." in raw:
        raw = raw.replace(".", "").replace(",", ".")
    elif "," in raw:
        raw = raw.replace(",", ".") if raw.count(",") == 1 else raw.replace(",", "")
    elif "." in raw and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
        raw = raw.replace(".", "")
    try:
        value = float(raw)
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")) or abs(value) >= 1e10:
        return None
    return int(value) if value == int(value) else round(value, 4)


def _mask(text: str) -> str:
    """Blank out years, dates and document numbers so that only quantities are left as numbers."""
    out = text
    for pattern in (_DOCNO, _DATE, _PERIOD, _BY_YEAR, _YEAR_WORD, _YEAR_RANGE):
        out = pattern.sub(lambda m: " " * len(m.group(0)), out)
    return out


def has_quantity(text: str) -> bool:
    return bool(_SINGLE.search(_mask(text)))


def _unit_after(text: str) -> str:
    rest = text.lstrip()
    if rest.startswith("%"):
        return "%/năm" if re.match(r"%\s*/\s*năm", rest) else "%"
    m = _PER_POP.match(rest)
    if m:
        return " ".join(m.group(1).split())
    folded = fold_aligned(rest)
    for unit in COUNT_UNITS:
        key = fold_aligned(unit)
        if folded.startswith(key) and (len(folded) == len(key) or not folded[len(key)].isalnum()):
            return rest[: len(unit)]
    m = re.match(r"[^\s\d,;.()/]+", rest)
    return m.group(0) if m else ""


def _split_parts(text: str) -> list[str]:
    """Split a line into its measured parts: at ";" always, and at ", " when both sides carry a quantity."""
    parts: list[str] = []
    for clause in re.split(r"\s*;\s*", text):
        clause = clause.strip(" .")
        if not clause:
            continue
        pending: list[str] = []
        clause_parts: list[str] = []
        for piece in re.split(r",\s+", clause):
            pending.append(piece)
            if has_quantity(piece):
                clause_parts.append(", ".join(pending))
                pending = []
        if pending:
            if clause_parts:
                clause_parts[-1] = ", ".join([clause_parts[-1], *pending])
            else:
                clause_parts.append(", ".join(pending))
        parts += clause_parts
    return parts


def _capitalise(text: str) -> str:
    text = text.strip(" .;,")
    return text[:1].upper() + text[1:]


_TRAIL = re.compile(
    r"(?:\s+(?:dat tu|dat|tu|tang|giam|khoang|toi thieu|toi da|it nhat|khong qua|khong duoi|chiem|len|o muc|muc|"
    r"la|con|tren|duoi|bao dam|dam bao|phan dau))+\s*$"
)
_LEAD = re.compile(r"^(?:(?:phan dau|dat tu|dat|tang|nang|den nam)\s+)+")


def short_name(text: str) -> str:
    """The measured thing without its value: "Tỷ lệ … đạt 50%" -> "Tỷ lệ …"; "Phấn đấu tối thiểu 75% nhiệm vụ …"
    -> "Tỷ lệ nhiệm vụ …"."""
    masked = _mask(text)
    m = _RANGE.search(masked) or _SINGLE.search(masked)
    if not m:
        return _capitalise(text)[:160]
    folded = fold_aligned(masked)
    before = folded[: m.start()].rstrip()
    trail = _TRAIL.search(before)
    end = trail.start() if trail else len(before)
    start = len(folded[:end]) - len(folded[:end].lstrip())
    lead = _LEAD.match(folded, start)
    start = lead.end() if lead else start
    name = " ".join(masked[start:end].split()).strip(" ,.;:-")
    if len(name) >= 12:
        return _capitalise(name)[:160]
    after = masked[m.end() :].lstrip()
    unit = _unit_after(after)
    rest = re.split(r"[;,.]", after[len(unit) :] if after.startswith(unit) else after)[0].strip()
    prefix = name or ("Tỷ lệ" if unit.startswith("%") else unit)
    name = f"{prefix} {rest}"
    return _capitalise(" ".join(name.split()))[:160]


def parse_value(text: str) -> dict:
    """Comparator, min, max and unit of one measured statement."""
    masked = _mask(text)
    folded = fold_aligned(masked)
    m = _RANGE.search(masked)
    if m:
        low, high = parse_number(m.group(1)), parse_number(m.group(3))
        if low is not None and high is not None and low <= high:
            unit = _unit_after(masked[m.end() :])
            if m.group(2) and not unit.startswith("%"):
                unit = "%"
            comparator = "range" if unit.startswith("%") else "count_over_period"
            if "/" in unit and "dân" in unit:
                comparator = "per_population"
            return {"comparator": comparator, "min": low, "max": high, "unit": unit}
    m = _SINGLE.search(masked)
    if not m:
        return {"comparator": "qualitative", "min": None, "max": None, "unit": ""}
    value = parse_number(m.group(1))
    if value is None:
        return {"comparator": "qualitative", "min": None, "max": None, "unit": ""}
    unit = _unit_after(masked[m.end() :])
    before = folded[: m.start()]
    if unit == "%/năm":
        return {"comparator": "yearly_growth", "min": value, "max": None, "unit": unit}
    if "/" in unit and "dân" in unit:
        return {"comparator": "per_population", "min": value, "max": None, "unit": unit}
    if _APPROX.search(before):
        return {"comparator": "approximately", "min": value, "max": value, "unit": unit}
    if _AT_MOST.search(before):
        return {"comparator": "at_most", "min": None, "max": value, "unit": unit}
    if re.search(r"tro len", folded[m.end() : m.end() + 40]) or _AT_LEAST.search(before):
        return {"comparator": "at_least", "min": value, "max": None, "unit": unit}
    return {"comparator": "at_least", "min": value, "max": None, "unit": unit}


def _years(text: str, default_year: int | None) -> tuple[int | None, int | None]:
    """(period_start, target_year) stated in the text, else the section's year."""
    period = _PERIOD.search(text)
    by_year = _BY_YEAR.search(text)
    start = int(period.group(1)) if period else None
    if by_year:
        return start, int(by_year.group(1))
    if period:
        return start, int(period.group(2))
    return start, default_year


def parse_target(
    code: str, text: str, *, default_year: int | None = None, default_period_start: int | None = None
) -> dict:
    """One target in the interchange shape (plantrack.plan/1), with parts for compound lines and milestones."""
    text = " ".join(text.split())
    pieces = _split_parts(text)
    milestones = len(_BY_YEAR.findall(text)) >= 2
    if len(pieces) >= 2:
        parent_start, parent_year = _years(text, default_year)
        subject = short_name(pieces[0]) if milestones else ""
        parts = []
        for i, piece in enumerate(pieces, start=1):
            part_text = _capitalise(piece)
            part = _simple(
                f"{code}.{i}",
                part_text,
                default_year=parent_year if not milestones else default_year,
                default_period_start=None,
            )
            if milestones and i > 1 and subject:
                part["short_name"] = f"{subject} ({part_text})"[:160]
            parts.append(part)
        years = [p["target_year"] for p in parts if p["target_year"]]
        return {
            "code": code,
            "text": text,
            "short_name": subject or short_name(text),
            "unit": "",
            "comparator": "compound",
            "min": None,
            "max": None,
            "period_start": parent_start,
            "target_year": max(years) if milestones and years else parent_year,
            "baseline_year": None,
            "baseline": None,
            "parts": parts,
        }
    return _simple(code, text, default_year=default_year, default_period_start=default_period_start)


def _simple(code: str, text: str, *, default_year: int | None, default_period_start: int | None) -> dict:
    value = parse_value(text)
    start, year = _years(text, default_year)
    if start is None and value["comparator"] == "count_over_period":
        start = default_period_start
    return {
        "code": code,
        "text": text,
        "short_name": short_name(text),
        "unit": value["unit"],
        "comparator": value["comparator"],
        "min": value["min"],
        "max": value["max"],
        "period_start": start,
        "target_year": year,
        "baseline_year": None,
        "baseline": None,
        "parts": [],
    }
