"""Metadata of a plan: its number, place and date, title, issuer, the documents it implements, its recipients."""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext

from plantrack.core.text import fold

from .problems import WARNING
from .proposals import guess_kind, header_name, local_name, province_unit, provincial_committee_name
from .resolver import AGENCY, AMBIGUOUS, FUZZY, GROUP, Registry, fold_aligned

# --- metadata -------------------------------------------------------------------------------------------------

# A draft leaves the number blank ("Số: /KH-UBND") and the day and month too ("ngày tháng năm 2026").
# Text taken from a PDF may space the hyphens of the symbol: "Số: 3210/QĐ - UBND".
_NUMBER = re.compile(r"Số\s*:\s*(\d*)\s*/\s*([A-ZĐ][A-ZĐa-z0-9]*(?:\s*-\s*[A-ZĐ0-9][A-ZĐa-z0-9]*)*)")
# A plan issued with a decision names it after the title: "(Kèm theo Quyết định số …)", "(Ban hành kèm theo …)".
_ATTACHED = re.compile(r"\s*\((?:ban hành\s+)?kèm theo\b[^)]*\)?\s*$", re.IGNORECASE)
_PLACE_DATE = re.compile(
    # A PDF's text layer may split a two-digit day or month: "ngày 26 tháng 0 6 năm 2018".
    r"(?:^|[^\w])([A-ZĐ][^,]{1,50}),\s*ngày\s+(\d ?\d|\d)?\s*tháng\s+(\d ?\d|\d)?\s*năm\s*(\d{4})?"
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


_WORD = re.compile(r"[^\W\d_]+")


def _running(text: str) -> bool:
    """A paragraph of running text: 12 words or more, in lower case, few of them a lone letter."""
    words = _WORD.findall(text)
    return (
        len(words) >= 12
        and any(c.islower() for c in text)
        and sum(len(w) == 1 for w in words) <= 0.2 * len(words)
    )


def close_letter_spacing(texts: list[str]) -> list[str]:
    """Short lines whose words a PDF's text layer broke apart ("ỦY B AN NHÂN D Â N T HÀNH P HỐ HỒ C H Í M I NH",
    "T hành phố Hồ Chí M inh, ngày …") written again with the words of the document's own running text.

    A line is rewritten only when it holds a word that the running text (see :func:`_running`) never uses and
    its letters, run together, split wholly into words the running text does use (the fewest such words).
    """
    vocabulary = {w.upper() for t in texts if _running(t) for w in _WORD.findall(t)}
    if not vocabulary:
        return texts
    longest = max(len(w) for w in vocabulary)

    def split(run: str) -> list[str] | None:
        upper = run.upper()
        best: list[list[str] | None] = [[]] + [None] * len(run)
        for end in range(1, len(run) + 1):
            for start in range(max(0, end - longest), end):
                if best[start] is not None and upper[start:end] in vocabulary:
                    candidate = best[start] + [run[start:end]]
                    if best[end] is None or len(candidate) < len(best[end]):
                        best[end] = candidate
        return best[-1]

    def rewrite(text: str) -> str:
        words = _WORD.findall(text)
        if _running(text) or all(w.upper() in vocabulary for w in words):
            return text
        out = []
        # Runs of letters and spaces between punctuation and digits ("T hành phố Hồ Chí M inh" | ", ngày 28 …").
        for piece in re.split(r"([^\w\s]+|\d+)", text):
            run = "".join(piece.split())
            if not run or not _WORD.fullmatch(run) or all(w.upper() in vocabulary for w in piece.split()):
                out.append(piece)
                continue
            parts = split(run)
            lead, trail = piece[: len(piece) - len(piece.lstrip())], piece[len(piece.rstrip()) :]
            out.append(f"{lead}{' '.join(parts)}{trail}" if parts else piece)
        return "".join(out)

    return [rewrite(t) for t in texts]


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
        # The province of a plan issued outside the registry's own province (its bodies are proposed, not matched).
        self.province = ""
        self.issuer_kind = ""
        # Agencies the plan names that the registry does not hold, proposed for creation at publishing.
        self.proposals: list[dict] = []
        self.year: int | None = None
        self.recipient_lines: list[int] = []

    def propose(self, name: str, *, kind: str = "", parent: str | None = None) -> dict:
        """Add ``name`` to the proposed agencies (once) and return its row."""
        for row in self.proposals:
            if fold(row["name"]) == fold(name):
                return row
        if parent is None and self.province and kind != "provincial_committee":
            parent = self.home_committee()
        row = {
            "name": name,
            "kind": kind or guess_kind(name),
            "parent": parent or "",
            "province": self.province,
        }
        self.proposals.append(row)
        return row

    def home_committee(self) -> str:
        """The people's committee of the plan's province: the registry's, else proposed."""
        name = provincial_committee_name(self.province)
        match = self.registry.resolve(name, self.on)
        if match.entity is not None and match.status != AMBIGUOUS and fold(match.entity.name) == fold(name):
            return match.entity.name
        self.propose(name, kind="provincial_committee", parent="")
        return name

    def read(self, preamble: list[tuple[int, str]]) -> dict:
        texts = close_letter_spacing([t for _, t in preamble])
        number = ""
        number_at = len(texts)
        for i, text in enumerate(texts):
            m = _NUMBER.search(text)
            if m:
                # A draft's blank number keeps its symbol for reading the issuer, not as a number.
                number = m.group(1) + "/" + "".join(m.group(2).split())
                number_at = i
                break
        symbol_only = number.startswith("/")
        if not number:
            self.problem("number", gettext("Không tìm thấy số, ký hiệu văn bản (dòng “Số: …/KH-…”)."))
        place, date, found = "", None, False
        for text in texts:
            m = _PLACE_DATE.search(text) or _PLACE_DATE_SHORT.search(text)
            if m:
                found = True
                place = _MOTTO.split(m.group(1))[-1].strip(" -")
                # "Số: /KH-UBND Lào Cai, ngày …" on one extracted line: the place is what follows the number.
                place = re.sub(r"^.*Số\s*:\s*\S*\s*/\s*\S+\s*", "", place).strip(" -")
                self.year = int(m.group(4)) if m.group(4) else None
                if not (m.group(2) and m.group(3) and m.group(4)):
                    break  # a draft: the date is left blank, not wrong
                try:
                    date = datetime.date(
                        int(m.group(4)), int(m.group(3).replace(" ", "")), int(m.group(2).replace(" ", ""))
                    )
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
                attached = _ATTACHED.search(text)
                if attached:
                    text = text[: attached.start()].strip()
                    if not text:
                        if title_lines:
                            break
                        continue
                folded = fold_aligned(text)
                if _MOTTO.fullmatch(text):
                    break
                # "THỰC HIỆN NGHỊ QUYẾT SỐ …" in capitals is still the title; "Thực hiện …" opens the preamble.
                if folded.startswith(("thuc hien", "can cu", "de ", "nham ")) and not (
                    mostly_upper(text) and folded.startswith("thuc hien")
                ):
                    break
                # A title typed in capitals ends at the first paragraph that is not: "Triển khai thực hiện …",
                # "Do hậu quả …", "Kính gửi: …" open the preamble whatever their first words.
                if (
                    title_lines
                    and mostly_upper(" ".join(title_lines))
                    and not mostly_upper(text)
                    and re.search(r"[a-zà-ỹđ]", text)
                ):
                    break
                if folded.startswith("kinh gui"):
                    break
                # "Tiếp tục thực hiện Nghị quyết …, UBND tỉnh ban hành Kế hoạch … như sau:" opens the preamble.
                if title_lines and (
                    folded.startswith("tiep tuc thuc hien") or folded.rstrip().endswith("nhu sau:")
                ):
                    break
                title_lines.append(text)
        title = _fix_title(" ".join(title_lines))
        if not title:
            self.problem("title", gettext("Không tìm thấy trích yếu (tên kế hoạch sau dòng “KẾ HOẠCH”)."))
        references = self._references(texts[(kind_at or 0) + 1 :], title)
        issuer = self._issuer(
            texts[: min(number_at, kind_at if kind_at is not None else len(texts))], number, place
        )
        if symbol_only:
            number = ""
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
        lines = [" ".join(t.split()) for t in lines if t and mostly_upper(t) and not _NUMBER.search(t)]
        lines = [t for t in lines if t and len(t) > 2]
        written, parent, province, from_date = _written_issuer(lines, place)
        if province and self.registry.home_provinces and fold(province) not in self.registry.home_provinces:
            self.province = province
        candidates = []
        if lines and not self.province:
            candidates.append(" ".join(lines))
            candidates += lines[::-1]
        symbol = number.partition("/")[2]
        issuer_code = symbol.rsplit("-", 1)[-1] if "-" in symbol else ""
        if issuer_code == "UBND" and place and not self.province:
            candidates += [f"Ủy ban nhân dân tỉnh {place}", f"Ủy ban nhân dân thành phố {place}"]
        if written:
            # The name as written, matched exactly: a body of another province is never one of the registry's.
            match = self.registry.resolve(written, self.on)
            if match.entity is not None and match.status not in (AMBIGUOUS, FUZZY):
                self.issuer_kind = match.entity.agency_kind
                return match.entity.name
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
                self.issuer_kind = match.entity.agency_kind
                return match.entity.name
        if written:
            kind = guess_kind(written)
            self.issuer_kind = kind
            if kind == "central":
                self.province = ""
            elif not self.province and province:
                self.province = province
            if from_date:
                self.problem(
                    "issuer",
                    gettext(
                        "Đầu văn bản chỉ ghi “%(header)s”: địa danh “%(place)s” lấy từ dòng ngày tháng; hãy kiểm tra cơ quan ban hành."
                    )
                    % {"header": lines[-1] if lines else "", "place": place},
                    WARNING,
                )
            self.propose(written, kind=kind, parent=parent if parent is not None else None)
            return written
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
        for _line, raw in lines:
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
                if (
                    self.province
                    and match.entity is not None
                    and match.entity.kind == AGENCY
                    and match.entity.agency_kind != "central"
                ):
                    # A plan of another province: its "Thường trực Tỉnh ủy" is not the registry's.
                    match.entity = None
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
            self.recipient_lines.append(_line)
            out.append({"text": text, "agency": agency, "group": group})
        return out


_LEVEL_LINE = re.compile(r"^(TỈNH|THÀNH PHỐ|HUYỆN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN|ĐẶC KHU)\s+\S", re.IGNORECASE)
_PLACE_IN = re.compile(r"\b(?:tỉnh|thành phố)\s+(.+)$")


def _written_issuer(lines: list[str], place: str) -> tuple[str, str | None, str, bool]:
    """(issuer as written, its parent as written or None, the province, whether the place came from the date line)
    from the upper-case header lines: "ỦY BAN NHÂN DÂN / TỈNH LÀO CAI"; "UBND TỈNH QUẢNG NAM / SỞ CÔNG THƯƠNG";
    "BỘ KHOA HỌC VÀ CÔNG NGHỆ"; "ỦY BAN NHÂN DÂN" alone (the place is then the date line's)."""
    units: list[str] = []
    for line in lines:
        if units and _LEVEL_LINE.match(line):
            units[-1] = f"{units[-1]} {line}"
        else:
            units.append(line)
    if not units:
        return "", None, "", False
    names = [header_name(u) for u in units[-2:]]
    issuer = names[-1]
    parent = names[0] if len(names) == 2 else None
    province = ""
    for name in (parent or "", issuer):
        m = _PLACE_IN.search(name)
        if m:
            province = m.group(1)
    from_date = False
    kind = guess_kind(issuer)
    if kind == "central":
        return issuer, None, "", False
    if not province and place:
        province, from_date = place, True
    if province and fold(province) not in fold(issuer):
        issuer = (
            provincial_committee_name(province)
            if issuer == "UBND"
            else local_name(issuer, province)
            if kind in ("department", "party", "peoples_council")
            else f"{issuer} {province_unit(province)}"
        )
    return issuer, parent, province, from_date
