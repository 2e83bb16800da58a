"""The one rulebook for plan data (``plantrack.plan/1``): what stops a plan from being published, and what deserves
a look.

``plan_data_problems`` is called by the import review page (to show the problems beside the fields), by
``plans.services.plan_publish`` (which refuses while any error remains) and through it by every command that
creates a plan. Nothing else decides whether plan data is acceptable; ``interchange.plan_from_dict`` trusts it.
"""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext

from .importing.problems import ERROR, WARNING, Problem
from .importing.resolver import UNNAMED_PHRASE, Registry, fold_aligned
from .interchange import regimes_from_data
from .models import PERIOD_MONTHS, Plan

__all__ = ["ERROR", "WARNING", "Problem", "is_unnamed", "plan_data_problems"]

FORMAT = "plantrack.plan/1"
COMPARATORS = [
    "approximately",
    "at_least",
    "at_most",
    "range",
    "yearly_growth",
    "per_population",
    "count_over_period",
    "compound",
    "qualitative",
]
RECURRENCES = ["continuous", "yearly", "once"]
ROLES = ["lead", "coordinate"]


def is_unnamed(text: str) -> bool:
    """ "các cơ quan liên quan" and the like: an assignment that names no one, kept as written."""
    folded = fold_aligned(" ".join((text or "").split()))
    return bool(UNNAMED_PHRASE.fullmatch(folded))


def _is_number(value) -> bool:
    return value is None or value == "" or isinstance(value, int | float) and not isinstance(value, bool)


def plan_data_problems(
    data: dict, *, registry: Registry | None = None, replace: bool = False, check_existing: bool = True
) -> list[Problem]:
    """Every error (publishing refuses) and warning (the reviewer should look) in ``data``, each at its path.

    ``registry`` answers which agency and group names exist (read from the database when not given). With
    ``check_existing`` (the default), a plan with the same number, symbol and issuer already in the database is an
    error unless ``replace``; only callers without a database (property tests) turn it off."""
    if not isinstance(data, dict) or data.get("format", FORMAT) != FORMAT:
        return [
            Problem(
                "", gettext("Dữ liệu không theo định dạng %(format)s.") % {"format": FORMAT}, code="format"
            )
        ]
    if registry is None:
        registry = Registry.from_db()
    problems: list[Problem] = []
    registry = _with_proposals(registry, data, problems)

    def add(path: str, message: str, severity: str = ERROR, code: str = "") -> None:
        problems.append(Problem(path, message, severity, code))

    number = data.get("number") or ""
    number_ok = bool(re.fullmatch(r"\s*\S+\s*/\s*\S+\s*", number))
    if not number_ok:
        add(
            "number",
            gettext("Số, ký hiệu “%(number)s” không đúng dạng “386/KH-UBND”.") % {"number": number},
            code="number_format",
        )
    for key, label in (
        ("issuer", gettext("Cơ quan ban hành")),
        ("coordinator_agency", gettext("Cơ quan theo dõi")),
    ):
        name = data.get(key)
        if not name:
            add(key, gettext("%(label)s: chưa chọn.") % {"label": label}, code="agency_missing")
        elif name not in registry.agencies:
            add(
                key,
                gettext("%(label)s: “%(name)s” không có trong danh mục cơ quan.")
                % {"label": label, "name": name},
                code="agency_unknown",
            )
    try:
        datetime.date.fromisoformat(data.get("date") or "")
    except (TypeError, ValueError):
        add(
            "date",
            gettext("Ngày ban hành chưa có hoặc không hợp lệ (dd/mm/yyyy; trong tệp JSON: YYYY-MM-DD)."),
            code="date_invalid",
        )
    if not (data.get("title") or "").strip():
        add("title", gettext("Chưa có trích yếu."), code="title_missing")
    if check_existing and not replace and number_ok and data.get("issuer") in registry.agencies:
        _check_not_published(data, add)
    for i, row in enumerate(data.get("recipients", [])):
        for key in ("agency", "group"):
            name = row.get(key)
            if name and registry.entity_named(name) is None:
                add(
                    f"recipients.{i}",
                    gettext("Nơi nhận “%(text)s”: “%(name)s” không có trong danh mục.")
                    % {"text": row.get("text"), "name": name},
                    code="recipient_unknown",
                )
    codes: set[str] = set()
    for i, row in enumerate(data.get("targets", [])):
        _check_target(row, f"targets.{i}", add, codes)
    group_codes = {g.get("code") for g in data.get("task_groups", [])}
    for i, group in enumerate(data.get("task_groups", [])):
        if not (group.get("code") or "").strip():
            add(f"task_groups.{i}", gettext("Nhóm nhiệm vụ chưa có mã."), code="group_code_missing")
    task_codes: set[str] = set()
    for i, task in enumerate(data.get("tasks", [])):
        _check_task(task, f"tasks.{i}", add, registry, group_codes, task_codes)
    for i, row in enumerate(data.get("reporting", [])):
        _check_reporting(row, f"reporting.{i}", add, registry)
    _check_regimes(data, add)
    for i, row in enumerate(data.get("duties", [])):
        if row.get("agency") and row["agency"] not in registry.agencies:
            add(
                f"duties.{i}",
                gettext("Mục %(code)s: “%(agency)s” không có trong danh mục cơ quan.")
                % {"code": row.get("code"), "agency": row["agency"]},
                code="agency_unknown",
            )
    return problems


