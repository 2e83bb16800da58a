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


@dataclass
class Labels:
    lead: str = ""  # the text after "Đơn vị chủ trì:", as written
    coordinate: str = ""
    timing: str = ""
    lines: list[str] = field(default_factory=list)
    # Sentences under "Cơ quan thực hiện:" that assign by themselves ("+ Sở X chủ trì, phối hợp với Y …").
    sentences: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.lead or self.coordinate or self.timing or self.sentences)

    def merge(self, other: Labels) -> None:
        self.lead = self.lead or other.lead
        self.coordinate = self.coordinate or other.coordinate
        self.timing = self.timing or other.timing
        self.lines += other.lines
        self.sentences += [s for s in other.sentences if s not in self.sentences]


def read_label(text: str) -> tuple[str, str] | None:
    """(kind, value) of a labelled line — kind "lead", "coordinate", "timing", "product" or "holder" (a
    "Cơ quan thực hiện:" line with nothing after it) — or None when the line is not a label."""
    folded = fold_aligned(text)
    m = _LABEL.match(folded)
    if not m:
        return None
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
