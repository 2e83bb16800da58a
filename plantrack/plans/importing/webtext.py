"""Text of a plan copied from a web page (an online legal library, a portal) and saved as text or Markdown.

Such text carries the page's markup — bold ``**…**`` and italic ``*…*`` runs, the header table written as cells
between lone ``|`` lines, rules of dashes — and its paragraphs are broken into lines at arbitrary points (often
after the first few words of a paragraph), with the blank lines between paragraphs lost on reading. The plan parser
works on paragraphs, so :func:`reflow_web_text` takes the markup off and joins the lines of each paragraph back:

- a line that is only markup (``|``, ``---``, ``** **``) ends the paragraph before it (it was a cell border or a
  rule) and is dropped;
- a bold or italic run left open at the end of a line continues on the next line ("**I. MỤC ĐÍCH," + "YÊU CẦU**");
- a line that is wholly bold or italic (a heading, the place-and-date line) is a paragraph of its own, except that a
  numbered bold heading not ended by punctuation continues into the bold line after it (a heading set as two runs);
- otherwise a line continues the previous one unless the previous one ended a sentence (". : ; ! ?"), the line
  starts a block (an outline marker, "Số:", "Nơi nhận", "KẾ HOẠCH", a place-and-date line), or one of the two is in
  capitals and the other is not (the title block of the plan against the first paragraph).

Source line numbers are kept: a joined paragraph carries the number of its first line.
"""

from __future__ import annotations

import re

from .readers import Table
from .tables import _column_of, find_task_table, reflow_cell

_MARKUP_ONLY = re.compile(r"[\s|*_\-=]*")
_BOLD = "**"
_BLOCK_START = re.compile(
    r"(?:[IVX]+\.\s|\d+(?:\.\d+)*\.(?!\d)|\d+\)|[a-zđ][).]\s|[-–•+]\s|Số\s*:|Nơi nhận|PHỤ LỤC|Phụ lục|KẾ HOẠCH|"
    r"TM\.|KT\.|Căn cứ|Thực hiện|Kính gửi|Trên đây)"
)
_HEADING_MARKER = re.compile(r"(?:[IVX]+\.|\d+(?:\.\d+)*\.|[a-zđ]\))\s")
_HEADING_THEN_TEXT = re.compile(r"\s*\*\*(?P<head>[^*]*[^*\s][^*]*)\*\*\s+(?P<rest>[^*\s].*)", re.S)
_DATE_LINE = re.compile(r"[^,]{2,40}, ngày\b")
_MOTTO = re.compile(r"CỘNG HÒA XÃ HỘI|CỘNG HOÀ XÃ HỘI|Độc lập\s*-\s*Tự do")
_CLOSERS = (".", ":", ";", "!", "?")


_PIPE_ROW = re.compile(r"\|(?:[^|]*\|){2,}")
_CELL_RULE = re.compile(r"\s*-{3,}\s*")


def split_table_rows(lines: list[tuple[int, str]], *, borders: bool) -> list[tuple[int, str]]:
    """A Markdown pipe-table row ("| ỦY BAN … ------- | CỘNG HÒA … |") as its cells, one line each.

    The header block of a plan copied from a legal library is often such a table: its first row holds the issuer
    and the motto, its second row the number and the place-and-date line, each cell ended by a rule of dashes. A
    rule inside a cell ends a paragraph too. ``borders`` puts a lone "|" between cells, so that web text reflowed
    afterwards (see :func:`reflow_web_text`) never joins two cells. Separator rows ("|---|---|") are kept: they are
    markup the reflow drops.
    """
    out: list[tuple[int, str]] = []
    for number, line in lines:
        text = line.strip()
        if not _PIPE_ROW.fullmatch(text) or _MARKUP_ONLY.fullmatch(text):
            out.append((number, line))
            continue
        for cell in text[1:-1].split("|"):
            pieces = [p.strip() for p in _CELL_RULE.split(cell) if p.strip()]
            for piece in pieces:
                out.append((number, piece))
                if borders:
                    out.append((number, "|"))
    return out


def looks_like_web_text(lines: list[str]) -> bool:
    """Markup of a web page on at least 3 % of the lines (and 3 lines): lone cell borders or bold runs."""
    if not lines:
        return False
    marked = sum(1 for line in lines if _BOLD in line or (line.strip() and _MARKUP_ONLY.fullmatch(line)))
    return marked >= 3 and marked >= 0.03 * len(lines)


