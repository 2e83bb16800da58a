"""The text layer of a PDF page and its ruled tables, through PDFium (pypdfium2) and pdfplumber's table finder.

PDFium (Chrome's PDF library, a dependency of pdfplumber) reads a page's text about ten times faster than pypdf
and gives the position of every drawn line. The ruled lines of a page (table borders: thin rectangles or stroked
lines) are handed to pdfplumber's ``TableFinder`` — its lattice algorithm (edges → intersections → cells →
tables) is the maintained part of pdfplumber we need; pdfminer's slow page interpretation is not used — and each
cell's text is read back from PDFium inside the cell's box. The text outside the tables is the page's visual lines
(PDFium's text rectangles grouped by line, each line read with one call, its left and right ends kept for
``readers.unwrap_lines``), a two-column block (header, signature) read column by column; the blocks come in reading
order: lines, table, lines.

A table becomes a ``Table`` block (the same pipeline as a .docx table) when it is a task table
(``tables.find_task_table``) or continues one from the bottom of the previous page: the header repeated at the top
of the new page is dropped, and a row broken across the page (its number cell empty) is joined to the last row.
Other ruled tables (a box around a paragraph, a list of units) are left as text, read in place.

Limits, each reported once in Vietnamese when hit: pages read (``MAX_PDF_PAGES``), characters of text per page
(``MAX_PAGE_CHARS``), drawn paths examined per page (``MAX_PAGE_PATHS``, above it no table is looked for on that
page) and cells per table and per document (``MAX_TABLE_CELLS``, ``MAX_DOCUMENT_CELLS``). PDFium is not
thread-safe: every use holds ``PDFIUM_LOCK``.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from django.utils.translation import gettext

from .readers import Table, clean_line
from .resolver import fold_aligned
from .tables import find_task_table, reflow_cell

PDFIUM_LOCK = threading.RLock()

MAX_PDF_PAGES = 300
MAX_PAGE_CHARS = 60_000
MAX_PAGE_PATHS = 4_000
MAX_TABLE_CELLS = 3_000
MAX_DOCUMENT_CELLS = 20_000
# A drawn rectangle thinner than this (points) is a rule; a wider one is a box whose four sides are edges.
_RULE = 2.5
_MIN_EDGE = 3.0


@dataclass
class PdfPage:
    """One page: runs of text lines (list[str]) and tables (readers.Table), in reading order."""

    blocks: list = field(default_factory=list)
    chars: int = 0  # characters of its text layer (a scan has none)
    footnotes: list = field(default_factory=list)  # the page's footnotes, set apart from its text

    @property
    def lines(self) -> list[str]:
        return [line for block in self.blocks if isinstance(block, list) for line in block]


@dataclass
class PdfLayout:
    pages: list[PdfPage]
    problems: list[str]


class _EdgesPage:
    """What pdfplumber's TableFinder reads of a page with the "lines" strategies: its edges and its box."""

    def __init__(self, edges: list[dict], width: float, height: float) -> None:
        self.edges = edges
        self.bbox = (0, 0, width, height)


def open_pdf(data: bytes, password: str | None = None):
    import pypdfium2 as pdfium

    return pdfium.PdfDocument(data, password=password)


def _edges(page, height: float, limit: int) -> list[dict] | None:
    """The ruled lines of the page as pdfplumber edges (top-down coordinates), or None past ``limit`` paths."""
    import pypdfium2.raw as pdfium_c

    edges: list[dict] = []
    for count, obj in enumerate(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=4), start=1):
        if count > limit:
            return None
        left, bottom, right, top = obj.get_bounds()
        width, tall = right - left, top - bottom
        y_top, y_bottom = height - top, height - bottom
        if tall <= _RULE and width >= _MIN_EDGE:
            y = (y_top + y_bottom) / 2
            edges.append(_edge("h", left, right, y, y))
        elif width <= _RULE and tall >= _MIN_EDGE:
            x = (left + right) / 2
            edges.append(_edge("v", x, x, y_top, y_bottom))
        elif width >= _MIN_EDGE and tall >= _MIN_EDGE and pdfium_c.FPDFPath_CountSegments(obj.raw) <= 5:
            # A rectangle (move + 3 or 4 lines): a bordered cell drawn as one box.
            edges += [
                _edge("h", left, right, y_top, y_top),
                _edge("h", left, right, y_bottom, y_bottom),
                _edge("v", left, left, y_top, y_bottom),
                _edge("v", right, right, y_top, y_bottom),
            ]
    return edges


