"""Import of commune-level People's Committees (UBND xã, phường, đặc khu) from the national list of administrative
units, one province at a time.

The file is the JSON list published by thanglequoc/vietnamese-provinces-database (``default_data/SOURCES.md``): a
list of provinces ``{"Code": "75", "FullName": "Tỉnh Đồng Nai", "Wards": [{"Code": "25195", "FullName": "Phường
Bình Phước"}, …]}``. The lower-case keys of other publications of the same list (``code``, ``name``, ``wards``) are
read as well. Each unit becomes the agency "Ủy ban nhân dân phường Bình Phước" (kind ``commune_committee``) under
the province's People's Committee, valid from the date the arrangement took effect, and a member of the given
groups from that date. Validation is unit by unit and the import is all or nothing.
"""

import datetime
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from plantrack.core.text import fold
from plantrack.core.versions import ORGS_KEY, bump

from .models import Agency, AgencyGroup, AgencyKind, GroupMembership
from .services import AgencyDataError

# The date the 2025 arrangement of commune-level units took effect nationwide (Luật Tổ chức chính quyền địa phương
# 72/2025/QH15 and the Standing Committee's resolutions per province).
ARRANGEMENT_2025 = datetime.date(2025, 7, 1)
DEFAULT_GROUPS = ("ubnd-cap-xa",)
# Longest first, so that a unit type never matches the start of a longer one.
UNIT_TYPES = ("đặc khu", "phường", "xã")

NATIONAL_LIST_2025 = Path(__file__).parent / "default_data" / "admin_units_vn_2025-07-01.json"


@dataclass
class AdminUnitsResult:
    province: str = ""
    parent: Agency | None = None
    rows: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    created: int = 0
    skipped: int = 0
    memberships: int = 0

    @property
    def by_type(self) -> Counter:
        """Units per type as the source gives them ({"xã": 72, "phường": 23} for Đồng Nai)."""
        return Counter(row["unit_type"] for row in self.rows)


def _get(record: dict, *keys: str):
    return next((record[k] for k in keys if record.get(k) not in (None, "")), None)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def committee_names(unit_name: str) -> tuple[str, str, str] | None:
    """("Ủy ban nhân dân phường Bình Phước", "UBND phường Bình Phước", "phường") for "Phường Bình Phước"; None when
    the name does not start with a known unit type."""
    unit_name = " ".join(unit_name.split())
    for unit_type in UNIT_TYPES:
        if unit_name.lower().startswith(unit_type + " "):
            rest = unit_name[len(unit_type) + 1 :]
            return f"Ủy ban nhân dân {unit_type} {rest}", f"UBND {unit_type} {rest}", unit_type
    return None


def _find_province(data, province: str, errors: list[str]) -> dict | None:
    if not isinstance(data, list) or not all(isinstance(p, dict) for p in data):
        errors.append(
            "Tệp không đúng định dạng: cần một danh sách tỉnh, mỗi tỉnh có Code, FullName và Wards."
        )
        return None
    wanted = fold(province)
    matches = []
    for record in data:
        full = _get(record, "FullName", "full_name", "name") or ""
        short = _get(record, "Name", "short_name") or ""
        code = str(_get(record, "Code", "code") or "")
        folded = fold(full)
        bare = next(
            (folded[len(p) + 1 :] for p in ("tinh", "thanh pho") if folded.startswith(p + " ")),
            folded,
        )
        if wanted in {folded, bare, fold(short)} or (
            wanted.isdigit() and wanted.lstrip("0") == code.lstrip("0")
        ):
            matches.append(record)
    if len(matches) != 1:
        names = ", ".join(str(_get(p, "FullName", "name")) for p in data[:3])
        errors.append(
            f"Không tìm thấy đúng một tỉnh “{province}” trong tệp ({len(matches)} kết quả; ví dụ tên trong tệp: "
            f"{names}…)."
        )
        return None
    return matches[0]


