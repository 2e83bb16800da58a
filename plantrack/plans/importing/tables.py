"""Task tables of appendices: columns such as STT / Nhiệm vụ / Cơ quan chủ trì / Cơ quan phối hợp / Thời gian /
Sản phẩm, with group rows ("I | Nhóm nhiệm vụ …") between the task rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .readers import Table
from .resolver import fold_aligned

_COLUMNS = {
    "number": ("stt", "tt", "so tt", "so thu tu"),
    "lead": (
        "chu tri",
        "co quan chu tri",
        "don vi chu tri",
        "chu tri thuc hien",
        "trach nhiem thuc hien",
        "don vi thuc hien",
        "co quan thuc hien",
    ),
    "coordinate": ("phoi hop", "co quan phoi hop", "don vi phoi hop"),
    "time": ("thoi gian", "thoi han", "tien do", "thoi gian hoan thanh", "thoi gian thuc hien"),
    "product": ("san pham", "ket qua", "san pham dau ra", "hinh thuc"),
    "task": ("nhiem vu", "noi dung", "ten nhiem vu", "noi dung nhiem vu", "nhiem vu, giai phap", "cong viec"),
}


_LIST_ITEM = re.compile(r"[-–+•*]\s|[a-zđ]\)\s|\d+(?:\.\d+)*[.)]\s")
_NAME_HEAD = re.compile(
    r"(?:Sở|UBND|Ủy ban|Ban|Bộ|Công an|Văn phòng|Trung tâm|Báo|Đài|Hội|Liên đoàn|Tỉnh đoàn|Bộ Chỉ huy|Cục|"
    r"Chi cục|Kho bạc|Ngân hàng|Viện|Tòa án)\s"
)


def reflow_cell(lines: list[str]) -> str:
    """The visual lines of a table cell joined back into its paragraphs (Word's cell paragraphs): a line
    continues the previous one unless that one ended a sentence (". ; : ! ?"), the line starts a list item, or both
    are bodies' names listed one per line ("Sở Nội vụ" / "Sở Tư pháp"; but "Văn phòng" / "Ban Chỉ huy …" is one
    name wrapped)."""
    out: list[str] = []
    for line in lines:
        if out:
            prev = out[-1]
            head = _NAME_HEAD.match(prev + " ")
            names = bool(head) and bool(prev[head.end() :].strip()) and bool(_NAME_HEAD.match(line))
            if not prev.endswith((".", ";", ":", "!", "?")) and not _LIST_ITEM.match(line) and not names:
                out[-1] = f"{prev} {line}"
                continue
        out.append(line)
    return "\n".join(out)


@dataclass
class TaskRow:
    index: int
    number: str
    task: str
    lead: str = ""
    coordinate: str = ""
    time: str = ""
    product: str = ""
    is_group: bool = False


@dataclass
class TaskTable:
    columns: dict[str, int]
    rows: list[TaskRow] = field(default_factory=list)
    first_line: int = 0
    header_rows: int = 1  # rows of the table down to the end of its header


def _second_header_row(header: list[str], row: list[str]) -> bool:
    """``row`` continues the header above it: every cell that differs from the one above is a column name, at
    least two differ, one of them names who leads or coordinates ("Chủ trì", "Phối hợp"), and no cell holds a
    task number."""
    differing = [(i, c) for i, c in enumerate(row) if c.strip() and (i >= len(header) or c != header[i])]
    names = [_column_of(c) for _, c in differing]
    if not names or not all(names) or len({c for _, c in differing}) < 2:
        return False  # a group row merged across the table repeats one text
    return bool({"lead", "coordinate"} & set(names)) and not any(
        re.fullmatch(r"\d{1,3}\.?", c.strip()) for c in row
    )


def _column_of(header: str) -> str | None:
    folded = " ".join(fold_aligned(header).replace("\n", " ").split()).strip(" .:")
    if not folded:
        return None
    for name in ("lead", "coordinate", "number", "time", "product", "task"):
        for key in _COLUMNS[name]:
            if folded == key or (name not in ("number",) and key in folded):
                return name
    return None


def find_task_table(table: Table) -> TaskTable | None:
    """The table as task rows when one of its first rows is a header with a task and a "chủ trì" column."""
    for h, header in enumerate(table.rows[:3]):
        columns: dict[str, int] = {}
        for i, cell in enumerate(header):
            name = _column_of(cell)
            if name and name not in columns:
                columns[name] = i
        if "lead" in columns and "task" in columns:
            first = h + 1
            below = table.rows[h + 1] if h + 1 < len(table.rows) else None
            if below is not None and _second_header_row(header, below):
                # A header over two rows ("Cơ quan thực hiện" over "Chủ trì | Phối hợp"): the lower row names
                # the columns it splits, the upper one the others (merged cells repeat their text in both).
                columns = {}
                for i, cell in enumerate(header):
                    lower = below[i] if i < len(below) else ""
                    name = (_column_of(lower) if lower != cell else None) or _column_of(cell)
                    if name and name not in columns:
                        columns[name] = i
                first = h + 2
            result = TaskTable(columns, header_rows=first)
            for r, row in enumerate(table.rows[first:], start=first):
                parsed = _row(r, row, columns)
                if parsed is not None:
                    result.rows.append(parsed)
            return result
    return None


def _cell(row: list[str], columns: dict[str, int], name: str) -> str:
    i = columns.get(name)
    return row[i].strip() if i is not None and i < len(row) else ""


def _row(index: int, row: list[str], columns: dict[str, int]) -> TaskRow | None:
    cells = [c.strip() for c in row]
    if not any(cells):
        return None
    # "(1) | (2) | (3)" or "1 | 2 | 3": the column numbers under the header.
    if all(re.fullmatch(r"\(?\d{1,2}\)?", c) for c in cells if c):
        return None
    number = _cell(row, columns, "number").rstrip(".")
    task = _cell(row, columns, "task")
    lead = _cell(row, columns, "lead")
    distinct = {c for c in cells if c and c != number}
    is_group = (
        bool(re.fullmatch(r"[IVX]{1,5}|[A-Z]", number))
        or (len(distinct) == 1 and not lead)
        or (
            bool(task)
            and not lead
            and not _cell(row, columns, "coordinate")
            and not _cell(row, columns, "time")
            and task.isupper()
        )
    )
    if is_group:
        title = task or next(iter(distinct), "")
        return TaskRow(index, number, title, is_group=True)
    if not task:
        return None
    return TaskRow(
        index,
        number,
        task,
        lead=lead,
        coordinate=_cell(row, columns, "coordinate"),
        time=_cell(row, columns, "time"),
        product=_cell(row, columns, "product"),
    )
