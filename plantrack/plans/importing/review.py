"""The reviewer's side of an import draft: apply the review form to the plan data and clean it for publishing.
Works on the interchange dict only; the registry answers which names exist. The checks shown beside the fields are
the plan rulebook's (``plantrack.plans.rules.plan_data_problems``)."""

from __future__ import annotations

import datetime
import re

from plantrack.plans.rules import ROLES

from .parser import display_name
from .resolver import FUZZY, RESOLVED, Registry
from .targets import parse_number

REFERENCE_KINDS = ["implements", "based_on"]
DUTY_KINDS = ["implement", "monitor"]
REGIME_FREQUENCIES = ["monthly", "quarterly", "half_yearly", "yearly"]


# --- applying the review form ---------------------------------------------------------------------------------


def _date_in(value: str) -> str | None:
    """dd/mm/yyyy (or ISO) -> ISO; anything else is kept as typed so that the rulebook reports it."""
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
    an unknown agency stays as written and is reported by the rulebook."""

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
    for key in ("issuer", "coordinator_agency"):
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
    out["measurement"] = _measurement_in(data, out["targets"], get, has, registry, on)
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
        if has(f"rep-{i}-frequency"):
            row["frequency"] = _choice(get(f"rep-{i}-frequency"), REGIME_FREQUENCIES, r.get("frequency"))
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
    if "reporting_regimes" in data or has("reg-new-period"):
        out["reporting_regimes"] = _regimes_in(data.get("reporting_regimes") or [], get, has)
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
    return _proposals_in(out, get, registry, on)


def _regimes_in(rows: list[dict], get, has) -> list[dict]:
    """The periods and due dates (``reg-<i>-period``, ``reg-<i>-due`` "dd/mm", ``reg-<i>-delete``; a new one in
    ``reg-new-…``). One regime per period; a due date that is not a day/month keeps the one read."""
    out: list[dict] = []
    indexed = [(str(i), r) for i, r in enumerate(rows)] + [("new", {})]
    for key, row in indexed:
        if has(f"reg-{key}-delete"):
            continue
        period = _choice(get(f"reg-{key}-period", row.get("period")), REGIME_FREQUENCIES, row.get("period"))
        due = get(f"reg-{key}-due").strip()
        day, month = row.get("due_day"), row.get("due_month")
        match = re.fullmatch(r"(\d{1,2})\s*/\s*(\d{1,2})", due)
        if match and 1 <= int(match.group(1)) <= 31 and 1 <= int(match.group(2)) <= 12:
            day, month = int(match.group(1)), int(match.group(2))
        if not period or day is None or month is None or any(r["period"] == period for r in out):
            continue
        out.append(dict(row, period=period, due_day=day, due_month=month))
    return out


def _measurement_in(data: dict, targets: list[dict], get, has, registry: Registry, on) -> dict:
    """How each target will be measured once published (``measurement``: target code -> unit, provider, note),
    typed in review as ``tgt-<i>-measure_unit``, ``tgt-<i>-provider`` (an agency of the registry), ``tgt-<i>-method``.
    Publishing creates the targets' indicator definitions from it, so a published plan is measurable without the
    admin. An unknown provider is kept as typed (``provider_unresolved``) and not used."""
    old = data.get("measurement") or {}
    out: dict[str, dict] = {}
    for i, t in enumerate(data.get("targets", [])):
        code_before = t.get("code", "")
        prefix = f"tgt-{i}"
        if has(f"{prefix}-delete"):
            continue
        row = dict(old.get(code_before) or {})
        if has(f"{prefix}-measure_unit"):
            row["unit"] = get(f"{prefix}-measure_unit").strip()
        if has(f"{prefix}-method"):
            row["method_note"] = get(f"{prefix}-method").strip()
        if has(f"{prefix}-provider"):
            typed = get(f"{prefix}-provider").strip()
            agency, _, _ = _who(typed, registry, on) if typed else (None, None, None)
            row["provider"] = agency or ""
            row["provider_unresolved"] = "" if agency or not typed else typed
        code = get(f"{prefix}-code", code_before).strip() or code_before
        if any(row.get(k) for k in ("unit", "provider", "method_note", "provider_unresolved")):
            out[code] = row
    known = {t.get("code") for t in targets}
    return {code: row for code, row in out.items() if code in known}


PROPOSAL_DECISIONS = ("accept", "map", "drop")


def _proposals_in(out: dict, get, registry: Registry, on) -> dict:
    """The reviewer's decision on each agency the plan proposes to add (``prop-<i>-decision``): "accept" (created
    at publish), "map" to an agency of the registry (``prop-<i>-map``; every place the plan names it then names
    that agency), or "drop" (its assignments are removed; as issuer, coordinator or recipient it is left empty).
    A refusal without a known agency to map to keeps the proposal and says so (``_refusal``)."""
    renames: dict[str, str | None] = {}
    kept = []
    for i, row in enumerate(out.get("proposed_agencies") or []):
        decision = _choice(get(f"prop-{i}-decision", "accept"), list(PROPOSAL_DECISIONS), "accept")
        if decision == "drop":
            renames[row.get("name", "")] = None
            continue
        if decision == "map":
            typed = get(f"prop-{i}-map").strip()
            agency, _, _ = _who(typed, registry, on)
            if agency:
                renames[row.get("name", "")] = agency
                continue
            kept.append(dict(row, _refusal=typed or "-"))
            continue
        kept.append({k: v for k, v in row.items() if k != "_refusal"})
    if "proposed_agencies" in out:
        out["proposed_agencies"] = kept
    if not renames:
        return out

    def swap(name):
        return renames.get(name, name) if name in renames else name

    for row in kept:
        if row.get("parent") in renames:
            row["parent"] = renames[row["parent"]] or ""
    for key in ("issuer", "coordinator_agency"):
        if out.get(key) in renames:
            out[key] = renames[out[key]]
    tasks = []
    for task in out.get("tasks", []):
        assignments = []
        for a in task.get("assignments", []):
            if a.get("agency") in renames:
                if renames[a["agency"]] is None:
                    continue
                a = dict(a, agency=renames[a["agency"]])
            assignments.append(a)
        tasks.append(refresh_task(dict(task, assignments=assignments)))
    out["tasks"] = tasks
    out["recipients"] = [
        dict(r, agency=swap(r.get("agency"))) if r.get("agency") in renames else r
        for r in out.get("recipients", [])
    ]
    out["reporting"] = [
        dict(r, to=swap(r.get("to")) or "") if r.get("to") in renames else r for r in out.get("reporting", [])
    ]
    out["duties"] = [
        dict(d, agency=swap(d.get("agency"))) if d.get("agency") in renames else d
        for d in out.get("duties", [])
    ]
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
    """The draft as ``plan_publish`` expects it: derived fields refreshed, review notes removed."""
    out = dict(data)
    if "proposed_agencies" in out:
        out["proposed_agencies"] = [
            {k: v for k, v in r.items() if not k.startswith("_")} for r in out.get("proposed_agencies") or []
        ]
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
    out.pop("measurement", None)  # used after publishing (services.measurement_create), not part of the plan
    return out