def _with_proposals(registry: Registry, data: dict, problems: list[Problem]) -> Registry:
    """The registry as publishing will see it: plus the agencies ``data`` proposes (``proposed_agencies``, created
    by ``plan_publish``). A proposal is a warning for the reviewer; a malformed one is an error."""
    rows = data.get("proposed_agencies") or []
    if not rows:
        return registry
    from .importing.resolver import AGENCY, Entity

    proposed = Registry([], [])
    proposed.agencies = dict(registry.agencies)
    proposed.groups = registry.groups
    proposed.groups_by_code = registry.groups_by_code
    for i, row in enumerate(rows):
        name = (row.get("name") or "").strip() if isinstance(row, dict) else ""
        if not name or (
            row.get("parent")
            and row["parent"] not in proposed.agencies
            and not any(isinstance(r, dict) and r.get("name") == row["parent"] for r in rows)
        ):
            problems.append(
                Problem(
                    f"proposed_agencies.{i}",
                    gettext(
                        "Cơ quan đề xuất thêm mới chưa có tên hoặc cơ quan cấp trên không có trong danh mục."
                    ),
                    ERROR,
                    "proposal_invalid",
                )
            )
            continue
        if name in registry.agencies:
            continue
        proposed.agencies[name] = Entity(AGENCY, name, agency_kind=row.get("kind") or "")
        problems.append(
            Problem(
                f"proposed_agencies.{i}",
                gettext("“%(name)s” sẽ được thêm vào danh mục cơ quan khi công bố.") % {"name": name},
                WARNING,
                "agency_proposed",
            )
        )
    return proposed


def _check_not_published(data: dict, add) -> None:
    """A plan is identified by number, symbol and issuer: importing the same one twice is refused in review
    already, not only when publishing."""
    number, _, symbol = data["number"].partition("/")
    if Plan.objects.filter(
        number=number.strip(), symbol=symbol.strip(), issuer__name=data["issuer"]
    ).exists():
        add(
            "number",
            gettext("Kế hoạch %(number)s/%(symbol)s của %(issuer)s đã có trong hệ thống.")
            % {"number": number.strip(), "symbol": symbol.strip(), "issuer": data["issuer"]},
            code="plan_exists",
        )


