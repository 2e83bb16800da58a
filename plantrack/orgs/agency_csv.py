"""CSV import of agencies that no public list holds (commune-level units come from the national list: admin_units.py).

Columns: name, short_name, kind, parent, valid_from, valid_to, aliases (";"-separated), groups (group codes,
";"-separated, membership from valid_from), note. Lines starting with "#" are comments. Validation is row by row and
the import is all or nothing.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.db import transaction

from plantrack.security.services import security_event_record

from .models import Agency, AgencyAlias, AgencyGroup, AgencyKind, GroupMembership

REQUIRED = ["name", "kind"]
COLUMNS = ["name", "short_name", "kind", "parent", "valid_from", "valid_to", "aliases", "groups", "note"]


@dataclass
class CsvResult:
    rows: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    created: int = 0
    skipped: int = 0


def _parse_date(value: str, where: str, errors: list[str]) -> datetime.date | None:
    value = (value or "").strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    errors.append(f"{where}: ngày “{value}” phải có dạng dd/mm/yyyy hoặc yyyy-mm-dd.")
    return None


def agencies_csv_read(text: str) -> CsvResult:
    """Parse and validate; touches nothing."""
    result = CsvResult()
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        result.errors.append(f"Thiếu cột bắt buộc: {', '.join(missing)}. Các cột: {', '.join(COLUMNS)}.")
        return result
    groups = {g.code: g for g in AgencyGroup.objects.all()}
    known = set(Agency.objects.values_list("name", flat=True))
    names_in_file: set[str] = set()
    for number, row in enumerate(reader, start=2):
        where = f"Dòng {number}"
        errors = result.errors
        name = (row.get("name") or "").strip()
        if not name:
            errors.append(f"{where}, cột name: thiếu tên cơ quan.")
            continue
        if name in names_in_file:
            errors.append(f"{where}, cột name: “{name}” lặp lại trong tệp.")
        names_in_file.add(name)
        kind = (row.get("kind") or "").strip()
        if kind not in AgencyKind.values:
            errors.append(
                f"{where}, cột kind: “{kind}” không hợp lệ (một trong: {', '.join(AgencyKind.values)})."
            )
        parent = (row.get("parent") or "").strip()
        if parent and parent not in known and parent not in names_in_file:
            errors.append(f"{where}, cột parent: không có cơ quan “{parent}”.")
        valid_from = _parse_date(row.get("valid_from", ""), f"{where}, cột valid_from", errors)
        valid_to = _parse_date(row.get("valid_to", ""), f"{where}, cột valid_to", errors)
        if valid_from and valid_to and valid_to < valid_from:
            errors.append(f"{where}: valid_to trước valid_from.")
        group_codes = [c.strip() for c in (row.get("groups") or "").split(";") if c.strip()]
        for code in group_codes:
            if code not in groups:
                errors.append(f"{where}, cột groups: không có nhóm mã “{code}”.")
        result.rows.append(
            {
                "name": name,
                "short_name": (row.get("short_name") or "").strip(),
                "kind": kind,
                "parent": parent,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "aliases": [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()],
                "groups": group_codes,
                "note": (row.get("note") or "").strip(),
            }
        )
    return result


@transaction.atomic
def agencies_csv_import(*, actor, text: str, dry_run: bool = False) -> CsvResult:
    """Validate, then create the agencies that are not there yet (same name and start date). All or nothing.

    ``actor`` is the person importing, or ``None`` for the command line and the embedded default (as
    ``orgchange_apply``): the agencies' history names the actor, and a person's import goes to the security log."""
    result = agencies_csv_read(text)
    if result.errors or dry_run:
        return result
    for row in result.rows:
        if Agency.objects.filter(name=row["name"], valid_from=row["valid_from"]).exists():
            result.skipped += 1
            continue
        parent = (
            Agency.objects.filter(name=row["parent"]).order_by("-valid_from").first()
            if row["parent"]
            else None
        )
        agency = Agency(
            name=row["name"],
            short_name=row["short_name"],
            kind=row["kind"],
            parent=parent,
            valid_from=row["valid_from"],
            valid_to=row["valid_to"],
            note=row["note"],
        )
        agency._history_user = actor
        agency.save()
        for alias in row["aliases"]:
            AgencyAlias.objects.get_or_create(agency=agency, name=alias)
        for code in row["groups"]:
            GroupMembership.objects.get_or_create(
                group=AgencyGroup.objects.get(code=code),
                agency=agency,
                valid_from=row["valid_from"],
                defaults={"valid_to": row["valid_to"]},
            )
        result.created += 1
    if actor is not None and result.created:
        security_event_record(
            actor=actor,
            action="agencies_imported",
            target="CSV",
            detail={"created": result.created, "skipped": result.skipped},
        )
    return result
