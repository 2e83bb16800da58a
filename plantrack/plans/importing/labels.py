"""Assignments written as labelled lines under a task, as many plans write them:

    - Tổ chức tập huấn, bồi dưỡng kiến thức …
      Đơn vị chủ trì (tham mưu) (thực hiện): Sở Tư pháp.
      Đơn vị phối hợp (thực hiện): Các cơ quan, đơn vị liên quan.
      Thời gian thực hiện: Thường xuyên.

or as sibling items of the task:

    a) Nhiệm vụ: …            (or bullets under it)
    b) Cơ quan thực hiện:
       - Đơn vị chủ trì: Sở Khoa học và Công nghệ.
       - Đơn vị phối hợp: Các Sở, ban, ngành.
    c) Thời gian thực hiện: Hoàn thành trong năm 2025.

The words before the colon are the label: "(Đơn vị | Cơ quan) chủ trì …" or "(Đơn vị | Cơ quan) thực hiện" name the
lead, "(Đơn vị | Cơ quan) phối hợp …" the coordinators, "Thời gian / Thời hạn / Tiến độ …" the timing, "Sản phẩm"
/ "Kết quả" the product; "Cơ quan thực hiện:" with nothing after it only holds such lines. A label block assigns
every task written since the previous label block in the same list (two bullets followed by one block share it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .resolver import fold_aligned

_BULLET = r"(?:[-–•+*]\s*|[a-zđ][).]\s+|\d{1,2}(?:\.\d{1,2})*[.)]\s+)?"
_LABEL = re.compile(
    _BULLET + r"(?P<label>(?:don vi|co quan)(?: duoc giao)? (?P<role>chu tri|phoi hop|thuc hien)[^:]{0,40}"
    r"|thoi gian[^:]{0,30}|thoi han[^:]{0,20}|tien do[^:]{0,20}|san pham[^:]{0,20}|ket qua[^:]{0,10}"
    r"|co quan thuc hien|don vi thuc hien)\s*:\s*"
)


# A label alone on its line, over the names it gives ("2. Cơ quan chủ trì, phối hợp" / "a) Cơ quan chủ trì" /
# "- Ban Chỉ đạo quốc gia." …; "2. Chủ trì thực hiện"): with or without its colon.
_BARE = re.compile(
    _BULLET + r"(?:(?:don vi|co quan) )?(?P<roles>(?:chu tri|phoi hop|thuc hien)(?:\s*,?\s*(?:va\s+)?"
    r"(?:chu tri|phoi hop|thuc hien))*)\s*:?"
)


def bare_label_role(text: str) -> str | None:
    """ "lead", "coordinate" or "both" for a label line without value ("Cơ quan chủ trì", "Cơ quan phối hợp:",
    "Cơ quan chủ trì, phối hợp", "Chủ trì thực hiện"); None for any other line."""
    m = _BARE.fullmatch(fold_aligned(text).strip().rstrip("."))
    if not m:
        return None
    roles = m.group("roles")
    if "phoi hop" in roles:
        return "both" if "chu tri" in roles or "thuc hien" in roles else "coordinate"
    return "lead"


@dataclass
class Labels:
    lead: str = ""  # the text after "Đơn vị chủ trì:", as written
    coordinate: str = ""
    timing: str = ""
    lines: list[str] = field(default_factory=list)
    # Sentences under "Cơ quan thực hiện:" that assign by themselves ("+ Sở X chủ trì, phối hợp với Y …").
    sentences: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(
            self.lead
            or self.coordinate
            or self.timing
            or self.sentences
            or self.lead_list
            or self.coordinate_list
        )

    # Names listed under a label alone on its line ("a) Cơ quan chủ trì" / "- Ban Chỉ đạo quốc gia." …), one a line.
    lead_list: list[str] = field(default_factory=list)
    coordinate_list: list[str] = field(default_factory=list)

    def add(self, kind: str, lines: list[str]) -> None:
        """Names listed under a lead or coordinate label, one item (or paragraph) a line."""
        getattr(self, f"{kind}_list").extend(line for line in lines if line.strip())

    def merge(self, other: Labels) -> None:
        self.lead = self.lead or other.lead
        self.coordinate = self.coordinate or other.coordinate
        self.timing = self.timing or other.timing
        self.lines += other.lines
        self.sentences += [s for s in other.sentences if s not in self.sentences]
        self.lead_list += [s for s in other.lead_list if s not in self.lead_list]
        self.coordinate_list += [s for s in other.coordinate_list if s not in self.coordinate_list]


def read_label(text: str) -> tuple[str, str] | None:
    """(kind, value) of a labelled line — kind "lead", "coordinate", "timing", "product" or "holder" (a
    "Cơ quan thực hiện:" line with nothing after it) — or None when the line is not a label."""
    folded = fold_aligned(text)
    m = _LABEL.match(folded)
    if not m:
        return ("holder", "") if bare_label_role(text) else None
    value = text[m.end() :].strip().rstrip(".;").strip()
    label = m.group("label")
    role = m.group("role")
    if role == "phoi hop":
        kind = "coordinate"
    elif role in ("chu tri", "thuc hien") or label in ("co quan thuc hien", "don vi thuc hien"):
        kind = "coordinate" if "phoi hop" in label else "lead"
    elif label.startswith(("thoi gian", "thoi han", "tien do")):
        kind = "timing"
    else:
        kind = "product"
    if kind == "lead" and not value:
        return "holder", ""
    return kind, value


def labels_of(lines: list[str]) -> Labels:
    """The labels among ``lines`` (other lines are ignored)."""
    found = Labels()
    for line in lines:
        read = read_label(line)
        if read is None:
            continue
        kind, value = read
        if kind in ("lead", "coordinate", "timing") and value:
            if not getattr(found, kind):
                setattr(found, kind, value)
            found.lines.append(line)
    return found