def _edge(orientation: str, x0: float, x1: float, top: float, bottom: float) -> dict:
    return {
        "object_type": "line",
        "orientation": orientation,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "doctop": top,
    }


class PdfLine(str):
    """A visual line of a page with its horizontal extent (points): where it starts tells an indented first line
    of a paragraph from a wrapped one, where it ends tells a line that ran to the margin."""

    left: float = 0.0
    right: float = 0.0
    size: float = 0.0  # height of the line's tallest run (points): the size of its type

    def __new__(cls, text: str, left: float = 0.0, right: float = 0.0, size: float = 0.0):
        line = super().__new__(cls, text)
        line.left = left
        line.right = right
        line.size = size
        return line


# A footnote is set smaller than the body: at most this share of the body's size.
_FOOTNOTE_SIZE = 0.85
_FOOTNOTE_MARK = re.compile(r"^(?:\d{1,3}|\(\d{1,3}\)|\*+|\(\*+\))\s+[^\W\d_]")


def _small(line: PdfLine, body: float) -> bool:
    """The line is set clearly smaller than the body. Its box measures it only when it holds words: a line of
    figures ("30/01/2026.") has no accents nor descenders, so its box is short whatever its size."""
    letters = sum(c.isalpha() for c in line)
    return 0 < line.size <= _FOOTNOTE_SIZE * body and letters >= 0.5 * len(line.replace(" ", ""))


def split_footnotes(
    lines: list[tuple[float, PdfLine]], rules: list[tuple[float, float]] = (), floor: float = -1.0
) -> tuple[list[tuple[float, PdfLine]], list[PdfLine]]:
    """(body lines, footnotes) of a page: the lines under the page's last line of body size, set clearly smaller
    than the body (at most ``_FOOTNOTE_SIZE`` of the median size of the page's characters), the first of them
    opening with a footnote mark ("1 …", "(2) …", "* …") or standing under a short rule (``rules``: the short
    horizontal lines drawn on the page, as (vertical position top-down, share of the page's width)). A page
    number alone on the last line stays a body line; so does everything when the page says nothing clearly, and
    every line above ``floor`` (the bottom of the page's last table, whose cells may be set small too)."""
    sized = [(line.size, len(line)) for _, line in lines if line.size > 0]
    if len(sized) < 4:
        return lines, []
    # The body's size: the median size over the page's characters (a line's box varies with its accents).
    sized.sort()
    half, seen, body = sum(count for _, count in sized) / 2, 0, sized[-1][0]
    for size, count in sized:
        seen += count
        if seen >= half:
            body = size
            break
    end = len(lines)
    while end > 0 and re.fullmatch(r"[-–\s]*\d{1,3}[-–\s]*", lines[end - 1][1]):
        end -= 1  # the page number
    start = end
    while start > 0 and lines[start - 1][0] > floor and _small(lines[start - 1][1], body):
        start -= 1
    if start == end or start == 0 or lines[start - 1][1].size < _FOOTNOTE_SIZE * body:
        return lines, []
    first_top = lines[start][0]
    last_body = lines[start - 1][0]
    ruled = any(last_body < top < first_top and share < 0.5 for top, share in rules)
    if not (ruled or _FOOTNOTE_MARK.match(lines[start][1])) or any(
        fold_aligned(line[:9]).startswith("noi nhan") for _, line in lines[start:end]
    ):
        return lines, []
    return lines[:start] + lines[end:], [line for _, line in lines[start:end]]


# Runs of a line further apart than this (points), the second starting right of 40 % of the page, are two blocks
# side by side: the header block's "ỦY BAN NHÂN DÂN" and "CỘNG HÒA …", "Số: …/KH-UBND" and "Lâm Đồng, ngày …"
# (while "Số:" and "/KH-UBND", apart by the blank of a draft's number, stay one line).
_COLUMN_GAP = 20.0


