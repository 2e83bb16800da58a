"""Metadata of a plan: its number, place and date, title, issuer, the documents it implements, its recipients."""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext

from .problems import WARNING
from .resolver import AGENCY, AMBIGUOUS, FUZZY, GROUP, Registry, fold_aligned

# --- metadata -------------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"Số\s*:\s*(\d+)\s*/\s*([A-ZĐ][A-ZĐa-z0-9\-]*)")
_PLACE_DATE = re.compile(
    r"(?:^|[^\w])([A-ZĐ][^,]{1,50}),\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})"
)
_PLACE_DATE_SHORT = re.compile(r"(?:^|[^\w])([A-ZĐ][^,]{1,50}),\s*ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})")
_MOTTO = re.compile(
    r"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập\s*-\s*Tự do\s*-\s*Hạnh phúc|"
    r"ĐỘC LẬP\s*-\s*TỰ DO\s*-\s*HẠNH PHÚC|[-_=]{3,}",
)
_KIND = re.compile(r"^(KẾ HOẠCH|CHƯƠNG TRÌNH HÀNH ĐỘNG|CHƯƠNG TRÌNH)\b\s*(.*)$")
DOC_NUMBER = re.compile(r"(?<![\w/])\d+(?:/\d{4})?[/-][A-ZĐ][A-Za-zĐđ]*(?:[-/][A-ZĐ][A-Za-zĐđ&]*)+")
_PARTY = re.compile(r"^(\d+)/(KH|NQ|KL|CT|CTr|QĐ|TB|HD|QC|QĐi)-(TU|TW|HU|ĐU|BCS|BTV|TU)$")
_DOC_KINDS = re.compile(
    r"(Quyết định|Kế hoạch|Kết luận|Nghị quyết|Chỉ thị|Thông tư|Nghị định|Chương trình(?: hành động)?|Luật|"
    r"Công văn|Thông báo|Hướng dẫn|Đề án)\s+(?:số\s+)?$",
    re.IGNORECASE,
)


def normalise_doc_number(number: str) -> str:
    """Party documents are numbered "348-KH/TU"; a plan may write "348/KH-TU". The Prime Minister signs "TTg"."""
    number = re.sub(r"-TTG$", "-TTg", number)
    m = _PARTY.match(number)
    return f"{m.group(1)}-{m.group(2)}/{m.group(3)}" if m else number


def _fix_title(title: str) -> str:
    return re.sub(r"(\d+/[A-ZĐ]+-)TTG\b", r"\1TTg", " ".join(title.split()))


def mostly_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


