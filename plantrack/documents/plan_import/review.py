"""The reviewer's side of an import draft: check the (edited) plan data, apply the review form to it, and clean it
for ``plan_from_dict``. Works on the interchange dict only; the registry answers which names exist."""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext

from .parser import ERROR, WARNING, Problem, display_name
from .resolver import FUZZY, RESOLVED, UNNAMED_PHRASE, Registry, fold_aligned
from .targets import parse_number

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
REFERENCE_KINDS = ["implements", "based_on"]
DUTY_KINDS = ["implement", "monitor"]


def is_unnamed(text: str) -> bool:
    """ "các cơ quan liên quan" and the like: an assignment that names no one, kept as written."""
    folded = fold_aligned(" ".join((text or "").split()))
    return bool(UNNAMED_PHRASE.fullmatch(folded))


def _is_number(value) -> bool:
    return value is None or value == "" or isinstance(value, int | float) and not isinstance(value, bool)


def check_plan(data: dict, registry: Registry) -> list[Problem]:
    """Everything that would stop publishing (errors) or deserves a look (warnings), by path."""
    problems: list[Problem] = []

    def add(path: str, message: str, level: str = ERROR) -> None:
        problems.append(Problem(path, message, level))

    number = data.get("number") or ""
    if not re.fullmatch(r"\s*\S+\s*/\s*\S+\s*", number):
        add("number", gettext("Số, ký hiệu “%(number)s” phải có dạng “386/KH-UBND”.") % {"number": number})
    for key, label in (("issuer", gettext("Cơ quan ban hành")), ("coordinator", gettext("Cơ quan theo dõi"))):
        name = data.get(key)
        if not name:
            add(key, gettext("%(label)s: chưa chọn.") % {"label": label})
        elif name not in registry.agencies:
            add(
                key,
                gettext("%(label)s: “%(name)s” không có trong danh mục cơ quan.")
                % {"label": label, "name": name},
            )
    try:
        datetime.date.fromisoformat(data.get("date") or "")
    except ValueError:
        add("date", gettext("Ngày ban hành chưa có hoặc không hợp lệ (dd/mm/yyyy)."))
    if not (data.get("title") or "").strip():
        add("title", gettext("Chưa có trích yếu."))
    for i, row in enumerate(data.get("recipients", [])):
        for key in ("agency", "group"):
            name = row.get(key)
            if name and registry.entity_named(name) is None:
                add(
                    f"recipients.{i}",
                    gettext("Nơi nhận “%(text)s”: “%(name)s” không có trong danh mục.")
                    % {"text": row.get("text"), "name": name},
                    WARNING,
                )
    codes: set[str] = set()
    for i, row in enumerate(data.get("targets", [])):
        _check_target(row, f"targets.{i}", add, codes)
    group_codes = {g.get("code") for g in data.get("task_groups", [])}
    for i, group in enumerate(data.get("task_groups", [])):
        if not (group.get("code") or "").strip():
            add(f"task_groups.{i}", gettext("Nhóm nhiệm vụ chưa có mã."))
    task_codes: set[str] = set()
    for i, task in enumerate(data.get("tasks", [])):
        _check_task(task, f"tasks.{i}", add, registry, group_codes, task_codes)
    for i, row in enumerate(data.get("reporting", [])):
        for name in row.get("who_groups", []):
            if name not in registry.groups:
                add(
                    f"reporting.{i}",
                    gettext("Chế độ báo cáo %(code)s: “%(name)s” không phải nhóm cơ quan trong danh mục.")
                    % {"code": row.get("code"), "name": name},
                )
        if not re.fullmatch(r"\d{1,2}/\d{1,2}", row.get("due") or ""):
            add(
                f"reporting.{i}",
                gettext("Chế độ báo cáo %(code)s: hạn “%(due)s” phải có dạng dd/mm.")
                % {"code": row.get("code"), "due": row.get("due")},
            )
        else:
            day, month = (int(x) for x in row["due"].split("/"))
            try:
                datetime.date(2000, month, day)
            except ValueError:
                add(
                    f"reporting.{i}",
                    gettext("Chế độ báo cáo %(code)s: hạn “%(due)s” không phải ngày.")
                    % {"code": row.get("code"), "due": row["due"]},
                )
    for i, row in enumerate(data.get("duties", [])):
        if row.get("agency") and row["agency"] not in registry.agencies:
            add(
                f"duties.{i}",
                gettext("Mục %(code)s: “%(agency)s” không có trong danh mục cơ quan.")
                % {"code": row.get("code"), "agency": row["agency"]},
            )
    return problems