def _runs(textpage, height: float) -> list[tuple[float, float, float, float]]:
    """PDFium's text rectangles of the page (one per run of text on a line) as (top, bottom, left, right) in
    top-down coordinates."""
    runs = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        runs.append((height - top, height - bottom, left, right))
    return runs


def _rows_of(runs: list) -> list[list]:
    """Runs grouped by visual line, top to bottom: on the same line when the boxes overlap by half the smaller one
    (a quotation mark's box is small and sits high on the line)."""
    rows: list[list] = []
    for run in sorted(runs, key=lambda run: (run[0] + run[1]) / 2):
        if rows:
            last = rows[-1]
            top = min(r[0] for r in last)
            bottom = max(r[1] for r in last)
            overlap = min(bottom, run[1]) - max(top, run[0])
            if overlap >= 0.5 * min(bottom - top, run[1] - run[0]):
                last.append(run)
                continue
        rows.append([run])
    return rows


def _band_text(textpage, height: float, group: list, left: float, right: float) -> str:
    """The text of one visual line (its runs ``group``) between ``left`` and ``right``: one PDFium call for a band
    from the line's middle down to just under its baseline (a character counts when its box meets the band: a full
    stop sits on the baseline, while the accents of the line below and the descenders of the line above stay
    out), spaces placed by PDFium."""
    top = min(run[0] for run in group)
    bottom = max(run[1] for run in group)
    tall = bottom - top
    text = textpage.get_text_bounded(
        left=left,
        bottom=height - (bottom - 0.12 * tall),
        right=right,
        top=height - ((top + bottom) / 2 - 0.25 * tall),
    )
    text = clean_line(text.replace("\r", " ").replace("\n", " ").replace("\x02", "-"))
    # Word's list bullets come out as Symbol/Wingdings glyphs of the private use area ("\uf0b7"): a dash.
    return _BULLET.sub("- ", text)


_BULLET = re.compile(r"^[\uf0a7\uf0b7\uf076\uf0d8\uf0fc\uf06c\uf06e•▪◦●■□➢►-]\s*(?=\S)")


def _visual_lines(textpage, width: float, height: float, runs: list) -> list[tuple[float, PdfLine]]:
    """The page's visual lines, top to bottom, as (vertical centre, line), a wide gap splitting a line into two
    blocks side by side."""
    rows = _rows_of(runs)
    # Each visual row as its blocks side by side (one, or two: a left and a right column).
    split_rows: list[list[tuple[float, PdfLine]]] = []
    for row in rows:
        row.sort(key=lambda run: run[2])
        groups: list[list] = [[row[0]]]
        for run in row[1:]:
            if run[2] - groups[-1][-1][3] > _COLUMN_GAP and run[2] > 0.4 * width:
                groups.append([run])
            else:
                groups[-1].append(run)
        placed = []
        for group in groups:
            text = _band_text(textpage, height, group, group[0][2] - 1, group[-1][3] + 1)
            if text:
                centre = (min(run[0] for run in group) + max(run[1] for run in group)) / 2
                size = max(run[1] - run[0] for run in group)
                placed.append((centre, PdfLine(text, group[0][2], group[-1][3], size)))
        if placed:
            split_rows.append(placed)
    return _columns_in_order(split_rows, width)


