"""Writes to the agency registry."""

import datetime

from django.db import transaction

from .models import Agency, AgencyAlias, AgencyGroup, GroupMembership


class AgencyDataError(ValueError):
    pass


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def agencies_load(*, data: dict) -> dict[str, int]:
    """Create or update agencies and groups from the ``plantrack.agencies/1`` format, keyed by official name.

    Idempotent: loading the same data twice changes nothing. Returns counts of rows created.
    """
    if data.get("format") != "plantrack.agencies/1":
        raise AgencyDataError("Tệp dữ liệu cơ quan không đúng định dạng plantrack.agencies/1.")
    created = {"agencies": 0, "aliases": 0, "groups": 0, "memberships": 0}
    by_name: dict[str, Agency] = {}
    pending_parents: list[tuple[Agency, str]] = []
    for row in data["agencies"]:
        agency, was_created = Agency.objects.update_or_create(
            name=row["name"],
            valid_from=_date(row.get("valid_from")),
            defaults={
                "short_name": row.get("short_name", ""),
                "abbreviations": row.get("abbreviations", ""),
                "kind": row["kind"],
                "valid_to": _date(row.get("valid_to")),
                "note": row.get("note", ""),
            },
        )
        created["agencies"] += was_created
        by_name[agency.name] = agency
        for alias in row.get("aliases", []):
            _, alias_created = AgencyAlias.objects.get_or_create(agency=agency, name=alias)
            created["aliases"] += alias_created
        if row.get("parent"):
            pending_parents.append((agency, row["parent"]))
    for agency, parent_name in pending_parents:
        parent = by_name.get(parent_name) or Agency.objects.filter(name=parent_name).first()
        if parent is None:
            raise AgencyDataError(f"Không tìm thấy cơ quan cấp trên “{parent_name}” của “{agency.name}”.")
        if agency.parent_id != parent.pk:
            agency.parent = parent
            agency.save(update_fields=["parent", "search_text", "updated_at"])
    for row in data.get("groups", []):
        group, was_created = AgencyGroup.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "description": row.get("description", "")}
        )
        created["groups"] += was_created
        for member in row["members"]:
            name, valid_from, valid_to = (member, None, None) if isinstance(member, str) else (
                member["agency"], _date(member.get("valid_from")), _date(member.get("valid_to")))
            agency = by_name.get(name) or Agency.objects.filter(name=name).first()
            if agency is None:
                raise AgencyDataError(f"Nhóm “{group.name}” nhắc tới cơ quan không có trong danh mục: “{name}”.")
            _, m_created = GroupMembership.objects.get_or_create(
                group=group, agency=agency, valid_from=valid_from, defaults={"valid_to": valid_to}
            )
            created["memberships"] += m_created
    return created
