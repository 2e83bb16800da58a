"""Who a heading or an item assigns: "X chủ trì, phối hợp Y", "X phối hợp Y" (X leads), "Giao X chủ trì",
"X: …", "X <verb> …", and, with no subject, "Phối hợp X …" (the heading's lead stays)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from .resolver import AGENCY, GROUP, UNNAMED, NameMatch, Registry, fold_aligned, scan_names


@dataclass
class Assign:
    """Who a heading or an item assigns: subject leads (or inherits), named objects coordinate."""

    kind: str  # "subject" | "coordinate_only" | "none"
    leads: list[NameMatch] = field(default_factory=list)
    coordinates: list[NameMatch] = field(default_factory=list)


# --- phrases ----------------------------------------------------------------------------------------------

# Words before the subject that do not change who leads: "Giao (cho) X", "Đề nghị X", "Yêu cầu X"; a heading of
# the organisation section "(Trách nhiệm của | Đối với) X" names X the same way. (The person
# at the head of an agency, "Giám đốc Sở Y tế", is skipped by the name scanner.)
_GIAO = re.compile(r"(?:giao(?: cho)?|de nghi|yeu cau|trach nhiem cua|doi voi)\s*:?\s+")
_CHU_TRI = re.compile(r"\s*chu tri\b")
# A clause that opens many duties without changing who does them: "Căn cứ chức năng, nhiệm vụ (được giao), …",
# "Trong phạm vi chức năng, nhiệm vụ (của mình), …", "Trong phạm vi, lĩnh vực quản lý của mình, …".
_OPENING_CLAUSE = re.compile(
    r"(?:(?:can cu(?: vao| theo)?|trong pham vi)(?:,? (?:chuc nang|nhiem vu|quyen han|linh vuc(?: quan ly)?|duoc giao|cua minh"
    r"|cua (?:co quan|don vi|nganh)|theo quy dinh))+"
    r"|la co quan (?:dau moi|thuong truc|chu quan)[^,;.]{0,60}),\s*(?:chu dong\s+)?"
)
_PHOI_HOP = re.compile(r"\s*,?\s*(?:va\s+)?phoi hop(?:\s+(?:chat che|thuong xuyen))?(?:\s+voi)?\s+")


def extract_assignment(registry: Registry, text: str, on: datetime.date | None = None) -> Assign:
    """Who ``text`` assigns: "X chủ trì, phối hợp Y …", "X phối hợp Y …" (X leads), "Giao X chủ trì …", "X: …",
    "X <verb> …"; or, with no subject, "Phối hợp X …" / "Chủ trì, phối hợp với X …" (the heading's lead stays)."""
    folded = fold_aligned(text)
    pos = 0
    m = _GIAO.match(folded)
    # "Đề nghị Tòa án nhân dân tỉnh, …": a name the registry does not hold still follows the request.
    if (
        m
        and m.end()
        and (
            registry.match_at(text, folded, m.end(), on) is not None
            or scan_names(registry, text, folded, m.end(), on)
        )
    ):
        pos = m.end()
    opening = _OPENING_CLAUSE.match(folded, pos)
    if opening and folded.startswith(("phoi hop", "chu tri"), opening.end()):
        # "Căn cứ chức năng, nhiệm vụ, phối hợp với Y …", "Là cơ quan đầu mối, chủ trì, phối hợp với Y …": Y
        # coordinates; the heading's lead stays.
        pos = opening.end()
    if folded.startswith("chu tri", pos):
        after = pos + len("chu tri")
        m = _PHOI_HOP.match(folded, after)
        coordinates = scan_names(registry, text, folded, m.end(), on) if m else []
        return Assign("coordinate_only", [], coordinates)
    if folded.startswith("phoi hop", pos):
        m = _PHOI_HOP.match(folded, pos)
        coordinates = scan_names(registry, text, folded, m.end(), on) if m else []
        return Assign("coordinate_only", [], coordinates) if coordinates else Assign("none")
    leads = scan_names(registry, text, folded, pos, on)
    if not leads:
        return Assign("none")
    end = leads[-1].end
    coordinates: list[NameMatch] = []
    m = _CHU_TRI.match(folded, end)
    if m:
        end = m.end()
    p = _PHOI_HOP.match(folded, end)
    if p:
        coordinates = scan_names(registry, text, folded, p.end(), on)
    elif not m:
        rest = text[end:].lstrip()
        if rest and rest[0] not in ":;." and rest[0].isupper() and not rest.startswith(("UBND", "HĐND")):
            # "Sở X Tăng cường …" is not a sentence with X as its subject.
            return Assign("none")
        if all(item.status == UNNAMED and not item.group_phrase for item in leads):
            return Assign("none")
    if m and ";" in text[end:]:
        # "X chủ trì …; Y, Z và W chủ động triển khai …": the bodies that carry out the work alongside the one
        # that leads it are its coordinators.
        for clause in text[end:].split(";")[1:]:
            other = extract_assignment(registry, clause.strip(), on)
            if other.kind == "subject":
                coordinates += [
                    item for item in [*other.leads, *other.coordinates] if item not in coordinates
                ]
    return Assign("subject", leads, coordinates)


# Where an assignment closes a task: "… Giao Sở X chủ trì, phối hợp …", "… (Sở X chủ trì, phối hợp Y)".
_TRAILING = re.compile(r"(?:^|[.;(]\s*|\s)(?=giao(?: cho)? )|\(\s*")


def trailing_assignment(registry: Registry, text: str, on: datetime.date | None = None) -> Assign:
    """The last "Giao X chủ trì …" or "(X chủ trì …)" inside ``text``, or Assign("none")."""
    folded = fold_aligned(text)
    if "giao" not in folded and "chu tri" not in folded:
        return Assign("none")
    found = Assign("none")
    for m in _TRAILING.finditer(folded):
        start = m.end()
        if start >= len(text) or start == 0:
            continue
        tail = text[start:]
        own = extract_assignment(registry, tail, on)
        if own.kind != "subject" or not own.leads:
            continue
        tail_folded = folded[start:]
        if tail_folded.startswith("giao") or _CHU_TRI.match(tail_folded, own.leads[-1].end):
            found = own
    return found


def assignment_dict(role: str, item: NameMatch) -> dict:
    entity = item.entity
    return {
        "role": role,
        "agency": entity.name if entity is not None and entity.kind == AGENCY else None,
        "group": entity.name if entity is not None and entity.kind == GROUP else None,
        "related_only": bool(item.related_only and entity is not None and entity.kind == GROUP),
        "as_written": item.as_written,
    }


def display_name(assignment: dict) -> str:
    """As ``Assignment.display_name``: the agency, the group (+ " liên quan"), or the words as written."""
    if assignment.get("agency"):
        return assignment["agency"]
    if assignment.get("group"):
        return f"{assignment['group']} liên quan" if assignment.get("related_only") else assignment["group"]
    return assignment.get("as_written", "")