def _columns_in_order(rows: list[list[tuple[float, PdfLine]]], width: float) -> list[tuple[float, PdfLine]]:
    """Rows of a two-column block (the header block "ỦY BAN NHÂN DÂN … | CỘNG HÒA …", the signature block
    "Nơi nhận: … | KT. CHỦ TỊCH …") read column by column, left then right, as Word's cells are; other rows as
    they are. A block is a run of rows, at least one of them split in two, none crossing the middle of the page
    with one line."""
    middle = 0.5 * width

    def narrow(row) -> bool:
        if len(row) == 2:
            return row[0][1].right < middle + 20 and row[1][1].left > 0.4 * width
        return len(row) == 1 and (row[0][1].right < 0.62 * width or row[0][1].left > 0.4 * width)

    def sides(row) -> tuple[bool, bool]:
        if len(row) == 2:
            return True, True
        return row[0][1].left <= 0.4 * width, row[0][1].left > 0.4 * width

    def continues(row, previous) -> bool:
        """A row with one column only goes on the column block if that column went on in the row above it
        ("KẾ HOẠCH" set to the left under the header block's last row "… | 2025" starts the body)."""
        left, right = sides(row)
        before_left, before_right = sides(previous)
        return (left and right) or (left and before_left) or (right and before_right)

    out: list[tuple[float, PdfLine]] = []
    i = 0
    while i < len(rows):
        j = i
        while j < len(rows) and narrow(rows[j]) and (j == i or continues(rows[j], rows[j - 1])):
            j += 1
        block = rows[i:j]
        if any(len(row) == 2 for row in block):
            left = [item for row in block for item in row if item[1].left <= 0.4 * width]
            right = [item for row in block for item in row if item[1].left > 0.4 * width]
            # Both columns take the place of the block's first row, so the order down the page holds.
            first = block[0][0][0]
            out += [(first, line) for _, line in left] + [(first, line) for _, line in right]
            i = j
            continue
        out += rows[i] if j == i else [item for row in block for item in row]
        i = max(j, i + 1)
    return out


def _lines(text: str) -> list[str]:
    return [x for x in (clean_line(line) for line in text.splitlines()) if x]


def _cell_text(textpage, height: float, box, runs: list) -> str:
    """The text of a table cell: its runs (those whose middle is inside the box) line by line, each line read
    within the cell's borders, the lines joined back into the cell's paragraphs."""
    x0, top, x1, bottom = box
    inside = [r for r in runs if x0 <= (r[2] + r[3]) / 2 <= x1 and top <= (r[0] + r[1]) / 2 <= bottom]
    lines = []
    for group in _rows_of(inside):
        group.sort(key=lambda run: run[2])
        text = _band_text(textpage, height, group, max(x0, group[0][2] - 1), min(x1, group[-1][3] + 1))
        if text:
            lines.append(text)
    return reflow_cell(lines)


def _grid(table, textpage, height: float, runs: list) -> list[list[str]]:
    """The table's rows of cell texts; a merged cell repeats its text in every cell it spans (as Word reports
    it), across columns and down rows."""
    rows = table.rows
    xs = sorted({cell[0] for row in rows for cell in row.cells if cell})
    grid: list[list[str]] = []
    boxes: list[list] = []
    for row in rows:
        texts: list[str] = []
        row_boxes: list = []
        for c, cell in enumerate(row.cells):
            if cell is not None:
                texts.append(_cell_text(textpage, height, cell, runs))
                row_boxes.append(cell)
                continue
            x = xs[c] if c < len(xs) else None
            left = next((i for i in range(c - 1, -1, -1) if row_boxes[i] is not None), None)
            if left is not None and x is not None and row_boxes[left][2] > x + 1:
                texts.append(texts[left])  # spans this column
                row_boxes.append(row_boxes[left])
                continue
            above = grid[-1][c] if grid and c < len(grid[-1]) else ""
            box_above = boxes[-1][c] if boxes and c < len(boxes[-1]) else None
            top = row.bbox[1]
            if box_above is not None and box_above[3] > top + 1:
                texts.append(above)  # spans this row
                row_boxes.append(box_above)
            else:
                texts.append("")
                row_boxes.append(None)
        grid.append(texts)
        boxes.append(row_boxes)
    return grid


_PAGE_NUMBER = re.compile(r"(?:Trang )?\d{1,3}(?: ?/ ?\d{1,3})?|[-–] ?\d{1,3} ?[-–]")


def _only_furniture(lines: list[str]) -> bool:
    """Nothing but a page number (or nothing) between the previous page's table and this one."""
    return all(_PAGE_NUMBER.fullmatch(line) for line in lines)


def _fold(text: str) -> str:
    return " ".join(fold_aligned(text).split())