def _check_target(row: dict, path: str, add, codes: set[str]) -> None:
    code = (row.get("code") or "").strip()
    where = gettext("Chỉ tiêu %(code)s") % {"code": code}
    if not code or code in codes:
        add(path, gettext("%(where)s: mã chỉ tiêu trống hoặc trùng.") % {"where": where}, code="target_code")
    codes.add(code)
    if not (row.get("text") or "").strip():
        add(path, gettext("%(where)s: chưa có nội dung.") % {"where": where}, code="target_text_missing")
    if row.get("comparator") not in COMPARATORS:
        add(
            path,
            gettext("%(where)s: cách so sánh “%(comparator)s” không hợp lệ.")
            % {"where": where, "comparator": row.get("comparator")},
            code="target_comparator",
        )
    for key in ("min", "max", "baseline"):
        if not _is_number(row.get(key)):
            add(
                path,
                gettext("%(where)s: “%(value)s” không phải là số.") % {"where": where, "value": row.get(key)},
                code="target_number",
            )
    for key in ("target_year", "period_start", "baseline_year"):
        value = row.get(key)
        if value not in (None, "") and not (isinstance(value, int) and 1900 < value < 2200):
            add(
                path,
                gettext("%(where)s: năm “%(value)s” không hợp lệ.") % {"where": where, "value": value},
                code="target_year",
            )
    low, high = row.get("min"), row.get("max")
    if (
        _is_number(low)
        and _is_number(high)
        and low not in (None, "")
        and high not in (None, "")
        and low > high
    ):
        add(
            path,
            gettext("%(where)s: giá trị tối thiểu lớn hơn tối đa.") % {"where": where},
            code="target_range",
        )
    for j, part in enumerate(row.get("parts", [])):
        _check_target(part, f"{path}.parts.{j}", add, codes)


def _check_task(task: dict, path: str, add, registry: Registry, group_codes: set, task_codes: set) -> None:
    code = (task.get("code") or "").strip()
    where = gettext("Nhiệm vụ %(code)s") % {"code": code}
    if not code or code in task_codes:
        add(path, gettext("%(where)s: mã nhiệm vụ trống hoặc trùng.") % {"where": where}, code="task_code")
    task_codes.add(code)
    if task.get("group") not in group_codes:
        add(
            path,
            gettext("%(where)s: nhóm “%(group)s” không có trong danh sách nhóm nhiệm vụ.")
            % {"where": where, "group": task.get("group")},
            code="task_group_unknown",
        )
    if not (task.get("text") or "").strip():
        add(path, gettext("%(where)s: chưa có nội dung.") % {"where": where}, code="task_text_missing")
    # The interchange format lets the recurrence out: a task is then continuous.
    recurrence = task.get("recurrence") or "continuous"
    if recurrence not in RECURRENCES:
        add(
            path,
            gettext("%(where)s: tính chất “%(recurrence)s” không hợp lệ.")
            % {"where": where, "recurrence": task.get("recurrence")},
            code="task_recurrence",
        )
    deadline = task.get("deadline")
    if deadline:
        try:
            datetime.date.fromisoformat(deadline)
        except (TypeError, ValueError):
            add(
                path,
                gettext("%(where)s: thời hạn “%(deadline)s” không hợp lệ (dd/mm/yyyy).")
                % {"where": where, "deadline": deadline},
                code="task_deadline",
            )
        if recurrence != "once":
            add(
                path,
                gettext("%(where)s: chỉ nhiệm vụ “có thời hạn” mới có thời hạn.") % {"where": where},
                code="task_deadline",
            )
    if "assignments" in task:
        leads = _check_assignments(task["assignments"], path, where, add, registry)
    else:
        # The short form of the interchange format: names only, each an agency or a group.
        leads = len(task.get("lead", []))
        for name in task.get("lead", []) + task.get("coordinate", []):
            if registry.entity_named(name) is None:
                add(
                    path,
                    gettext("%(where)s: “%(name)s” không phải cơ quan hay nhóm cơ quan trong danh mục.")
                    % {"where": where, "name": name},
                    code="agency_unknown",
                )
    if not leads:
        add(path, gettext("%(where)s: chưa có cơ quan chủ trì.") % {"where": where}, WARNING, code="no_lead")


