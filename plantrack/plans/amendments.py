"""Plan amendments (sửa đổi, bổ sung kế hoạch): writes and reads. Design: docs/design/plan-amendments.md.

An amendment is drafted (``amendment_create``, ``amendment_change_add``/``_remove``), previewed
(``amendment_preview``: the apply run in a savepoint that is rolled back, so the preview is exactly what applying
would do), applied in one transaction (``amendment_apply``) and undone while nothing depends on it
(``amendment_undo``). Applying changes the plan's rows in place (their history rows keep every version) and writes
in each change's ``before`` what it replaced; undo puts it back, ``updated_at`` included, so the plan's tables are
exactly as before.

Plans imports no app above it: what an amendment does to reports is done by the hooks registered in
``AMENDMENT_HOOKS`` (reporting registers ``reporting.amendments``). A hook module provides
``apply(*, amendment, touched) -> dict`` (its effects, stored under its ``KEY`` in ``Amendment.effects``),
``blockers(*, amendment, effects) -> list[str]`` and ``undo(*, amendment, effects) -> None``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from plantrack.accounts.permissions import is_coordinator_of
from plantrack.orgs.models import Agency
from plantrack.security.services import security_event_record

from .models import (
    TASK_KINDS,
    Amendment,
    AmendmentChange,
    AmendmentState,
    Assignment,
    AssignmentRole,
    ChangeKind,
    Comparator,
    Plan,
    Recurrence,
    Target,
    Task,
    TaskGroup,
)

AMENDMENT_HOOKS: list = []


class AmendmentError(ValueError):
    """The amendment step is refused; ``str(error)`` is the Vietnamese message."""


@dataclass
class Touched:
    """The tasks an amendment touched, for the hooks: added, whose assignments changed, cancelled, and the text each
    task had before its text was changed."""

    added: set[int] = field(default_factory=set)
    reassigned: set[int] = field(default_factory=set)
    cancelled: set[int] = field(default_factory=set)
    old_texts: dict[int, str] = field(default_factory=dict)

    @property
    def task_ids(self) -> set[int]:
        return self.added | self.reassigned | self.cancelled


def _guard(actor, plan: Plan) -> None:
    if actor is not None and not is_coordinator_of(actor, plan):
        raise AmendmentError(
            _("Chỉ cán bộ điều phối của cơ quan theo dõi kế hoạch mới được sửa đổi, bổ sung kế hoạch.")
        )


def _draft_guard(amendment: Amendment) -> None:
    if amendment.state != AmendmentState.DRAFT:
        raise AmendmentError(_("Văn bản đã áp dụng: hãy hoàn tác trước khi sửa nội dung."))


# --- drafting ------------------------------------------------------------------------------------------------------


@transaction.atomic
def amendment_create(
    *,
    actor,
    plan: Plan,
    number: str,
    issued_on: datetime.date,
    issuer: str,
    title: str,
    effective_on: datetime.date | None = None,
) -> Amendment:
    """A draft amendment of ``plan``; ``effective_on`` defaults to the issue date."""
    _guard(actor, plan)
    number, issuer, title = number.strip(), issuer.strip(), title.strip()
    if not number or not title or not issuer:
        raise AmendmentError(_("Cần số, ký hiệu, cơ quan ban hành và trích yếu của văn bản."))
    effective_on = effective_on or issued_on
    if issued_on < plan.issued_on or effective_on < plan.issued_on:
        raise AmendmentError(_("Văn bản sửa đổi không thể trước ngày ban hành kế hoạch."))
    if Amendment.objects.filter(plan=plan, number=number).exists():
        raise AmendmentError(_("Kế hoạch đã có văn bản sửa đổi số %(n)s.") % {"n": number})
    return Amendment.objects.create(
        plan=plan,
        number=number,
        issued_on=issued_on,
        issuer=issuer,
        title=title,
        effective_on=effective_on,
        created_by=actor,
    )


def _date_or_none(value, label: str) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise AmendmentError(_("%(f)s không phải là ngày hợp lệ.") % {"f": label}) from None


def _decimal_or_none(value) -> str | None:
    if value in (None, ""):
        return None
    try:
        return str(Decimal(str(value).replace(",", ".")))
    except InvalidOperation:
        raise AmendmentError(_("Giá trị chỉ tiêu không phải là số.")) from None


def _agency_ids(plan: Plan, ids) -> list[int]:
    ids = sorted({int(i) for i in ids or []})
    if len(Agency.objects.filter(pk__in=ids)) != len(ids):
        raise AmendmentError(_("Có cơ quan được giao không có trong danh mục."))
    return ids


def _clean_payload(*, amendment: Amendment, kind: str, task, target, payload: dict) -> dict:
    """The payload of one change, checked against the plan as it stands (shape and rules, not yet applied)."""
    plan = amendment.plan
    clean: dict = {}
    if kind in TASK_KINDS:
        if target is not None:
            raise AmendmentError(_("Thay đổi nhiệm vụ không gắn với chỉ tiêu."))
        if kind == ChangeKind.TASK_ADD:
            if task is not None:
                raise AmendmentError(_("Nhiệm vụ bổ sung là nhiệm vụ mới."))
            group_code = (payload.get("group") or "").strip()
            if not TaskGroup.objects.filter(plan=plan, code=group_code).exists():
                raise AmendmentError(_("Chọn nhóm nhiệm vụ của kế hoạch."))
            code = (payload.get("code") or "").strip()
            taken = (
                Task.objects.filter(plan=plan, code=code).exists()
                or amendment.changes.filter(kind=ChangeKind.TASK_ADD, payload__code=code).exists()
            )
            if not code or taken:
                raise AmendmentError(_("Mã nhiệm vụ bổ sung phải có và chưa được dùng."))
            if not (payload.get("text") or "").strip():
                raise AmendmentError(_("Nhiệm vụ bổ sung cần nội dung."))
            if not payload.get("leads"):
                raise AmendmentError(_("Nhiệm vụ bổ sung cần cơ quan chủ trì."))
            clean = {"group": group_code, "code": code, "text": payload["text"].strip()}
        else:
            if task is None or task.plan_id != plan.pk:
                raise AmendmentError(_("Chọn nhiệm vụ của kế hoạch."))
            if task.cancelled_by_id:
                raise AmendmentError(_("Nhiệm vụ đã bị hủy."))
            if kind == ChangeKind.TASK_CANCEL:
                return {}
            if (payload.get("text") or "").strip():
                clean["text"] = payload["text"].strip()
        if "deadline" in payload and (
            kind == ChangeKind.TASK_ADD or payload.get("deadline") not in (None, "")
        ):
            clean["deadline"] = _date_or_none(payload.get("deadline"), _("Thời hạn"))
            if clean["deadline"] and clean["deadline"] < plan.issued_on.isoformat():
                raise AmendmentError(_("Thời hạn không thể trước ngày ban hành kế hoạch."))
        if payload.get("recurrence") in Recurrence.values and not clean.get("deadline"):
            clean["recurrence"] = payload["recurrence"]
        for role in ("leads", "coordinates"):
            if payload.get(role):
                clean[role] = _agency_ids(plan, payload[role])
        if kind == ChangeKind.TASK_CHANGE and not clean:
            raise AmendmentError(
                _("Thay đổi không sửa gì: nhập nội dung, thời hạn hoặc cơ quan được giao mới.")
            )
        return clean
    if task is not None:
        raise AmendmentError(_("Thay đổi chỉ tiêu không gắn với nhiệm vụ."))
    if kind == ChangeKind.TARGET_ADD:
        code = (payload.get("code") or "").strip()
        if not code or Target.objects.filter(plan=plan, code=code).exists():
            raise AmendmentError(_("Mã chỉ tiêu bổ sung phải có và chưa được dùng."))
        if not (payload.get("text") or "").strip():
            raise AmendmentError(_("Chỉ tiêu bổ sung cần nội dung."))
        clean = {"code": code, "text": payload["text"].strip()}
        comparator = payload.get("comparator") or Comparator.QUALITATIVE
        if comparator not in Comparator.values:
            raise AmendmentError(_("Cách so sánh của chỉ tiêu không hợp lệ."))
        clean["comparator"] = comparator
    else:
        if target is None or target.plan_id != plan.pk:
            raise AmendmentError(_("Chọn chỉ tiêu của kế hoạch."))
        if target.cancelled_by_id:
            raise AmendmentError(_("Chỉ tiêu đã bị hủy."))
        if kind == ChangeKind.TARGET_CANCEL:
            return {}
        if (payload.get("text") or "").strip():
            clean["text"] = payload["text"].strip()
    if (payload.get("unit") or "").strip():
        clean["unit"] = payload["unit"].strip()
    for key in ("min_value", "max_value"):
        if payload.get(key) not in (None, ""):
            clean[key] = _decimal_or_none(payload[key])
    if payload.get("target_year") not in (None, ""):
        clean["target_year"] = int(payload["target_year"])
    if (
        clean.get("min_value")
        and clean.get("max_value")
        and Decimal(clean["min_value"]) > Decimal(clean["max_value"])
    ):
        raise AmendmentError(_("Giá trị tối thiểu lớn hơn giá trị tối đa."))
    if kind == ChangeKind.TARGET_CHANGE and not clean:
        raise AmendmentError(_("Thay đổi không sửa gì: nhập nội dung hoặc giá trị mới."))
    return clean


@transaction.atomic
def amendment_change_add(
    *,
    actor,
    amendment: Amendment,
    kind: str,
    task: Task | None = None,
    target: Target | None = None,
    payload=None,
) -> AmendmentChange:
    """Add one change to a draft amendment, checked against the plan as it stands. A task or target is changed or
    cancelled at most once by one amendment."""
    _guard(actor, amendment.plan)
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    _draft_guard(amendment)
    if kind not in ChangeKind.values:
        raise AmendmentError(_("Loại thay đổi không hợp lệ."))
    clean = _clean_payload(amendment=amendment, kind=kind, task=task, target=target, payload=payload or {})
    if task is not None and amendment.changes.filter(task=task).exists():
        raise AmendmentError(_("Văn bản đã có một thay đổi cho nhiệm vụ này."))
    if target is not None and amendment.changes.filter(target=target).exists():
        raise AmendmentError(_("Văn bản đã có một thay đổi cho chỉ tiêu này."))
    order = (amendment.changes.aggregate(m=Max("order"))["m"] or 0) + 1
    return AmendmentChange.objects.create(
        amendment=amendment, kind=kind, task=task, target=target, payload=clean, order=order
    )


@transaction.atomic
def amendment_change_remove(*, actor, change: AmendmentChange) -> None:
    _guard(actor, change.amendment.plan)
    _draft_guard(change.amendment)
    change.delete()


# --- applying and undoing ------------------------------------------------------------------------------------------


def _task_fields(task: Task) -> dict:
    return {
        "text": task.text,
        "deadline": task.deadline.isoformat() if task.deadline else None,
        "recurrence": task.recurrence,
        "updated_at": task.updated_at.isoformat(),
    }


def _assignment_rows(task: Task) -> list[dict]:
    return list(
        Assignment.objects.filter(task=task)
        .order_by("pk")
        .values("id", "role", "agency_id", "group_id", "related_only", "as_written", "order")
    )


def _assign(task: Task, payload: dict, history_user) -> None:
    """Replace the leads and/or coordinators of ``task`` named in ``payload`` (the other role is kept)."""
    for role, key in ((AssignmentRole.LEAD, "leads"), (AssignmentRole.COORDINATE, "coordinates")):
        if key not in payload:
            continue
        for a in Assignment.objects.filter(task=task, role=role):
            a._history_user = history_user
            a.delete()
        for order, agency_id in enumerate(payload[key]):
            a = Assignment(task=task, role=role, agency_id=agency_id, order=order)
            a._history_user = history_user
            a.save()


def _set_deadline(task: Task, payload: dict) -> None:
    if "deadline" in payload:
        deadline = payload["deadline"]
        task.deadline = datetime.date.fromisoformat(deadline) if deadline else None
        task.recurrence = Recurrence.ONCE if deadline else payload.get("recurrence", Recurrence.CONTINUOUS)
    elif "recurrence" in payload:
        task.deadline, task.recurrence = None, payload["recurrence"]


def _apply_change(change: AmendmentChange, amendment: Amendment, actor, touched: Touched) -> None:
    p = change.payload
    reason = _("Sửa đổi theo %(a)s") % {"a": amendment.label}
    if change.kind == ChangeKind.TASK_ADD:
        group = TaskGroup.objects.get(plan=amendment.plan, code=p["group"])
        last = group.tasks.aggregate(m=Max("order"))["m"]
        task = Task(plan=amendment.plan, group=group, code=p["code"], text=p["text"], order=(last or 0) + 1)
        _set_deadline(task, p)
        task._history_user, task._change_reason = actor, reason
        task.save()
        _assign(task, p, actor)
        change.task = task
        touched.added.add(task.pk)
    elif change.kind == ChangeKind.TASK_CHANGE:
        task = Task.objects.select_for_update().get(pk=change.task_id)
        if task.cancelled_by_id:
            raise AmendmentError(_("Nhiệm vụ %(c)s đã bị hủy.") % {"c": task.code})
        change.before = {**_task_fields(task), "assignments": _assignment_rows(task)}
        if "text" in p:
            touched.old_texts[task.pk] = task.text
            task.text = p["text"]
        _set_deadline(task, p)
        task._history_user, task._change_reason = actor, reason
        task.save()
        if "leads" in p or "coordinates" in p:
            _assign(task, p, actor)
            touched.reassigned.add(task.pk)
    elif change.kind == ChangeKind.TASK_CANCEL:
        task = Task.objects.select_for_update().get(pk=change.task_id)
        if task.cancelled_by_id:
            raise AmendmentError(_("Nhiệm vụ %(c)s đã bị hủy.") % {"c": task.code})
        change.before = _task_fields(task)
        task.cancelled_by, task.cancelled_on = amendment, amendment.effective_on
        task._history_user, task._change_reason = actor, _("Hủy theo %(a)s") % {"a": amendment.label}
        task.save()
        touched.cancelled.add(task.pk)
    elif change.kind == ChangeKind.TARGET_ADD:
        last = Target.objects.filter(plan=amendment.plan).aggregate(m=Max("order"))["m"]
        target = Target(plan=amendment.plan, order=(last or 0) + 1, **_target_values(p))
        target._history_user, target._change_reason = actor, reason
        target.save()
        change.target = target
    else:
        target = Target.objects.select_for_update().get(pk=change.target_id)
        if target.cancelled_by_id:
            raise AmendmentError(_("Chỉ tiêu %(c)s đã bị hủy.") % {"c": target.code})
        change.before = {**_target_before(target), "updated_at": target.updated_at.isoformat()}
        if change.kind == ChangeKind.TARGET_CANCEL:
            target.cancelled_by = amendment
            reason = _("Hủy theo %(a)s") % {"a": amendment.label}
        else:
            for key, value in _target_values(p).items():
                setattr(target, key, value)
        target._history_user, target._change_reason = actor, reason
        target.save()
    change.save(update_fields=["task", "target", "before"])


TARGET_FIELDS = ("code", "text", "unit", "comparator", "min_value", "max_value", "target_year")


def _target_values(p: dict) -> dict:
    values = {k: p[k] for k in TARGET_FIELDS if k in p}
    for key in ("min_value", "max_value"):
        if values.get(key) is not None:
            values[key] = Decimal(values[key])
    return values


def _target_before(target: Target) -> dict:
    before = {k: getattr(target, k) for k in TARGET_FIELDS}
    for key in ("min_value", "max_value"):
        before[key] = str(before[key]) if before[key] is not None else None
    return before


def _apply(*, actor, amendment: Amendment, now: datetime.datetime | None = None) -> Amendment:
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    _draft_guard(amendment)
    changes = list(amendment.changes.select_related("task", "target").order_by("order", "pk"))
    if not changes:
        raise AmendmentError(_("Văn bản chưa có nội dung sửa đổi nào."))
    touched = Touched()
    for change in changes:
        _apply_change(change, amendment, actor, touched)
    effects = {}
    for hook in AMENDMENT_HOOKS:
        effects[hook.KEY] = hook.apply(amendment=amendment, touched=touched)
    amendment.state = AmendmentState.APPLIED
    amendment.applied_at = now or timezone.now()
    amendment.applied_by = actor
    amendment.effects = effects
    amendment.save(update_fields=["state", "applied_at", "applied_by", "effects", "updated_at"])
    return amendment


@transaction.atomic
def amendment_apply(*, actor, amendment: Amendment, now: datetime.datetime | None = None) -> Amendment:
    """Apply every change of a draft amendment and what follows in the open reporting cycles, all or nothing."""
    _guard(actor, amendment.plan)
    amendment = _apply(actor=actor, amendment=amendment, now=now)
    if actor is not None:
        security_event_record(
            actor=actor,
            action="plan_amendment_applied",
            target=f"{amendment.plan.code} {amendment.number}",
            detail={"amendment": amendment.pk},
        )
    return amendment


class _Rollback(Exception):
    pass


def amendment_preview(*, actor, amendment: Amendment) -> dict:
    """What applying would do, without doing it: the apply is run in a savepoint rolled back at the end.

    ``{"changes": [labels], "<hook KEY>": the hook's effects with names}`` — for reporting, the reports to add,
    the entries to add and to close per open cycle (``reporting.amendments.describe``)."""
    _guard(actor, amendment.plan)
    result: dict = {}
    try:
        with transaction.atomic():
            applied = _apply(actor=actor, amendment=amendment)
            changes = list(applied.changes.select_related("task", "target"))
            result["changes"] = [change_label(c) for c in changes]
            result["deadlines"] = [
                {
                    "task": c.task.code,
                    "before": datetime.date.fromisoformat(c.before["deadline"])
                    if c.before.get("deadline")
                    else None,
                    "after": c.task.deadline,
                }
                for c in changes
                if c.kind == ChangeKind.TASK_CHANGE and "deadline" in c.payload
            ]
            for hook in AMENDMENT_HOOKS:
                result[hook.KEY] = hook.describe(effects=applied.effects.get(hook.KEY) or {})
            raise _Rollback
    except _Rollback:
        pass
    return result


def amendment_blockers(*, amendment: Amendment) -> list[str]:
    """Why the applied ``amendment`` cannot be undone (empty: it can): something now depends on it."""
    if not amendment.is_applied:
        return [_("Văn bản chưa được áp dụng.")]
    problems = []
    later = Amendment.objects.filter(
        plan=amendment.plan, state=AmendmentState.APPLIED, applied_at__gt=amendment.applied_at
    )
    if later.exists():
        problems.append(_("Đã có văn bản sửa đổi áp dụng sau văn bản này: hãy hoàn tác văn bản đó trước."))
    added_targets = amendment.changes.filter(kind=ChangeKind.TARGET_ADD, target__isnull=False)
    # A target it added that now has figures: undoing would delete them with the target (through the reverse
    # relations target → indicator → figures; plans does not import indicators).
    measured = Target.objects.filter(
        pk__in=added_targets.values("target_id"), indicator__figures__isnull=False
    ).distinct()
    for code in measured.values_list("code", flat=True):
        problems.append(
            _(
                "Chỉ tiêu %(code)s do văn bản này bổ sung đã có số liệu: hãy xóa các số liệu đó trước khi hoàn tác."
            )
            % {"code": code}
        )
    for hook in AMENDMENT_HOOKS:
        problems += hook.blockers(amendment=amendment, effects=amendment.effects.get(hook.KEY) or {})
    return problems


@transaction.atomic
def amendment_undo(*, actor, amendment: Amendment) -> Amendment:
    """Take an applied amendment back while nothing depends on it: the plan's rows, the reports and entries are
    exactly as before it was applied; the amendment is a draft again."""
    _guard(actor, amendment.plan)
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    problems = amendment_blockers(amendment=amendment)
    if problems:
        raise AmendmentError(" ".join(problems))
    for hook in reversed(AMENDMENT_HOOKS):
        hook.undo(amendment=amendment, effects=amendment.effects.get(hook.KEY) or {})
    reason = _("Hoàn tác %(a)s") % {"a": amendment.label}
    for change in amendment.changes.select_related("task", "target").order_by("-order", "-pk"):
        _undo_change(change, actor, reason)
    amendment.state, amendment.applied_at, amendment.applied_by, amendment.effects = (
        AmendmentState.DRAFT,
        None,
        None,
        {},
    )
    amendment.save(update_fields=["state", "applied_at", "applied_by", "effects", "updated_at"])
    if actor is not None:
        security_event_record(
            actor=actor,
            action="plan_amendment_undone",
            target=f"{amendment.plan.code} {amendment.number}",
            detail={"amendment": amendment.pk},
        )
    return amendment


def _undo_change(change: AmendmentChange, actor, reason: str) -> None:
    b = change.before
    if change.kind == ChangeKind.TASK_ADD:
        task = change.task
        change.task = None
        change.save(update_fields=["task"])
        for a in task.assignments.all():
            a._history_user = actor
            a.delete()
        task._history_user, task._change_reason = actor, reason
        task.delete()
        return
    if change.kind == ChangeKind.TARGET_ADD:
        target = change.target
        change.target = None
        change.save(update_fields=["target"])
        target._history_user, target._change_reason = actor, reason
        target.delete()
        return
    if change.kind in TASK_KINDS:
        task = Task.objects.select_for_update().get(pk=change.task_id)
        task.text = b["text"]
        task.deadline = datetime.date.fromisoformat(b["deadline"]) if b["deadline"] else None
        task.recurrence = b["recurrence"]
        task.cancelled_by, task.cancelled_on = None, None
        task._history_user, task._change_reason = actor, reason
        task.save()
        if "assignments" in b and ("leads" in change.payload or "coordinates" in change.payload):
            for a in Assignment.objects.filter(task=task):
                a._history_user = actor
                a.delete()
            for row in b["assignments"]:
                a = Assignment(task=task, **row)
                a._history_user = actor
                a.save()
        # The save stamped a new time; the row must read exactly as before the amendment.
        Task.objects.filter(pk=task.pk).update(updated_at=datetime.datetime.fromisoformat(b["updated_at"]))
    else:
        target = Target.objects.select_for_update().get(pk=change.target_id)
        for key, value in _target_values({k: b[k] for k in TARGET_FIELDS}).items():
            setattr(target, key, value)
        target.cancelled_by = None
        target._history_user, target._change_reason = actor, reason
        target.save()
        Target.objects.filter(pk=target.pk).update(
            updated_at=datetime.datetime.fromisoformat(b["updated_at"])
        )
    change.before = {}
    change.save(update_fields=["before"])


# --- reads ---------------------------------------------------------------------------------------------------------


def change_label(change: AmendmentChange) -> str:
    """ "Bổ sung nhiệm vụ III.2.c.9", "Sửa đổi nhiệm vụ III.1.a (thời hạn 31/12/2026)"."""
    details = []
    p = change.payload
    if "text" in p and change.kind in (ChangeKind.TASK_CHANGE, ChangeKind.TARGET_CHANGE):
        details.append(_("nội dung"))
    if p.get("deadline"):
        details.append(
            _("thời hạn %(d)s") % {"d": datetime.date.fromisoformat(p["deadline"]).strftime("%d/%m/%Y")}
        )
    if "leads" in p and change.kind == ChangeKind.TASK_CHANGE:
        details.append(_("cơ quan chủ trì"))
    if "coordinates" in p and change.kind == ChangeKind.TASK_CHANGE:
        details.append(_("cơ quan phối hợp"))
    if (
        any(k in p for k in ("min_value", "max_value", "target_year", "unit"))
        and change.kind == ChangeKind.TARGET_CHANGE
    ):
        details.append(_("giá trị"))
    label = f"{change.get_kind_display()} {change.subject_code}"
    return f"{label} ({', '.join(details)})" if details else label


def plan_amendment_history(*, plan: Plan) -> dict[str, dict[int, list[dict]]]:
    """``{"tasks": {task_id: [...]}, "targets": {target_id: [...]}}``: for each row changed or added by an applied
    amendment, ``{"amendment": …, "kind": …, "label": …}`` in the order applied. Two queries."""
    history: dict[str, dict[int, list[dict]]] = {"tasks": {}, "targets": {}}
    changes = (
        AmendmentChange.objects.filter(amendment__plan=plan, amendment__state=AmendmentState.APPLIED)
        .select_related("amendment", "task", "target")
        .order_by("amendment__applied_at", "order", "pk")
    )
    for c in changes:
        row = {"amendment": c.amendment, "kind": c.kind, "label": change_label(c)}
        if c.task_id:
            history["tasks"].setdefault(c.task_id, []).append(row)
        elif c.target_id:
            history["targets"].setdefault(c.target_id, []).append(row)
    return history