def admin_units_read(
    *,
    data,
    province: str,
    valid_from: datetime.date = ARRANGEMENT_2025,
    groups: tuple[str, ...] = DEFAULT_GROUPS,
    parent_name: str = "",
) -> AdminUnitsResult:
    """Parse and validate the units of one province; touches nothing."""
    result = AdminUnitsResult()
    errors = result.errors
    record = _find_province(data, province, errors)
    if record is None:
        return result
    result.province = _get(record, "FullName", "full_name", "name") or province
    parent_name = parent_name or f"Ủy ban nhân dân {_lower_first(result.province)}"
    parents = list(Agency.objects.filter(name=parent_name).valid_on(valid_from)[:2])
    if len(parents) != 1:
        errors.append(
            f"Không xác định được cơ quan cấp trên “{parent_name}” vào ngày {valid_from:%d/%m/%Y} "
            "(nạp cơ quan cấp tỉnh trước, hoặc chỉ rõ bằng --parent)."
        )
    else:
        result.parent = parents[0]
    known_groups = set(AgencyGroup.objects.filter(code__in=groups).values_list("code", flat=True))
    for code in groups:
        if code not in known_groups:
            errors.append(f"Không có nhóm mã “{code}”.")
    units = _get(record, "Wards", "wards") or []
    if not units:
        errors.append(f"Tệp không có đơn vị cấp xã nào của {result.province}.")
    seen: set[str] = set()
    for number, unit in enumerate(units, start=1):
        code = str(_get(unit, "Code", "code") or "").strip()
        unit_name = str(_get(unit, "FullName", "full_name", "name") or "").strip()
        where = f"Đơn vị thứ {number}" + (f" (mã {code})" if code else "")
        if not code or not unit_name:
            errors.append(f"{where}: thiếu mã hoặc tên đơn vị.")
            continue
        names = committee_names(unit_name)
        if names is None:
            errors.append(f"{where}: “{unit_name}” không bắt đầu bằng Xã, Phường hoặc Đặc khu.")
            continue
        name, short_name, unit_type = names
        if name in seen:
            errors.append(f"{where}: “{unit_name}” lặp lại trong tỉnh.")
            continue
        seen.add(name)
        result.rows.append(
            {"where": where, "code": code, "name": name, "short_name": short_name, "unit_type": unit_type}
        )
    # An agency of the same name and start date is this unit loaded before, unless it belongs to another province
    # (many communes share a name across provinces; the registry keys agencies by name and start date).
    existing = {
        a.name: a
        for a in Agency.objects.filter(name__in=seen, valid_from=valid_from).select_related("parent")
    }
    for row in result.rows:
        agency = row["agency"] = existing.get(row["name"])
        if agency and result.parent and agency.parent_id != result.parent.pk:
            errors.append(
                f"{row['where']}: đã có “{agency.name}” từ {valid_from:%d/%m/%Y} thuộc "
                f"“{agency.parent.name if agency.parent else '—'}”, không phải “{result.parent.name}”."
            )
    return result


@transaction.atomic
def admin_units_import(
    *,
    data,
    province: str,
    valid_from: datetime.date = ARRANGEMENT_2025,
    groups: tuple[str, ...] = DEFAULT_GROUPS,
    parent_name: str = "",
    dry_run: bool = False,
) -> AdminUnitsResult:
    """Validate, then create the commune-level committees not there yet (same name, start date and parent) and
    the group memberships they lack. Idempotent; all or nothing; two bulk inserts whatever the province's size."""
    result = admin_units_read(
        data=data, province=province, valid_from=valid_from, groups=groups, parent_name=parent_name
    )
    if result.errors or dry_run:
        return result
    new = []
    for row in result.rows:
        if row["agency"] is not None:
            result.skipped += 1
            continue
        agency = Agency(
            name=row["name"],
            short_name=row["short_name"],
            kind=AgencyKind.COMMUNE_COMMITTEE,
            parent=result.parent,
            valid_from=valid_from,
            note=f"Mã đơn vị hành chính {row['code']}.",
        )
        agency.refresh_search_text()  # bulk_create skips save(), which keeps search_text
        new.append(agency)
    created = {a.name: a for a in bulk_create_with_history(new, Agency)}
    result.created = len(created)
    for row in result.rows:
        row["agency"] = row["agency"] or created[row["name"]]
    agencies = [row["agency"] for row in result.rows]
    group_rows = list(AgencyGroup.objects.filter(code__in=groups))
    have = set(
        GroupMembership.objects.filter(
            group__in=group_rows, agency__in=agencies, valid_from=valid_from
        ).values_list("group_id", "agency_id")
    )
    memberships = [
        GroupMembership(group=group, agency=agency, valid_from=valid_from)
        for group in group_rows
        for agency in agencies
        if (group.pk, agency.pk) not in have
    ]
    GroupMembership.objects.bulk_create(memberships)
    bump(
        ORGS_KEY
    )  # bulk inserts send no post_save: cached pages and the import registry see the new agencies
    result.memberships = len(memberships)
    return result


def communes_load_default() -> AdminUnitsResult:
    """Đồng Nai's 95 commune-level units for the embedded default. From 01/07/2025 they are also what the group
    "UBND các huyện, thành phố" of a 2024 plan means, since the district level's duties passed to them."""
    result = admin_units_import(
        data=json.loads(NATIONAL_LIST_2025.read_text(encoding="utf-8")),
        province="Đồng Nai",
        groups=("ubnd-cap-xa", "ubnd-cap-huyen"),
    )
    if result.errors:
        raise AgencyDataError("\n".join(result.errors))
    return result