def _check_target(row: dict, path: str, add, codes: set[str]) -> None:
    code = (row.get("code") or "").strip()
    where = gettext("Chỉ tiêu %(code)s") % {"code": code}
    if not code or code in codes:
        add(path, gettext("%(where)s: mã chỉ tiêu trống hoặc trùng.") % {"where": where})
    codes.add(code)
    if not (row.get("text") or "").strip():
        add(path, gettext("%(where)s: chưa có nội dung.") % {"where": where})
    if row.get("comparator") not in COMPARATORS:
        add(
            path,
            gettext("%(where)s: cách so sánh “%(comparator)s” không hợp lệ.")
            % {"where": where, "comparator": row.get("comparator")},
        )
    for key in ("min", "max"):
        if not _is_number(row.get(key)):
            add(
                path,
                gettext("%(where)s: “%(value)s” không phải là số.") % {"where": where, "value": row.get(key)},
            )
    for key in ("target_year", "period_start"):
        value = row.get(key)
        if value not in (None, "") and not (isinstance(value, int) and 1900 < value < 2200):
            add(path, gettext("%(where)s: năm “%(value)s” không hợp lệ.") % {"where": where, "value": value})
    low, high = row.get("min"), row.get("max")
    if (
        _is_number(low)
        and _is_number(high)
        and low not in (None, "")
        and high not in (None, "")
        and low > high
    ):
        add(path, gettext("%(where)s: giá trị tối thiểu lớn hơn tối đa.") % {"where": where})
    for j, part in enumerate(row.get("parts", [])):
        _check_target(part, f"{path}.parts.{j}", add, codes)


def _check_task(task: dict, path: str, add, registry: Registry, group_codes: set, task_codes: set) -> None:
    code = (task.get("code") or "").strip()
    where = gettext("Nhiệm vụ %(code)s") % {"code": code}
    if not code or code in task_codes:
        add(path, gettext("%(where)s: mã nhiệm vụ trống hoặc trùng.") % {"where": where})
    task_codes.add(code)
    if task.get("group") not in group_codes:
        add(
            path,
            gettext("%(where)s: nhóm “%(group)s” không có trong danh sách nhóm nhiệm vụ.")
            % {"where": where, "group": task.get("group")},
        )
    if not (task.get("text") or "").strip():
        add(path, gettext("%(where)s: chưa có nội dung.") % {"where": where})
    if task.get("recurrence") not in RECURRENCES:
        add(
            path,
            gettext("%(where)s: tính chất “%(recurrence)s” không hợp lệ.")
            % {"where": where, "recurrence": task.get("recurrence")},
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
            )
        if task.get("recurrence") != "once":
            add(path, gettext("%(where)s: chỉ nhiệm vụ “có thời hạn” mới có thời hạn.") % {"where": where})
    leads = 0
    for j, a in enumerate(task.get("assignments", [])):
        apath = f"{path}.assignments.{j}"
        if a.get("role") not in ROLES:
            add(
                apath,
                gettext("%(where)s: vai trò “%(role)s” không hợp lệ.")
                % {"where": where, "role": a.get("role")},
            )
        leads += a.get("role") == "lead"
        agency, group = a.get("agency"), a.get("group")
        if agency and agency not in registry.agencies:
            add(
                apath,
                gettext("%(where)s: “%(agency)s” không có trong danh mục cơ quan.")
                % {"where": where, "agency": agency},
            )
        elif group and group not in registry.groups:
            add(
                apath,
                gettext("%(where)s: “%(group)s” không có trong danh mục nhóm cơ quan.")
                % {"where": where, "group": group},
            )
        elif agency and group:
            add(
                apath,
                gettext("%(where)s: một phân công chỉ gắn một cơ quan hoặc một nhóm.") % {"where": where},
            )
        elif not agency and not group and not is_unnamed(a.get("as_written", "")):
            written = a.get("as_written") or ""
            add(
                apath,
                gettext("%(where)s: không tìm thấy “%(written)s” trong danh mục cơ quan.")
                % {"where": where, "written": written}
                if written
                else gettext("%(where)s: một phân công chưa có cơ quan.") % {"where": where},
            )
    if not leads:
        add(path, gettext("%(where)s: chưa có cơ quan chủ trì.") % {"where": where}, WARNING)


# --- applying the review form ---------------------------------------------------------------------------------


