"""The composer of the department's synthesis: every accepted contribution, cut into statements, deduplicated,
grouped by task group and by theme, counted by agency (issue 12 point 1).

A *contribution* is a sentence an agency wrote in its accepted submission: in its own sections ("Kết quả nổi bật",
"Tồn tại, hạn chế", "Phương hướng", old free-text "Kiến nghị") or in an entry (a task's results or difficulties).
Sentences that are the same once case, diacritics, punctuation and spacing are ignored are one *statement*;
sentences close enough by :class:`difflib.SequenceMatcher` (ratio ≥ :data:`SIMILARITY`) are merged into the same
statement too (docs/decisions.md). Each statement keeps every agency and submission it came from, so the draft
can say "3 cơ quan, đơn vị …" and the build manifest can trace each sentence back.

The department in charge's own report is left out: the synthesis is its voice about the agencies' reports (its
own results stay in section II and Phụ lục I). Reads only the :class:`~.compile.Compilation` (no query); the
result is cached on it, so the edit page, the suggested draft and the manifest share one pass.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cached_property, lru_cache

from .compile import Compilation, Source

# Two normalised sentences at least this similar are the same statement (a typo, a word added or dropped).
SIMILARITY = 0.85
# How many statements the suggested draft puts in one section (the most widely shared first); the others stay
# on the edit page, one click away.
DRAFT_LIMIT = 8

# Themes, tried in order on the normalised text; the first whose keyword occurs wins.
THEMES: list[tuple[str, tuple[str, ...]]] = [
    (
        "Lãnh đạo, chỉ đạo, ban hành văn bản",
        ("ban hanh", "quan triet", "chi dao", "huong dan", "trien khai ke hoach", "trien khai kip thoi"),
    ),
    ("Tuyên truyền, hội nghị, tập huấn", ("tuyen truyen", "tap huan", "hoi nghi", "hoi thao", "dao tao")),
    ("Kinh phí, nguồn lực", ("kinh phi", "ngan sach", "nguon luc", "tai chinh", "trieu dong", "ty dong")),
    ("Nhân lực", ("nhan luc", "can bo", "chuyen trach", "nhan su")),
    ("Phối hợp", ("phoi hop",)),
    ("Cơ chế, chính sách", ("co che", "chinh sach", "the che", "quy dinh", "de an")),
    ("Hạ tầng, chuyển đổi số", ("ha tang", "chuyen doi so", "du lieu", "phan mem", "nen tang")),
]
OTHER_THEME = "Nội dung khác"
GENERAL_GROUP = "Nội dung chung của các báo cáo"

# Narrative field → (label, sections of the agencies' reports, entry text, themes kept or None for all).
LEADERSHIP_THEMES = {THEMES[0][0], THEMES[1][0]}
SECTIONS: dict[str, tuple[str, tuple[str, ...], str, set[str] | None]] = {
    # The reports' "Kết quả nổi bật" feed III.1 only, so one sentence is never drafted in both I and III.1.
    "leadership": ("I. Lãnh đạo, chỉ đạo, triển khai", (), "results", LEADERSHIP_THEMES),
    "group_results": ("II. Kết quả theo nhóm nhiệm vụ", (), "results", None),
    "strengths": ("III.1. Ưu điểm", ("main_results",), "", None),
    "shortcomings": ("III.2. Tồn tại, hạn chế và nguyên nhân", ("shortcomings",), "difficulties", None),
    "directions": ("IV. Phương hướng, nhiệm vụ năm tới", ("next_year",), "", None),
    "proposals": ("V. Kiến nghị, đề xuất", ("proposals",), "", None),
}
# The fields of the narrative a draft is written for (group_results is shown, not stored).
DRAFT_FIELDS = ("leadership", "strengths", "shortcomings", "directions", "proposals")

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
_BULLET = " -+•*\t–"
_DIGITS = re.compile(r"\d+")


def _fold_table() -> dict[int, str]:
    """Every Latin letter with diacritics → its base letter (đ → d), every other non-alphanumeric character of the
    first 0x2070 code points → a space: one ``str.translate`` instead of a Python loop over characters."""
    table: dict[int, str] = {}
    for code in range(0x2070):
        ch = chr(code)
        if ch.isalnum():
            base = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn")
            if base != ch:
                table[code] = base
        else:
            table[code] = " "
    table[ord("đ")] = "d"
    table[ord("Đ")] = "d"
    return table


_FOLD = _fold_table()


@lru_cache(maxsize=16384)
def normalise(text: str) -> str:
    """``"Triển khai  KỊP THỜI, Kế hoạch."`` → ``"trien khai kip thoi ke hoach"``: lower case, no diacritics
    (đ → d), punctuation dropped, single spaces. The key of exact deduplication."""
    return " ".join(text.lower().translate(_FOLD).split())


def shape(key: str) -> str:
    """A key with its numbers as "#": sentences that differ only in their figures have the same shape and are
    near-duplicates without asking difflib."""
    return _DIGITS.sub("#", key)


def split_sentences(text: str) -> list[str]:
    """A typed section → its sentences: one per line, and lines cut after ".", "!" or "?" followed by a capital
    letter (a number like "1.200" or an abbreviation in the middle of a sentence is not an end)."""
    sentences = []
    for line in (text or "").splitlines():
        line = " ".join(line.split()).strip(_BULLET)
        if not line:
            continue
        start = 0
        for m in _SENTENCE_END.finditer(line):
            following = line[m.end() : m.end() + 1]
            if following.isupper():
                sentences.append(line[start : m.start()])
                start = m.end()
        sentences.append(line[start:])
    return [s.strip(_BULLET) for s in sentences if normalise(s)]


def theme_of(key: str) -> str:
    for name, words in THEMES:
        if any(f" {w} " in f" {key} " for w in words):
            return name
    return OTHER_THEME


@dataclass(frozen=True)
class Mention:
    """One agency's sentence, where it came from."""

    text: str
    key: str
    source: Source
    task_code: str = ""


