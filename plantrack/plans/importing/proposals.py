"""Agencies a plan names that the registry does not hold: the issuing body of another province or ministry, and the
departments, communes… of that province. They are proposed as new agencies (name, kind, parent, province) that the
reviewer sees in review and that publishing creates (``plans.services.plan_publish``), instead of blocking.

Also: writing an upper-case header name ("ỦY BAN NHÂN DÂN TỈNH LÀO CAI") the way the body text writes it
("UBND tỉnh Lào Cai").
"""

from __future__ import annotations

import re

from plantrack.core.text import fold

# Cities directly under the central government: "thành phố", not "tỉnh".
CENTRAL_CITIES = {"ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "hue"}

# Head words (folded) → registry kind (orgs.AgencyKind), longest first.
_KINDS = [
    ("uy ban nhan dan tinh", "provincial_committee"),
    ("ubnd tinh", "provincial_committee"),
    ("uy ban nhan dan thanh pho", "provincial_committee"),
    ("ubnd thanh pho", "provincial_committee"),
    ("uy ban nhan dan xa", "commune_committee"),
    ("ubnd xa", "commune_committee"),
    ("uy ban nhan dan phuong", "commune_committee"),
    ("ubnd phuong", "commune_committee"),
    ("uy ban nhan dan dac khu", "commune_committee"),
    ("ubnd dac khu", "commune_committee"),
    ("uy ban nhan dan huyen", "district_committee"),
    ("ubnd huyen", "district_committee"),
    ("uy ban nhan dan thi xa", "district_committee"),
    ("ubnd thi xa", "district_committee"),
    ("hoi dong nhan dan", "peoples_council"),
    ("hdnd", "peoples_council"),
    ("bo ", "central"),
    ("tong cuc", "central"),
    ("cuc ", "central"),
    ("van phong chinh phu", "central"),
    ("thu tuong", "central"),
    ("tinh uy", "party"),
    ("thanh uy", "party"),
    ("dang uy", "party"),
    ("ban tuyen giao", "party"),
    ("ban dan van", "party"),
    ("mat tran", "front"),
    ("uy ban mat tran", "front"),
    ("tinh doan", "socio_political"),
    ("hoi ", "socio_political"),
    ("lien doan lao dong", "socio_political"),
    ("bao ", "press"),
    ("dai phat thanh", "press"),
    ("truong dai hoc", "university"),
    ("truong cao dang", "university"),
    ("so ", "department"),
    ("ban ", "department"),
    ("van phong", "department"),
    ("thanh tra", "department"),
    ("cong an", "department"),
    ("bo chi huy", "department"),
    ("chi cuc", "department"),
    ("trung tam", "department"),
    ("kho bac", "department"),
    ("bao hiem xa hoi", "department"),
]
_KINDS.sort(key=lambda item: len(item[0]), reverse=True)
_NATIONAL = re.compile(r"\b(?:quoc gia|trung uong|chinh phu)\b")

# Kinds whose bodies belong to a province: written without the province in the province's own plans.
LOCAL_KINDS = {
    "department",
    "provincial_committee",
    "district_committee",
    "commune_committee",
    "peoples_council",
}


def guess_kind(name: str) -> str:
    folded = fold(name) + " "
    kind = next((kind for head, kind in _KINDS if folded.startswith(head)), "other")
    if kind in ("department", "other") and _NATIONAL.search(folded):
        # "Ban Chỉ đạo quốc gia …", "Văn phòng Chính phủ", "Ban Chỉ đạo Trung ương …": a body of the nation, not of
        # a province, whatever its head word.
        return "central"
    return kind


def province_unit(province: str) -> str:
    """ "Lào Cai" → "tỉnh Lào Cai"; "Hà Nội" → "thành phố Hà Nội"."""
    return f"{'thành phố' if fold(province) in CENTRAL_CITIES else 'tỉnh'} {province}"


def provincial_committee_name(province: str) -> str:
    return f"UBND {province_unit(province)}"


_PLACE_WORDS = re.compile(r"\b(tỉnh|thành phố|huyện|thị xã|xã|phường|thị trấn|đặc khu)$", re.IGNORECASE)


def local_name(as_written: str, province: str) -> str:
    """The full name of a body of ``province`` written without its place: "Sở Công Thương" → "Sở Công Thương tỉnh
    Lào Cai", "Công an tỉnh" → "Công an tỉnh Lào Cai", "UBND tỉnh" → "UBND tỉnh Lào Cai"; a name that already
    names a place ("UBND xã Bản Lầu", "… tỉnh Lào Cai") is kept."""
    name = " ".join(as_written.split()).strip(" ,.;:")
    name = re.sub(r"^(?:Ủy ban nhân dân|Uỷ ban nhân dân)\b", "UBND", name)
    if fold(province) in fold(name):
        return name
    kind = guess_kind(name)
    if kind in ("commune_committee", "district_committee") and not _PLACE_WORDS.search(name):
        return name
    unit = province_unit(province)
    if _PLACE_WORDS.search(name):
        # "Công an tỉnh", "UBND tỉnh": the place word is already there.
        # ("UBND Thành phố": the place word has two words.)
        place_word = unit[: len(unit) - len(province)].strip()
        return f"{name} {province}" if fold(name).endswith(fold(place_word)) else f"{name} {unit}"
    return f"{name} {unit}"


# --- upper-case header names ------------------------------------------------------------------------------------

# Words that keep a capital inside an agency name, as the registry and plans write them.
_PROPER = {"công thương": "Công Thương", "chính phủ": "Chính phủ", "quốc hội": "Quốc hội"}
_LEVEL = re.compile(r"\b(tỉnh|thành phố|huyện|thị xã|xã|phường|thị trấn|đặc khu)\s+(.+)$")


def header_name(upper: str) -> str:
    """ "ỦY BAN NHÂN DÂN TỈNH LÀO CAI" → "UBND tỉnh Lào Cai"; "BỘ KHOA HỌC VÀ CÔNG NGHỆ" → "Bộ Khoa học và Công
    nghệ"; "SỞ CÔNG THƯƠNG" → "Sở Công Thương". The head word and each part of the field ("Văn hóa, Thể thao và
    Du lịch") start with a capital; a place name is capitalised word by word."""
    text = " ".join(upper.split()).lower()
    text = re.sub(r"^(?:ủy|uỷ) ban nhân dân\b", "UBND", text)
    text = re.sub(r"^hội đồng nhân dân\b", "HĐND", text)
    text = re.sub(r"^ubnd\b", "UBND", text)
    place = ""
    level = _LEVEL.search(text)
    if level:
        place = f"{level.group(1)} {' '.join(w[:1].upper() + w[1:] for w in level.group(2).split())}"
        text = text[: level.start()].strip()
    parts = re.split(r"(,\s*|\s+và\s+)", text)
    out = []
    for part in parts:
        if part and not re.fullmatch(r",\s*|\s+và\s+", part):
            part = part[:1].upper() + part[1:]
        out.append(part)
    text = "".join(out)
    words = text.split(" ", 1)
    if len(words) == 2 and words[0] not in ("UBND", "HĐND"):
        text = f"{words[0]} {words[1][:1].upper()}{words[1][1:]}"
    for lower, proper in _PROPER.items():
        text = re.sub(lower, proper, text, flags=re.IGNORECASE)
    return f"{text} {place}".strip()