def _open_runs(text: str) -> tuple[bool, bool]:
    """(bold open, italic open) after ``text``: an odd number of ``**`` / of single ``*``."""
    bold = text.count(_BOLD)
    single = text.replace(_BOLD, "").count("*")
    return bold % 2 == 1, single % 2 == 1


def _strip(text: str) -> str:
    text = text.replace(_BOLD, "").replace("*", "")
    return re.sub(r"\s+", " ", text).strip()


def _whole_run(raw: str) -> bool:
    """The paragraph is wholly bold or italic: a heading or the place-and-date line."""
    text = raw.strip()
    return len(text) > 2 and text[0] == "*" and text[-1] == "*"


def _open_heading(raw: str, text: str) -> bool:
    """A wholly bold numbered heading ("**3. Đề nghị …, Hội Liên hiệp**") not ended by punctuation."""
    return (
        _whole_run(raw)
        and raw.strip().startswith(_BOLD)
        and bool(_HEADING_MARKER.match(text))
        and not (text.endswith(_CLOSERS))
    )


def _mostly_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def close_runs_at_blank_lines(lines: list[str]) -> list[str]:
    """The non-blank lines of web text, a bold or italic run still open at a blank line closed on the line before
    it: markup never runs over a blank line ("** Lưu ý: *Ưu tiên …" left open must not swallow the sections after
    it). Only the lines' markup changes: the blank lines are dropped as before, so line numbers stay."""
    out: list[str] = []
    paragraph: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            out.append(line)
            paragraph.append(line)
            continue
        if paragraph:
            bold_open, italic_open = _open_runs(" ".join(paragraph))
            closing = (" *" if italic_open else "") + (" " + _BOLD if bold_open else "")
            if closing:
                out[-1] = out[-1].rstrip() + closing
        paragraph = []
    return out