@dataclass
class Statement:
    """Sentences of one or more agencies that say the same thing."""

    text: str  # the variant written by most agencies (the first on a tie)
    key: str
    theme: str
    group: str  # the task group's heading, or GENERAL_GROUP for the reports' own sections
    mentions: list[Mention] = field(default_factory=list)

    @property
    def agencies(self) -> list[str]:
        names: list[str] = []
        for m in self.mentions:
            if m.source.agency_name not in names:
                names.append(m.source.agency_name)
        return names

    @property
    def count(self) -> int:
        return len({m.source.agency_id for m in self.mentions})

    @property
    def reports(self) -> list[int]:
        return sorted({m.source.report_id for m in self.mentions})

    @property
    def submissions(self) -> list[int]:
        return sorted({m.source.submission_id for m in self.mentions})

    @property
    def task_codes(self) -> list[str]:
        codes: list[str] = []
        for m in self.mentions:
            if m.task_code and m.task_code not in codes:
                codes.append(m.task_code)
        return codes

    @property
    def varies_in_figures(self) -> bool:
        """Merged sentences that give different numbers ("3 hội nghị", "5 hội nghị"): the draft then cites one
        as an example instead of attributing its figures to every agency."""
        return len({tuple(_DIGITS.findall(m.key)) for m in self.mentions}) > 1

    @property
    def draft_line(self) -> str:
        """The statement in the department's voice, attributed by count, never by a list of names:
        "- 12 cơ quan, đơn vị đã tổ chức …", "- Nguồn lực còn thiếu (3 cơ quan, đơn vị).", or for one agency
        "- Sở Tài chính: …"."""
        text = self.text.rstrip(" .;,")
        if self.count == 1:
            return f"- {self.agencies[0]}: {lower_first(text)}."
        if self.varies_in_figures:
            example = next(m for m in self.mentions if m.text == self.text).source.agency_name
            return f"- {self.count} cơ quan, đơn vị có kết quả tương tự; tiêu biểu, {example}: {lower_first(text)}."
        if text.lower().startswith("đã "):
            return f"- {self.count} cơ quan, đơn vị {lower_first(text)}."
        return f"- {text} ({self.count} cơ quan, đơn vị)."


def lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word looks like a name or an abbreviation ("Sở", "UBND")."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower() and first.lower() not in _PROPER_STARTS:
        return text[0].lower() + text[1:]
    return text


_PROPER_STARTS = {"sở", "bộ", "ủy", "uỷ", "ubnd", "trường", "viện", "ban", "tỉnh", "huyện", "xã", "thành"}