def _repeats(row: list[str], header: list[str]) -> bool:
    """``row`` is ``header`` repeated at the top of a page: cell by cell the same text, or its beginning."""
    if len(row) != len(header) or not any(c.strip() for c in row):
        return False
    return all(
        _fold(h).startswith(_fold(c)) and (c.strip() or not h.strip())
        for c, h in zip(row, header, strict=True)
    )


def _rest(header_cell: str, cell: str) -> str:
    """What of a header cell its repetition lacks ("Thời gian hoàn" for "Thời gian hoàn thành" → "thành")."""
    head, seen = _fold(header_cell), _fold(cell)
    return head[len(seen) :].strip() if head != seen else ""


def page_text_sizes(data: bytes, password: str | None = None) -> list[int]:
    """Characters of the text layer of each page (at most MAX_PDF_PAGES pages): what tells a scan."""
    sizes = []
    with PDFIUM_LOCK:
        document = open_pdf(data, password)
        try:
            for index in range(min(len(document), MAX_PDF_PAGES)):
                page = document[index]
                try:
                    textpage = page.get_textpage()
                    text = textpage.get_text_range(0, min(textpage.count_chars(), MAX_PAGE_CHARS))
                    sizes.append(sum(len(clean_line(line)) for line in text.splitlines()))
                finally:
                    page.close()
        finally:
            document.close()
    return sizes