def reflow_web_text(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Paragraphs of web-page text without its markup (see the module docstring), with source line numbers."""
    out: list[tuple[int, str]] = []
    raw: list[str] = []  # the paragraph being built, with its markup
    start = 0
    can_continue = False

    def flush() -> None:
        nonlocal raw
        joined = " ".join(raw)
        split = _HEADING_THEN_TEXT.match(joined)
        if split and _HEADING_MARKER.match(_strip(split.group("head"))):
            # "**3. Xây dựng … Luật Việc làm** Sở, ban, ngành … có trách nhiệm …": the bold heading and the
            # paragraph after it are two paragraphs.
            out.append((start, _strip(split.group("head"))))
            joined = split.group("rest")
        text = _strip(joined)
        if text:
            out.append((start, text))
        raw = []

    held = False  # a numbered bold heading kept open over a blank line, to see whether its second run follows
    for number, line in lines:
        if _MARKUP_ONLY.fullmatch(line):
            joined = " ".join(raw)
            if not line.strip() and raw and _open_heading(joined, _strip(joined)):
                held = True
                continue
            flush()
            held = False
            can_continue = False
            continue
        plain = _strip(line)
        if raw:
            joined = " ".join(raw)
            bold_open, italic_open = _open_runs(joined)
            previous = _strip(joined)
            if (
                bold_open
                or italic_open
                or (re.search(r"\d$", previous) and re.match(r"[-–]\s*\d", plain))
                or re.fullmatch(r"Số\s*:|(?:[IVX]+|\d+(?:\.\d+)*)\.|[a-zđ]\)", previous)
            ):
                # "Số:" with the number on the next line is one line; so is a marker alone ("**6**." + "Tổ chức …").
                # An open run continues; so does a range broken after its first number ("2026" / "- 2030 …").
                raw.append(line)
                continue
            if (
                _open_heading(joined, previous)
                and line.lstrip().startswith(_BOLD)
                and not _BLOCK_START.match(plain)
                and _mostly_upper(previous) == _mostly_upper(plain)
            ):
                # A numbered heading set as two bold runs ("**3. Đề nghị Ủy ban …, Hội Liên hiệp**" + "**Phụ nữ
                # Thành phố …**") is one heading.
                raw.append(line)
                held = False
                continue
            if held:
                flush()
                held = False
                raw = [line]
                start = number
                can_continue = True
                continue
            closed = (
                not can_continue
                or previous.endswith(_CLOSERS)
                or _whole_run(joined)
                or bool(_BLOCK_START.match(plain))
                or bool(_DATE_LINE.match(plain) and "tháng" in plain + " tháng")
                or _mostly_upper(previous) != _mostly_upper(plain)
                or bool(_MOTTO.search(plain) or _MOTTO.search(previous))
                or previous in ("KẾ HOẠCH",)
            )
            if not closed:
                raw.append(line)
                continue
            flush()
        raw = [line]
        start = number
        can_continue = True
    flush()
    return out


# --- task tables written as web text --------------------------------------------------------------------------

# A cell longer than this is no cell: the page furniture after the table (a web page's own text between "|" lines).
MAX_CELL_LINES = 15
MAX_TABLE_SEGMENTS = 20_000
_GROUP_NUMBER = re.compile(r"[IVX]{1,5}|[A-Z]")
_GROUP_TITLE = re.compile(r"([IVX]{1,5}|[A-Z])\.\s+")
_ROW_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,2})*\.?|[IVX]{1,5}|[A-Z]")


def _cell(lines: list[str]) -> str:
    return reflow_cell([x for x in (_strip(line) for line in lines) if x])


def _segments(lines: list[str], start: int):
    """The texts between lone "|" lines from ``start`` (a "|" line), one by one: (lines of the cell, index after
    its closing "|"), up to the first text that runs on too long to be a cell or is not closed by a "|"."""
    current: list[str] = []
    count = 0
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if line.strip() == "|":
            # A cell of markup only ("** **") is an empty cell.
            yield (current if any(_strip(x) for x in current) else [], i + 1)
            count += 1
            if count >= MAX_TABLE_SEGMENTS:
                return
            current = []
        else:
            current.append(line)
            if len(current) > MAX_CELL_LINES:
                return


def _pipe_table(lines: list[str], start: int):
    """The task table whose cells follow the "|" line at ``start`` — (Table, index after it) — or None when the
    cells there are no task table (the header block, the library's page furniture)."""
    segments = _segments(lines, start)
    header: list[str] = []
    end = start + 1
    for cell_lines, after in segments:
        end = after
        if not cell_lines:
            break
        header.append(_cell(cell_lines))
        if len(header) > 30:
            return None
    # The header row starts at this "|": its first cell names a column ("TT", "Nội dung"), not the signature
    # block or the appendix title before the table.
    if (
        len(header) < 3
        or len(header[0]) > 40
        or not _column_of(header[0])
        or find_task_table(Table([header])) is None
    ):
        return None
    width = len(header)
    rows = [header]
    row: list[str] = []
    last = end
    for cell_lines, after in segments:
        last = after
        if not cell_lines:
            group = 0 < len(row) <= 2 and (
                bool(_GROUP_NUMBER.fullmatch(row[0]))
                or bool(_GROUP_TITLE.match(row[0]))
                or _mostly_upper(row[0])
            )
            if row and (len(row) >= width or group):
                title = _GROUP_TITLE.match(row[0]) if len(row) == 1 else None
                if title:
                    # "I. NÂNG CAO NHẬN THỨC …" merged across the table: its number and its title.
                    row = [title.group(1), row[0][title.end() :].strip()]
                rows.append(row)
                row = []
                end = after
            elif row:
                row.append("")  # an empty cell
            continue
        text = _cell(cell_lines)
        if len(row) >= width:
            rows.append(row)
            row = []
            end = after
        elif row and _ROW_NUMBER.fullmatch(text) and not _ROW_NUMBER.fullmatch(row[0]):
            # Cells that start no numbered row (the library's "…" where it left rows out) are dropped: the
            # number starts the next row again.
            row = []
        row.append(text)
    if row and len(row) >= width - 1:
        rows.append(row + [""] * (width - len(row)))
        end = last
    if len(rows) < 2:
        return None
    return Table(rows), end


def pipe_task_tables(lines: list[str]) -> list:
    """``lines`` with every task table written as web text — one cell after another between lone "|" lines, a
    row closed by an extra "|" (the header: "TT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian …")
    — replaced by a ``Table``, so that it goes through the same table pipeline as a .docx table. Other "|"
    blocks (the header block of the plan) are left as they are."""
    out: list = []
    i = 0
    while i < len(lines):
        if lines[i].strip() == "|":
            found = _pipe_table(lines, i)
            if found is not None:
                table, end = found
                out.append(table)
                i = end
                continue
        out.append(lines[i])
        i += 1
    return out