@dataclass
class SectionComposer:
    """What the edit page shows beside one narrative field."""

    field: str
    label: str
    statements: list[Statement]

    def grouped(self) -> list[tuple[str, list[tuple[str, list[Statement]]]]]:
        """``[(group, [(theme, statements)])]`` in first-seen group order, themes in :data:`THEMES` order."""
        order = {name: i for i, (name, _w) in enumerate(THEMES)}
        groups: dict[str, dict[str, list[Statement]]] = {}
        for s in self.statements:
            groups.setdefault(s.group, {}).setdefault(s.theme, []).append(s)
        return [
            (
                group,
                [
                    (theme, sorted(items, key=lambda s: -s.count))
                    for theme, items in sorted(themes.items(), key=lambda kv: order.get(kv[0], len(order)))
                ],
            )
            for group, themes in groups.items()
        ]

    @property
    def contribution_count(self) -> int:
        return sum(len(s.mentions) for s in self.statements)

    @cached_property
    def pooled(self) -> list[Statement]:
        """The statements merged again across task groups (the same difficulty written under several groups is
        one statement): what the draft and the manifest speak of."""
        # One representative per statement is merged, then each statement's mentions follow it.
        pooled = merge((s.mentions[0], GENERAL_GROUP) for s in self.statements)
        owner = {id(m): p for p in pooled for m in p.mentions}
        for p in pooled:
            p.mentions = []
        for statement in self.statements:
            owner[id(statement.mentions[0])].mentions.extend(statement.mentions)
        for p in pooled:
            p.text = _most_written(p.mentions)
        return pooled

    def draft(self, limit: int = DRAFT_LIMIT) -> list[Statement]:
        """The statements of the suggested draft: the most widely shared first, then in theme order."""
        order = {name: i for i, (name, _w) in enumerate(THEMES)}
        best = sorted(self.pooled, key=lambda s: -s.count)[:limit]
        return sorted(best, key=lambda s: (order.get(s.theme, len(order)), -s.count))


def merge(mentions: Iterable[tuple[Mention, str]]) -> list[Statement]:
    """Mentions → statements: the same key, or a key at least :data:`SIMILARITY` similar to a statement's key in
    the same group, joins that statement. Only statements that begin or end with the same two words (numbers
    ignored) are compared, so the cost stays near linear when hundreds of agencies write different sentences."""
    statements: list[Statement] = []
    exact: dict[tuple[str, str], Statement] = {}
    buckets: dict[tuple[str, str, str], list[Statement]] = {}
    variants: dict[int, dict[str, int]] = {}
    words: dict[int, set[str]] = {}
    for mention, group in mentions:
        statement = exact.get((group, mention.key)) or exact.get((group, shape(mention.key)))
        if statement is None:
            ends = _ends(mention.key)
            candidates = [s for end in ends for s in buckets.get((group, *end), [])]
            statement = _similar(candidates, mention.key, words)
            if statement is None:
                # The agency's own name ("Sở Giáo dục và Đào tạo") says nothing of the theme.
                about = f" {mention.key} ".replace(f" {normalise(mention.source.agency_name)} ", " ")
                statement = Statement(mention.text, mention.key, theme_of(about.strip()), group)
                statements.append(statement)
                words[id(statement)] = _words(mention.key)
                for end in ends:
                    buckets.setdefault((group, *end), []).append(statement)
            exact[(group, mention.key)] = statement
            exact.setdefault((group, shape(mention.key)), statement)
        statement.mentions.append(mention)
        counts = variants.setdefault(id(statement), {})
        counts[mention.text] = counts.get(mention.text, 0) + 1
    for statement in statements:
        counts = variants[id(statement)]
        statement.text = max(counts, key=lambda text: counts[text])  # dicts keep order: the first on a tie
    return statements


def _most_written(mentions: list[Mention]) -> str:
    counts: dict[str, int] = {}
    for m in mentions:
        counts[m.text] = counts.get(m.text, 0) + 1
    return max(counts, key=lambda text: counts[text])


def _ends(key: str) -> list[tuple[str, str]]:
    """The bucket keys of a normalised sentence: its first and its last two words, numbers as "#"."""
    words = ["#" if w.isdigit() else w for w in key.split()]
    return [("^", " ".join(words[:2])), ("$", " ".join(words[-2:]))]


def _words(key: str) -> set[str]:
    return {"#" if w.isdigit() else w for w in key.split()}


def _similar(candidates: list[Statement], key: str, words: dict[int, set[str]]) -> Statement | None:
    """The first candidate at least :data:`SIMILARITY` similar to ``key``. Cheap bounds first: length
    (``real_quick_ratio``), shared words (near-duplicates share most of their words), shared letters
    (``quick_ratio``); ``ratio`` last."""
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(key)
    mine = _words(key)
    seen: set[int] = set()
    for statement in candidates:
        if id(statement) in seen:
            continue
        seen.add(id(statement))
        theirs = words[id(statement)]
        if len(mine & theirs) < 0.7 * max(len(mine), len(theirs)):
            continue
        matcher.set_seq1(statement.key)
        if (
            matcher.real_quick_ratio() >= SIMILARITY
            and matcher.quick_ratio() >= SIMILARITY
            and matcher.ratio() >= SIMILARITY
        ):
            return statement
    return None