def _date_in(value: str) -> str | None:
    """dd/mm/yyyy (or ISO) -> ISO; anything else is kept as typed so that check_plan reports it."""
    value = (value or "").strip()
    if not value:
        return None
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    if m:
        try:
            return datetime.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
        except ValueError:
            return value
    return value


def _number_in(value: str):
    value = (value or "").strip()
    if not value:
        return None
    number = parse_number(value)
    return value if number is None else number


def _year_in(value: str):
    value = (value or "").strip()
    if not value:
        return None
    return int(value) if re.fullmatch(r"\d{4}", value) else value


def _who(value: str, registry: Registry, on) -> tuple[str | None, str | None, str | None]:
    """(agency, group, unresolved text) for what the reviewer typed or picked."""
    value = " ".join((value or "").split())
    if not value:
        return None, None, None
    if value in registry.agencies:
        return value, None, None
    if value in registry.groups:
        return None, value, None
    match = registry.resolve(value, on)
    if match.status in (RESOLVED, FUZZY) and match.entity is not None:
        return (
            (match.entity.name, None, None)
            if match.entity.kind == "agency"
            else (None, match.entity.name, None)
        )
    return None, None, value


def apply_form(data: dict, post, registry: Registry) -> dict:
    """A new plan dict from ``data`` with the review form's values (a QueryDict or a dict of str). Fields absent
    from the form keep their value; rows marked for deletion are dropped; nothing typed is discarded silently:
    an unknown agency stays as written and is reported by check_plan."""

    def get(name: str, default=""):
        value = post.get(name)
        return default if value is None else value

    def has(name: str) -> bool:
        return name in post

    on = None
    out = dict(data)
    for key in ("number", "place", "title"):
        if has(key):
            out[key] = get(key).strip()
    if has("date"):
        out["date"] = _date_in(get("date"))
    on = _safe_date(out.get("date"))
    for key in ("issuer", "coordinator"):
        if has(key):
            agency, _, unresolved = _who(get(key), registry, on)
            out[key] = agency or unresolved
    out["references"] = [
        {
            "kind": _choice(get(f"ref-{i}-kind", r.get("kind")), REFERENCE_KINDS, r.get("kind")),
            "number": get(f"ref-{i}-number", r.get("number", "")).strip(),
            "text": get(f"ref-{i}-text", r.get("text", "")).strip(),
        }
        for i, r in enumerate(data.get("references", []))
        if not has(f"ref-{i}-delete")
    ]
    recipients = []
    for i, r in enumerate(data.get("recipients", [])):
        if has(f"rcp-{i}-delete"):
            continue
        row = dict(r, text=get(f"rcp-{i}-text", r.get("text", "")).strip())
        if has(f"rcp-{i}-who"):
            agency, group, _ = _who(get(f"rcp-{i}-who"), registry, on)
            row.update(agency=agency, group=group)
        recipients.append(row)
    out["recipients"] = recipients
    out["outline"] = [
        {key: get(f"out-{i}-{key}", n.get(key, "")) for key in ("code", "label", "title", "body")}
        for i, n in enumerate(data.get("outline", []))
        if not has(f"out-{i}-delete")
    ]
    out["targets"] = [
        _target_in(t, f"tgt-{i}", get, has)
        for i, t in enumerate(data.get("targets", []))
        if not has(f"tgt-{i}-delete")
    ]
    out["task_groups"] = [
        {
            "code": get(f"grp-{i}-code", g.get("code", "")).strip(),
            "title": get(f"grp-{i}-title", g.get("title", "")),
        }
        for i, g in enumerate(data.get("task_groups", []))
        if not has(f"grp-{i}-delete")
    ]
    out["tasks"] = [
        _task_in(t, f"task-{i}", get, has, registry, on)
        for i, t in enumerate(data.get("tasks", []))
        if not has(f"task-{i}-delete")
    ]
    reporting = []
    for i, r in enumerate(data.get("reporting", [])):
        if has(f"rep-{i}-delete"):
            continue
        row = dict(r)
        for key in ("who", "due", "text"):
            row[key] = get(f"rep-{i}-{key}", r.get(key, "")).strip()
        if has(f"rep-{i}-who_groups"):
            groups = []
            for name in get(f"rep-{i}-who_groups").split(";"):
                agency, group, unresolved = _who(name, registry, on)
                chosen = group or agency or unresolved
                if chosen and chosen not in groups:
                    groups.append(chosen)
            row["who_groups"] = groups
        if has(f"rep-{i}-to"):
            agency, _, unresolved = _who(get(f"rep-{i}-to"), registry, on)
            row["to"] = agency or unresolved or ""
        reporting.append(row)
    out["reporting"] = reporting
    duties = []
    for i, d in enumerate(data.get("duties", [])):
        if has(f"duty-{i}-delete"):
            continue
        row = dict(
            d,
            kind=_choice(get(f"duty-{i}-kind", d.get("kind")), DUTY_KINDS, d.get("kind")),
            who=get(f"duty-{i}-who", d.get("who", "")).strip(),
            text=get(f"duty-{i}-text", d.get("text", "")),
        )
        if has(f"duty-{i}-agency"):
            agency, _, unresolved = _who(get(f"duty-{i}-agency"), registry, on)
            row["agency"] = agency or unresolved
        duties.append(row)
    out["duties"] = duties
    return out