class MetadataReader:
    """Reads the preamble (number, place and date, title, issuer, the documents implemented) and "Nơi nhận"."""

    def __init__(self, registry: Registry, problem) -> None:
        self.registry = registry
        self.problem = problem
        self.on: datetime.date | None = None

    def read(self, preamble: list[tuple[int, str]]) -> dict:
        texts = [t for _, t in preamble]
        number = ""
        number_at = len(texts)
        for i, text in enumerate(texts):
            m = _NUMBER.search(text)
            if m:
                number = f"{m.group(1)}/{m.group(2)}"
                number_at = i
                break
        if not number:
            self.problem("number", gettext("Không tìm thấy số, ký hiệu văn bản (dòng “Số: …/KH-…”)."))
        place, date, found = "", None, False
        for text in texts:
            m = _PLACE_DATE.search(text) or _PLACE_DATE_SHORT.search(text)
            if m:
                found = True
                place = _MOTTO.split(m.group(1))[-1].strip(" -")
                try:
                    date = datetime.date(int(m.group(4)), int(m.group(3)), int(m.group(2)))
                except ValueError:
                    self.problem(
                        "date",
                        gettext("Ngày ban hành “%(date)s” không phải ngày hợp lệ.")
                        % {"date": m.group(0).strip()},
                    )
                break
        if not found:
            self.problem(
                "date", gettext("Không tìm thấy địa danh, ngày ban hành (dòng “…, ngày … tháng … năm …”).")
            )
        self.on = date
        title_lines: list[str] = []
        kind_at = None
        for i, text in enumerate(texts):
            m = _KIND.match(text)
            if m and kind_at is None:
                kind_at = i
                if m.group(2):
                    title_lines.append(m.group(2))
                continue
            if kind_at is not None:
                folded = fold_aligned(text)
                if folded.startswith(("thuc hien", "can cu", "de ", "nham ")) or _MOTTO.fullmatch(text):
                    break
                title_lines.append(text)
        title = _fix_title(" ".join(title_lines))
        if not title:
            self.problem("title", gettext("Không tìm thấy trích yếu (tên kế hoạch sau dòng “KẾ HOẠCH”)."))
        references = self._references(texts[(kind_at or 0) + 1 :], title)
        issuer = self._issuer(
            texts[: min(number_at, kind_at if kind_at is not None else len(texts))], number, place
        )
        return {
            "number": number,
            "place": place,
            "date": date.isoformat() if date else None,
            "title": title,
            "references": references,
            "issuer": issuer,
        }

    def _issuer(self, header: list[str], number: str, place: str) -> str | None:
        lines = [_MOTTO.sub(" ", t).strip(" -") for t in header]
        lines = [t for t in lines if t and mostly_upper(t) and not _NUMBER.search(t)]
        candidates = []
        if lines:
            candidates.append(" ".join(lines))
            candidates += lines[::-1]
        symbol = number.partition("/")[2]
        issuer_code = symbol.rsplit("-", 1)[-1] if "-" in symbol else ""
        if issuer_code == "UBND" and place:
            candidates += [f"Ủy ban nhân dân tỉnh {place}", f"Ủy ban nhân dân thành phố {place}"]
        for i, candidate in enumerate(candidates):
            match = self.registry.resolve(candidate, self.on)
            if match.entity is not None and match.entity.kind == AGENCY and match.status != AMBIGUOUS:
                if i >= (1 + len(lines) if lines else 0):
                    self.problem(
                        "issuer",
                        gettext(
                            "Cơ quan ban hành suy ra từ ký hiệu “%(symbol)s” và địa danh “%(place)s”: %(name)s."
                        )
                        % {"symbol": symbol, "place": place, "name": match.entity.name},
                        WARNING,
                    )
                elif match.status == FUZZY:
                    self.problem(
                        "issuer",
                        gettext("Cơ quan ban hành “%(candidate)s” được hiểu gần đúng là “%(name)s”.")
                        % {"candidate": candidate, "name": match.entity.name},
                        WARNING,
                    )
                return match.entity.name
        shown = candidates[0] if candidates else ""
        self.problem(
            "issuer",
            gettext("Không xác định được cơ quan ban hành%(value)s trong danh mục cơ quan.")
            % {"value": f" “{shown}”" if shown else ""},
        )
        return None

    def _references(self, texts: list[str], title: str) -> list[dict]:
        references: list[dict] = []
        numbers: set[str] = set()
        paragraphs = []
        for text in texts:
            folded = fold_aligned(text)
            kind = (
                "implements"
                if folded.startswith("thuc hien")
                else "based_on"
                if folded.startswith("can cu")
                else None
            )
            if kind is None:
                continue
            paragraphs.append(text)
            m = DOC_NUMBER.search(text)
            if m:
                number = normalise_doc_number(m.group(0))
                if number not in numbers:
                    numbers.add(number)
                    references.append({"kind": kind, "number": number, "text": text})
        # Documents the title names that no "Thực hiện/Căn cứ" paragraph opens with: the plan implements them too.
        for m in DOC_NUMBER.finditer(title):
            number = normalise_doc_number(m.group(0))
            if number in numbers:
                continue
            numbers.add(number)
            references.append(
                {
                    "kind": "implements",
                    "number": number,
                    "text": self._citation(paragraphs, m.group(0), number) or number,
                }
            )
        return references

    @staticmethod
    def _citation(paragraphs: list[str], *numbers: str) -> str:
        """The clause of a paragraph that cites the document: "Kết luận số 69-KL/TW ngày … của …"."""
        for paragraph in paragraphs:
            for number in numbers:
                at = paragraph.upper().find(number.upper())
                if at < 0:
                    continue
                kind = _DOC_KINDS.search(paragraph[max(0, at - 40) : at])
                start = max(0, at - 40) + kind.start() if kind else at
                end_match = re.search(
                    r"[;“”\"]|\s(?:và|triển khai)\s(?:Kế hoạch|Quyết định|Nghị quyết|Kết luận)",
                    paragraph[at:],
                )
                end = at + end_match.start() if end_match else len(paragraph)
                # A nested citation ("… thực hiện Nghị quyết số 20-NQ/TW") ends the clause after its number.
                nested = DOC_NUMBER.search(paragraph, at + len(number), end)
                if nested:
                    end = nested.end()
                clause = re.sub(r"\s*\([^)]*\)", "", paragraph[start:end])
                return " ".join(clause.split()).strip(" ,.")
        return ""

    # --- outline ------------------------------------------------------------------------------------------

    # --- recipients -----------------------------------------------------------------------------------------

    def recipients(self, lines: list[tuple[int, str]]) -> list[dict]:
        out = []
        for _, raw in lines:
            text = re.sub(r"^[-–+•]\s*", "", raw).strip(" ;.,")
            if not text:
                continue
            agency, group = None, None
            name = re.sub(r"\s*\([^)]*\)", "", text).strip()
            folded = fold_aligned(name)
            if not folded.startswith("luu"):
                name = re.sub(
                    r"^(?:Đ/c\s+|Đồng chí\s+)?(?:(?:Chủ tịch|Phó Chủ tịch|CT)(?:,\s*(?:các\s+)?"
                    r"(?:PCT|Phó Chủ tịch))?|các PCT|PCT)\s+",
                    "",
                    name,
                )
                name = re.sub(
                    r"^(?:Chánh|CVP)(?:,\s*(?:các\s+)?(?:PCVP|Phó Chánh Văn phòng))?\s+(?:Văn phòng\s+)?",
                    "Văn phòng ",
                    name,
                )
                match = self.registry.resolve(name, self.on)
                if match.entity is not None and match.status != AMBIGUOUS:
                    agency = match.entity.name if match.entity.kind == AGENCY else None
                    group = match.entity.name if match.entity.kind == GROUP else None
                else:
                    self.problem(
                        f"recipients.{len(out)}",
                        gettext("Nơi nhận “%(text)s”: không tìm thấy trong danh mục cơ quan (có thể bỏ qua).")
                        % {"text": text},
                        WARNING,
                    )
            out.append({"text": text, "agency": agency, "group": group})
        return out