def self_addressed(key: str, names: Iterable[str]) -> bool:
    """A proposal that names the department in charge (it answers those itself; section V never forwards them)."""
    padded = f" {key} "
    return any(n and f" {n} " in padded for n in names)


def department_names(compilation: Compilation) -> list[str]:
    agency = compilation.plan.coordinator_agency
    names = [agency.name, agency.short_name, *agency.abbreviation_list()]
    return [k for k in {normalise(n) for n in names if n} if k]


def _section_mentions(compilation: Compilation, section: str) -> list[tuple[Mention, str]]:
    result = []
    own = compilation.plan.coordinator_agency_id
    for source, text in compilation.section_sources.get(section, []):
        if source.agency_id == own:
            continue
        for sentence in split_sentences(text):
            result.append((Mention(sentence, normalise(sentence), source), GENERAL_GROUP))
    return result


def _entry_mentions(compilation: Compilation, attribute: str) -> list[tuple[Mention, str]]:
    result = []
    own = compilation.plan.coordinator_agency_id
    for group in compilation.groups:
        heading = f"{group.group.code}. {group.group.title}"
        for block in group.tasks:
            for c in block.contributions:
                if c.source.agency_id == own:
                    continue
                for sentence in split_sentences(getattr(c, attribute)):
                    result.append(
                        (Mention(sentence, normalise(sentence), c.source, block.task.code), heading)
                    )
    return result


def compose(compilation: Compilation) -> dict[str, SectionComposer]:
    """Every section's statements, computed once per compilation."""
    cached = getattr(compilation, "_composer", None)
    if cached is not None:
        return cached
    department = department_names(compilation)
    entry_cache: dict[str, list[tuple[Mention, str]]] = {}
    merged_entries: dict[str, list[Statement]] = {}
    result: dict[str, SectionComposer] = {}
    for name, (label, sections, entry_text, themes) in SECTIONS.items():
        mentions = [m for s in sections for m in _section_mentions(compilation, s)]
        if name == "proposals":
            # Proposals to the department itself are answered by it, never put in its report to higher bodies.
            mentions = [(m, g) for m, g in mentions if not self_addressed(m.key, department)]
        statements = merge(mentions)
        if entry_text:
            if entry_text not in merged_entries:
                entry_cache[entry_text] = _entry_mentions(compilation, entry_text)
                merged_entries[entry_text] = merge(entry_cache[entry_text])
            statements = statements + merged_entries[entry_text]
        if themes is not None:
            statements = [s for s in statements if s.theme in themes]
        result[name] = SectionComposer(name, label, statements)
    compilation._composer = result  # type: ignore[attr-defined]
    return result


def draft_text(composer: SectionComposer, limit: int = DRAFT_LIMIT) -> str:
    return "\n".join(s.draft_line for s in composer.draft(limit))


def sentence_sources(compilation: Compilation, texts: dict[str, str]) -> list[dict]:
    """For the build manifest: each line of the narrative's ``texts`` (field → text) that cites a statement, with
    the agencies, reports and submissions it came from. A line cites a statement when it contains the statement's
    words (normalised), whether the draft wrote it or the coordinator inserted it."""
    composers = compose(compilation)
    found = []
    for name, text in texts.items():
        composer = composers.get(name)
        if composer is None:
            continue
        candidates = [(s, {m.key for m in s.mentions}) for s in composer.pooled]
        for line in (text or "").splitlines():
            key = normalise(line)
            if not key:
                continue
            padded = f" {key} "
            for statement, keys in candidates:
                if any(f" {k} " in padded for k in keys):
                    found.append(
                        {
                            "section": name,
                            "sentence": line.strip(),
                            "agencies": statement.agencies,
                            "reports": statement.reports,
                            "submissions": statement.submissions,
                            "tasks": statement.task_codes,
                        }
                    )
                    break
    return found


def task_statements(contributions: Iterable, attribute: str) -> list[Statement]:
    """One task's accepted results (or difficulties), whole texts merged like sentences: identical or near-identical
    accounts of several agencies become one statement (section II.2 of the report)."""
    mentions = []
    for c in contributions:
        text = " ".join((getattr(c, attribute) or "").split())
        if normalise(text):
            mentions.append((Mention(text, normalise(text), c.source), GENERAL_GROUP))
    return merge(mentions)