def _safe_date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None


def _choice(value, allowed: list[str], fallback):
    return value if value in allowed else fallback


def _target_in(t: dict, prefix: str, get, has) -> dict:
    row = dict(t)
    for key in ("code", "text", "short_name", "unit"):
        row[key] = get(f"{prefix}-{key}", t.get(key) or "").strip()
    row["comparator"] = get(f"{prefix}-comparator", t.get("comparator"))
    for key in ("min", "max"):
        if has(f"{prefix}-{key}"):
            row[key] = _number_in(get(f"{prefix}-{key}"))
    for key in ("period_start", "target_year"):
        if has(f"{prefix}-{key}"):
            row[key] = _year_in(get(f"{prefix}-{key}"))
    row["parts"] = [
        _target_in(p, f"{prefix}-p{j}", get, has)
        for j, p in enumerate(t.get("parts", []))
        if not has(f"{prefix}-p{j}-delete")
    ]
    return row


def _task_in(t: dict, prefix: str, get, has, registry: Registry, on) -> dict:
    row = dict(t)
    for key in ("code", "group", "heading", "text"):
        row[key] = get(f"{prefix}-{key}", t.get(key) or "").strip()
    row["recurrence"] = get(f"{prefix}-recurrence", t.get("recurrence"))
    if has(f"{prefix}-deadline"):
        row["deadline"] = _date_in(get(f"{prefix}-deadline"))
    assignments = []
    count = len(t.get("assignments", [])) + 1  # one empty row to add an assignment
    for j in range(count):
        p = f"{prefix}-a{j}"
        old = t.get("assignments", [])[j] if j < len(t.get("assignments", [])) else None
        if has(f"{p}-delete"):
            continue
        who = get(f"{p}-who", None)
        as_written = get(f"{p}-as_written", old.get("as_written", "") if old else "").strip()
        if old is None and not (who or "").strip() and not as_written:
            continue
        a = dict(
            old
            or {"role": "coordinate", "agency": None, "group": None, "related_only": False, "as_written": ""}
        )
        a["role"] = _choice(get(f"{p}-role", a["role"]), ROLES, a["role"])
        a["as_written"] = as_written
        if who is not None:
            agency, group, unresolved = _who(who, registry, on)
            if (agency, group) != (a.get("agency"), a.get("group")):
                a.pop("_note", None)
            a["agency"], a["group"] = agency, group
            if unresolved:
                a["as_written"] = unresolved
            elif not a["as_written"]:
                a["as_written"] = agency or group or ""
        if has(f"{prefix}-deadline") or has(f"{p}-role"):
            a["related_only"] = has(f"{p}-related") and bool(a["group"])
        assignments.append(a)
    row["assignments"] = assignments
    return refresh_task(row)


def refresh_task(task: dict) -> dict:
    """Recompute the derived short form (lead[], coordinate[], lead_is_group) from the assignments."""
    assignments = task.get("assignments", [])
    task["lead"] = [display_name(a) for a in assignments if a.get("role") == "lead"]
    task["coordinate"] = [display_name(a) for a in assignments if a.get("role") == "coordinate"]
    task["lead_is_group"] = any(not a.get("agency") for a in assignments if a.get("role") == "lead")
    return task


def for_publish(data: dict) -> dict:
    """The draft as ``plan_from_dict`` expects it: derived fields refreshed, review notes removed."""
    out = dict(data)
    out["tasks"] = [
        refresh_task(
            dict(
                t,
                assignments=[
                    {k: v for k, v in a.items() if not k.startswith("_")} for a in t.get("assignments", [])
                ],
            )
        )
        for t in data.get("tasks", [])
    ]
    out.pop("warnings", None)
    return out
