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
            result = TaskTable(columns)
            for r, row in enumerate(table.rows[h + 1 :], start=h + 1):
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