def read_layout(data: bytes, password: str | None = None) -> PdfLayout:
    """Every page's text and task tables. Raises pypdfium2's PdfiumError on a file PDFium cannot open."""
    problems: list[str] = []
    hit: set[str] = set()

    def limit_hit(key: str, message: str) -> None:
        if key not in hit:
            hit.add(key)
            problems.append(message)

    pages: list[PdfPage] = []
    cells_left = MAX_DOCUMENT_CELLS
    with PDFIUM_LOCK:
        document = open_pdf(data, password)
        try:
            total = len(document)
            if total > MAX_PDF_PAGES:
                limit_hit(
                    "pages",
                    gettext(
                        "Văn bản có %(total)s trang; chỉ đọc %(limit)s trang đầu, các trang sau không được đọc."
                    )
                    % {"total": total, "limit": MAX_PDF_PAGES},
                )
            # The open task table (its Table block and column count) that the next page may continue.
            open_table: tuple[Table, int] | None = None
            for index in range(min(total, MAX_PDF_PAGES)):
                page = document[index]
                try:
                    width, height = page.get_size()
                    textpage = page.get_textpage()
                    chars = textpage.count_chars()
                    result = PdfPage(chars=chars)
                    found = []
                    if chars > MAX_PAGE_CHARS:
                        limit_hit(
                            f"chars{index}",
                            gettext(
                                "Trang %(page)s có hơn %(limit)s ký tự: chỉ đọc phần đầu của trang và không tìm bảng trên trang này."
                            )
                            % {"page": index + 1, "limit": f"{MAX_PAGE_CHARS:,}".replace(",", ".")},
                        )
                        result.blocks.append(_lines(textpage.get_text_range(0, MAX_PAGE_CHARS)))
                        pages.append(result)
                        open_table = None
                        continue
                    runs = _runs(textpage, height)
                    edges = _edges(page, height, MAX_PAGE_PATHS)
                    if edges is None:
                        limit_hit(
                            f"paths{index}",
                            gettext(
                                "Trang %(page)s có quá nhiều nét vẽ (hơn %(limit)s): không tìm bảng trên trang này, chỉ đọc chữ."
                            )
                            % {"page": index + 1, "limit": MAX_PAGE_PATHS},
                        )
                    elif len(edges) >= 4:
                        from pdfplumber.table import TableFinder

                        finder = TableFinder(
                            _EdgesPage(edges, width, height),
                            {"vertical_strategy": "lines", "horizontal_strategy": "lines"},
                        )
                        for table in finder.tables:
                            n_rows = len(table.rows)
                            n_cols = max((len(r.cells) for r in table.rows), default=0)
                            if n_rows * n_cols > min(MAX_TABLE_CELLS, cells_left):
                                limit_hit(
                                    f"cells{index}",
                                    gettext(
                                        "Bảng ở trang %(page)s có %(cells)s ô, vượt giới hạn %(limit)s ô: bảng được đọc như văn bản thường."
                                    )
                                    % {
                                        "page": index + 1,
                                        "cells": n_rows * n_cols,
                                        "limit": min(MAX_TABLE_CELLS, cells_left),
                                    },
                                )
                                continue
                            cells_left -= n_rows * n_cols
                            found.append((table.bbox, _grid(table, textpage, height, runs)))
                    lines = _visual_lines(textpage, width, height, runs)
                    # Footnotes at the foot of the page (smaller type, under a short rule) are no body text.
                    rules = [
                        ((edge["top"] + edge["bottom"]) / 2, (edge["x1"] - edge["x0"]) / width)
                        for edge in edges or ()
                        if edge.get("orientation") == "h"
                    ]
                    floor = max((bbox[3] for bbox, _ in found), default=-1.0)
                    lines, notes = split_footnotes(lines, rules, floor)
                    result.footnotes += notes
                    blocks: list = []
                    pos = 0  # lines[:pos] are placed
                    last_bottom = -1.0
                    ended_in_table = False
                    for bbox, rows in sorted(found, key=lambda item: item[0][1]):
                        x0, top, x1, bottom = bbox
                        if top < last_bottom:
                            continue  # a table inside another's box
                        before_end = pos
                        while before_end < len(lines) and lines[before_end][0] < top:
                            before_end += 1
                        before = [line for _, line in lines[pos:before_end]]
                        ncols = max(len(r) for r in rows)
                        continues = (
                            open_table is not None
                            and open_table[1] == ncols
                            and last_bottom < 0
                            and _only_furniture([line for _, line in lines[:before_end]])
                        )
                        if not continues and find_task_table(Table(rows)) is None:
                            continue  # a ruled box that is no task table: its text is read as lines in place
                        inside_end = before_end
                        while inside_end < len(lines) and lines[inside_end][0] <= bottom:
                            inside_end += 1
                        pos = inside_end
                        last_bottom = bottom
                        ended_in_table = True
                        if continues:
                            table_block, _ = open_table
                            # The header repeated at the top of the page (one or two rows) is dropped, with
                            # what of its cells spilled into the row under it (LibreOffice sets the end of a
                            # merged header cell there).
                            body = list(rows)
                            spilled: list[str] = []
                            while body:
                                head = next((h for h in table_block.rows[:2] if _repeats(body[0], h)), None)
                                if head is None:
                                    break
                                spilled = [_rest(h, b) for h, b in zip(head, body[0], strict=False)]
                                body = body[1:]
                            if body and spilled:
                                body[0] = [
                                    "" if rest and _fold(cell) == _fold(rest) else cell
                                    for cell, rest in zip(
                                        body[0], spilled + [""] * len(body[0]), strict=False
                                    )
                                ]
                            if body and table_block.rows and _broken_row(body[0], table_block):
                                last = table_block.rows[-1]
                                table_block.rows[-1] = [
                                    reflow_cell(f"{a}\n{b}".split("\n")) if a and b and a != b else (a or b)
                                    for a, b in zip(last, body[0], strict=False)
                                ]
                                body = body[1:]
                            table_block.rows.extend(body)
                            continue
                        if before:
                            blocks.append(before)
                        table_block = Table(rows)
                        blocks.append(table_block)
                        open_table = (table_block, ncols)
                    after = [line for _, line in lines[pos:]]
                    if after:
                        blocks.append(after)
                    if not ended_in_table or not _only_furniture(after):
                        open_table = None
                    result.blocks = blocks
                    pages.append(result)
                finally:
                    page.close()
        finally:
            document.close()
    return PdfLayout(pages, problems)


def _broken_row(first: list[str], table) -> bool:
    """The first row of a continued table is the end of the last row of the previous page: its number cell is
    empty while the last row has one (Word breaks a long row across the page)."""
    parsed = find_task_table(table)
    if parsed is None or "number" not in parsed.columns:
        return False
    col = parsed.columns["number"]
    last = table.rows[-1]
    return (
        col < len(first)
        and col < len(last)
        and not first[col].strip()
        and bool(last[col].strip())
        and any(c.strip() for c in first)
    )
