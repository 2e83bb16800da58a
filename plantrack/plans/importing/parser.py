"""From the text of a plan to the plan interchange data (``plantrack.plan/1``), with a list of problems.

The rules are written down in docs/plan-import.md. In short: the preamble gives the metadata and the documents the
plan implements; outline markers (I., 1., 1.1., a), -, +) give the structure; the section titles say which part
holds the targets, the tasks and the organisation of the work; a heading that names agencies assigns every item
under it, an item that names its own subject overrides it; tables with a "chủ trì" column are task tables.

The parser never raises on odd input: whatever it cannot understand becomes a problem with a Vietnamese message.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext

from . import targets as target_rules
from .assignments import Assign, assignment_dict, display_name, extract_assignment, trailing_assignment
from .labels import Labels, bare_label_role, labels_of, read_label
from .metadata import MetadataReader, mostly_upper
from .outline import ARABIC_RANK, Node, build_outline, marker
from .problems import ERROR, WARNING, Problem
from .proposals import guess_kind, local_name
from .readers import SourceDocument, Table
from .regimes import regimes_in_text
from .resolver import (
    AGENCY,
    AMBIGUOUS,
    FUZZY,
    GROUP,
    UNNAMED,
    UNRESOLVED,
    Entity,
    NameMatch,
    Registry,
    fold_aligned,
    scan_names,
)
from .tables import TaskTable, find_task_table
from .timing import CONTINUOUS, timing_from_cell, timing_from_text
from .webtext import looks_like_web_text, reflow_web_text, split_table_rows

# A name that is not in the registry and is proposed as a new agency (see proposals.py).
PROPOSED = "proposed"

__all__ = [
    "ERROR",
    "WARNING",
    "ParseResult",
    "PlanParser",
    "Problem",
    "display_name",
    "extract_assignment",
    "parse_plan",
]


@dataclass
class ParseResult:
    plan: dict
    problems: list[Problem] = field(default_factory=list)
    # Source line (0-based, in SourceDocument.lines) of each task and target, by interchange path.
    locations: dict[str, int] = field(default_factory=dict)


# --- the parser -----------------------------------------------------------------------------------------------

SECTION_PURPOSE, SECTION_OBJECTIVES, SECTION_TASKS, SECTION_ORGANISATION, SECTION_OTHER = (
    "purpose",
    "objectives",
    "tasks",
    "organisation",
    "other",
)


# A task item that states what is to be reached by a year: "Đến năm 2020, (phấn đấu đạt) 100% …".
_MILESTONE_TASK = re.compile(r"(?:den|toi) (?:het )?(?:nam )?\d{4},")
_INNER_PHOI_HOP = re.compile(r"(?<![\w/])phoi hop(?: chat che| thuong xuyen)?(?: voi)? ")


def _section_kind(title: str) -> str:
    folded = fold_aligned(title)
    if folded.startswith(("muc tieu", "chi tieu")) or folded.startswith("cac chi tieu"):
        return SECTION_OBJECTIVES
    if "nhiem vu" in folded or "giai phap" in folded:
        return SECTION_TASKS
    # "II. NỘI DUNG", "NỘI DUNG THỰC HIỆN", "CÁC NỘI DUNG TRỌNG TÂM": what is to be done, item by item.
    if re.match(r"(?:cac )?noi dung\b", folded) and "yeu cau" not in folded:
        return SECTION_TASKS
    # "III. MỘT SỐ HOẠT ĐỘNG TUYÊN TRUYỀN TRỌNG TÂM": the activities are the tasks.
    if re.match(r"(?:mot so |cac )?hoat dong\b", folded):
        return SECTION_TASKS
    if "to chuc thuc hien" in folded or "trach nhiem" in folded:
        return SECTION_ORGANISATION
    if "muc dich" in folded or "yeu cau" in folded:
        return SECTION_PURPOSE
    if "muc tieu" in folded:
        return SECTION_OBJECTIVES
    return SECTION_OTHER


class PlanParser:
    def __init__(self, source: SourceDocument, registry: Registry) -> None:
        self.source = source
        self.registry = registry
        self.problems: list[Problem] = []
        self.locations: dict[str, int] = {}
        self.on: datetime.date | None = None
        self._assign_cache: dict[int, Assign] = {}
        self._labels: dict[int, Labels] = {}
        # Both caches are keyed by id(node); the nodes are kept alive with them, or a paragraph node made for one
        # task and then freed could lend its id — and its cached assignment — to the next one.
        self._alive: list[Node] = []
        self.metadata = MetadataReader(registry, self.problem)
        self.issuer: str | None = None
        self._first_seen: dict[str, int] = {}
        self._list_cache: dict[str, list[NameMatch]] = {}

    # --- entry point ------------------------------------------------------------------------------------------

    def parse(self) -> ParseResult:
        lines, tables = self._lines_and_tables()
        web_text = looks_like_web_text([text for _, text in lines])
        lines = split_table_rows(lines, borders=web_text)
        if web_text:
            lines = reflow_web_text(lines)
        first = self._first_section(lines)
        preamble = lines[:first]
        end_body, recipients_lines, appendix = self._split_tail(lines, first)
        meta = self.metadata.read(preamble)
        self.on = self.metadata.on
        self.issuer = meta["issuer"]
        for path in ("number", "date", "issuer", "title"):
            self.locations.setdefault(path, preamble[0][0] if preamble else 0)
        self._header_locations(preamble)
        root, closing = build_outline(lines[first:end_body])
        plan = {
            "format": "plantrack.plan/1",
            "number": meta["number"],
            "issuer": meta["issuer"],
            "place": meta["place"],
            "date": meta["date"],
            "title": meta["title"],
            "coordinator_agency": None,
            "references": meta["references"],
            "recipients": self.metadata.recipients(recipients_lines),
            "outline": [],
            "targets": [],
            "task_groups": [],
            "tasks": [],
            "reporting": [],
            "reporting_regimes": [],
            "duties": [],
        }
        for i, line in enumerate(self.metadata.recipient_lines):
            self.locations[f"recipients.{i}"] = line
        if self.metadata.proposals and self.issuer == self.metadata.proposals[0]["name"]:
            self._first_seen[self.issuer] = self.locations.get("issuer", 0)
        self._walk_sections(root, plan)
        if closing is not None:
            plan["outline"].append(closing)
        self._tables(tables, appendix, plan)
        plan["coordinator_agency"] = self._coordinator(plan)
        if meta["date"] is None and self.metadata.year:
            plan["year"] = self.metadata.year  # a draft's "ngày tháng năm 2026": the year is all there is
        self._proposals(plan)
        self._check_required(plan)
        return ParseResult(plan, self.problems, self.locations)

    def _header_locations(self, preamble: list[tuple[int, str]]) -> None:
        """The source line of each header field, so that a warning about it links to where it is written."""
        for line, text in preamble:
            folded = fold_aligned(text)
            if re.search(r"\bso\s*:", folded):
                self.locations["number"] = line
            if re.search(r", ngay\b", folded):
                self.locations["date"] = line
            if re.match(r"(?:ke hoach|chuong trinh)\b", folded):
                self.locations["title"] = line
        if preamble:
            self.locations["issuer"] = preamble[0][0]

    def _proposals(self, plan: dict) -> None:
        """Agencies to be created at publishing: listed in the data and, each, a warning at its first line."""
        proposals = self.metadata.proposals
        if not proposals:
            return
        plan["proposed_agencies"] = proposals
        for i, row in enumerate(proposals):
            path = f"proposed_agencies.{i}"
            if row["name"] in self._first_seen:
                self.locations[path] = self._first_seen[row["name"]]
            self.problem(
                path,
                gettext(
                    "“%(name)s” chưa có trong danh mục cơ quan: đề xuất thêm mới (loại: %(kind)s%(parent)s) khi công bố; hãy kiểm tra."
                )
                % {
                    "name": row["name"],
                    "kind": row["kind"],
                    "parent": f", trực thuộc {row['parent']}" if row["parent"] else "",
                },
                WARNING,
            )

    def _localise(self, item: NameMatch, line: int | None) -> NameMatch:
        """In a plan of another province (or an unknown ministry), a body of that province is not the registry's
        body of the same name: it becomes a proposed agency "<name> tỉnh <X>"; central bodies and groups stay."""
        province = self.metadata.province
        if not province and item.status == UNRESOLVED and self._issuer_does_own_tasks():
            unit = self._own_unit(item, line)
            if unit is not None:
                return unit
        if not province or item.status == UNNAMED:
            return item
        entity = item.entity
        if entity is not None and (entity.kind == GROUP or entity.agency_kind == "central"):
            return item
        if entity is None and item.status not in (UNRESOLVED, FUZZY, AMBIGUOUS):
            return item
        if guess_kind(item.as_written) == "central":
            name = " ".join(item.as_written.split())
        else:
            name = local_name(item.as_written, province)
        if self.issuer and fold_aligned(name) == fold_aligned(self.issuer):
            name = self.issuer
        elif name not in self.registry.agencies:
            self.metadata.propose(name)
        else:
            return NameMatch(item.start, item.end, item.as_written, "resolved", self.registry.agencies[name])
        if line is not None:
            self._first_seen.setdefault(name, line)
        return NameMatch(item.start, item.end, item.as_written, PROPOSED, Entity(AGENCY, name))

    def _own_unit(self, item: NameMatch, line: int | None) -> NameMatch | None:
        """In a department's or a ministry's own plan, a body the registry does not hold and named as one of its
        units ("Phòng …", "Cục …", "Vụ …", "Văn phòng Sở" → "Văn phòng Sở X") is proposed under the issuer; written
        in the plural ("các Sở Khoa học và Công nghệ" in a ministry's plan), the bodies of that kind everywhere,
        kept as written. Other unknown bodies stay unresolved (None)."""
        written = " ".join(item.as_written.split())
        folded = fold_aligned(written)
        if folded.startswith("cac ") and self.metadata.issuer_kind == "central":
            return NameMatch(item.start, item.end, item.as_written, UNNAMED, group_phrase=True)
        units = (
            r"(?:phong|van phong|thanh tra|chi cuc|trung tam)\s"
            if self.metadata.issuer_kind == "department"
            else r"(?:cuc|vu|van phong|thanh tra|tong cuc|vien|trung tam|hoc vien|bao|tap chi)\s"
        )
        if not re.match(units, folded):
            return None
        name = written
        if re.search(r"\s(?:bo|so|tong cuc|cuc)$", folded):
            # "Văn phòng Bộ", "Thanh tra Bộ": the ministry's own office, named in full.
            name = written[: written.rfind(" ")] + " " + self.issuer
        parent = self.issuer if self.issuer in self.registry.agencies else ""
        if name not in self.registry.agencies:
            kind = "central" if self.metadata.issuer_kind == "central" else ""
            self.metadata.propose(name, kind=kind, parent=parent)
        else:
            return NameMatch(item.start, item.end, item.as_written, "resolved", self.registry.agencies[name])
        if line is not None:
            self._first_seen.setdefault(name, line)
        return NameMatch(item.start, item.end, item.as_written, PROPOSED, Entity(AGENCY, name))

    def problem(self, path: str, message: str, severity: str = ERROR) -> None:
        self.problems.append(Problem(path, message, severity))

    # --- lines --------------------------------------------------------------------------------------------

    def _lines_and_tables(self) -> tuple[list[tuple[int, str]], list[tuple[int, TaskTable]]]:
        """Paragraph lines with their source line numbers; task tables apart; other tables (the header and
        signature blocks of a .docx) flattened into lines, cell by cell."""
        lines: list[tuple[int, str]] = []
        tables: list[tuple[int, TaskTable]] = []
        n = 0
        for block in self.source.blocks:
            if isinstance(block, Table):
                task_table = find_task_table(block)
                if task_table is not None:
                    tables.append((len(lines), task_table))
                    task_table.first_line = n
                else:
                    for i, row in enumerate(block.rows):
                        seen: list[str] = []
                        for cell in row:
                            if cell and (not seen or seen[-1] != cell):
                                seen.append(cell)
                                lines += [(n + i, part) for part in cell.split("\n") if part.strip()]
                n += len(block.rows)
            else:
                lines.append((n, block))
                n += 1
        return lines, tables

    def _first_section(self, lines: list[tuple[int, str]]) -> int:
        """Index of the first outline line: the first "I." if there is one, else the first "1."."""
        for wanted in ("roman", "arabic", "dotted"):
            for i, (_, text) in enumerate(lines):
                found = marker(text)
                if found and found[0] == wanted and (wanted != "roman" or found[2] == "I"):
                    # "A. MỤC ĐÍCH, YÊU CẦU" before the first "I.": the outline starts at the first part.
                    for j in range(i):
                        part = marker(lines[j][1])
                        if part and part[0] == "part" and part[2] == "A":
                            return j
                    return i
        return len(lines)

    def _split_tail(self, lines, first) -> tuple[int, list[tuple[int, str]], list[tuple[int, str]]]:
        """End of the body, the "Nơi nhận" lines, and the appendix lines."""
        end = len(lines)
        recipients: list[tuple[int, str]] = []
        appendix: list[tuple[int, str]] = []
        for i in range(first, len(lines)):
            text = lines[i][1]
            folded = fold_aligned(text)
            if folded.startswith("noi nhan"):
                end = min(end, i)
                rest = text.split(":", 1)[1].strip() if ":" in text else ""
                j = i + 1
                if rest:
                    recipients.append((lines[i][0], rest))
                while j < len(lines) and re.match(r"[-–+•]", lines[j][1]):
                    recipients.append(lines[j])
                    j += 1
            if re.match(r"(PHỤ LỤC|Phụ lục)\b", text) and (mostly_upper(text) or i > end):
                end = min(end, i)
                appendix = lines[i:]
                break
        return end, recipients, appendix

    # --- metadata -----------------------------------------------------------------------------------------

    def _walk_sections(self, root: Node, plan: dict) -> None:
        for top in root.children:
            kind = _section_kind(top.text)
            for node in top.walk():
                node.section = kind
            self._outline_node(top, plan, title=True)
            if kind == SECTION_TASKS:
                self._tasks_section(top, plan)
            elif kind == SECTION_OBJECTIVES:
                self._objectives_section(top, plan)
            else:
                self._prose_section(top, plan, kind)
        if root.body:
            plan["outline"].insert(0, {"code": "0", "label": "", "title": "", "body": "\n".join(root.body)})

    def _outline_node(self, node: Node, plan: dict, *, title: bool) -> None:
        plan["outline"].append(
            {
                "code": node.code,
                "label": node.label,
                "title": node.text if title else "",
                "body": "\n".join(node.body if title else [node.text, *node.body]),
            }
        )

    def _names_only(self, node: Node) -> bool:
        """The item's title is only who does the work: "Sở Y tế", "Sở Y tế:", "Đề nghị Tòa án nhân dân tỉnh",
        "Các sở, ngành, đơn vị liên quan" — nothing after the names but a colon."""
        own = self._assign(node)
        if own.kind != "subject" or not own.leads:
            return False
        end = max(item.end for item in [*own.leads, *own.coordinates])
        return not node.text[end:].strip(" :.*")

    def _who_title(self, node: Node) -> None:
        """ "4. Các doanh nghiệp viễn thông" over dash items in the organisation section: a section organised by
        who does the work names bodies the registry cannot hold; the title, as written, leads its items."""
        title = node.text.rstrip(" :")
        m = re.match(r"(?:đề nghị:?\s+)?(?=các\s)", title, re.IGNORECASE)
        if node.kind not in ("arabic", "dotted") or not m or len(title.split()) > 25:
            return
        who = NameMatch(m.end(), len(title), title[m.end() :], UNNAMED, group_phrase=True)
        self._assign_cache[id(node)] = Assign("subject", [who], [])
        self._alive.append(node)

    def _inline_duty(self, node: Node) -> str:
        """ "3. Sở Khoa học và Công nghệ: Chủ trì, phối hợp với …" (one paragraph, the agency before the colon): the
        text after the colon, the task of that agency; "" when the item is anything else or a reporting rule."""
        head, colon, rest = node.text.partition(":")
        if not colon or not rest.strip() or node.body or len(head.split()) > 25:
            return ""
        own = extract_assignment(self.registry, head, self.on)
        if own.kind != "subject" or head[own.leads[-1].end :].strip(" .*"):
            return ""
        folded = fold_aligned(rest)
        if "bao cao" in folded and re.search(r"truoc(?: ngay)?\s+\d{1,2}\s*/\s*\d{1,2}", folded):
            return ""
        return rest.strip()

    def _sentence_over_items(self, node: Node, colon: bool, titled: bool, names_only: bool) -> bool:
        """A numbered item of the organisation section written as a whole sentence whose subject names who acts
        (not a heading, not a reporting rule), with only dash items under it."""
        if colon or titled or names_only or node.body or node.kind not in ("arabic", "dotted"):
            return False
        if not node.children or any(child.kind not in ("dash", "plus") for child in node.children):
            return False
        own = self._assign(node)
        if own.kind != "subject" or not own.leads:
            return False
        folded = fold_aligned(node.text)
        return not ("bao cao" in folded and re.search(r"truoc(?: ngay)?\s+\d{1,2}\s*/", folded))

    def _agency_tasks(self, node: Node, plan: dict) -> bool:
        """An item of the organisation section whose title names an agency and nothing else — "1. Sở Công
        Thương: – …; – …", "2. Sở Tài chính" over dash items, "3. Sở Tài chính: Tham mưu …" — holds that
        agency's tasks: each dash item, or each paragraph under the title, is a task of that agency."""
        if node.kind in ("dash", "plus"):
            return False
        colon = node.text.rstrip().endswith(":")
        names_only = self._names_only(node)
        # A title over dash items whose subject is qualified: "2. Các Sở, ngành chủ trì, quản lý các dự án".
        titled = bool(node.children) and not node.text.rstrip().endswith((".", ";"))
        own = self._assign(node)
        if titled and not names_only and all(item.status == UNNAMED for item in own.leads):
            self._who_title(node)
        inline = "" if node.children or names_only else self._inline_duty(node)
        if self._sentence_over_items(node, colon, titled, names_only):
            # "1. Các cơ quan, đơn vị … xây dựng kế hoạch …." over dash items: the sentence is a task of its
            # subject, and so is each item under it.
            plan["task_groups"].append({"code": node.code, "title": node.text.rstrip(" :.;")})
            leaf = Node("para", node.rank + 1, "", "", node.text, node.line, code=node.code, parent=node)
            self._add_task(leaf, node, plan)
            for child in node.children:
                self._task_nodes(child, node, plan)
            return True
        if not (colon or names_only or titled or inline) or self._assign(node).kind != "subject":
            return False
        # Items under an agency's heading: dashes, or letters when the heading is a number ("1. Sở X" / "a) …").
        item_kinds = ("dash", "plus", "letter") if node.kind in ("arabic", "dotted") else ("dash", "plus")
        items = [c for c in node.children if c.kind in item_kinds]
        if node.children:
            if not items or len(items) != len(node.children):
                return False
        elif not ((names_only and node.body) or inline):
            return False
        plan["task_groups"].append({"code": node.code, "title": node.text.rstrip(" :")})
        for item in items:
            self._task_nodes(item, node, plan)
        for i, paragraph in enumerate([] if items else [inline] if inline else node.body, start=1):
            leaf = Node(
                "para", node.rank + 1, str(i), "", paragraph, node.line, code=f"{node.code}.{i}", parent=node
            )
            self._add_task(leaf, node, plan)
        return True

    def _prose_section(self, top: Node, plan: dict, kind: str) -> None:
        if kind == SECTION_ORGANISATION:
            # Paragraphs written right under the heading, without a number ("Các phòng báo cáo … định kỳ …").
            for paragraph in top.body:
                self._duty(
                    Node("para", top.rank + 1, "", "", paragraph, top.line, code=top.code, parent=top), plan
                )
        for node in top.children:
            if node.kind in ("arabic", "dotted") and re.match(
                r"(?:muc tieu|chi tieu)\b", fold_aligned(node.text)
            ):
                # "2. Mục tiêu đến năm 2030" inside "I. QUAN ĐIỂM, MỤC TIÊU, YÊU CẦU": its items are targets.
                self._outline_node(node, plan, title=True)
                self._objectives_section(node, plan)
                continue
            self._prose_node(node, plan, kind)

    def _prose_node(self, node: Node, plan: dict, kind: str) -> None:
        if node.kind in ("dash", "plus"):
            # Bullets of prose stay in the text of the item above them.
            node.parent.body.append(f"{node.label} {node.text}")
            for child in node.children:
                self._prose_node(child, plan, kind)
            self._refresh_body(node.parent, plan)
            return
        is_title = bool(node.children or node.body) or (len(node.text) <= 150 and not node.text.endswith("."))
        self._outline_node(node, plan, title=is_title)
        if kind == SECTION_ORGANISATION and self._agency_tasks(node, plan):
            return
        if kind == SECTION_ORGANISATION:
            self._duty(node, plan)
        for child in node.children:
            self._prose_node(child, plan, kind)

    @staticmethod
    def _refresh_body(node: Node, plan: dict) -> None:
        for row in plan["outline"]:
            if row["code"] == node.code:
                row["body"] = (
                    "\n".join(node.body)
                    if row["title"] or not node.text
                    else "\n".join([node.text, *node.body])
                )

    # --- objectives and targets ---------------------------------------------------------------------------

    def _objectives_section(self, top: Node, plan: dict) -> None:
        # The section's "đến năm 2030", else the last year the plan's title names ("… năm 2025", "2025 - 2030").
        title_years = re.findall(r"(?:năm|\d{4}\s*[-–])\s*(\d{4})", plan.get("title") or "", re.IGNORECASE)
        default_year = self._year_in(top.text) or (int(title_years[-1]) if title_years else None)
        period_start = None
        for node in top.walk():
            m = target_rules._PERIOD.search(node.text)
            if m:
                period_start = int(m.group(1))
                break
        self._objective_nodes(top, plan, default_year, period_start)

    def _objective_nodes(self, parent: Node, plan: dict, year: int | None, period_start: int | None) -> None:
        for node in parent.children:
            node_year = self._year_in(node.text) or year
            if self._is_target(node):
                index = len(plan["targets"])
                target = target_rules.parse_target(
                    node.code, node.text, default_year=node_year, default_period_start=period_start
                )
                if node.children:
                    # "- Tỷ lệ …: + đến năm 2025 đạt 30%; + đến năm 2030 đạt 50%" — the bullets are its parts.
                    target.update(
                        comparator="compound",
                        min=None,
                        max=None,
                        unit="",
                        parts=[
                            target_rules.parse_target(child.code, child.text, default_year=node_year)
                            for child in node.children
                        ],
                    )
                    years = [p["target_year"] for p in target["parts"] if p["target_year"]]
                    target["target_year"] = max(years) if years else node_year
                plan["targets"].append(target)
                self.locations[f"targets.{index}"] = node.line
                if target["comparator"] == "qualitative":
                    self.problem(
                        f"targets.{index}",
                        gettext(
                            "Chỉ tiêu %(code)s: không thấy giá trị định lượng, ghi nhận là chỉ tiêu định tính."
                        )
                        % {"code": node.code},
                        WARNING,
                    )
                continue
            is_title = bool(node.children or node.body) or (
                len(node.text) <= 150 and not node.text.endswith(".")
            )
            self._outline_node(node, plan, title=is_title)
            if not node.children:
                self._paragraph_targets(node, plan, node_year, period_start)
            self._objective_nodes(node, plan, node_year, period_start)

    def _paragraph_targets(self, node: Node, plan: dict, year: int | None, period_start: int | None) -> None:
        """ "1. Mục tiêu tổng quát" over a paragraph "… phấn đấu tối thiểu 95% hồ sơ được giải quyết đúng hạn; 100%
        …": each clause of the paragraph that gives a percentage is a target."""
        self._clause_targets(node.code, node.body, node.line, plan, year, period_start)

    def _clause_targets(
        self,
        code: str,
        paragraphs: list[str],
        line: int,
        plan: dict,
        year: int | None,
        period_start: int | None,
    ) -> None:
        clauses = [
            clause.strip(" .;")
            for paragraph in paragraphs
            for clause in re.split(r";\s*", paragraph)
            if re.search(r"\d\s*%", clause)
        ]
        for i, clause in enumerate(clauses, start=1):
            index = len(plan["targets"])
            target = target_rules.parse_target(
                f"{code}.{i}",
                clause,
                default_year=self._year_in(clause) or year,
                default_period_start=period_start,
            )
            plan["targets"].append(target)
            self.locations[f"targets.{index}"] = line

    @staticmethod
    def _is_target(node: Node) -> bool:
        if node.kind in ("dash", "plus", "letter") or node.rank > ARABIC_RANK + 1:
            return True
        return (
            not node.children
            and not node.body
            and target_rules.has_quantity(node.text)
            and "muc tieu chung" not in fold_aligned(node.text)
        )

    @staticmethod
    def _year_in(text: str) -> int | None:
        m = re.search(r"(?:đến|tới|trước)\s+năm\s+(\d{4})", text, re.IGNORECASE)
        return int(m.group(1)) if m else None

    # --- tasks --------------------------------------------------------------------------------------------

    def _tasks_section(self, top: Node, plan: dict) -> None:
        groups = top.children or []
        if not groups:
            self.problem(
                "tasks",
                gettext("Mục %(code)s “%(text)s” không có nhiệm vụ nào được đánh dấu (1., a), -).")
                % {"code": top.code, "text": top.text},
                WARNING,
            )
            return
        if all(g.kind in ("dash", "plus") for g in groups) or any(
            self._label_item(g) is not None for g in groups
        ):
            # Dash items, or items one of which names who does the others ("1. Nội dung, biện pháp" / "2. Cơ quan
            # chủ trì, phối hợp"): the section is one group.
            groups = [top]
        for group in groups:
            plan["task_groups"].append({"code": group.code, "title": group.text.rstrip(" :")})
            if group is not top:
                self._outline_node(group, plan, title=True)
            self._task_nodes(group, group, plan)

    def _task_nodes(self, node: Node, group: Node, plan: dict) -> None:
        if not node.children:
            labels = self._body_labels(node)
            if labels:
                self._labels.setdefault(id(node), Labels()).merge(labels)
                self._alive.append(node)
            self._task_leaf(node, group, plan)
            return
        kinds = [self._label_item(child) for child in node.children]
        if all(labels is not None for labels in kinds):
            # Only labelled lines under the item ("- Đơn vị chủ trì: …"): the item itself is the task.
            merged = Labels()
            for labels in kinds:
                merged.merge(labels)
            self._labels[id(node)] = merged
            self._alive.append(node)
            self._add_task(node, group, plan)
            return
        pending: list[Node] = []
        assigned: list[Node] = []
        for child, labels in zip(node.children, kinds, strict=True):
            if labels is None:
                pending.append(child)
                labels = self._body_labels(child)
            if labels:
                # A label block assigns every task written since the previous block; consecutive label items
                # ("b) Cơ quan thực hiện: …", "c) Thời gian thực hiện: …") are one block.
                if pending:
                    assigned, pending = pending, []
                for item in assigned:
                    self._labels.setdefault(id(item), Labels()).merge(labels)
                    self._alive.append(item)
        for child, labels in zip(node.children, kinds, strict=True):
            if labels is not None:
                continue
            if child.children:
                self._outline_node(child, plan, title=True)
            self._task_nodes(child, group, plan)

    def _label_item(self, node: Node) -> Labels | None:
        """The labels of an item that is a label line ("- Đơn vị chủ trì: X", "c) Thời gian thực hiện: …") or a
        holder of label lines ("b) Cơ quan thực hiện:"); None for any other item."""
        read = read_label(node.text)
        if read is None:
            return None
        kind, _value = read
        if kind == "holder":
            own_role = bare_label_role(node.text)
            if not node.children:
                if own_role in ("lead", "coordinate") and node.body and not node.text.rstrip().endswith(":"):
                    # "b) Cơ quan phối hợp" over a paragraph of names.
                    labels = Labels()
                    labels.add(own_role, node.body)
                    return labels
                return Labels()
            labels = labels_of([child.text for child in node.children] + node.body)
            for child in node.children:
                role = bare_label_role(child.text)
                if role in ("lead", "coordinate"):
                    # "a) Cơ quan chủ trì" over "- Ban Chỉ đạo quốc gia.", "- Bộ Quốc phòng." (or a paragraph).
                    labels.add(role, [c.text for c in child.children] + child.body)
                    continue
                if read_label(child.text) is not None:
                    continue
                if self._assign(child).kind == "subject" and not child.children:
                    # "+ Sở X chủ trì, phối hợp với Y …" under "Cơ quan thực hiện:" assigns like a label.
                    labels.sentences.append(child.text)
                    continue
                if own_role == "lead" and not child.children and len(child.text.split()) <= 25:
                    # "2. Chủ trì thực hiện" over "- Tư lệnh các quân khu; Chủ tịch Ủy ban nhân dân các tỉnh …": the
                    # names listed lead.
                    labels.add("lead", [child.text])
                    continue
                return None
            return labels
        if node.children:
            return None
        return labels_of([node.text, *node.body])

    def _body_labels(self, node: Node) -> Labels:
        """Labelled paragraphs under an item ("Đơn vị chủ trì thực hiện: …"): taken out of its text."""
        labels = labels_of(node.body)
        if labels:
            node.body = [line for line in node.body if line not in labels.lines]
        return labels

    def _labelled(self, node: Node) -> Labels | None:
        current: Node | None = node
        while current is not None and current.kind != "root":
            found = self._labels.get(id(current))
            if found:
                return found
            current = current.parent
        return None

    def _task_leaf(self, node: Node, group: Node, plan: dict) -> None:
        if node.body and node.text.endswith(":"):
            # "1. Sở X:" followed by unmarked paragraphs: each paragraph is a task of that heading.
            self._outline_node(node, plan, title=True)
            for i, paragraph in enumerate(node.body, start=1):
                leaf = Node(
                    "para",
                    node.rank + 1,
                    str(i),
                    "",
                    paragraph,
                    node.line,
                    code=f"{node.code}.{i}",
                    parent=node,
                )
                self._add_task(leaf, group, plan)
            return
        self._add_task(node, group, plan)

    def _add_task(self, node: Node, group: Node, plan: dict) -> None:
        index = len(plan["tasks"])
        path = f"tasks.{index}"
        text = "\n".join([node.text, *node.body])
        parent = node.parent
        heading = ""
        if parent is not None and parent is not group and parent.kind != "root":
            heading = parent.text
        elif (
            parent is group
            and group.kind != "roman"
            and self._assign(group).kind != "none"
            and node is not group
        ):
            heading = group.text
        assign = self._effective(node)
        if self._assign(node).kind == "none" and node.body and assign.kind != "subject":
            # "3. Xây dựng …" over the paragraph "Sở, ban, ngành … có trách nhiệm rà soát …": the paragraph's
            # subject leads the task its heading names.
            own = extract_assignment(self.registry, node.body[0], self.on)
            if own.kind == "subject":
                assign = own
        if self._assign(node).kind != "subject":
            # "… Giao Sở X chủ trì, phối hợp …" closing the task names its lead over the heading's.
            trailing = trailing_assignment(self.registry, text, self.on)
            if trailing.kind == "subject":
                assign = trailing
        recurrence, deadline = timing_from_text(text)
        labelled = self._labelled(node)
        if labelled is not None:
            if labelled.lead or labelled.coordinate or labelled.sentences or labelled.lead_list:
                leads: list[NameMatch] = []
                coordinates: list[NameMatch] = []
                for value in ([labelled.lead] if labelled.lead else []) + labelled.sentences:
                    # "Cơ quan thực hiện: Sở X chủ trì, phối hợp với Y …" is a sentence that assigns by itself.
                    own = extract_assignment(self.registry, value, self.on)
                    if own.kind == "subject" and (own.coordinates or value in labelled.sentences):
                        leads += own.leads
                        coordinates += own.coordinates
                    else:
                        # "Đơn vị thực hiện: Các Đội chuyên trách của quân đội": one body the registry cannot hold is
                        # still the one named (a list with commas is left to the name scanner).
                        leads += self._label_names(value) or (
                            [] if "," in value else self._list_names([value])
                        )
                        # "Cơ quan thực hiện: Sở X rà soát …; các sở, ngành và UBND các xã rà soát …": each clause's
                        # subject carries out its part, so each leads.
                        for clause in value.split(";")[1:] if own.kind == "subject" else []:
                            other = extract_assignment(self.registry, clause.strip(), self.on)
                            if other.kind == "subject":
                                leads += [
                                    item
                                    for item in other.leads
                                    if item.as_written not in {x.as_written for x in leads}
                                ]
                leads += self._list_names(labelled.lead_list)
                coordinates += self._list_names(labelled.coordinate_list)
                assign = Assign("subject", leads, coordinates + self._label_names(labelled.coordinate))
            timing = timing_from_cell(labelled.timing) if labelled.timing else None
            if labelled.timing and (timing is None or timing[1] is None):
                # "Hoàn thành trong năm 2026" reads as in running text.
                from_text = timing_from_text(labelled.timing)
                timing = from_text if from_text[1] is not None or timing is None else timing
            if timing is not None:
                recurrence, deadline = timing
        task = {
            "code": node.code,
            "group": group.code,
            "heading": heading,
            "text": text,
            "lead": [],
            "coordinate": [],
            "lead_is_group": False,
            "recurrence": recurrence,
            "deadline": deadline.isoformat() if deadline else None,
            "assignments": [],
        }
        self.locations[path] = node.line
        coordinates = assign.coordinates
        if assign.leads and labelled is None:
            # (A task with labelled lines names its coordinators there.)
            coordinates = coordinates + [
                item
                for item in self._inner_coordinates(text)
                if item.as_written not in {c.as_written for c in coordinates}
            ]
        self._fill_assignments(task, path, assign.leads, coordinates)
        plan["tasks"].append(task)
        if _MILESTONE_TASK.match(fold_aligned(node.text)) and re.search(r"\d\s*%", node.text):
            # "e) Đến năm 2020, phấn đấu đạt 100% gia đình …, năm 2018 đạt 99%; 98% xã phường …" among the tasks:
            # what is to be reached by then is also a target of the plan.
            self._clause_targets(node.code, [node.text], node.line, plan, self._year_in(node.text), None)

    def _inner_coordinates(self, text: str) -> list[NameMatch]:
        """ "Bố trí các đội y tế lưu động phối hợp UBND các xã, phường …", "…; phối hợp các địa phương giám sát …":
        the bodies named after "phối hợp (với)" inside the task's text coordinate it."""
        folded = fold_aligned(text)
        found: list[NameMatch] = []
        for m in _INNER_PHOI_HOP.finditer(folded):
            if m.start() == 0:
                continue  # at the start, extract_assignment has read it
            found += scan_names(self.registry, text, folded, m.end(), self.on)
        return found

    def _issuer_does_own_tasks(self) -> bool:
        """A department or a ministry (and its Cục, Tổng cục) carries out its own plan; a People's Committee or the
        Government gives its tasks to others."""
        if self.metadata.issuer_kind == "department":
            return True
        return self.metadata.issuer_kind == "central" and bool(
            re.match(r"(?:bo|tong cuc|cuc)\s", fold_aligned(self.issuer or ""))
        )

    def _fill_assignments(
        self, task: dict, path: str, leads: list[NameMatch], coordinates: list[NameMatch]
    ) -> None:
        where = gettext("Nhiệm vụ %(code)s") % {"code": task["code"]}
        line = self.locations.get(path)
        leads = [self._localise(item, line) for item in leads]
        coordinates = [self._localise(item, line) for item in coordinates]
        if not leads and self.issuer and self._issuer_does_own_tasks():
            # A department's (or a ministry's) own plan: what it does not give to someone else, it does itself.
            entity = self.registry.agencies.get(self.issuer) or Entity(AGENCY, self.issuer)
            leads = [NameMatch(0, 0, self.issuer, "resolved", entity)]
        seen: set[tuple[str, str]] = set()
        for role, items in (("lead", leads), ("coordinate", coordinates)):
            for item in items:
                key = (role, item.entity.name if item.entity else item.as_written.lower())
                if key in seen:
                    continue
                seen.add(key)
                i = len(task["assignments"])
                task["assignments"].append(assignment_dict(role, item))
                self._name_problem(f"{path}.assignments.{i}", where, item)
        task["lead"] = [display_name(a) for a in task["assignments"] if a["role"] == "lead"]
        task["coordinate"] = [display_name(a) for a in task["assignments"] if a["role"] == "coordinate"]
        task["lead_is_group"] = any(a["agency"] is None for a in task["assignments"] if a["role"] == "lead")
        if not task["lead"]:
            self.problem(
                path, gettext("%(where)s: chưa xác định được cơ quan chủ trì.") % {"where": where}, WARNING
            )

    def _name_problem(self, path: str, where: str, item: NameMatch) -> None:
        if item.status == UNRESOLVED:
            self.problem(
                path,
                gettext("%(where)s: không tìm thấy “%(as_written)s” trong danh mục cơ quan.")
                % {"where": where, "as_written": item.as_written},
            )
        elif item.status == AMBIGUOUS:
            self.problem(
                path,
                gettext("%(where)s: “%(as_written)s” có thể là %(names)s; hãy chọn đúng cơ quan.")
                % {"where": where, "as_written": item.as_written, "names": " hoặc ".join(item.candidates)},
            )
        elif item.renamed_from and item.entity is not None:
            self.problem(
                path,
                gettext(
                    "%(where)s: “%(as_written)s” không còn hoạt động vào ngày của kế hoạch; hiểu là cơ quan kế thừa “%(name)s”."
                )
                % {"where": where, "as_written": item.as_written, "name": item.entity.name},
                WARNING,
            )
        elif item.status == FUZZY and item.entity is not None:
            self.problem(
                path,
                gettext("%(where)s: “%(as_written)s” được hiểu gần đúng là “%(name)s”; hãy kiểm tra.")
                % {"where": where, "as_written": item.as_written, "name": item.entity.name},
                WARNING,
            )

    def _label_names(self, value: str) -> list[NameMatch]:
        if not value:
            return []
        return scan_names(self.registry, value, fold_aligned(value), 0, self.on)

    def _assign(self, node: Node) -> Assign:
        cached = self._assign_cache.get(id(node))
        if cached is None:
            cached = self._assign_cache[id(node)] = extract_assignment(self.registry, node.text, self.on)
            self._alive.append(node)
        return cached

    def _effective(self, node: Node) -> Assign:
        """The node's own assignment combined with what its headings assign."""
        chain = []
        current: Node | None = node
        while current is not None and current.kind != "root":
            chain.append(current)
            current = current.parent
        result = Assign("none")
        for item in reversed(chain):
            own = self._assign(item)
            if own.kind == "subject":
                result = Assign("subject", list(own.leads), list(own.coordinates))
            elif own.kind == "coordinate_only":
                result = Assign(result.kind, list(result.leads), result.coordinates + own.coordinates)
        return result

    # --- organisation: reporting and duties -----------------------------------------------------------------

    def _duty(self, node: Node, plan: dict) -> None:
        text = " ".join([node.text, *node.body])
        folded = fold_aligned(text)
        due = re.search(r"truoc(?: ngay)?\s+(\d{1,2})\s*/\s*(\d{1,2})(?!\s*/\s*\d)", folded)
        if "bao cao" in folded and due and re.search(r"dinh ky|hang nam|hang quy|6 thang", folded):
            self._reporting(node, text, folded, due, plan)
            return
        subject = extract_assignment(self.registry, text, self.on)
        if not subject.leads:
            return
        kind = (
            "monitor"
            if "theo doi" in folded and re.search(r"don doc|kiem tra|giam sat", folded)
            else "implement"
        )
        first = self._localise(subject.leads[0], node.line)
        agency = first.entity.name if first.entity and first.entity.kind == AGENCY else None
        plan["duties"].append(
            {"code": node.code, "kind": kind, "who": first.as_written, "agency": agency, "text": text}
        )
        if first.is_problem:
            self._name_problem(
                f"duties.{len(plan['duties']) - 1}", gettext("Mục %(code)s") % {"code": node.code}, first
            )

    def _reporting(self, node: Node, text: str, folded: str, due: re.Match, plan: dict) -> None:
        regimes = regimes_in_text(folded) or [
            {"period": "yearly", "due_day": int(due.group(1)), "due_month": int(due.group(2))}
        ]
        cut = re.search(
            r"\s(?:can cu|co trach nhiem|chiu trach nhiem|chu dong|dinh ky|to chuc|thuc hien|bao cao|gui)\b|[;:]",
            folded,
        )
        who = text[: cut.start()].strip(" ,") if cut else text[:120]
        who_groups: list[str] = []
        who_folded = fold_aligned(who)
        for m in re.finditer(r"(?:^|(?<=[\s,]))\S", who):
            match = self.registry.match_at(who, who_folded, m.start(), self.on)
            if match and match.entity and match.entity.kind == GROUP and match.entity.name not in who_groups:
                who_groups.append(match.entity.name)
        # "… gửi (về) Sở X", "… báo cáo … về Sở X": the first agency after such a word, before or after the date.
        to = ""
        sends = list(re.finditer(r"\b(?:gui(?: ve)?|ve)\s+", folded))
        for send in sends:
            match = self.registry.match_at(text, folded, send.end(), self.on)
            if match and match.entity and match.entity.kind == AGENCY:
                to = self._localise(match, node.line).entity.name
                break
        else:
            if sends:
                at = sends[0].end()
                to = re.split(r"\s(?:tong hop|de|truoc)\s|[,.;]", text[at:])[0].strip()
                self.problem(
                    f"reporting.{len(plan['reporting'])}",
                    gettext("Mục %(code)s: không tìm thấy nơi nhận báo cáo “%(to)s” trong danh mục cơ quan.")
                    % {"code": node.code, "to": to},
                    WARNING,
                )
        plan["reporting"].append(
            {
                "code": node.code,
                "who": who,
                "who_groups": who_groups,
                "to": to,
                "due": f"{int(due.group(1)):02d}/{int(due.group(2)):02d}",
                "frequency": regimes[0]["period"] if regimes else "yearly",
                "text": text,
            }
        )
        # Where each row and each regime was read, so the JSON's reporting[] can name the text of each regime.
        self.locations[f"reporting.{len(plan['reporting']) - 1}"] = node.line
        known = {r["period"] for r in plan["reporting_regimes"]}
        for regime in regimes:
            if regime["period"] not in known:
                self.locations[f"reporting_regimes.{len(plan['reporting_regimes'])}"] = node.line
                plan["reporting_regimes"].append(regime)
                known.add(regime["period"])

    def _coordinator(self, plan: dict) -> str | None:
        for duty in plan["duties"]:
            if duty["kind"] == "monitor" and duty["agency"]:
                return duty["agency"]
        proposed = {p["name"] for p in self.metadata.proposals}
        for row in plan["reporting"]:
            if row["to"] in self.registry.agencies or row["to"] in proposed:
                return row["to"]
        if (
            self.issuer
            and self._issuer_does_own_tasks()
            and (self.issuer in self.registry.agencies or self.issuer in proposed)
        ):
            # A department's or a ministry's own plan: its own office follows it up ("Văn phòng Sở theo dõi …").
            self.problem(
                "coordinator_agency",
                gettext(
                    "Cơ quan theo dõi, đôn đốc thực hiện kế hoạch: lấy cơ quan ban hành “%(name)s”; hãy kiểm tra."
                )
                % {"name": self.issuer},
                WARNING,
            )
            return self.issuer
        self.problem(
            "coordinator_agency",
            gettext(
                "Không xác định được cơ quan theo dõi, đôn đốc thực hiện kế hoạch (thường nêu ở mục Tổ chức thực hiện); hãy chọn."
            ),
        )
        return None

    # --- tables ---------------------------------------------------------------------------------------------

    def _tables(
        self, tables: list[tuple[int, TaskTable]], appendix: list[tuple[int, str]], plan: dict
    ) -> None:
        if not tables:
            if appendix:
                self.problem(
                    "tasks",
                    gettext(
                        "Văn bản có phụ lục nhưng không đọc được bảng nhiệm vụ trong đó (bảng chỉ đọc được từ tệp .docx). Hãy kiểm tra và nhập bổ sung nếu cần."
                    ),
                    WARNING,
                )
            return
        titles = [t for _, t in appendix if not re.match(r"(PHỤ LỤC|Phụ lục)\b", t)]
        for k, (_, table) in enumerate(tables, start=1):
            prefix = f"PL{k}" if len(tables) > 1 or True else "PL"
            title = titles[0].strip() if titles and k == 1 else f"Phụ lục {k}"
            self._task_table(table, prefix, title, plan)

    def _task_table(self, table: TaskTable, prefix: str, title: str, plan: dict) -> None:
        group_code = prefix
        groups_made: set[str] = set()
        counter = 0

        def ensure_group(code: str, group_title: str) -> None:
            if code not in groups_made:
                groups_made.add(code)
                plan["task_groups"].append({"code": code, "title": group_title})

        for row in table.rows:
            if row.is_group:
                group_code = f"{prefix}.{row.number or len(groups_made) + 1}"
                ensure_group(group_code, row.task)
                counter = 0
                continue
            ensure_group(group_code, title)
            counter += 1
            number = row.number if row.number and re.fullmatch(r"[\w.]+", row.number) else str(counter)
            code = f"{group_code}.{number}"
            existing = {t["code"] for t in plan["tasks"]}
            if code in existing:
                code = f"{group_code}.{counter}"
            index = len(plan["tasks"])
            path = f"tasks.{index}"
            text = row.task
            timing = timing_from_cell(row.time) if row.time else None
            recurrence, deadline = timing if timing else timing_from_text(row.task)
            if row.time and timing is None:
                self.problem(
                    path,
                    gettext("Nhiệm vụ %(code)s: chưa hiểu thời gian “%(time)s”; ghi nhận là thường xuyên.")
                    % {"code": code, "time": row.time},
                    WARNING,
                )
            task = {
                "code": code,
                "group": group_code,
                "heading": "",
                "text": text,
                "lead": [],
                "coordinate": [],
                "lead_is_group": False,
                "recurrence": recurrence or CONTINUOUS,
                "deadline": deadline.isoformat() if deadline else None,
                "assignments": [],
            }
            if row.product:
                task["product"] = row.product
            self.locations[path] = table.first_line + row.index
            self._fill_assignments(task, path, self._cell_names(row.lead), self._cell_names(row.coordinate))
            plan["tasks"].append(task)

    def _list_names(self, lines: list[str]) -> list[NameMatch]:
        """The names listed under a label, one item a line: read once for all the tasks the label assigns."""
        key = "\n".join(lines)
        if key not in self._list_cache:
            self._list_cache[key] = self._cell_names(key) if key else []
        return list(self._list_cache[key])

    def _cell_names(self, cell: str) -> list[NameMatch]:
        """Every name in a table cell; what is left over between them is reported, not dropped."""
        out: list[NameMatch] = []
        # "Lãnh đạo\nSở Giáo dục và Đào tạo": the person at the head of a body names the body.
        cell = re.sub(
            r"^\s*(?:lãnh đạo|giám đốc|thủ trưởng|chủ tịch|tư lệnh)\s+",
            "",
            cell,
            flags=re.IGNORECASE | re.MULTILINE,
        )
        for line in re.split(r"\n|;", cell):
            line = re.sub(r"^[-–+•]\s*", "", line.strip()).strip(" .,")
            if not line:
                continue
            folded = fold_aligned(line)
            if re.match(r"theo (?:su )?phan cong\b", folded):
                continue  # "Theo phân công tại Quyết định số …": the document named assigns, this cell names no one
            pos = 0
            while pos < len(line):
                items = scan_names(self.registry, line, folded, pos, self.on)
                out += items
                end = items[-1].end if items else pos
                rest = line[end:]
                stripped = rest.lstrip(" ,")
                if not stripped:
                    break
                if stripped.startswith("và "):
                    stripped = stripped[3:]
                if items and stripped.startswith("(") and ")" in stripped:
                    # "Văn phòng UBND tỉnh (Trung tâm Thông tin)": a note on the name before it, not another body.
                    pos = len(line) - len(stripped) + stripped.index(")") + 1
                    continue
                start = len(line) - len(stripped)
                if items and start > end:
                    pos = start
                    nxt = scan_names(self.registry, line, folded, pos, self.on)
                    if nxt:
                        continue
                piece = re.split(r",\s*", stripped, maxsplit=1)[0]
                for joint in re.finditer(r" và ", piece):
                    # "các đơn vị cấp tỉnh và các địa phương": "và" before a name ends the unknown one.
                    if scan_names(self.registry, line, folded, start + joint.end(), self.on):
                        piece = piece[: joint.start()]
                        break
                match = self.registry.resolve(piece, self.on)
                out.append(match)
                pos = start + len(piece)
        return out

    # --- checks ---------------------------------------------------------------------------------------------

    def _check_required(self, plan: dict) -> None:
        if not plan["tasks"] and not plan["targets"]:
            self.problem(
                "tasks",
                gettext(
                    "Không tìm thấy nhiệm vụ hay chỉ tiêu nào. Văn bản có đúng là một kế hoạch có các mục I., II., III. (hoặc 1., 2., 3.) không?"
                ),
            )


def parse_plan(source: SourceDocument, registry: Registry) -> ParseResult:
    return PlanParser(source, registry).parse()
