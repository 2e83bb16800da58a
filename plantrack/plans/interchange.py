"""The plan interchange JSON (``plantrack.plan/1``), documented in docs/plan-interchange.md.

``plan_to_dict`` and ``plan_from_dict`` are exact inverses for everything the format carries; the round trip is
pinned by plantrack/plans/tests/test_plan_interchange.py. This module only translates: whether data may become a
plan is the rulebook's call (``plans.rules.plan_data_problems``), and creating or replacing a plan is
``plans.services.plan_publish``, the only caller of ``plan_from_dict``.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction

from plantrack.orgs.models import Agency, AgencyGroup

from .models import (
    PERIOD_MONTHS,
    Assignment,
    AssignmentRole,
    Comparator,
    DutyKind,
    OutlineNode,
    Plan,
    PlanDuty,
    PlanRecipient,
    PlanReference,
    Recurrence,
    ReportingRegime,
    Target,
    Task,
    TaskGroup,
)
from .responsibility import PlanResponsibility

FORMAT = "plantrack.plan/1"


def regimes_from_data(data: dict) -> list[dict]:
    """The periodic regimes ``data`` states, as ``{period, due_day, due_month}`` rows: the key
    ``reporting_regimes`` when present; otherwise, as files written before it read, one yearly regime by the due
    date of the first ``reporting`` row (05/12 when there is none)."""
    rows = data.get("reporting_regimes")
    if rows is not None:
        return list(rows)
    reporting = data.get("reporting") or []
    due = (reporting[0].get("due") if reporting else None) or "05/12"
    try:
        day, month = (int(p) for p in due.split("/")[:2])
    except (ValueError, AttributeError):
        return []  # the rulebook reports the bad due date
    return [{"period": "yearly", "due_day": day, "due_month": month}]


class PlanDataError(ValueError):
    """The interchange data cannot be loaded; the message says where and why, in Vietnamese."""


# --- export ---------------------------------------------------------------------------------------------------


def _num(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def _target_dict(target: Target, parts: list[Target]) -> dict:
    return {
        "code": target.code,
        "text": target.text,
        "short_name": target.short_name,
        "unit": target.unit,
        "comparator": target.comparator,
        "min": _num(target.min_value),
        "max": _num(target.max_value),
        "period_start": target.period_start_year,
        "target_year": target.target_year,
        "baseline_year": target.baseline_year,
        "baseline": _num(target.baseline_value),
        "parts": [_target_dict(p, []) for p in parts],
    }


def plan_to_dict(plan: Plan, *, as_of: datetime.date | None = None) -> dict:
    """The whole plan as interchange data. Agencies appear by their official names as of the plan's date.

    With ``as_of``, every task also carries ``lead_now[]`` and ``coordinate_now[]``: who answers for each
    assignment on that date after organisation changes (an agency, or a group such as "UBND các xã, phường").
    """
    responsibility = PlanResponsibility(plan=plan, day=as_of) if as_of else None
    targets = list(plan.targets.all())
    tasks = list(
        plan.tasks.select_related("group").prefetch_related("assignments__agency", "assignments__group")
    )
    task_rows = []
    for task in tasks:
        assignments = sorted(
            task.assignments.all(), key=lambda a: (a.role != AssignmentRole.LEAD, a.order, a.pk)
        )
        leads = [a for a in assignments if a.role == AssignmentRole.LEAD]
        coordinates = [a for a in assignments if a.role == AssignmentRole.COORDINATE]
        row = {
            "code": task.code,
            "group": task.group.code,
            "heading": task.heading,
            "text": task.text,
            "lead": [a.display_name for a in leads],
            "coordinate": [a.display_name for a in coordinates],
            "lead_is_group": any(a.is_group for a in leads),
            "recurrence": task.recurrence,
            "deadline": task.deadline.isoformat() if task.deadline else None,
            "product": task.product,
            "assignments": [
                {
                    "role": a.role,
                    "agency": a.agency.name if a.agency_id else None,
                    "group": a.group.name if a.group_id else None,
                    "related_only": a.related_only,
                    "as_written": a.as_written,
                }
                for a in assignments
            ],
        }
        if responsibility:
            for key, chosen in (("lead_now", leads), ("coordinate_now", coordinates)):
                names: list[str] = []
                for a in chosen:
                    names += [n for n in responsibility.now(a).names if n not in names]
                row[key] = names
        task_rows.append(row)
    duties = list(plan.duties.select_related("agency", "recipient").prefetch_related("groups"))
    data = {
        "format": FORMAT,
        "number": plan.code,
        "issuer": plan.issuer.name,
        "place": plan.place,
        "date": plan.issued_on.isoformat(),
        "title": plan.title,
        "coordinator_agency": plan.coordinator_agency.name,
        "references": [{"kind": r.kind, "number": r.number, "text": r.text} for r in plan.references.all()],
        "recipients": [
            {
                "text": r.text,
                "agency": r.agency.name if r.agency_id else None,
                "group": r.group.name if r.group_id else None,
            }
            for r in plan.recipients.select_related("agency", "group")
        ],
        "outline": [
            {"code": n.code, "label": n.label, "title": n.title, "body": n.body} for n in plan.outline.all()
        ],
        "targets": [
            _target_dict(t, [p for p in targets if p.parent_id == t.pk])
            for t in targets
            if t.parent_id is None
        ],
        "task_groups": [{"code": g.code, "title": g.title} for g in plan.task_groups.all()],
        "tasks": task_rows,
        "reporting": [
            {
                "code": d.code,
                "who": d.who_text,
                "who_groups": [g.name for g in d.groups.all()],
                "to": d.recipient.name if d.recipient_id else d.recipient_text,
                "due": d.due_display,
                "frequency": "yearly",
                "text": d.text,
            }
            for d in duties
            if d.kind == DutyKind.REPORT
        ],
        "reporting_regimes": [
            {"period": r.period, "due_day": r.due_day, "due_month": r.due_month} for r in plan.regimes.all()
        ],
        "duties": [
            {
                "code": d.code,
                "kind": d.kind,
                "who": d.who_text,
                "agency": d.agency.name if d.agency_id else None,
                "text": d.text,
            }
            for d in duties
            if d.kind != DutyKind.REPORT
        ],
    }
    if as_of:
        data["as_of"] = as_of.isoformat()
    return data


# --- import ---------------------------------------------------------------------------------------------------


class _Resolver:
    """Looks agencies and groups up by official name, collecting every miss so the user sees them all at once."""

    def __init__(self, day: datetime.date | None) -> None:
        # Two agencies may share a name at different times (Sở Ngoại vụ, merged in 2025 and re-established):
        # names are read as of the plan's date, so agencies valid on that day win.
        agencies = list(Agency.objects.order_by("valid_from"))
        if day:
            agencies.sort(key=lambda a: a.is_valid_on(day))
        self.agencies = {a.name: a for a in agencies}
        self.groups = {g.name: g for g in AgencyGroup.objects.all()}
        self.errors: list[str] = []

    def agency(self, name: str | None, where: str) -> Agency | None:
        if not name:
            return None
        found = self.agencies.get(name)
        if found is None:
            self.errors.append(f"{where}: không có cơ quan “{name}” trong danh mục.")
        return found

    def group(self, name: str | None, where: str) -> AgencyGroup | None:
        if not name:
            return None
        found = self.groups.get(name)
        if found is None:
            self.errors.append(f"{where}: không có nhóm cơ quan “{name}” trong danh mục.")
        return found

    def agency_or_group(self, name: str, where: str) -> tuple[Agency | None, AgencyGroup | None]:
        if name in self.agencies:
            return self.agencies[name], None
        if name in self.groups:
            return None, self.groups[name]
        self.errors.append(f"{where}: “{name}” không phải cơ quan hay nhóm cơ quan trong danh mục.")
        return None, None


def _decimal(value, where: str, errors: list[str]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        errors.append(f"{where}: “{value}” không phải là số.")
        return None


def _split_code(code: str) -> tuple[str, str]:
    number, _, symbol = (code or "").partition("/")
    if not number.strip() or not symbol.strip():
        raise PlanDataError(f"Số, ký hiệu “{code}” không đúng dạng “386/KH-UBND”.")
    return number.strip(), symbol.strip()


def _parse_due(due: str, where: str) -> tuple[int, int]:
    try:
        day, month = (int(p) for p in due.split("/")[:2])
        datetime.date(2000, month, day)
    except (ValueError, AttributeError) as exc:
        raise PlanDataError(f"{where}: hạn báo cáo “{due}” phải có dạng dd/mm.") from exc
    return day, month


@transaction.atomic
def plan_from_dict(data: dict) -> Plan:
    """Create the plan described by ``data``, which ``plans.rules.plan_data_problems`` has found free of errors.

    Call it through ``plans.services.plan_publish``. All or nothing: should a name still not resolve, it raises
    PlanDataError and saves nothing (a rule missing from the rulebook, not a user's mistake)."""
    if not isinstance(data, dict) or data.get("format", FORMAT) != FORMAT:
        raise PlanDataError(f"Dữ liệu không theo định dạng {FORMAT}.")
    number, symbol = _split_code(data.get("number", ""))
    try:
        issued_on = datetime.date.fromisoformat(data.get("date") or "")
        date_error = None
    except ValueError:
        issued_on = None
        date_error = f"Ngày ban hành “{data.get('date')}” phải theo dạng YYYY-MM-DD."
    resolver = _Resolver(issued_on)
    errors = resolver.errors
    if date_error:
        errors.append(date_error)
    issuer = resolver.agency(data.get("issuer"), "Cơ quan ban hành")
    coordinator = resolver.agency(data.get("coordinator_agency"), "Cơ quan theo dõi")
    if errors:
        raise PlanDataError("\n".join(errors))
    if Plan.objects.filter(issuer=issuer, number=number, symbol=symbol).exists():
        raise PlanDataError(f"Kế hoạch {number}/{symbol} của {issuer.name} đã có trong hệ thống.")
    reporting = data.get("reporting") or []
    due_day, due_month = _parse_due(reporting[0]["due"], "Chế độ báo cáo") if reporting else (5, 12)
    regimes = regimes_from_data(data)
    yearly = next((r for r in regimes if r.get("period") == "yearly"), None)
    if yearly is not None and 1 <= int(yearly["due_month"]) <= 12:
        due_day, due_month = int(yearly["due_day"]), int(yearly["due_month"])
    plan = Plan.objects.create(
        number=number,
        symbol=symbol,
        issuer=issuer,
        coordinator_agency=coordinator,
        place=data.get("place", ""),
        issued_on=issued_on,
        title=data.get("title", ""),
        report_due_day=due_day,
        report_due_month=due_month,
    )
    PlanReference.objects.bulk_create(
        PlanReference(plan=plan, kind=r["kind"], number=r["number"], text=r.get("text", ""), order=i)
        for i, r in enumerate(data.get("references", []))
    )
    PlanRecipient.objects.bulk_create(
        PlanRecipient(
            plan=plan,
            text=r["text"],
            order=i,
            agency=resolver.agency(r.get("agency"), f"Nơi nhận “{r['text']}”"),
            group=resolver.group(r.get("group"), f"Nơi nhận “{r['text']}”"),
        )
        for i, r in enumerate(data.get("recipients", []))
    )
    OutlineNode.objects.bulk_create(
        OutlineNode(
            plan=plan,
            code=n["code"],
            label=n.get("label", ""),
            title=n.get("title", ""),
            body=n.get("body", ""),
            depth=n["code"].count("."),
            order=i,
        )
        for i, n in enumerate(data.get("outline", []))
    )
    order = 0
    for row in data.get("targets", []):
        order = _target_create(plan, row, None, order, errors)
    groups = {}
    for i, g in enumerate(data.get("task_groups", [])):
        groups[g["code"]] = TaskGroup.objects.create(plan=plan, code=g["code"], title=g["title"], order=i)
    for i, row in enumerate(data.get("tasks", [])):
        _task_create(plan, row, i, groups, resolver)
    for i, row in enumerate(reporting):
        day, month = _parse_due(row["due"], f"Chế độ báo cáo {row.get('code', '')}")
        recipient = resolver.agencies.get(row.get("to"))
        duty = PlanDuty.objects.create(
            plan=plan,
            code=row.get("code") or f"R{i + 1}",
            kind=DutyKind.REPORT,
            text=row.get("text", ""),
            who_text=row.get("who", ""),
            recipient=recipient,
            recipient_text=row.get("to", ""),
            due_day=day,
            due_month=month,
            order=i,
        )
        duty.groups.set(
            [g for g in (resolver.group(n, "Chế độ báo cáo") for n in row.get("who_groups", [])) if g]
        )
    for i, row in enumerate(regimes):
        ReportingRegime.objects.create(
            plan=plan,
            period=row["period"],
            due_day=int(row["due_day"]),
            due_month_offset=int(row["due_month"]) - PERIOD_MONTHS[row["period"]],
            order=i,
        )
    for i, row in enumerate(data.get("duties", []), start=len(reporting)):
        PlanDuty.objects.create(
            plan=plan,
            code=row["code"],
            kind=row.get("kind", DutyKind.IMPLEMENT),
            text=row.get("text", ""),
            who_text=row.get("who", ""),
            agency=resolver.agency(row.get("agency"), f"Mục {row['code']}"),
            order=i,
        )
    if errors:
        raise PlanDataError("\n".join(errors))
    return plan


def _target_create(plan: Plan, row: dict, parent: Target | None, order: int, errors: list[str]) -> int:
    where = f"Chỉ tiêu {row.get('code')}"
    if row.get("comparator") not in Comparator.values:
        errors.append(f"{where}: cách so sánh “{row.get('comparator')}” không hợp lệ.")
        return order
    target = Target.objects.create(
        plan=plan,
        parent=parent,
        code=row["code"],
        text=row["text"],
        short_name=row.get("short_name", ""),
        unit=row.get("unit", ""),
        comparator=row["comparator"],
        min_value=_decimal(row.get("min"), where, errors),
        max_value=_decimal(row.get("max"), where, errors),
        period_start_year=row.get("period_start"),
        target_year=row.get("target_year"),
        baseline_year=row.get("baseline_year"),
        baseline_value=_decimal(row.get("baseline"), where, errors),
        order=order,
    )
    order += 1
    for part in row.get("parts", []):
        order = _target_create(plan, part, target, order, errors)
    return order


def _task_create(plan: Plan, row: dict, order: int, groups: dict, resolver: _Resolver) -> None:
    where = f"Nhiệm vụ {row.get('code')}"
    group = groups.get(row.get("group"))
    if group is None:
        resolver.errors.append(f"{where}: nhóm nhiệm vụ “{row.get('group')}” không có trong task_groups.")
        return
    recurrence = row.get("recurrence") or Recurrence.CONTINUOUS
    if recurrence not in Recurrence.values:
        resolver.errors.append(f"{where}: tính chất “{recurrence}” không hợp lệ.")
        return
    deadline = None
    if row.get("deadline"):
        try:
            deadline = datetime.date.fromisoformat(row["deadline"])
        except ValueError:
            resolver.errors.append(f"{where}: thời hạn “{row['deadline']}” phải theo dạng YYYY-MM-DD.")
    task = Task.objects.create(
        plan=plan,
        group=group,
        code=row["code"],
        heading=row.get("heading", ""),
        text=row["text"],
        recurrence=recurrence,
        deadline=deadline,
        product=row.get("product") or "",
        order=order,
    )
    if "assignments" in row:
        specs = row["assignments"]
    else:
        # Short form: names only, each an agency or a group.
        specs = [{"role": "lead", "name": n} for n in row.get("lead", [])]
        specs += [{"role": "coordinate", "name": n} for n in row.get("coordinate", [])]
    rows = []
    for i, spec in enumerate(specs):
        if spec.get("role") not in AssignmentRole.values:
            resolver.errors.append(f"{where}: vai trò “{spec.get('role')}” không hợp lệ.")
            continue
        if "name" in spec:
            agency, agency_group = resolver.agency_or_group(spec["name"], where)
            as_written = spec["name"]
        else:
            agency = resolver.agency(spec.get("agency"), where)
            agency_group = resolver.group(spec.get("group"), where)
            as_written = spec.get("as_written", "")
        if not (agency or agency_group or as_written):
            resolver.errors.append(f"{where}: một phân công không nêu cơ quan nào.")
            continue
        rows.append(
            Assignment(
                task=task,
                role=spec["role"],
                agency=agency,
                group=agency_group,
                related_only=bool(spec.get("related_only")),
                as_written=as_written,
                order=i,
            )
        )
    Assignment.objects.bulk_create(rows)