def _check_assignments(assignments: list, path: str, where: str, add, registry: Registry) -> int:
    """Check each assignment; returns how many lead."""
    leads = 0
    for j, a in enumerate(assignments):
        apath = f"{path}.assignments.{j}"
        if a.get("role") not in ROLES:
            add(
                apath,
                gettext("%(where)s: vai trò “%(role)s” không hợp lệ.")
                % {"where": where, "role": a.get("role")},
                code="assignment_role",
            )
        leads += a.get("role") == "lead"
        agency, group = a.get("agency"), a.get("group")
        if agency and agency not in registry.agencies:
            add(
                apath,
                gettext("%(where)s: không có cơ quan “%(agency)s” trong danh mục.")
                % {"where": where, "agency": agency},
                code="agency_unknown",
            )
        elif group and group not in registry.groups:
            add(
                apath,
                gettext("%(where)s: không có nhóm cơ quan “%(group)s” trong danh mục.")
                % {"where": where, "group": group},
                code="group_unknown",
            )
        elif agency and group:
            add(
                apath,
                gettext("%(where)s: một phân công chỉ gắn một cơ quan hoặc một nhóm.") % {"where": where},
                code="assignment_both",
            )
        elif not agency and not group and not is_unnamed(a.get("as_written", "")):
            written = a.get("as_written") or ""
            add(
                apath,
                gettext("%(where)s: không tìm thấy “%(written)s” trong danh mục cơ quan.")
                % {"where": where, "written": written}
                if written
                else gettext("%(where)s: một phân công chưa có cơ quan.") % {"where": where},
                code="assignment_unresolved",
            )
    return leads


def _check_regimes(data: dict, add) -> None:
    """``reporting_regimes``: known periods, each once, a due day 1-31 and a due month within a year of the first
    period's end (docs/plan-interchange.md)."""
    seen: set[str] = set()
    for i, row in enumerate(regimes_from_data(data)):
        path = f"reporting_regimes.{i}"
        period = row.get("period") if isinstance(row, dict) else None
        if period not in PERIOD_MONTHS:
            add(
                path,
                gettext("Chế độ báo cáo: kỳ “%(p)s” không hợp lệ.") % {"p": period},
                code="regime_period",
            )
            continue
        if period in seen:
            add(
                path,
                gettext("Chế độ báo cáo: kỳ “%(p)s” được nêu hai lần.") % {"p": period},
                code="regime_period",
            )
        seen.add(period)
        day, month = row.get("due_day"), row.get("due_month")
        if not (
            isinstance(day, int)
            and isinstance(month, int)
            and 1 <= day <= 31
            and -11 <= month - PERIOD_MONTHS[period] <= 12
        ):
            add(
                path,
                gettext("Chế độ báo cáo: hạn “%(d)s/%(m)s” không hợp lệ.") % {"d": day, "m": month},
                code="regime_due",
            )


def _check_reporting(row: dict, path: str, add, registry: Registry) -> None:
    for name in row.get("who_groups", []):
        if name not in registry.groups:
            add(
                path,
                gettext("Chế độ báo cáo %(code)s: “%(name)s” không phải nhóm cơ quan trong danh mục.")
                % {"code": row.get("code"), "name": name},
                code="group_unknown",
            )
    due = row.get("due") or ""
    if not re.fullmatch(r"\d{1,2}/\d{1,2}", due):
        add(
            path,
            gettext("Chế độ báo cáo %(code)s: hạn “%(due)s” phải có dạng dd/mm.")
            % {"code": row.get("code"), "due": row.get("due")},
            code="reporting_due",
        )
        return
    day, month = (int(x) for x in due.split("/"))
    try:
        datetime.date(2000, month, day)
    except ValueError:
        add(
            path,
            gettext("Chế độ báo cáo %(code)s: hạn “%(due)s” không phải ngày.")
            % {"code": row.get("code"), "due": due},
            code="reporting_due",
        )
