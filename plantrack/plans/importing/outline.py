"""The outline of a plan: markers (I., 1., 1.1., a), -, +), their nesting and the codes they give (III.2.b.1)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .resolver import fold_aligned

# --- markers --------------------------------------------------------------------------------------------------

ROMAN_RANK, ARABIC_RANK, LETTER_RANK, DASH_RANK, PLUS_RANK = 0, 1, 10, 20, 30
# "A. MỤC ĐÍCH, YÊU CẦU", "B. NỘI DUNG, NHIỆM VỤ …": parts above the Roman sections, as some plans (of ministries,
# of national steering committees) write them. Only "A." or the letter after the previous part, in capitals.
PART_RANK = -1
_PART = re.compile(r"(?P<key>[A-H])\.\s+(?P<rest>.*)")

_ROMAN = re.compile(r"(?P<key>[IVX]{1,5})\s*\.\s*(?P<rest>.*)")
_DOTTED = re.compile(r"(?P<key>\d{1,2}(?:\.\d{1,2})+)\.?(?!\d)\s*(?P<rest>.*)")
_ARABIC = re.compile(r"(?P<key>\d{1,2})\s*[.)](?!\d)\s*(?P<rest>.*)")
_LETTER = re.compile(r"(?P<key>[a-zđ])\s*(?:\)|\.(?=\s))\s*(?P<rest>.*)")
_DASH = re.compile(r"[-–—•*]\s*(?P<rest>.*)")
_PLUS = re.compile(r"\+\s*(?P<rest>.*)")


@dataclass
class Node:
    kind: str
    rank: int
    key: str
    label: str
    text: str
    line: int
    code: str = ""
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    section: str = ""

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def _capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def marker(line: str) -> tuple[str, int, str, str, str] | None:
    """(kind, rank, key, label, rest) when ``line`` starts with an outline marker."""
    m = _PART.fullmatch(line)
    if m and len(m.group("rest")) >= 5 and _capitals(m.group("rest")):
        return "part", PART_RANK, m.group("key"), f"{m.group('key')}.", m.group("rest")
    m = _ROMAN.fullmatch(line)
    if m and m.group("rest"):
        return "roman", ROMAN_RANK, m.group("key"), f"{m.group('key')}.", m.group("rest")
    m = _DOTTED.fullmatch(line)
    if m and m.group("rest") and not re.match(r"\d", m.group("rest")):
        key = m.group("key")
        return "dotted", ARABIC_RANK + key.count("."), key, f"{key}.", m.group("rest")
    m = _ARABIC.fullmatch(line)
    if m and m.group("rest"):
        return "arabic", ARABIC_RANK, m.group("key"), f"{m.group('key')}.", m.group("rest")
    m = _LETTER.fullmatch(line)
    if m and m.group("rest"):
        return "letter", LETTER_RANK, m.group("key"), f"{m.group('key')})", m.group("rest")
    m = _PLUS.fullmatch(line)
    if m and m.group("rest"):
        return "plus", PLUS_RANK, "", "+", m.group("rest")
    m = _DASH.fullmatch(line)
    if m and m.group("rest"):
        return "dash", DASH_RANK, "", "-", m.group("rest")
    return None


_ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


def build_outline(lines: list[tuple[int, str]]) -> tuple[Node, dict | None]:
    root = Node("root", -1, "", "", "", -1)
    stack = [root]
    closing = None
    codes: set[str] = set()
    last_roman = 0
    parts = 0
    for line_no, text in lines:
        if closing is not None:
            closing["body"] += "\n" + text
            continue
        found = marker(text)
        if found is None:
            folded = fold_aligned(text)
            if folded.startswith("tren day la") and len(stack) > 1:
                key = _ROMANS[last_roman] if last_roman < len(_ROMANS) else str(last_roman + 1)
                closing = {"code": key, "label": "", "title": "", "body": text}
                continue
            stack[-1].body.append(text)
            continue
        kind, rank, key, label, rest = found
        if kind == "part" and key != chr(ord("A") + parts):
            stack[-1].body.append(text)
            continue
        if kind == "part":
            parts += 1
        while len(stack) > 1 and stack[-1].rank >= rank:
            stack.pop()
        parent = stack[-1]
        node = Node(kind, rank, key, label, rest, line_no, parent=parent)
        node.code = node_code(node, parent)
        if kind == "roman" and key in _ROMANS:
            last_roman = max(last_roman, _ROMANS.index(key) + 1)
        base, n = node.code, 2
        while node.code in codes:
            node.code = f"{base}-{n}"
            n += 1
        codes.add(node.code)
        parent.children.append(node)
        stack.append(node)
    return root, closing


def node_code(node: Node, parent: Node) -> str:
    prefix = f"{parent.code}." if parent.code else ""
    if node.kind in ("roman", "part"):
        return node.key
    if node.kind in ("arabic", "letter"):
        return prefix + node.key
    if node.kind == "dotted":
        parts = node.key.split(".")
        if parent.kind in ("arabic", "dotted") and parent.key.split(".") == parts[:-1]:
            return f"{parent.code}.{parts[-1]}"
        anchor = parent
        while anchor.kind not in ("roman", "root"):
            anchor = anchor.parent
        return (f"{anchor.code}." if anchor.code else "") + node.key
    same = [c for c in parent.children if c.kind == node.kind]
    return f"{prefix}{len(same) + 1}"
