"""Resolving agency names as written in a plan against the agency registry.

A name is looked up, in this order, by: the official name, short name, abbreviations and aliases, compared after
folding case and diacritics (``plantrack.core.text.fold``); the generic group phrases of Vietnamese administrative
writing ("các sở, ban, ngành", "UBND các huyện, thành phố …", "địa phương"); and, for small typos, a close match
(difflib) that must be clearly better than any other candidate. A name that matches nothing, or matches several
agencies equally, is reported as such: it is never dropped and never guessed.

The registry is loaded once into memory (two queries) so that parsing a whole plan costs no further database work.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass, field

from plantrack.core.text import fold
from plantrack.core.versions import ORGS_KEY, tokens
from plantrack.orgs.models import Agency, AgencyGroup, Succession

# --- aligned folding ------------------------------------------------------------------------------------------

_CHAR_FOLD: dict[str, str] = {}


def fold_aligned(text: str) -> str:
    """``fold`` character by character, so that index i of the result is character i of ``text``.

    Matching runs on the folded copy and slices the original with the same indexes, keeping names as written.
    """
    out = []
    for ch in text:
        folded = _CHAR_FOLD.get(ch)
        if folded is None:
            if ch.isspace():
                folded = " "
            else:
                folded = fold(ch)
                if len(folded) != 1:
                    lower = ch.lower()
                    folded = lower if len(lower) == 1 else "?"
            _CHAR_FOLD[ch] = folded
        out.append(folded)
    return "".join(out)


# --- registry entries -----------------------------------------------------------------------------------------

AGENCY = "agency"
GROUP = "group"


@dataclass(frozen=True)
class Entity:
    """An agency or a group of the registry, by official name."""

    kind: str
    name: str
    code: str = ""
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    # The registry's kind of an agency (``orgs.AgencyKind``): "central" bodies keep their names in a plan of any
    # province; the others belong to the registry's own province.
    agency_kind: str = ""

    def valid_on(self, day: datetime.date | None) -> bool:
        if day is None:
            return True
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


# Status of a name found in text.
RESOLVED = "resolved"  # one agency or group
FUZZY = "fuzzy"  # one agency, by a close (typo-tolerant) match: shown for checking
UNNAMED = "unnamed"  # a generic phrase naming no one in particular ("các cơ quan liên quan")
AMBIGUOUS = "ambiguous"  # several agencies fit equally
UNRESOLVED = "unresolved"  # looks like an agency name, but none fits


@dataclass
class NameMatch:
    """One name found in a text: where, as written, and what it resolved to."""

    start: int
    end: int
    as_written: str
    status: str
    entity: Entity | None = None
    related_only: bool = False
    candidates: list[str] = field(default_factory=list)
    # A generic group phrase ("UBND cấp xã", "các đoàn thể") the registry holds no group for: it names no one
    # agency, but, unlike "các cơ quan liên quan", it is a real body that can be the subject of a sentence.
    group_phrase: bool = False
    # The name as written is of a body that had ended by the plan's date; ``entity`` is its successor.
    renamed_from: str = ""

    @property
    def is_problem(self) -> bool:
        return self.status in (AMBIGUOUS, UNRESOLVED)


# --- linguistic knowledge -------------------------------------------------------------------------------------

# Generic phrases that name a registry group, matched on folded text. Keys are group codes of the registry; a
# phrase whose group is missing from the registry is reported as unresolved. Order matters only for equal lengths.
GROUP_PHRASES: list[tuple[str, str]] = [
    (
        "so-ban-nganh",
        r"(?:cac )?so,? ban,? nganh(?:,? don vi)?(?:,? doan the)?(?: cap tinh| (?:cua )?thanh pho| (?:cua )?tinh)?"
        r"(?: (?:truc )?thuoc (?:ubnd|uy ban nhan dan) (?:tinh|thanh pho))?",
    ),
    ("so-ban-nganh", r"(?:cac )?so,? nganh(?:,? don vi)?(?: cap tinh)?"),
    ("so-ban-nganh", r"cac co quan,? don vi cap tinh"),
    ("ubnd-cap-huyen", r"(?:(?:ubnd|uy ban nhan dan) )?cac huyen,? thanh pho(?:, thi xa)?"),
    ("ubnd-cap-huyen", r"(?:ubnd|uy ban nhan dan) (?:cap huyen|cac huyen)"),
    # Before 2025 a city's districts: "Ủy ban nhân dân (các) quận, huyện".
    ("ubnd-cap-huyen", r"(?:ubnd|uy ban nhan dan) (?:cac )?(?:quan,? huyen|huyen,? quan)(?:,? thi xa)?"),
    ("ubnd-cap-huyen", r"(?:cac )?dia phuong"),
    # Since 1 July 2025 the local level is the commune: "UBND cấp xã", "UBND (các) xã, phường (, đặc khu)".
    ("ubnd-cap-xa", r"(?:ubnd|uy ban nhan dan) cap xa"),
    ("ubnd-cap-xa", r"(?:(?:ubnd|uy ban nhan dan) )?cac xa,? phuong(?:,? dac khu)?(?:,? thi tran)?"),
    (
        "ubnd-cap-xa",
        r"(?:ubnd|uy ban nhan dan) (?:cac )?(?:xa,? phuong|phuong,? xa)(?:,? dac khu)?(?:,? thi tran)?",
    ),
    # The press as a whole: "báo, đài", "các cơ quan báo chí".
    (
        "bao-chi",
        r"(?:cac )?(?:bao,? dai|co quan (?:bao chi|thong tan,? bao chi)(?:,? phat thanh)?(?:,? truyen hinh)?(?: khac)?)"
        # "các cơ quan báo chí Trung ương, địa phương, quân đội": the press of every level.
        r"(?:(?:,| va)? (?:trung uong|dia phuong|quan doi)\b)*",
    ),
    # The central level, in plans of the Government: "các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
    # "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương".
    ("bo-nganh", r"(?:cac )?bo,? co quan ngang bo(?:,? co quan thuoc chinh phu)?"),
    # "các Bộ, ngành (liên quan)", "các Bộ, ngành, địa phương và đơn vị", "các bộ, ban, ngành khác".
    (
        "bo-nganh",
        r"(?:cac )?bo,? (?:ban,? )?nganh(?: (?:trung uong|chuc nang|khac))?(?:,? (?:co quan|dia phuong|don vi))*"
        r"(?: va don vi)?",
    ),
    ("ubnd-cap-tinh", r"(?:(?:ubnd|uy ban nhan dan) )?cac tinh,? thanh pho truc thuoc trung uong"),
    # Everyone: "các cơ quan, đơn vị, địa phương" (with "liên quan" after it, only those concerned).
    (
        "co-quan-don-vi-dia-phuong",
        r"(?:cac )?(?:co quan,? )?don vi,? dia phuong(?:,? doanh nghiep)?(?: co)?(?: lien quan)?",
    ),
    (
        "truong-dai-hoc-cao-dang",
        r"cac truong (?:dai hoc,? cao dang|cao dang,? dai hoc)(?: tren dia ban tinh)?",
    ),
    ("to-chuc-chinh-tri-xa-hoi", r"cac (?:to chuc|doan the) chinh tri ?- ?xa hoi(?: tinh)?"),
    (
        "to-chuc-chinh-tri-xa-hoi",
        r"cac to chuc thanh vien(?: cua (?:uy ban )?mat tran(?: to quoc)?(?: viet nam)?)?",
    ),
    # The Party committees as a whole: "các cấp ủy Đảng", "cấp ủy các cấp" (no registry group: kept as written).
    ("cap-uy-dang", r"(?:cac )?cap uy(?: dang)?(?: cac cap)?"),
    # "các đoàn thể", "các đoàn thể, tổ chức xã hội": the mass organisations as a whole.
    ("to-chuc-chinh-tri-xa-hoi", r"(?:cac )?doan the(?:,? (?:cac )?to chuc xa hoi)?(?: tinh| thanh pho)?"),
]
_BARE_CITY_COMMITTEE = ("ubnd thanh pho", "uy ban nhan dan thanh pho")
_BARE_COMMITTEE = ("ubnd", "uy ban nhan dan", "uy ban")
_NAMED_PLACE = re.compile(r"\s+(?:thanh pho|tinh|huyen|quan|thi xa|thi tran|xa|phuong|dac khu)\s")
# Phrases after which a place list may follow, written with capitals: "thành phố Long Khánh và thành phố Biên Hòa".
_PLACE_TAIL_AFTER = ("ubnd-cap-huyen",)

# "Các cơ quan liên quan": a real assignment that names no one; kept as written, not flagged.
UNNAMED_PHRASE = re.compile(
    r"(?:cac |mot so )?(?:co quan|don vi|nganh|to chuc)"
    r"(?:,? (?:co quan|don vi|to chuc|ca nhan|doanh nghiep|dia phuong|doan the))*"
    r"(?: khac)?(?: co)? (?:lien quan|chuc nang(?: co lien quan| lien quan)?)"
)
RELATED_SUFFIX = re.compile(r"(?: co)? lien quan")

# First words of an agency name (folded). Followed by a capitalised word they start a name even if unknown.
HEAD_WORDS = (
    "so",
    # "Trung ương Hội Cựu chiến binh Việt Nam", "Trung ương Đoàn": the central body of a mass organisation.
    "trung uong",
    "ban",
    "uy ban",
    "ubnd",
    "hdnd",
    "hoi dong",
    "bo",
    "cuc",
    "chi cuc",
    "tong cuc",
    "vien",
    "trung tam",
    "truong",
    "bao",
    "dai",
    "cong an",
    "bo chi huy",
    "van phong",
    "thanh tra",
    "hoi",
    "lien doan",
    "tinh doan",
    "tinh uy",
    "huyen uy",
    "thanh uy",
    "kho bac",
    "ngan hang",
    "bao hiem",
    "quy",
    "cong ty",
    "tong cong ty",
    "hoc vien",
    "benh vien",
    "doan",
    "mat tran",
    "phan hieu",
    "chi nhanh",
    "hiep hoi",
    "thong tan xa",
    "tap chi",
    "cong thong tin dien tu",
    "lien minh",
    # Bodies of the judiciary and of central agencies in the province: "Tòa án nhân dân tỉnh", "Thuế tỉnh",
    # "Kiểm toán nhà nước khu vực II", "Ngân hàng nhà nước khu vực 8", "Viện kiểm sát nhân dân tỉnh".
    "toa an",
    "thue",
    "kiem toan",
    "hai quan",
    "vien kiem sat",
    "ngan hang nha nuoc",
    # Units inside a department or a ministry, named in its own plans: "Phòng Quản lý công nghệ", "Vụ Pháp chế".
    # Only followed by a capital ("Phòng, chống …" and "phòng chống …" are no names).
    "phong",
    "vu",
)
# Head words that start a name even when what follows is lower case ("Thanh tra tỉnh", "Công an tỉnh").
_HEAD_WORDS_LOWER_OK = (
    "thanh tra",
    "cong an",
    "kho bac",
    "bao hiem",
    "van phong",
    "ubnd",
    "hdnd",
    "tinh uy",
    "tinh doan",
    "uy ban nhan dan",
    "hoi dong nhan dan",
    "toa an",
    "thue",
    "kiem toan",
    "vien kiem sat",
    "ngan hang nha nuoc",
    "cong thong tin dien tu",
)
# Lower-case words that cannot continue an agency name: the verb that follows the subject of a sentence.
STOP_WORDS = (
    "chu tri",
    "don doc",
    "tong ket",
    "phoi hop",
    "thuc hien",
    "tien hanh",
    "trien khai",
    "tham muu",
    "xay dung",
    "day manh",
    "tang cuong",
    "to chuc",
    "chi dao",
    "huong dan",
    "ra soat",
    "nghien cuu",
    "phat trien",
    "ho tro",
    "chiu trach nhiem",
    "thuong xuyen",
    "kip thoi",
    "tiep tuc",
    "chu dong",
    "can cu",
    "theo doi",
    "dang tai",
    "tuyen truyen",
    "bao cao",
    "de xuat",
    "hoan thanh",
    "ban hanh",
    "quan ly",
    "dam bao",
    "bao dam",
    "nang cao",
    "co trach nhiem",
    "du thao",
    "trinh",
    "cung cap",
    "ung dung",
    "tiep nhan",
    "kiem tra",
    "giam sat",
    "danh gia",
    "tong hop",
    "lap",
    "dieu chinh",
    "khan truong",
    "uu tien",
    "phan cong",
    "giao",
    "cap nhat",
    "duy tri",
    "thuc day",
    "khuyen khich",
    "tham gia",
    "hinh thanh",
    "tao",
    "lam",
    "quan triet",
    "pho bien",
    "trong",
    "tai",
    "theo",
    "de",
    "nham",
    "ve",
    "cho",
    "lien quan",
    "co lien quan",
)
_STOP_RE = re.compile(r"(?:" + "|".join(sorted(STOP_WORDS, key=len, reverse=True)) + r")\b")
# Bodies named by their kind, not their name: "các doanh nghiệp viễn thông", "các đơn vị điện lực trên địa bàn
# tỉnh" — up to four lower-case words that are not a verb, a joining word or a place phrase.
_KIND_OF_BODIES = re.compile(
    r"(?:he thong (?:truyen thanh|truyen thong|thong tin)(?: co so)?"
    r"|chinh quyen (?:(?:dia phuong|co so)(?: cac cap)?|cac cap)"
    r"|mat tran (?:to quoc )?co so)(?=[,;.:]| va | |$)|"
    r"cac nha mang(?= \()|"
    # "các cơ quan thông tin, truyền thông", "các cơ quan báo chí": the press and media as a kind of bodies.
    r"cac co quan (?:thong tin|bao chi|truyen thong)(?:(?:,| va) (?:thong tin|bao chi|truyen thong))*"
    r"(?=[,;.:]| |$)|"
    # "cơ quan thường trực các cấp": the standing bodies of every level, named by their role.
    r"(?:cac )?co quan thuong truc(?: (?:cac cap|cap (?:tinh|xa|huyen)))?(?=[,;.:]| |$)|"
    # "các cơ quan, đơn vị trực tiếp sử dụng ngân sách nhà nước": the bodies that fit a description.
    r"cac co quan,? don vi(?= [a-z])(?: (?!(?:"
    + "|".join(sorted(STOP_WORDS, key=len, reverse=True))
    + r"|va|voi|cua|trong|tai|de|theo|tren|co|lien quan|khac|dia phuong)\b)[a-z0-9]+){1,8}|"
    r"cac (?:doanh nghiep|don vi|nha mang)"
    r"(?: (?!(?:"
    + "|".join(sorted(STOP_WORDS, key=len, reverse=True))
    + r"|va|voi|cua|trong|tai|de|theo|tren|"
    r"co|lien quan|khac)\b)[a-z0-9]+){1,4}(?: tren dia ban(?: tinh| thanh pho)?)?"
)
_WORD = re.compile(r"[^\s,;:.()\[\]\"“”/]+")
FUZZY_CUTOFF = 0.88
FUZZY_MARGIN = 0.03


def _is_abbreviation(name: str) -> bool:
    """Short upper-case tokens ("TU", "SNV", "CAT") are matched case- and diacritic-exactly: folded they would
    collide with common words ("từ", "cát")."""
    return " " not in name and (len(name) <= 6 or name.upper() == name)


def _boundary(folded: str, end: int) -> bool:
    return end >= len(folded) or not folded[end].isalnum()


_REGISTRY_MEMO: dict[str, Registry] = {}  # "orgs" token -> registry (Registry.from_db)


class Registry:
    """The agency registry as an in-memory lexicon for matching names in text."""

    def __init__(
        self, agencies: list[dict], groups: list[dict], successions: list[dict] | None = None
    ) -> None:
        """``agencies``: dicts with name, short_name, abbreviations (";"-separated), aliases, valid_from, valid_to;
        ``groups``: dicts with code and name; ``successions``: dicts with predecessor, successor (names) and
        effective_date — a body merged into or renamed as another (the 2025 reorganisation)."""
        # predecessor name -> [(effective date, successor name)]
        self._successors: dict[str, list[tuple[datetime.date | None, str]]] = {}
        for row in successions or []:
            if row.get("predecessor") and row.get("successor"):
                self._successors.setdefault(row["predecessor"], []).append(
                    (row.get("effective_date"), row["successor"])
                )
        self.agencies: dict[str, Entity] = {}
        self.groups: dict[str, Entity] = {}
        self.groups_by_code: dict[str, Entity] = {}
        # folded name -> list of (entity, exact original or "" when folding is enough)
        self._lexicon: dict[str, list[tuple[Entity, str]]] = {}
        for row in agencies:
            entity = Entity(
                AGENCY,
                row["name"],
                valid_from=row.get("valid_from"),
                valid_to=row.get("valid_to"),
                agency_kind=row.get("kind") or "",
            )
            self.agencies.setdefault(entity.name, entity)
            abbreviations = [a.strip() for a in (row.get("abbreviations") or "").split(";") if a.strip()]
            names = [row["name"], row.get("short_name") or "", *abbreviations, *(row.get("aliases") or [])]
            for name in dict.fromkeys(n.strip() for n in names if n and n.strip()):
                self._add(name, entity)
            if entity.agency_kind == "provincial_committee" and "UBND tỉnh" in names:
                # A city under the central government writes its committee "Ủy ban nhân dân Thành phố" as a province
                # writes "UBND tỉnh": the plan's own provincial committee (see _lexicon_at: not "… thành phố X").
                for key in _BARE_CITY_COMMITTEE:
                    self._lexicon.setdefault(key, []).append((entity, ""))
        for row in groups:
            entity = Entity(GROUP, row["name"], code=row.get("code", ""))
            self.groups[entity.name] = entity
            if entity.code:
                self.groups_by_code[entity.code] = entity
            folded = fold(entity.name)
            variants = {folded}
            for suffix in (" tren dia ban tinh", " tinh"):
                if folded.endswith(suffix):
                    variants.add(folded[: -len(suffix)])
            for variant in variants:
                self._lexicon.setdefault(variant, []).append((entity, ""))
        self._by_first_word: dict[str, list[str]] = {}
        for key in self._lexicon:
            first = _WORD.match(key)
            self._by_first_word.setdefault(first.group(0) if first else key, []).append(key)
        for keys in self._by_first_word.values():
            keys.sort(key=len, reverse=True)
        # The provinces the registry is about, folded ("dong nai"), from its provincial people's committees.
        self.home_provinces = {
            m.group(1)
            for e in self.agencies.values()
            if e.agency_kind == "provincial_committee"
            and (m := re.match(r"(?:uy ban nhan dan|ubnd) (?:tinh|thanh pho) (.+)$", fold(e.name)))
        }
        self._phrases = [(code, re.compile(pattern)) for code, pattern in GROUP_PHRASES]
        # Fuzzy matching compares against agencies' full names and aliases only (not abbreviations).
        self._fuzzy_keys = [
            k for k, entries in self._lexicon.items() if len(k) >= 8 and any(not o for _, o in entries)
        ]

    def _add(self, name: str, entity: Entity) -> None:
        exact = name if _is_abbreviation(name) else ""
        entries = self._lexicon.setdefault(fold(name), [])
        if (entity, exact) not in entries:
            entries.append((entity, exact))

    # --- construction -----------------------------------------------------------------------------------------

    @classmethod
    def from_db(cls) -> Registry:
        """The registry of the agencies in the database, built once per version of them in each process: the
        "orgs" token (``plantrack.core.versions``) is replaced in the same transaction as any change to an agency,
        alias, group or membership, so a build never outlives a change (one query to check it). Callers only
        read the registry."""
        version = tokens(ORGS_KEY)
        built = _REGISTRY_MEMO.get(version)
        if built is None:
            built = cls._build_from_db()
            _REGISTRY_MEMO.clear()
            _REGISTRY_MEMO[version] = built
        return built

    @classmethod
    def _build_from_db(cls) -> Registry:
        agencies = [
            {
                "name": a.name,
                "short_name": a.short_name,
                "abbreviations": a.abbreviations,
                "aliases": [x.name for x in a.aliases.all()],
                "valid_from": a.valid_from,
                "valid_to": a.valid_to,
                "kind": a.kind,
            }
            for a in Agency.objects.prefetch_related("aliases")
        ]
        groups = [{"code": g.code, "name": g.name} for g in AgencyGroup.objects.all()]
        successions = [
            {
                "predecessor": s.predecessor.name,
                "successor": s.successor.name,
                "effective_date": s.effective_date,
            }
            for s in Succession.objects.filter(successor__isnull=False).select_related(
                "predecessor", "successor"
            )
        ]
        return cls(agencies, groups, successions)

    @classmethod
    def from_data(cls, data: dict) -> Registry:
        """From the ``plantrack.agencies/1`` format (the registry's own data file)."""

        def day(value):
            return datetime.date.fromisoformat(value) if value else None

        agencies = [
            dict(row, valid_from=day(row.get("valid_from")), valid_to=day(row.get("valid_to")))
            for row in data.get("agencies", [])
        ]
        # "changes" of the plantrack.orgchanges/1 format: a merge or renaming into exactly one successor.
        successions = [
            {
                "predecessor": old,
                "successor": change["successors"][0],
                "effective_date": day(change.get("effective_date")),
            }
            for change in data.get("changes", [])
            if len(change.get("successors") or []) == 1
            for old in change.get("predecessors") or []
        ]
        return cls(agencies, data.get("groups", []), successions)

    def successor_on(self, entity: Entity, on: datetime.date | None) -> Entity | None:
        """The body that had taken over from ``entity`` by ``on`` (following successive changes), when
        ``entity`` had ended by then; None otherwise."""
        if on is None or entity.valid_on(on):
            return None
        current, seen = entity, {entity.name}
        while True:
            edges = [name for day, name in self._successors.get(current.name, []) if day is None or day <= on]
            nxt = self.agencies.get(edges[-1]) if len(set(edges)) == 1 else None
            if nxt is None or nxt.name in seen:
                return None
            if nxt.valid_on(on):
                return nxt
            current = nxt
            seen.add(nxt.name)

    # --- lookups ----------------------------------------------------------------------------------------------

    @staticmethod
    def _pick(entities: list[Entity], on: datetime.date | None) -> list[Entity]:
        unique = list(dict.fromkeys(entities))
        valid = [e for e in unique if e.valid_on(on)]
        return valid or unique

    def _lexicon_at(self, text: str, folded: str, pos: int) -> tuple[int, list[Entity]] | None:
        word = _WORD.match(folded, pos)
        if not word:
            return None
        for key in self._by_first_word.get(word.group(0), ()):
            end = pos + len(key)
            if not folded.startswith(key, pos) or not _boundary(folded, end):
                continue
            if key in _BARE_CITY_COMMITTEE and re.match(r"\s+[A-ZĐÀ-Ỹ]", text[end:]):
                continue  # "UBND thành phố Biên Hòa": a city of the province, named
            if (
                key in _BARE_COMMITTEE
                and _NAMED_PLACE.match(folded, end)
                and re.match(r"\s+\S+(?:\s+\S+)?\s+[A-ZĐÀ-Ỹ]", text[end:])
            ):
                continue  # "UBND thành phố Đà Lạt", "UBND tỉnh Lào Cai": that place's committee, not the bare "UBND"
            entities = [e for e, exact in self._lexicon[key] if not exact or text[pos:end] == exact]
            if entities:
                return end, entities
        return None

    def _phrase_at(self, text: str, folded: str, pos: int) -> tuple[int, str] | None:
        best: tuple[int, str] | None = None
        for code, pattern in self._phrases:
            m = pattern.match(folded, pos)
            if m and _boundary(folded, m.end()) and (best is None or m.end() > best[0]):
                end = m.end()
                if code in _PLACE_TAIL_AFTER:
                    end = _place_tail(text, end)
                best = (end, code)
        return best

    def match_at(self, text: str, folded: str, pos: int, on: datetime.date | None = None) -> NameMatch | None:
        """The longest known name starting exactly at ``pos`` (registry name, group phrase or unnamed phrase)."""
        found: list[tuple[int, NameMatch]] = []
        lexical = self._lexicon_at(text, folded, pos)
        if lexical:
            end, entities = lexical
            found.append((end, self._match(text, pos, end, self._pick(entities, on), on)))
        phrase = self._phrase_at(text, folded, pos)
        if phrase:
            end, code = phrase
            entity = self.groups_by_code.get(code)
            # A generic group the registry does not hold (no commune group in a 2024 registry) names no one
            # agency: kept as written, like "các cơ quan liên quan", rather than flagged as unknown.
            match = (
                self._match(text, pos, end, [entity])
                if entity
                else NameMatch(pos, end, text[pos:end], UNNAMED, group_phrase=True)
            )
            found.append((end, match))
        unnamed = UNNAMED_PHRASE.match(folded, pos)
        if unnamed and _boundary(folded, unnamed.end()):
            found.append((unnamed.end(), NameMatch(pos, unnamed.end(), text[pos : unnamed.end()], UNNAMED)))
        kind = _KIND_OF_BODIES.match(folded, pos)
        if kind and _boundary(folded, kind.end()) and text[pos + 1 : kind.end()].islower():
            found.append(
                (kind.end(), NameMatch(pos, kind.end(), text[pos : kind.end()], UNNAMED, group_phrase=True))
            )
        if not found:
            return None
        # Longest wins; on a tie the registry name (first appended) wins.
        return max(found, key=lambda item: item[0])[1]

    def _match(
        self, text: str, start: int, end: int, entities: list[Entity], on: datetime.date | None = None
    ) -> NameMatch:
        as_written = text[start:end]
        if len(entities) == 1:
            successor = self.successor_on(entities[0], on)
            if successor is not None:
                return NameMatch(start, end, as_written, RESOLVED, successor, renamed_from=entities[0].name)
            return NameMatch(start, end, as_written, RESOLVED, entities[0])
        if not entities:
            return NameMatch(start, end, as_written, UNRESOLVED)
        return NameMatch(start, end, as_written, AMBIGUOUS, candidates=sorted(e.name for e in entities))

    def fuzzy(self, name: str, on: datetime.date | None = None) -> tuple[str, Entity | None, list[str]]:
        """(status, entity, candidates) for a name not found exactly: FUZZY with one entity when a single agency
        is clearly closest, AMBIGUOUS when several are, UNRESOLVED otherwise."""
        key = fold(name)
        if len(key) < 8:
            return UNRESOLVED, None, []
        scored = []
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(key)
        head = _head_of(key)
        for candidate in self._fuzzy_keys:
            # "Bộ Tài chính" is never a typo of "Sở Tài chính": a close match keeps the kind of body it names.
            if _head_of(candidate) != head:
                continue
            matcher.set_seq1(candidate)
            if matcher.real_quick_ratio() < FUZZY_CUTOFF or matcher.quick_ratio() < FUZZY_CUTOFF:
                continue
            ratio = matcher.ratio()
            if ratio >= FUZZY_CUTOFF:
                scored.append((ratio, candidate))
        if not scored:
            return UNRESOLVED, None, []
        scored.sort(reverse=True)
        best_ratio = scored[0][0]
        close = [c for r, c in scored if best_ratio - r <= FUZZY_MARGIN]
        entities = self._pick([e for c in close for e, exact in self._lexicon[c] if not exact], on)
        if len(entities) == 1:
            return FUZZY, entities[0], [entities[0].name]
        return AMBIGUOUS, None, sorted({e.name for e in entities})

    def resolve(self, name: str, on: datetime.date | None = None) -> NameMatch:
        """Resolve a whole string that should be one name (a table cell item, a recipient line)."""
        text = " ".join((name or "").split())
        folded = fold_aligned(text)
        match = self.match_at(text, folded, 0, on) if text else None
        if match is not None:
            rest = folded[match.end :]
            suffix = RELATED_SUFFIX.fullmatch(rest)
            if not rest.strip() or suffix:
                match.as_written = text
                match.end = len(text)
                match.related_only = bool(suffix) and match.status != UNNAMED
                return match
        status, entity, candidates = self.fuzzy(text, on)
        return NameMatch(0, len(text), text, status, entity, candidates=candidates)

    def entity_named(self, name: str | None) -> Entity | None:
        """The agency or group with exactly this official name."""
        if not name:
            return None
        return self.agencies.get(name) or self.groups.get(name)


def _head_of(folded: str) -> str:
    """The head word of a folded agency name ("so", "bo", "uy ban", …), or its first word."""
    for head in _HEADS_LONGEST_FIRST:
        if folded.startswith(head) and _boundary(folded, len(head)):
            return {"ubnd": "uy ban", "hdnd": "hoi dong"}.get(head, head)
    first = _WORD.match(folded)
    return first.group(0) if first else ""


_PLACE_JOIN = re.compile(r",? và (?:thành phố|thị xã|huyện)")


def _capitalised_words(text: str, pos: int) -> int:
    """End of the run of " Capitalised" words starting at ``pos``."""
    while pos + 1 < len(text) and text[pos] == " " and text[pos + 1].isupper():
        space = text.find(" ", pos + 1)
        pos = len(text) if space < 0 else space
        while pos > 0 and text[pos - 1] in ",;:.)":
            pos -= 1
    return pos


def _place_tail(text: str, end: int) -> int:
    """Extend a district phrase over the places it lists: "… thành phố Long Khánh và thành phố Biên Hòa"."""
    pos = _capitalised_words(text, end)
    while pos > end:
        m = _PLACE_JOIN.match(text, pos)
        if not m:
            break
        nxt = _capitalised_words(text, m.end())
        if nxt == m.end():
            break
        pos = nxt
    return pos


def _head_word_at(text: str, folded: str, pos: int) -> int | None:
    """End of an agency head word at ``pos`` if an (unknown) agency name plausibly starts there, else None."""
    if pos >= len(text) or not text[pos].isupper():
        return None
    for head in _HEADS_LONGEST_FIRST:
        end = pos + len(head)
        if folded.startswith(head, pos) and _boundary(folded, end):
            if head in _HEAD_WORDS_LOWER_OK:
                return end
            nxt = end + 1
            # A head word followed by a capitalised word: "Sở Du lịch", "Trung tâm Khuyến nông".
            if nxt < len(text) and text[end] == " " and (text[nxt].isupper() or text[nxt].isdigit()):
                return end
            return None
    return None


_HEADS_LONGEST_FIRST = sorted(HEAD_WORDS, key=len, reverse=True)


def scan_names(
    registry: Registry,
    text: str,
    folded: str,
    pos: int,
    on: datetime.date | None = None,
) -> list[NameMatch]:
    """The list of agency names starting at ``pos`` ("X, Y và các cơ quan liên quan"), stopping at the first thing
    that is not a name. "liên quan" after the last group of a list applies to every group item before it."""
    items: list[NameMatch] = []
    while True:
        item = _name_at(registry, text, folded, pos, on)
        if item is None:
            break
        suffix = RELATED_SUFFIX.match(folded, item.end)
        if suffix and (item.status != UNNAMED or item.group_phrase) and _boundary(folded, suffix.end()):
            item.related_only = True
            item.end = suffix.end()
            item.as_written = text[item.start : item.end]
        place = _PLACE_SUFFIX.match(folded, item.end)
        if place and _is_group_item(item) and _boundary(folded, place.end()):
            # "Các cơ quan, đơn vị, địa phương thuộc tỉnh": the bodies of the place, one name.
            item.end = place.end()
            item.as_written = text[item.start : item.end]
        named = _bracketed_names(text, folded, item) if item.status == UNNAMED else None
        if named:
            # "các nhà mạng (Viettel Nghệ An, VNPT Nghệ An, MobiFone Nghệ An)": the bodies in brackets are named.
            items += named
            nxt = _separator(folded, named[-1].end + 1)
        else:
            items.append(item)
            nxt = _separator(folded, item.end)
        if nxt is None:
            break
        pos = nxt
    # "các sở, ban, ngành, địa phương liên quan": the suffix distributes over the groups listed before it.
    if items and items[-1].related_only:
        for item in reversed(items[:-1]):
            is_group = (item.entity is not None and item.entity.kind == GROUP) or item.group_phrase
            if not is_group or item.related_only:
                break
            item.related_only = True
            item.as_written = f"{item.as_written} liên quan"
    return items


# The place a group of bodies belongs to, part of the group's name: "… thuộc tỉnh", "… của tỉnh", "… trên địa bàn tỉnh".
_PLACE_SUFFIX = re.compile(r" (?:(?:truc )?thuoc|cua|tren dia ban|o) (?:tinh|thanh pho)(?=[,;.:)]| |$)")


def _is_group_item(item: NameMatch) -> bool:
    return (
        item.status == UNNAMED or item.group_phrase or (item.entity is not None and item.entity.kind == GROUP)
    )


# A clause inside a list of names that does not name anyone: "X, Y trong phạm vi chức năng, nhiệm vụ của mình và Z".
_INSERTED_CLAUSE = re.compile(
    r" (?:trong pham vi|theo) (?:chuc nang|nhiem vu|quyen han|linh vuc)(?:,? (?:chuc nang|nhiem vu|quyen han|"
    r"linh vuc|duoc giao|cua minh|quan ly))*(?=,? va |, )"
)


def _bracketed_names(text: str, folded: str, item: NameMatch) -> list[NameMatch] | None:
    """The names listed in brackets right after a generic phrase, when every one of them is capitalised."""
    if not folded.startswith(" (", item.end):
        return None
    close = text.find(")", item.end, item.end + 200)
    if close < 0:
        return None
    out: list[NameMatch] = []
    pos = item.end + 2
    for part in re.split(r"(,\s*|\s+và\s+)", text[pos:close]):
        stripped = part.strip()
        if stripped and not re.fullmatch(r",\s*|\s+và\s+", part):
            if not stripped[0].isupper():
                return None
            start = text.index(stripped, pos)
            out.append(NameMatch(start, start + len(stripped), stripped, UNRESOLVED))
        pos += len(part)
    return out or None


def _separator(folded: str, pos: int) -> int | None:
    clause = _INSERTED_CLAUSE.match(folded, pos)
    if clause:
        pos = clause.end()
    if folded.startswith(" (", pos):
        # A note on the name before it, "Trung tâm Dịch vụ việc làm Thành phố (Sở Nội vụ), …": the list goes on.
        close = folded.find(")", pos, pos + 80)
        if close > 0:
            pos = close + 1
    for sep in (", va ", ", ", " va ", "; ", " cung "):
        if folded.startswith(sep, pos):
            return pos + len(sep)
    return None


# The person at the head of an agency names the agency: "Giám đốc Sở Y tế", "Chủ tịch UBND các huyện".
_PERSON = re.compile(r"(?:thu truong|giam doc|chu tich|pho chu tich|lanh dao|nguoi dung dau|tu lenh)\s+")


def _name_at(registry: Registry, text: str, folded: str, pos: int, on) -> NameMatch | None:
    person = _PERSON.match(folded, pos)
    if person and registry.match_at(text, folded, person.end(), on) is not None:
        pos = person.end()
    commune = _COMMUNE_UBND.match(folded, pos)
    if commune:
        # One commune's People's Committee: "UBND phường Xuân Hương - Đà Lạt", "UBND Phường 3 Bảo Lộc".
        end = _place_name_end(text, commune.end())
        if end > commune.end():
            span = text[pos:end]
            return NameMatch(pos, end, span, UNRESOLVED)
    known = registry.match_at(text, folded, pos, on)
    place = _PLACE_UBND.match(folded, pos)
    if place:
        # One place's People's Committee: "UBND thành phố Đà Lạt", "Ủy ban nhân dân tỉnh Lào Cai" — the whole
        # name, ending where the place name ends, unless the registry knows a longer name.
        end = _place_name_end(text, place.end())
        if end > place.end() and (known is None or known.end < end):
            span = text[pos:end]
            status, entity, candidates = registry.fuzzy(span, on)
            return NameMatch(pos, end, span, status, entity, candidates=candidates)
    if known is not None:
        return known
    press = _MERGED_PRESS.match(folded, pos) if text[pos : pos + 1].isupper() else None
    if press:
        # The provincial newspaper and broadcaster merged in 2025: "Báo và Phát thanh, Truyền hình Cần Thơ".
        span = text[pos : _capitalised_words(text, press.end())]
        status, entity, candidates = registry.fuzzy(span, on)
        return NameMatch(pos, pos + len(span), span, status, entity, candidates=candidates)
    head_end = _head_word_at(text, folded, pos)
    if head_end is None and folded.startswith("cac ", pos):
        # Several bodies of one kind: "các Ban Xây dựng Đảng".
        head_end = _head_word_at(text, folded, pos + 4)
    if head_end is None:
        return None
    # Looks like an agency the registry does not know as written: find where the name must end, then try a
    # close match; failing that, report it unresolved.
    span = text[pos : _name_hard_end(text, folded, head_end)].rstrip()
    # A name does not end on a joining word: "Hội Liên hiệp Phụ nữ Thành phố và các [tổ chức …]".
    trimmed = _TRAILING_JOINERS.sub("", span)
    if len(trimmed) > head_end - pos:
        span = trimmed
    status, entity, candidates = registry.fuzzy(span, on)
    if status == UNRESOLVED:
        # "Đài Phát thanh và Truyền hình Thành phố và Ủy ban nhân dân xã": the "và" before another name ends it.
        cut = folded.find(" va ", pos, pos + len(span))
        while cut > 0:
            nxt = cut + 4
            if folded.startswith("cac ", nxt) and text[nxt + 4 : nxt + 5].isupper():
                nxt += 4  # "… và các Ban Xây dựng Đảng"
            if re.search(r"quoc hoi$", folded[pos:cut]) and re.match(
                r"(?:hdnd|hoi dong nhan dan)\b", folded[nxt:]
            ):
                pass  # "Văn phòng Đoàn đại biểu Quốc hội và HĐND tỉnh" is one body
            elif registry.match_at(text, folded, nxt, on) or _head_word_at(text, folded, nxt):
                span = text[pos:cut]
                status, entity, candidates = registry.fuzzy(span, on)
                break
            cut = folded.find(" va ", cut + 4, pos + len(span))
    return NameMatch(pos, pos + len(span), span, status, entity, candidates=candidates)


def _place_name_end(text: str, pos: int) -> int:
    """End of a place name of capitalised words (or numbers) from ``pos``: "Xuân Hương - Đà Lạt", "3 Bảo Lộc"."""
    end = pos
    i = pos
    while i < len(text):
        m = re.match(r"[^\s,;:.()]+", text[i:])
        if not m or not (m.group(0)[0].isupper() or m.group(0)[0].isdigit()):
            break
        i += len(m.group(0))
        end = i
        if text.startswith(" - ", i):
            i += 3
        elif text.startswith(" ", i):
            i += 1
        else:
            break
    return end


_PLACE_UBND = re.compile(r"(?:ubnd|uy ban nhan dan) (?:thanh pho|tinh|huyen|quan|thi xa) ", re.IGNORECASE)
_COMMUNE_UBND = re.compile(r"(?:ubnd|uy ban nhan dan) (?:xa|phuong|dac khu|thi tran) ", re.IGNORECASE)
_MERGED_PRESS = re.compile(r"bao va phat thanh\s*[,-]?\s*truyen hinh(?: (?:tinh|thanh pho)\b)?")
_COMMA_TAIL = re.compile(
    r", (?:[A-ZĐÀ-Ỹ][\w]*)(?: [\w]+)? và [A-ZĐÀ-Ỹ][\w]*(?: [\w]+)?(?=[,;.:]| và | [a-zđà-ỹ]|$)"
)
_LOWER_COMMA_TAIL = re.compile(
    r", ((?:[^\W\d_]+ ){1,2}và(?: [^\W\d_]+){1,2})(?: tỉnh| thành phố)?(?=[,;.:]|$| [^\W\d_])"
)
_GENERIC_NOUNS = re.compile(r"(?:cac|co quan|don vi|dia phuong|nganh|to chuc|ca nhan|doanh nghiep|nguoi)\b")


def _lower_comma_tail(text: str, folded: str, i: int) -> bool:
    """ ", thương mại và du lịch" after a name: two lower-case parts joined by "và", naming no generic body."""
    m = _LOWER_COMMA_TAIL.match(text, i)
    return bool(
        m
        and m.group(1).islower()
        and not _GENERIC_NOUNS.match(folded, i + 2)
        and not _STOP_RE.match(folded, i + 2)
    )


_TRAILING_JOINERS = re.compile(r"(?:\s+(?:và|các|của|cùng|với|trên|tại))+$", re.IGNORECASE)


# Stop words that other words fold into: "giáo" ("Ban Tuyên giáo và Dân vận") is not the verb "giao".
_STOP_SPELLINGS = {"giao": ("giao",)}


def _spelt_as_stop_word(word: str) -> bool:
    spellings = _STOP_SPELLINGS.get(fold_aligned(word))
    return spellings is None or word.lower() in spellings


def _name_hard_end(text: str, folded: str, pos: int) -> int:
    """Where an unknown name starting before ``pos`` must end: punctuation, a role keyword, a lower-case verb."""
    words = 0
    i = pos
    n = len(text)
    while i < n and words < 14:
        ch = text[i]
        if ch == "," and _lower_comma_tail(text, folded, i):
            # "Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh": the last part of a name listed in lower case.
            i += 2
            continue
        if (
            ch == ","
            and folded.startswith(", thanh pho truc thuoc trung uong", i)
            and folded.endswith("cac tinh", 0, i)
        ):
            # "Ban Chỉ đạo các tỉnh, thành phố trực thuộc Trung ương": the provinces and cities of the nation.
            i += 2
            continue
        if ch == "," and _COMMA_TAIL.match(text, i) and not _head_word_at(text, folded, i + 2):
            # "Bộ Văn hóa, Thể thao và Du lịch": a name whose parts are listed with a comma goes on.
            i += 2
            continue
        if ch in ',;:.()[]"“”\n':
            return i
        if ch == " ":
            j = i + 1
            # "việc làm" is a noun ("Trung tâm Dịch vụ việc làm"), not the verb "làm"; so is "ngoại giao" ("Bộ
            # Ngoại giao"), not the verb "giao".
            stop = _STOP_RE.match(folded, j) if j < n and text[j].islower() else None
            # Every word of the verb in lower case ("Truyền hình Thành phố" holds no "hình thành").
            if (
                stop
                and text[j : stop.end()].islower()
                and folded[i - 4 : i] != "viec"
                and folded[i - 5 : i] != "ngoai"
                and _spelt_as_stop_word(text[j : stop.end()])
            ):
                return i
            words += 1
        i += 1
    return i
